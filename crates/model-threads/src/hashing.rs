//! W18, hashing, on OS threads: the blocks shared out between `workers` scoped threads, cut
//! up front into one contiguous range per thread (static chunks) or taken one at a time from
//! a shared counter (a work queue), as Mandelbrot's rows are. The threads borrow the blocks:
//! nothing is copied.

use std::io;
use std::thread;

use workloads::hashing::Blocks;
use workloads::merge_sort::leaf;

use crate::work_queue;

/// Starts `workers` threads, each hashing one contiguous range of blocks decided before any
/// starts; returns the wrapping sum of every block's hash.
///
/// Stresses: load balance where there seems to be nothing to balance. Every block costs the
/// same, yet the ranges still need not finish together: when the count does not divide
/// (16 blocks over 3 threads is 5, 5 and 6), the longest range sets the time; and the
/// threads do not run at the same speed: one that the OS preempts for another process, that
/// shares a core with a hyper-threaded sibling, or that runs on a slower core falls behind,
/// and the others, done with their own ranges, cannot take any of its blocks. The fixed cut
/// is only as fast as its slowest thread.
///
/// # Errors
/// The OS refused a thread; the threads already started are joined first.
pub fn static_chunks(blocks: &Blocks, workers: usize) -> io::Result<u64> {
    let count = blocks.count();
    thread::scope(|scope| {
        let mut handles = Vec::with_capacity(workers);
        for t in 0..workers {
            // `workers` contiguous ranges, as even as whole blocks allow, in order.
            let range = leaf(count, workers, t);
            // `Builder::spawn_scoped` returns the OS's refusal as an error; `spawn` would panic.
            handles.push(
                thread::Builder::new().spawn_scoped(scope, move || {
                    range.fold(0u64, |sum, i| sum.wrapping_add(blocks.hash(i)))
                })?,
            );
        }
        // Each thread's sum comes back through its join: no shared total, no lock.
        Ok(handles.into_iter().map(|h| h.join().expect("a worker panicked")).fold(0, u64::wrapping_add))
    })
}

/// Starts `workers` threads that each take the next block from one shared counter until
/// none is left ([`crate::work_queue`]); returns the wrapping sum of every block's hash.
///
/// Stresses: the queue's overhead, with even units: one atomic `fetch_add` per 64 KiB block
/// (nanoseconds, next to a block's tens of microseconds), for which a thread that falls
/// behind costs at most one block, since the others take the blocks it did not get to.
///
/// # Errors
/// The OS refused a thread; the threads already started are joined first.
pub fn work_queue(blocks: &Blocks, workers: usize) -> io::Result<u64> {
    work_queue::sum(workers, blocks.count(), |i| blocks.hash(i))
}
