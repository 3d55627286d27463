//! W16, Mandelbrot, on OS threads: the rows shared out between `workers` scoped threads,
//! either cut up front into one contiguous range per thread (static chunks) or taken one at
//! a time from a shared counter (a work queue). Scoped threads may borrow the image from
//! the caller's stack frame, so nothing is copied and no `Arc` is cloned.

use std::io;
use std::thread;

use workloads::mandelbrot::Mandelbrot;
use workloads::merge_sort::leaf;

use crate::work_queue;

/// Starts `workers` threads, each summing one contiguous range of rows decided before any
/// starts; returns the wrapping sum of every row.
///
/// Stresses: load balance, and it fails it. The rows are uneven: a row through the middle
/// of the set iterates to the limit at most of its pixels, while a row at the top or bottom
/// edge escapes at once (the middle row costs over a hundred times an edge row). Cut into
/// equal ranges, the threads given the edges finish early and then sit idle while the ones
/// given the middle work on, and the run lasts as long as the costliest range. With two
/// workers the halves happen to mirror each other (the image is symmetric about the real
/// axis), so the cut looks fair; with four, the two middle ranges hold over 90% of the
/// work, so the run can go at most about 2.2 times as fast as one thread, not 4; with 16,
/// about 6.5 times.
///
/// # Errors
/// The OS refused a thread; the threads already started are joined first.
pub fn static_chunks(image: &Mandelbrot, workers: usize) -> io::Result<u64> {
    thread::scope(|scope| {
        let mut handles = Vec::with_capacity(workers);
        for t in 0..workers {
            // The same even cut as the sort's leaves: `workers` contiguous ranges, in order.
            let rows = leaf(image.height, workers, t);
            // `Builder::spawn_scoped` returns the OS's refusal as an error; `spawn` would panic.
            handles.push(
                thread::Builder::new()
                    .spawn_scoped(scope, move || rows.fold(0u64, |sum, y| sum.wrapping_add(image.row(y))))?,
            );
        }
        // Each thread's sum comes back through its join: no shared total, no lock.
        Ok(handles.into_iter().map(|h| h.join().expect("a worker panicked")).fold(0, u64::wrapping_add))
    })
}

/// Starts `workers` threads that each take the next row from one shared counter until none
/// is left ([`crate::work_queue`]); returns the wrapping sum of every row.
///
/// Stresses: the queue, and balances the load. A thread that drew cheap edge rows simply
/// comes back for more, so every thread stays busy until the last rows are handed out, and
/// the run ends at most about one row's time after the ideal. The price is one atomic
/// `fetch_add` per row (nanoseconds, next to a row's microseconds to milliseconds), and the
/// counter's cache line passing between cores.
///
/// # Errors
/// The OS refused a thread; the threads already started are joined first.
pub fn work_queue(image: &Mandelbrot, workers: usize) -> io::Result<u64> {
    work_queue::sum(workers, image.height, |y| image.row(y))
}
