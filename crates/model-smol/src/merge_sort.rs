//! W17, merge sort: sort the leaves of the input in tasks, then merge neighbouring runs in
//! pairs, a task per merge, level by level until one run is left.

use std::sync::Arc;

use smol::{Executor, unblock};
use workloads::merge_sort::{leaves, merge_up, merged, sort_leaf};

/// Sorts a copy of `input`: one task per leaf sorts it, then one task per pair of
/// neighbouring runs merges them, every task computing on the executor's threads.
///
/// Stresses: the last levels. There are [`workloads::merge_sort::LEAVES`] leaves, many
/// more than threads, so the executor balances them; but each level has half the merges of
/// the one below, and the last merge, of the whole input, runs on one thread while the
/// others wait (Amdahl). A computing task holds its thread until it returns, as in
/// [`crate::mandelbrot::inline`].
pub async fn inline(executor: &Executor<'static>, input: &Arc<[u64]>) -> Vec<u64> {
    let count = leaves(input.len());
    let sorted = (0..count)
        .map(|i| {
            let input = Arc::clone(input);
            executor.spawn(async move { sort_leaf(&input, count, i) })
        })
        .collect();
    merge_up(sorted, |a, b| executor.spawn(async move { merged(&a, &b) })).await
}

/// Sorts a copy of `input` in the same tasks, each handing its leaf or its merge to smol's
/// pool for blocking work (`smol::unblock`) and awaiting it.
///
/// Stresses: the same tree of work, plus a hand-off to the pool and a wake-up per task:
/// about a hundred here, against millions of comparisons, so it should cost next to nothing.
/// The closures must be `'static`, so each owns what it works on: the leaf task a clone of
/// the input's `Arc` (it copies its leaf into a `Vec` of its own, as every model does), the
/// merge task its two runs, moved in, not copied. The pool, and how it is sized, as in
/// [`crate::mandelbrot::offloaded`].
pub async fn offloaded(executor: &Executor<'static>, input: &Arc<[u64]>) -> Vec<u64> {
    let count = leaves(input.len());
    let sorted = (0..count)
        .map(|i| {
            let input = Arc::clone(input);
            executor.spawn(async move { unblock(move || sort_leaf(&input, count, i)).await })
        })
        .collect();
    merge_up(sorted, |a, b| executor.spawn(async move { unblock(move || merged(&a, &b)).await })).await
}
