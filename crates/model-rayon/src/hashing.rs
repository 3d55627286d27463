//! W18, hashing, on a rayon pool: the blocks as a parallel iterator, as Mandelbrot's rows.

use rayon::prelude::*;
use workloads::hashing::Blocks;

/// Sums the hash of every block on the current pool, with `into_par_iter` and `reduce`.
///
/// Stresses: the overhead of work stealing where nothing needs balancing: every block
/// costs the same, so the first even split is nearly right, and what rayon adds over a
/// fixed cut is the splitting itself and the occasional steal. A worker slowed by the OS
/// still loses only the blocks the others can steal from it.
pub fn work_stealing(blocks: &Blocks) -> u64 {
    (0..blocks.count()).into_par_iter().map(|i| blocks.hash(i)).reduce(|| 0, u64::wrapping_add)
}
