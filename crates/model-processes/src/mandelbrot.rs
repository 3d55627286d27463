//! W16, Mandelbrot, on worker processes: the rows shared out between `workers` processes,
//! either cut up front into one contiguous range per process (static chunks) or handed out
//! one row at a time by the parent to whichever worker answers next (a work queue, the
//! multiprocessing `Pool`'s `imap`). The processes share no memory, so each is *told* the
//! image over its stdin pipe (three numbers and the rows to draw: a few bytes) and answers
//! with its rows' sum over its stdout: the data to move is tiny beside the work, which is
//! the case processes suit.
//!
//! [`pool`], the worker pool the three kernels (W16–W18) share, lives here too: how the
//! parent starts the workers, feeds each its requests and reads its answers, and makes sure
//! none outlives the call.

use std::process::ExitCode;
use std::sync::Arc;

use workloads::NotRun;
use workloads::cpu::Way;
use workloads::mandelbrot::Mandelbrot;
use workloads::merge_sort::leaf;

use crate::pool::{self, Pool, Reply, Request, word};
use crate::worker::Role;

/// The worker role: sum the rows it is asked for, one request after another.
const ROWS: &str = "mandelbrot-rows";

/// The worker roles this module's child code runs.
pub(crate) const ROLES: &[Role] = &[(ROWS, rows)];

/// W16 the `way` way on `workers` processes; returns the wrapping sum of every row.
///
/// # Errors
/// [`NotRun::Cannot`] for a way that is not the model's; otherwise the OS refused a
/// process, or a worker died mid-task.
pub fn mandelbrot(image: &Arc<Mandelbrot>, way: Way, workers: usize) -> Result<u64, NotRun> {
    match way {
        Way::StaticChunks => static_chunks(image, workers),
        Way::WorkQueue => work_queue(image, workers),
        _ => Err(NotRun::Cannot),
    }
}

/// Starts `workers` processes and sends each one contiguous range of rows decided before
/// any starts; returns the wrapping sum of every row.
///
/// Stresses: load balance, and it fails it, as the threads' static chunks do: the rows are
/// uneven (the middle row costs over a hundred times an edge row), so the processes given
/// the edges finish early and sit idle while the ones given the middle work on. On top of
/// that, each process costs a start (an `exec`, the loader, a fresh heap: about a
/// millisecond here) and two pipe messages; nothing else crosses between them.
///
/// # Errors
/// The OS refused a process, or a worker died mid-task.
pub fn static_chunks(image: &Mandelbrot, workers: usize) -> Result<u64, NotRun> {
    let mut pool = Pool::start(ROWS, workers)?;
    // The same even cut as the threads': `workers` contiguous ranges, in order, one each.
    let replies = pool.scatter((0..workers).map(|t| rows_request(image, leaf(image.height, workers, t))))?;
    pool.finish()?;
    Ok(replies.iter().map(|r| r.value).fold(0, u64::wrapping_add))
}

/// Starts `workers` processes; the parent sends each the next row as soon as it answers the
/// previous one, until none is left; returns the wrapping sum of every row.
///
/// Stresses: the queue, and balances the load: a process that drew cheap edge rows comes
/// back for more sooner. The price is a round trip per row instead of the threads' atomic
/// add: the parent (the worker's feeder thread) writes the row's number into the worker's
/// pipe, the worker wakes, draws the row, writes its sum back, and the feeder wakes to read
/// it and send the next (tens of microseconds, next to a row's microseconds to a
/// millisecond). Python's `Pool.imap` with
/// `chunksize=1` pays the same, which is why it has a `chunksize`.
///
/// # Errors
/// The OS refused a process, or a worker died mid-task.
pub fn work_queue(image: &Mandelbrot, workers: usize) -> Result<u64, NotRun> {
    // No more processes than rows: an idle process would cost a start for nothing.
    let mut pool = Pool::start(ROWS, workers.min(image.height).max(1))?;
    let replies = pool.queue(image.height, |y| rows_request(image, y..y + 1))?;
    pool.finish()?;
    Ok(replies.iter().map(|r| r.value).fold(0, u64::wrapping_add))
}

/// The request for `rows` of `image`: one line, the image's three numbers and the range.
/// The worker rebuilds the image from them: a few bytes stand for the whole input.
fn rows_request(image: &Mandelbrot, rows: std::ops::Range<usize>) -> Request<'static> {
    Request::line(format!(
        "{} {} {} {} {}",
        image.width, image.height, image.max_iterations, rows.start, rows.end
    ))
}

/// The worker process: for each request, the wrapping sum of its rows.
fn rows(_args: &[String]) -> ExitCode {
    pool::serve(ROWS, |words, _input| {
        let image = Mandelbrot {
            width: word(words, 0, "width")?,
            height: word(words, 1, "height")?,
            max_iterations: word(words, 2, "iterations")?,
        };
        let (first, end): (usize, usize) = (word(words, 3, "first row")?, word(words, 4, "end row")?);
        let sum = (first..end).fold(0u64, |sum, y| sum.wrapping_add(image.row(y)));
        Ok(Reply { value: sum, numbers: Vec::new() })
    })
}
