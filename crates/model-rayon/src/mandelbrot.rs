//! W16, Mandelbrot, on a rayon pool: the rows as a parallel iterator. Nobody decides up
//! front who draws which rows: idle workers steal them from busy ones, so the uneven rows
//! balance themselves.

use rayon::prelude::*;
use workloads::mandelbrot::Mandelbrot;

/// Sums every row of `image` on the current pool, with `into_par_iter` and `reduce`.
///
/// Stresses: work stealing on uneven units. The range of rows is split in halves, and the
/// halves again, as workers ask for work: a worker that finishes the cheap edge rows takes
/// half of what a busy one has left, so the costly middle rows end up spread over every
/// worker, as with the threads model's queue, but with no shared counter that every worker
/// touches for every row. The partial sums are combined pairwise as the halves finish, so
/// there is no shared total either. (`reduce` starts each part from `0`, and the wrapping
/// sum does not care in which order the rows are added.)
pub fn work_stealing(image: &Mandelbrot) -> u64 {
    (0..image.height).into_par_iter().map(|y| image.row(y)).reduce(|| 0, u64::wrapping_add)
}
