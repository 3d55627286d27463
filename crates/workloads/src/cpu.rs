//! CPU-bound work (the docs' chapter 7): what the three kernels ([`crate::mandelbrot`],
//! [`crate::merge_sort`], [`crate::hashing`]) share: the [`Way`]s a model can run them, the
//! worker counts of the sweep, and how many runs each figure is the median of.
//!
//! Every kernel is split into the same *units* in every model (a row of the image, a leaf
//! of the sort, a block of the data), computed by the same shared function, so every way
//! of running it must produce the same checksum. What differs is only who runs which unit,
//! and when: that is the lesson.

use crate::catalogue::{Ids, Metric, Unit, Variant, Workload};
use crate::profile::{Profile, Verdict};
use crate::spec::Spec;
use crate::{Kind, ModelInfo};

// ---------------------------------------------------------------------------------------
// The ids the three kernels share: their ways' variants and three of their figures.

/// The ids of the ways a CPU-bound kernel is run ([`crate::cpu::Way`]), in its order: each
/// kernel has a variant of each.
pub const WAY_IDS: [&str; 6] =
    ["one_thread", "static_chunks", "work_queue", "work_stealing", "inline", "offloaded"];

/// The variants of a CPU-bound kernel: one per way, in [`WAY_IDS`] order.
pub(crate) const fn ways(workload: &'static Workload) -> [Variant; 6] {
    [
        Variant { workload, id: WAY_IDS[0] },
        Variant { workload, id: WAY_IDS[1] },
        Variant { workload, id: WAY_IDS[2] },
        Variant { workload, id: WAY_IDS[3] },
        Variant { workload, id: WAY_IDS[4] },
        Variant { workload, id: WAY_IDS[5] },
    ]
}

/// Three of the four figures every CPU kernel (W16–W18) records, the same for each (its wall
/// time says what it timed): id, unit, what.
pub(crate) const KERNEL_METRICS: [(&str, Unit, &str); 3] = [
    (
        "cpu_time",
        Unit::Ms,
        "CPU time the process spent, all threads, user and system, with its worker processes' (the median run's).",
    ),
    ("speedup", Unit::Ratio, "The sequential model's wall time divided by this one's, at each worker count."),
    ("efficiency", Unit::Fraction, "Speedup divided by the worker count: 1 is perfect."),
];

/// Figure `i` of [`KERNEL_METRICS`] for the CPU kernel `workload`.
pub(crate) const fn kernel_metric(workload: &'static Workload, i: usize) -> Metric {
    let (id, unit, what) = KERNEL_METRICS[i];
    Metric { workload, id, unit, what }
}

/// How a model runs a CPU-bound kernel. Each model runs the ways of its kind
/// ([`crate::ModelInfo::cpu_ways`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Way {
    /// One unit after another on the calling thread: the baseline.
    OneThread,
    /// Threads: the units cut into one contiguous range per worker, decided up front.
    StaticChunks,
    /// Threads: every worker takes the next unit from one shared queue (an atomic
    /// counter) until none is left.
    WorkQueue,
    /// rayon: `par_iter` and `join`; idle workers steal work from busy ones.
    WorkStealing,
    /// Async: one task per unit, run directly on the runtime's worker threads.
    Inline,
    /// Async: one task per unit, whose computing is handed to a pool meant for blocking
    /// work (each runtime's recommended one), the task awaiting the result.
    Offloaded,
}

impl Way {
    /// Every way, in table order.
    pub const ALL: [Way; 6] =
        [Way::OneThread, Way::StaticChunks, Way::WorkQueue, Way::WorkStealing, Way::Inline, Way::Offloaded];

    /// The way's variant id in the catalogue (the same for each kernel).
    pub fn id(self) -> &'static str {
        WAY_IDS[self.index()]
    }

    /// The way's place in [`Way::ALL`], and in each kernel's variants
    /// ([`crate::mandelbrot::MANDELBROT_WAYS`] and the others).
    pub fn index(self) -> usize {
        Way::ALL.iter().position(|&w| w == self).expect("every way is listed")
    }

    /// The way with this variant id.
    pub fn from_id(id: &str) -> Option<Way> {
        Way::ALL.into_iter().find(|w| w.id() == id)
    }
}

impl std::fmt::Display for Way {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// The worker counts of the sweep on a machine with `cores` cores: 1, then powers of two,
/// then `cores` itself. On 2 cores that is 1 and 2; on 16, 1, 2, 4, 8 and 16.
pub fn sweep(cores: usize) -> Vec<usize> {
    let mut counts: Vec<usize> =
        std::iter::successors(Some(1usize), |n| n.checked_mul(2)).take_while(|&n| n < cores).collect();
    counts.push(cores.max(1));
    counts.dedup();
    counts
}

/// How many times each (kernel, way, worker count) runs in one round of a benchmark run:
/// once. The figure is the median of the run's rounds, each in a process of its own, so a
/// slow process (the same single-threaded Mandelbrot took 505 to 712 ms in different
/// processes of one run) is one round of several rather than the whole figure.
pub const RUNS_PER_ROUND: usize = 1;

/// The worker counts measured in `profile` on a machine with `cores` cores: the whole
/// [`sweep`] in a full run; only all the cores in a quick one (its table row reads that
/// count; the sweep's chart needs the full run).
pub fn worker_counts(profile: Profile, cores: usize) -> Vec<usize> {
    match profile {
        Profile::Full | Profile::Smoke | Profile::Test => sweep(cores),
        Profile::Quick => vec![cores.max(1)],
    }
}

// ---------------------------------------------------------------------------------------
// What each kernel declares: every way of the model at every worker count.

/// A CPU kernel's declarations ([`Spec`]), the same for the three but for their ids:
/// [`crate::mandelbrot::DECLARED`] and the others.
#[derive(Debug)]
pub struct Declared {
    /// The kernel's ids.
    pub ids: &'static Ids,
    /// Its variants, one per way in [`Way::index`] order.
    pub ways: &'static [Variant; 6],
    /// The figures a point records: the wall time, and the speedup derived from it.
    pub figures: &'static [&'static Metric],
}

impl Declared {
    /// The kernel's variant for `way`.
    pub fn variant(&self, way: Way) -> &'static Variant {
        &self.ways[way.index()]
    }

    /// Its four figures, in the order its `IDS` lists them: wall time, CPU time, speedup,
    /// efficiency.
    pub fn metrics(&self) -> [&'static Metric; 4] {
        self.ids.metrics.try_into().expect("a kernel's IDS lists its four figures")
    }
}

impl Spec for Declared {
    fn ids(&self) -> &'static Ids {
        self.ids
    }

    /// The worker counts of the sweep; one for a model that has no workers.
    fn sizes(&self, profile: Profile, model: &ModelInfo) -> Vec<(usize, Verdict)> {
        let counts = if model.kind == Kind::Sequential {
            vec![1]
        } else {
            worker_counts(profile, crate::workers::worker_threads().unwrap_or(1))
        };
        counts.into_iter().map(|n| (n, Ok(()))).collect()
    }

    /// Every way of the model at every worker count; the size of a point is its worker count.
    fn points(&self, profile: Profile, model: &ModelInfo) -> Vec<(Option<&'static Variant>, usize, Verdict)> {
        let mut points = Vec::new();
        for &way in model.cpu_ways() {
            for (n, verdict) in self.sizes(profile, model) {
                points.push((Some(self.variant(way)), n, verdict));
            }
        }
        points
    }

    fn figures(&self) -> &'static [&'static Metric] {
        self.figures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each kernel's four figures come in the order [`Declared::metrics`] promises: its wall
    /// time, then the three it shares with the other kernels.
    #[test]
    fn kernel_metrics_are_in_order() {
        for declared in
            [&crate::mandelbrot::DECLARED, &crate::merge_sort::DECLARED, &crate::hashing::DECLARED]
        {
            let [wall, rest @ ..] = declared.metrics();
            assert_eq!((wall.workload, wall.unit), (declared.ids.workload, Unit::Ms));
            let ids: Vec<&str> = rest.iter().map(|m| m.id).collect();
            let shared: Vec<&str> = KERNEL_METRICS.iter().map(|(id, ..)| *id).collect();
            assert_eq!(ids, shared, "{}", declared.ids.workload.id);
            assert_eq!(declared.figures, [wall, rest[1]], "{}", declared.ids.workload.id);
        }
    }

    /// The sweep starts at one worker and ends at the core count.
    #[test]
    fn sweep_covers_one_to_cores() {
        assert_eq!(sweep(1), vec![1]);
        assert_eq!(sweep(2), vec![1, 2]);
        assert_eq!(sweep(6), vec![1, 2, 4, 6]);
        assert_eq!(sweep(16), vec![1, 2, 4, 8, 16]);
    }

    /// Ids and ways round-trip.
    #[test]
    fn ids_round_trip() {
        for way in Way::ALL {
            assert_eq!(Way::from_id(way.id()), Some(way));
        }
        assert_eq!(Way::from_id("nope"), None);
    }
}
