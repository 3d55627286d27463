//! W17, merge sort: one task per leaf (copied out of the input and sorted), then one task
//! per merge of two neighbouring runs, level by level, until one run is left. The two ways
//! share that tree; they differ only in who computes a unit: the task itself, on the
//! runtime's worker thread, or the CPU pool while the task awaits it.

use std::sync::Arc;

use rayon::ThreadPool;
use tokio::task::JoinHandle;
use workloads::merge_sort::{self, leaf, leaves, merged};

use crate::offload;

/// One unit of the sort, owning its data: a leaf to copy and sort, or two runs to merge.
/// Boxed so that both kinds are one type, which either way can spawn.
type Unit = Box<dyn FnOnce() -> Vec<u64> + Send>;

/// Sorts a copy of `input`, every leaf and every merge computed right in its own task.
///
/// Stresses: the last levels. There are [`merge_sort::LEAVES`] leaves to share among the
/// workers, but the top merge is one task, a single pass over all the numbers on one
/// thread: that bounds the speedup (Amdahl), in every model. On the current-thread runtime
/// every unit runs on the one thread, one after another.
pub async fn inline(input: Arc<[u64]>) -> Vec<u64> {
    // From a task, not from `block_on`'s future: see `mandelbrot::inline`.
    tokio::spawn(sort(input, |unit: Unit| tokio::spawn(async move { unit() })))
        .await
        .expect("the sorting task panicked")
}

/// Sorts a copy of `input`, every leaf and every merge handed by its task to the CPU pool
/// and awaited.
///
/// Stresses: the same tree as `inline`, plus two hand-offs per unit, which are few here
/// (127 units for 64 leaves) and large, so their cost hardly shows. The runtime's threads
/// only await; the pool's `workers` threads sort.
pub async fn offloaded(input: Arc<[u64]>, cpu: Arc<ThreadPool>) -> Vec<u64> {
    let spawn = move |unit: Unit| {
        let cpu = Arc::clone(&cpu);
        tokio::spawn(async move { offload(&cpu, unit).await })
    };
    tokio::spawn(sort(input, spawn)).await.expect("the sorting task panicked")
}

/// The tree both ways share: spawns one unit per leaf, then merges neighbouring runs in
/// pairs, one level at a time, each merge a unit of its own. `spawn` decides who computes
/// a unit.
///
/// Every unit owns its data, because a task (and a pool job) must be `'static`: a leaf holds
/// an `Arc` of the input and copies its range out when it runs (so the copying happens in
/// parallel, on the thread that sorts), and a merge is given its two runs by value (moving
/// a `Vec` moves its pointer, not its numbers). The one cost of owning is that each merge
/// writes a new `Vec`, as the sequential sort writes its scratch buffer.
async fn sort(input: Arc<[u64]>, spawn: impl Fn(Unit) -> JoinHandle<Vec<u64>>) -> Vec<u64> {
    let len = input.len();
    let count = leaves(len);
    let sorting: Vec<_> = (0..count)
        .map(|i| {
            let input = Arc::clone(&input);
            spawn(Box::new(move || {
                let mut run = input[leaf(len, count, i)].to_vec();
                merge_sort::merge_sort(&mut run);
                run
            }))
        })
        .collect();
    let mut runs = in_order(sorting).await;

    while runs.len() > 1 {
        // An odd run out waits for the next level unchanged, still last in order.
        let carried = if runs.len() % 2 == 1 { runs.pop() } else { None };
        let mut pairs = runs.into_iter();
        let mut merging = Vec::new();
        while let (Some(left), Some(right)) = (pairs.next(), pairs.next()) {
            merging.push(spawn(Box::new(move || merged(&left, &right))));
        }
        // A level is done when all its merges are: the next level's pairs need them all.
        runs = in_order(merging).await;
        runs.extend(carried);
    }
    runs.pop().unwrap_or_default()
}

/// Joins the tasks in the order they were spawned (not the order they finish: runs must
/// stay in the input's order for neighbours to be merged), and returns their runs.
async fn in_order(tasks: Vec<JoinHandle<Vec<u64>>>) -> Vec<Vec<u64>> {
    let mut runs = Vec::with_capacity(tasks.len());
    for task in tasks {
        runs.push(task.await.expect("a sorting task panicked"));
    }
    runs
}
