//! W17, merge sort: sort the leaves of the input in tasks, then merge neighbouring runs in
//! pairs, a task per merge, level by level until one run is left.

use std::sync::Arc;

use rayon::ThreadPool;
use tokio::task::JoinHandle;
use workloads::merge_sort::{leaves, merge_up, merged, sort_leaf};

use crate::offload;

/// Sorts a copy of `input`: one task per leaf sorts it, then one task per pair of
/// neighbouring runs merges them, every task computing on the runtime's threads.
///
/// Stresses: the last levels. There are [`workloads::merge_sort::LEAVES`] leaves, many
/// more than threads, so the executor balances them; but each level has half the merges of
/// the one below, and the last merge, of the whole input, runs on one thread while the
/// others wait (Amdahl). A computing task holds its thread until it returns, as in
/// [`crate::mandelbrot::inline`].
pub async fn inline(input: &Arc<[u64]>) -> Vec<u64> {
    let count = leaves(input.len());
    let sorted = (0..count)
        .map(|i| {
            let input = Arc::clone(input);
            joined(tokio::spawn(async move { sort_leaf(&input, count, i) }))
        })
        .collect();
    merge_up(sorted, |a, b| joined(tokio::spawn(async move { merged(&a, &b) }))).await
}

/// Sorts a copy of `input` in the same tasks, each handing its leaf or its merge to the CPU
/// pool ([`offload`]) and awaiting it.
///
/// Stresses: the same tree of work, plus a hand-off to the pool and a wake-up per task:
/// about a hundred here, against millions of comparisons, so it should cost next to nothing.
/// The closures must be `'static`, so each owns what it works on: the leaf task a clone of
/// the input's `Arc` (it copies its leaf into a `Vec` of its own, as every model does), the
/// merge task its two runs, moved in, not copied. The pool, and how it is sized, as in
/// [`crate::mandelbrot::offloaded`].
pub async fn offloaded(input: &Arc<[u64]>, cpu: &Arc<ThreadPool>) -> Vec<u64> {
    let count = leaves(input.len());
    let sorted = (0..count)
        .map(|i| {
            let (input, cpu) = (Arc::clone(input), Arc::clone(cpu));
            joined(tokio::spawn(async move { offload(&cpu, move || sort_leaf(&input, count, i)).await }))
        })
        .collect();
    merge_up(sorted, |a, b| {
        let cpu = Arc::clone(cpu);
        joined(tokio::spawn(async move { offload(&cpu, move || merged(&a, &b)).await }))
    })
    .await
}

/// Awaits a sorting task. A tokio `JoinHandle` yields `Err` if its task panicked, and this
/// panics in turn, so that `merge_up` awaits plain runs, as smol's and async-std's handles
/// give them.
async fn joined(task: JoinHandle<Vec<u64>>) -> Vec<u64> {
    task.await.expect("a sorting task panicked")
}
