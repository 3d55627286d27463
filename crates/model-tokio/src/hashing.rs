//! W18, hashing: SHA-256 of many equal blocks, one task per block. Every unit costs the
//! same, so nothing needs balancing: the figure is the model's overhead per unit.

use std::sync::Arc;

use rayon::ThreadPool;
use workloads::hashing::Blocks;

use crate::offload;

/// Spawns one task per block that hashes the block itself, on the runtime's threads, and
/// sums the hashes.
///
/// Stresses: one spawn and one join per 64 KiB block, small beside the hash. Each task
/// holds its worker thread while it hashes, as in [`crate::mandelbrot::inline`].
pub async fn inline(blocks: &Arc<Blocks>) -> u64 {
    // Each task owns a clone of the `Arc` (a spawned task must be `'static`): the blocks
    // themselves are shared, never copied.
    let hashes: Vec<_> = (0..blocks.count())
        .map(|i| {
            let blocks = Arc::clone(blocks);
            tokio::spawn(async move { blocks.hash(i) })
        })
        .collect();
    let mut sum = 0u64;
    for hash in hashes {
        // A tokio `JoinHandle` yields `Err` if its task panicked.
        sum = sum.wrapping_add(hash.await.expect("a block's task panicked"));
    }
    sum
}

/// Spawns one task per block that hands the hashing to the CPU pool ([`offload`]) and
/// awaits it, and sums the hashes.
///
/// Stresses: the pool's hand-off and wake-up per block, the price of keeping the runtime's
/// threads free. The pool, and how it is sized, as in [`crate::mandelbrot::offloaded`].
pub async fn offloaded(blocks: &Arc<Blocks>, cpu: &Arc<ThreadPool>) -> u64 {
    let hashes: Vec<_> = (0..blocks.count())
        .map(|i| {
            let (blocks, cpu) = (Arc::clone(blocks), Arc::clone(cpu));
            tokio::spawn(async move { offload(&cpu, move || blocks.hash(i)).await })
        })
        .collect();
    let mut sum = 0u64;
    for hash in hashes {
        sum = sum.wrapping_add(hash.await.expect("a block's task panicked"));
    }
    sum
}
