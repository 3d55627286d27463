//! W17, merge sort, on a rayon pool: divide and conquer with `rayon::join`. The range of
//! leaves is halved, both halves are sorted in parallel, and their runs merged: the same
//! tree of pair-merges as the other models build level by level, written as the recursion
//! it is.

use std::ops::Range;

use workloads::merge_sort;

/// Sorts a copy of `input` on the current pool: its [`merge_sort::leaves`] leaves each
/// copied and sorted, and neighbouring runs merged in pairs up the tree; returns the
/// sorted numbers.
///
/// Stresses: `join`. Each call pushes its second half on the worker's own queue and works
/// on the first; an idle worker steals the pushed half, and if nobody did, the worker runs
/// it itself when the first is done, at the cost of a push and a pop. Unlike a level-by-level
/// sort, a merge starts as soon as its own two halves are done, not when the whole level
/// is. The top merges are still fewer than the workers, and the last one passes over every
/// number on one thread (Amdahl).
pub fn work_stealing(input: &[u64]) -> Vec<u64> {
    let count = merge_sort::leaves(input.len());
    sort_leaves(input, count, 0..count)
}

/// Sorts leaves `leaves` of the `count` leaves of `input` into one run.
fn sort_leaves(input: &[u64], count: usize, leaves: Range<usize>) -> Vec<u64> {
    if leaves.len() <= 1 {
        // A leaf: its numbers copied into a run of its own, and sorted by the one
        // sequential sort.
        return merge_sort::sort_leaf(input, count, leaves.start);
    }
    // Halves of a power of two (64 leaves) are the pairs of the level-by-level tree.
    let mid = leaves.start + leaves.len() / 2;
    // Both halves may run at once: the second is offered to thieves while this worker
    // sorts the first. `join` returns only when both are done, so they may borrow `input`.
    let (left, right) = rayon::join(
        || sort_leaves(input, count, leaves.start..mid),
        || sort_leaves(input, count, mid..leaves.end),
    );
    merge_sort::merged(&left, &right)
}
