//! W17, merge sort, on OS threads: leaves sorted in parallel, then neighbouring sorted runs
//! merged in pairs, level by level, each level's merges in parallel. Static chunks cut one
//! leaf per thread and sort them in place in one shared copy of the input; the work queue
//! cuts [`merge_sort::LEAVES`] leaves and hands them out one at a time, then does the same
//! with each level's merges.

use std::io;
use std::thread;

use workloads::merge_sort::{self, leaf};

use crate::work_queue;

/// Sorts a copy of `input`: `workers` threads each sort one leaf of it in place, then pairs
/// of neighbouring runs are merged, one thread per pair, level by level, until one run is
/// left; returns the sorted numbers.
///
/// Stresses: the levels above the leaves. Sorting the leaves is perfectly parallel (the
/// leaves are equal, and every number costs about the same), but each level above has half
/// as many merges as the one below: with 8 workers, 4 threads merge, then 2, then 1, while
/// the others wait, and the last merge alone passes over every number once (Amdahl). Each
/// level must also wait for the slowest merge below it before it can start.
///
/// # Errors
/// The OS refused a thread; the threads already started are joined first.
pub fn static_chunks(input: &[u64], workers: usize) -> io::Result<Vec<u64>> {
    let len = input.len();
    // One copy of the input, sorted in place, and a buffer of the same length that each
    // level merges into: the two swap roles from level to level, so the levels allocate
    // nothing.
    let mut data = input.to_vec();
    let mut scratch = vec![0u64; len];
    // The runs: run `r` is `data[bounds[r]..bounds[r + 1]]`. At first, one leaf per
    // thread, as even as whole numbers allow.
    let mut bounds: Vec<usize> = (0..workers).map(|t| leaf(len, workers, t).start).collect();
    bounds.push(len);

    // The leaves. Each thread gets its own `&mut` slice of `data`: the borrow checker
    // proves that no two threads touch the same numbers, with no lock and no further copy.
    thread::scope(|scope| {
        for run in split_at(&mut data, &bounds) {
            thread::Builder::new().spawn_scoped(scope, move || merge_sort::merge_sort(run))?;
        }
        // Leaving the scope joins every thread (and passes on a panic).
        Ok::<(), io::Error>(())
    })?;

    while bounds.len() > 2 {
        let runs = bounds.len() - 1;
        // The runs of the next level: each pair of runs becomes one; an odd run out at the
        // end is carried up as it is.
        let mut next: Vec<usize> = bounds.iter().copied().step_by(2).collect();
        if runs % 2 == 1 {
            next.push(len);
        }
        let from = &data;
        let bounds_now = &bounds;
        thread::scope(|scope| {
            for (pair, out) in split_at(&mut scratch, &next).into_iter().enumerate() {
                let (start, mid) = (bounds_now[2 * pair], bounds_now[2 * pair + 1]);
                if 2 * pair + 1 == runs {
                    // The odd run out: nothing to merge it with, so it is only copied across
                    // to the other buffer, here on the calling thread.
                    out.copy_from_slice(&from[start..mid]);
                    continue;
                }
                let end = bounds_now[2 * pair + 2];
                thread::Builder::new().spawn_scoped(scope, move || {
                    merge_sort::merge(&from[start..mid], &from[mid..end], out);
                })?;
            }
            Ok::<(), io::Error>(())
        })?;
        // The merged runs are in `scratch` now: it becomes the data of the next level.
        std::mem::swap(&mut data, &mut scratch);
        bounds = next;
    }
    Ok(data)
}

/// Sorts a copy of `input`: `workers` threads take its [`merge_sort::leaves`] leaves from a
/// shared queue, each copying and sorting its leaf; then at each level the pair-merges are
/// queued the same way, until one run is left; returns the sorted numbers.
///
/// Stresses: the same levels as [`static_chunks`], with the load balanced at each: many
/// more leaves than threads, so a thread that falls behind holds up at most one leaf. A
/// level still waits for its slowest merge, and the top levels still have fewer merges than
/// threads. Each leaf and each merge writes a new `Vec`, which the next level reads and
/// drops: more allocation than sorting in place, the price of runs that each thread owns.
///
/// # Errors
/// The OS refused a thread; the threads already started are joined first.
pub fn work_queue(input: &[u64], workers: usize) -> io::Result<Vec<u64>> {
    let len = input.len();
    let count = merge_sort::leaves(len);
    let mut runs = work_queue::collect(workers, count, |i| merge_sort::sort_leaf(input, count, i))?;
    while runs.len() > 1 {
        // An odd run out at the end has nothing to merge with: it is carried up as it is.
        let odd = if runs.len() % 2 == 1 { runs.pop() } else { None };
        let pairs = &runs;
        let mut next = work_queue::collect(workers, runs.len() / 2, |p| {
            merge_sort::merged(&pairs[2 * p], &pairs[2 * p + 1])
        })?;
        next.extend(odd);
        runs = next;
    }
    Ok(runs.pop().unwrap_or_default())
}

/// Splits `data` into the runs between consecutive `bounds` (the first is 0, the last
/// `data.len()`): one `&mut` slice each, none overlapping.
fn split_at<'a>(mut data: &'a mut [u64], bounds: &[usize]) -> Vec<&'a mut [u64]> {
    let mut runs = Vec::with_capacity(bounds.len().saturating_sub(1));
    for pair in bounds.windows(2) {
        // `take` moves the rest out of `data`, so the two halves keep the full lifetime.
        let (run, rest) = std::mem::take(&mut data).split_at_mut(pair[1] - pair[0]);
        runs.push(run);
        data = rest;
    }
    runs
}
