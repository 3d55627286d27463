//! W18, hashing: SHA-256 of many equal blocks, one task per block. Every unit costs the
//! same, so nothing needs balancing: the figure is the model's overhead per unit.

use std::sync::Arc;

use smol::{Executor, unblock};
use workloads::hashing::Blocks;

/// Spawns one task per block that hashes the block itself, on the executor's threads, and
/// sums the hashes.
///
/// Stresses: one spawn and one join per 64 KiB block, small beside the hash. Each task
/// holds its executor thread while it hashes, as in [`crate::mandelbrot::inline`].
pub async fn inline(executor: &Executor<'static>, blocks: &Arc<Blocks>) -> u64 {
    // Each task owns a clone of the `Arc` (a spawned task must be `'static`): the blocks
    // themselves are shared, never copied.
    let hashes: Vec<_> = (0..blocks.count())
        .map(|i| {
            let blocks = Arc::clone(blocks);
            executor.spawn(async move { blocks.hash(i) })
        })
        .collect();
    let mut sum = 0u64;
    for hash in hashes {
        sum = sum.wrapping_add(hash.await);
    }
    sum
}

/// Spawns one task per block that hands the hashing to smol's pool for blocking work
/// (`smol::unblock`) and awaits it, and sums the hashes.
///
/// Stresses: the pool's hand-off and wake-up per block, the price of keeping the executor
/// threads free. The pool, and how it is sized, as in [`crate::mandelbrot::offloaded`].
pub async fn offloaded(executor: &Executor<'static>, blocks: &Arc<Blocks>) -> u64 {
    let hashes: Vec<_> = (0..blocks.count())
        .map(|i| {
            let blocks = Arc::clone(blocks);
            executor.spawn(async move { unblock(move || blocks.hash(i)).await })
        })
        .collect();
    let mut sum = 0u64;
    for hash in hashes {
        sum = sum.wrapping_add(hash.await);
    }
    sum
}
