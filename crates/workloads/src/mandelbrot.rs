//! W16, *Mandelbrot* (the tutorial's CPU-bound work): an image of the Mandelbrot set, one
//! row per unit. Rows through the set's middle iterate up to the limit at every pixel while
//! rows at the edges escape at once, so the units are **uneven**: it tests load balancing.
//! A model that cuts the rows into one fixed range per worker leaves the workers with the
//! easy edges idle while one works through the middle.

use crate::catalogue::{Chapter, Ids, Metric, Unit, Variant, Workload};
use crate::cpu::{self, kernel_metric, ways};
use crate::profile::Profile;
use crate::{WrongAnswer, rng};

// ---------------------------------------------------------------------------------------
// The ids: the workload, its figures, variants and named sizes, as records and the docs name them.

/// W16.
pub const MANDELBROT: Workload = Workload {
    id: "mandelbrot",
    code: "W16",
    title: "Mandelbrot",
    what: "An image of the Mandelbrot set, a row per unit: CPU-bound work of uneven cost (load balancing).",
    chapter: Chapter::Compute,
};
/// W16: wall time (median run).
pub const MANDELBROT_WALL_TIME: Metric = Metric {
    workload: &MANDELBROT,
    id: "wall_time",
    unit: Unit::Ms,
    what: "Wall time of the whole image (the median run), at each worker count.",
};
/// W16: CPU time the process spent (median run).
pub const MANDELBROT_CPU_TIME: Metric = kernel_metric(&MANDELBROT, 0);
/// W16: speedup over sequential.
pub const MANDELBROT_SPEEDUP: Metric = kernel_metric(&MANDELBROT, 1);
/// W16: speedup per worker.
pub const MANDELBROT_EFFICIENCY: Metric = kernel_metric(&MANDELBROT, 2);
/// W16: the ways, in [`crate::cpu::WAY_IDS`] order.
pub const MANDELBROT_WAYS: [Variant; 6] = ways(&MANDELBROT);

/// Everything this workload names, for the catalogue's index.
pub const IDS: Ids = Ids {
    workload: &MANDELBROT,
    metrics: &[&MANDELBROT_WALL_TIME, &MANDELBROT_CPU_TIME, &MANDELBROT_SPEEDUP, &MANDELBROT_EFFICIENCY],
    variants: &[
        &MANDELBROT_WAYS[0],
        &MANDELBROT_WAYS[1],
        &MANDELBROT_WAYS[2],
        &MANDELBROT_WAYS[3],
        &MANDELBROT_WAYS[4],
        &MANDELBROT_WAYS[5],
    ],
    roles: &[],
};

/// What it declares: every way of the model at every worker count.
pub const DECLARED: cpu::Declared = cpu::Declared {
    ids: &IDS,
    ways: &MANDELBROT_WAYS,
    figures: &[&MANDELBROT_WALL_TIME, &MANDELBROT_SPEEDUP],
};

/// The image: its size, and how many iterations a pixel may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mandelbrot {
    /// Pixels per row.
    pub width: usize,
    /// Rows: the units of work.
    pub height: usize,
    /// Iterations after which a point counts as inside the set.
    pub max_iterations: u32,
}

/// The region of the complex plane drawn: real part from `X0` to `X1`, imaginary part from
/// `Y0` to `Y1`, the whole set.
const X0: f64 = -2.0;
const X1: f64 = 0.6;
const Y0: f64 = -1.2;
const Y1: f64 = 1.2;

impl Mandelbrot {
    /// The image of `profile`.
    pub fn new(profile: Profile) -> Self {
        let (side, max_iterations) = match profile {
            Profile::Full => (1_024, 512),
            Profile::Quick => (512, 512),
            Profile::Smoke | Profile::Test => (96, 256),
        };
        Mandelbrot { width: side, height: side, max_iterations }
    }

    /// An image of a given size (for the `kernels` command line and tests).
    pub fn with_size(side: usize, max_iterations: u32) -> Self {
        Mandelbrot { width: side, height: side, max_iterations }
    }

    /// The size as people read it, e.g. "1 024 × 1 024 pixels, up to 512 iterations".
    pub fn label(&self) -> String {
        format!(
            "{} × {} pixels, up to {} iterations",
            crate::text::group_thousands(self.width as u64),
            crate::text::group_thousands(self.height as u64),
            self.max_iterations
        )
    }

    /// Row `y`'s share of the checksum: the iterations of its pixels, summed, and mixed with
    /// the row's index so that a row computed twice, or for the wrong `y`, changes the answer.
    /// This is the unit of work every model runs; it is pure, so any thread may run it.
    pub fn row(&self, y: usize) -> u64 {
        let ci = Y0 + (Y1 - Y0) * (y as f64 + 0.5) / self.height as f64;
        let mut iterations = 0u64;
        for x in 0..self.width {
            let cr = X0 + (X1 - X0) * (x as f64 + 0.5) / self.width as f64;
            iterations += u64::from(escape_time(cr, ci, self.max_iterations));
        }
        iterations.wrapping_mul(rng::mix(y as u64) | 1)
    }

    /// The whole image's checksum, one row after another: the expected answer.
    pub fn expected(&self) -> u64 {
        (0..self.height).fold(0u64, |sum, y| sum.wrapping_add(self.row(y)))
    }
}

/// Iterations of z ← z² + c before |z| > 2, at most `max`.
fn escape_time(cr: f64, ci: f64, max: u32) -> u32 {
    let (mut zr, mut zi) = (0.0f64, 0.0f64);
    for i in 0..max {
        let (zr2, zi2) = (zr * zr, zi * zi);
        if zr2 + zi2 > 4.0 {
            return i;
        }
        zi = 2.0 * zr * zi + ci;
        zr = zr2 - zi2 + cr;
    }
    max
}

/// Checks a run's checksum (the wrapping sum of every [`Mandelbrot::row`]) against
/// [`Mandelbrot::expected`].
pub fn check(want: u64, got: u64) -> Result<(), WrongAnswer> {
    crate::compare(MANDELBROT.id, &want, &got)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rows are uneven: the middle row costs many times an edge row.
    #[test]
    fn rows_are_uneven() {
        let image = Mandelbrot::new(Profile::Test);
        let cost = |y: usize| {
            let ci = Y0 + (Y1 - Y0) * (y as f64 + 0.5) / image.height as f64;
            (0..image.width)
                .map(|x| {
                    let cr = X0 + (X1 - X0) * (x as f64 + 0.5) / image.width as f64;
                    u64::from(escape_time(cr, ci, image.max_iterations))
                })
                .sum::<u64>()
        };
        assert!(cost(image.height / 2) > 20 * cost(0), "{} vs {}", cost(image.height / 2), cost(0));
    }

    /// The checksum is the same in any order of rows, and changes if a row is missing.
    #[test]
    fn checksum_is_order_free_and_complete() {
        let image = Mandelbrot::new(Profile::Test);
        let backwards = (0..image.height).rev().fold(0u64, |s, y| s.wrapping_add(image.row(y)));
        assert_eq!(backwards, image.expected());
        let missing = (1..image.height).fold(0u64, |s, y| s.wrapping_add(image.row(y)));
        assert!(check(image.expected(), missing).is_err());
    }
}
