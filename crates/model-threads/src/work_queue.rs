//! The work queue the CPU kernels share: `workers` scoped threads that each take the next
//! unit from one shared counter until none is left. A thread that drew cheap units simply
//! comes back for more, so every thread stays busy until the last units are handed out.
//! The price is one atomic `fetch_add` per unit (nanoseconds, next to a unit's tens of
//! microseconds or more), and the counter's cache line passing between cores.

use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

/// Runs `unit(i)` for every `i` in `0..units` on the queue's threads and returns the
/// wrapping sum of the results (a sum the order does not change).
///
/// # Errors
/// The OS refused a thread; the threads already started are joined first.
pub fn sum(workers: usize, units: usize, unit: impl Fn(usize) -> u64 + Sync) -> io::Result<u64> {
    let sums = each_thread(workers, units, || 0u64, |sum, i| *sum = sum.wrapping_add(unit(i)))?;
    Ok(sums.into_iter().fold(0, u64::wrapping_add))
}

/// Runs `unit(i)` for every `i` in `0..units` on the queue's threads and returns the
/// results in index order, whichever thread computed each.
///
/// # Errors
/// The OS refused a thread; the threads already started are joined first.
pub fn collect<T: Send>(
    workers: usize,
    units: usize,
    unit: impl Fn(usize) -> T + Sync,
) -> io::Result<Vec<T>> {
    // Each thread keeps what it did, with the index: no shared results, so no lock.
    let done = each_thread(workers, units, Vec::new, |done, i| done.push((i, unit(i))))?;
    let mut slots: Vec<Option<T>> = std::iter::repeat_with(|| None).take(units).collect();
    for (i, result) in done.into_iter().flatten() {
        slots[i] = Some(result);
    }
    Ok(slots.into_iter().map(|slot| slot.expect("the queue hands out every index once")).collect())
}

/// The queue itself: starts `workers` threads (no more than there are units), each with its
/// own accumulator from `start`, taking the next index from the shared counter and folding
/// it in with `step` until the indices run out; returns every thread's accumulator, through
/// its join.
///
/// # Errors
/// The OS refused a thread; the threads already started are joined first.
pub fn each_thread<A: Send>(
    workers: usize,
    units: usize,
    start: impl Fn() -> A + Sync,
    step: impl Fn(&mut A, usize) + Sync,
) -> io::Result<Vec<A>> {
    // The queue: the index of the next unit nobody has taken yet.
    let next = AtomicUsize::new(0);
    let (next, start, step) = (&next, &start, &step);
    thread::scope(|scope| {
        let threads = workers.min(units).max(1);
        let mut handles = Vec::with_capacity(threads);
        for _ in 0..threads {
            // `Builder::spawn_scoped` returns the OS's refusal as an error; `spawn` would panic.
            handles.push(thread::Builder::new().spawn_scoped(scope, move || {
                let mut mine = start();
                loop {
                    // `Relaxed` is enough: `fetch_add` still hands every index out exactly
                    // once, and the results reach the caller through the joins, which
                    // synchronize on their own.
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= units {
                        return mine;
                    }
                    step(&mut mine, i);
                }
            })?);
        }
        Ok(handles.into_iter().map(|h| h.join().expect("a worker panicked")).collect())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every unit runs once, on at most `workers` threads, and `collect` keeps index order.
    #[test]
    fn every_unit_once_in_order() {
        let squares = collect(3, 100, |i| i * i).unwrap();
        assert_eq!(squares, (0..100).map(|i| i * i).collect::<Vec<_>>());
        assert_eq!(sum(4, 10, |i| i as u64).unwrap(), 45);
        assert_eq!(sum(2, 0, |i| i as u64).unwrap(), 0, "no units: nothing to add");
        let counts = each_thread(8, 3, || 0usize, |n, _| *n += 1).unwrap();
        assert!(counts.len() <= 3, "no more threads than units");
        assert_eq!(counts.iter().sum::<usize>(), 3);
    }
}
