//! W18, hashing: one task per 64 KiB block, every block the same cost. Two ways: each task
//! hashes its block itself, on the runtime's worker thread, or hands it to the CPU pool and
//! awaits it. With nothing to balance, what differs is each way's overhead per unit.

use std::sync::Arc;

use rayon::ThreadPool;
use tokio::task::JoinSet;
use workloads::hashing::Blocks;

use crate::offload;

/// One task per block, each hashing its block right in the task; returns the wrapping sum.
///
/// Stresses: a spawn and a join per block, against a block's hashing (tens of microseconds),
/// so the overhead is small. A task that hashes holds its worker thread until the hash is
/// done; on the current-thread runtime that means one block after another.
pub async fn inline(blocks: Arc<Blocks>) -> u64 {
    // Spawned from a task, not from `block_on`'s future, for the reason given in
    // `mandelbrot::inline`: the blocks' tasks then start in a worker's own queue.
    tokio::spawn(async move {
        let mut hashes = JoinSet::new();
        for i in 0..blocks.count() {
            // An `Arc` of the data per task: the tasks are `'static`, and cloning an `Arc`
            // costs a counter increment, not a copy of the blocks.
            let blocks = Arc::clone(&blocks);
            hashes.spawn(async move { blocks.hash(i) });
        }
        sum(hashes).await
    })
    .await
    .expect("the spawning task panicked")
}

/// One task per block, each handing its block to the CPU pool and awaiting the hash;
/// returns the wrapping sum.
///
/// Stresses: the hand-off's cost, two per block (to the pool, and back through a
/// `oneshot`), against the same work as `inline`: the gap between the two ways is the price
/// of keeping the runtime's threads free.
pub async fn offloaded(blocks: Arc<Blocks>, cpu: Arc<ThreadPool>) -> u64 {
    tokio::spawn(async move {
        let mut hashes = JoinSet::new();
        for i in 0..blocks.count() {
            let (blocks, cpu) = (Arc::clone(&blocks), Arc::clone(&cpu));
            hashes.spawn(async move { offload(&cpu, move || blocks.hash(i)).await });
        }
        sum(hashes).await
    })
    .await
    .expect("the spawning task panicked")
}

/// Joins every block's task, in whatever order they finish, and sums the hashes (a
/// wrapping sum, which the order does not change).
async fn sum(mut hashes: JoinSet<u64>) -> u64 {
    let mut total = 0u64;
    while let Some(hash) = hashes.join_next().await {
        total = total.wrapping_add(hash.expect("a block's task panicked"));
    }
    total
}
