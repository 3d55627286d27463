//! W18, hashing, one block after another: the baseline every parallel way is measured
//! against.

use workloads::hashing::Blocks;

/// Sums the hash of every block, in order, on the calling thread.
///
/// Stresses: nothing but SHA-256 itself: no thread to start, no queue, no split. What any
/// parallel way adds to its share of this time is its overhead.
pub fn one_thread(blocks: &Blocks) -> u64 {
    let mut sum = 0u64;
    for i in 0..blocks.count() {
        sum = sum.wrapping_add(blocks.hash(i));
    }
    sum
}
