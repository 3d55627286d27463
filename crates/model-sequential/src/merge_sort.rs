//! W17, merge sort, on one thread: the plain sequential sort of the whole input, the
//! baseline every parallel sort is measured against.

use workloads::merge_sort;

/// Sorts a copy of `input` with the one sequential [`merge_sort::merge_sort`].
///
/// Stresses: one core and memory bandwidth, nothing else. The sort is bottom-up, merges
/// all the way down, so it does the same work as a parallel sort of the same numbers, one
/// pass over every number per level; the parallel ways share those passes out between
/// workers (all but the last few, which have fewer merges than workers) and pay with the
/// copies into leaves and runs that this one does not make.
pub fn one_thread(input: &[u64]) -> Vec<u64> {
    let mut v = input.to_vec();
    merge_sort::merge_sort(&mut v);
    v
}
