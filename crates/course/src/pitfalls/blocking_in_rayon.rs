//! A blocking call in a rayon job ties up a worker.
//!
//! rayon's pool has one thread per core and no timers or I/O of its own: a job that sleeps
//! or waits holds its thread, and the jobs queued behind it wait too. It is the event-loop
//! pitfall again, in a thread pool (Python's `ProcessPoolExecutor` or `ThreadPoolExecutor`
//! of few workers has it too).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use std::time::Duration;

use rayon::{ThreadPool, ThreadPoolBuildError, ThreadPoolBuilder};

/// Quick jobs queued after the blocking call starts, each adding one to a counter.
const QUICK_JOBS: usize = 4;

/// A pool of one worker: the smallest machine, and every pool once all its workers block.
fn one_worker() -> Result<ThreadPool, ThreadPoolBuildError> {
    ThreadPoolBuilder::new().num_threads(1).build()
}

/// The blocking call: says it has started, sleeps `block_for`, then sends how many quick
/// jobs ran while it slept.
fn blocking_call(ran: &AtomicUsize, block_for: Duration, started: Sender<()>, during: Sender<usize>) {
    let before = ran.load(Ordering::SeqCst);
    let _ = started.send(());
    thread::sleep(block_for);
    let _ = during.send(ran.load(Ordering::SeqCst) - before);
}

/// Once the blocking call has started, queues the quick jobs on `pool`; returns how many
/// ran while it blocked.
///
/// # Panics
/// If the blocking call panicked.
fn quick_jobs_during(
    pool: &ThreadPool,
    ran: &Arc<AtomicUsize>,
    started: Receiver<()>,
    during: Receiver<usize>,
) -> usize {
    started.recv().expect("the blocking call panicked");
    for _ in 0..QUICK_JOBS {
        let ran = Arc::clone(ran);
        pool.spawn(move || {
            ran.fetch_add(1, Ordering::SeqCst);
        });
    }
    during.recv().expect("the blocking call panicked")
}

/// The pitfall: a blocking call as a job of the pool. Returns how many quick jobs, queued
/// once it had started, ran while it blocked: none, since its worker was the only one.
///
/// # Errors
/// The OS refused the pool's thread.
pub fn block_in_pool(block_for: Duration) -> Result<usize, ThreadPoolBuildError> {
    let pool = one_worker()?;
    let ran = Arc::new(AtomicUsize::new(0));
    let ((started_tx, started), (during_tx, during)) = (mpsc::channel(), mpsc::channel());
    pool.spawn({
        let ran = Arc::clone(&ran);
        move || blocking_call(&ran, block_for, started_tx, during_tx)
    });
    Ok(quick_jobs_during(&pool, &ran, started, during))
}

/// The fix: the blocking call gets a thread of its own; the pool keeps its worker for
/// computing. Returns how many quick jobs ran while it blocked: all of them, normally.
///
/// # Errors
/// The OS refused the pool's thread.
pub fn block_beside_pool(block_for: Duration) -> Result<usize, ThreadPoolBuildError> {
    let pool = one_worker()?;
    let ran = Arc::new(AtomicUsize::new(0));
    let ((started_tx, started), (during_tx, during)) = (mpsc::channel(), mpsc::channel());
    thread::spawn({
        let ran = Arc::clone(&ran);
        move || blocking_call(&ran, block_for, started_tx, during_tx)
    });
    Ok(quick_jobs_during(&pool, &ran, started, during))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLOCK: Duration = Duration::from_millis(200);

    /// Queued behind a blocking job on the pool's only worker, no quick job ran while it
    /// blocked (always: the worker was busy the whole time).
    #[test]
    fn a_blocking_job_holds_up_the_queue() {
        assert_eq!(block_in_pool(BLOCK).unwrap(), 0);
    }

    /// With the blocking call on its own thread, the quick jobs ran meanwhile (at least one
    /// within 200 ms; all four on an idle machine).
    #[test]
    fn beside_the_pool_the_jobs_run() {
        assert!(block_beside_pool(BLOCK).unwrap() >= 1);
    }
}
