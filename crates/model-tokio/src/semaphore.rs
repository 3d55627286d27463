//! W11, a semaphore: N jobs, at most K at once, each holding its permit while it waits; and
//! the permit's own cost, measured by churning permits with nothing in between.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use workloads::semaphore::{ChurnOutcome, Gauge, SemaphoreOutcome};

/// Spawns `jobs` tasks at once; each takes one of `permits` permits, waits `wait` on tokio's
/// timer inside the gauge, and gives the permit back. Returns the most jobs inside at once.
///
/// Stresses: waiting, not the CPU: the run takes about ⌈N/K⌉·D, and the semaphore's work is
/// to wake the next job as each one leaves. tokio suits it, as `asyncio.Semaphore` shows:
/// a job waiting for a permit is a parked future, so N jobs cost N small tasks, not N
/// threads. [`tokio::sync::Semaphore`] is fair: permits go out in the order they were asked
/// for, so no job is passed over.
pub async fn semaphore(jobs: usize, permits: usize, wait: Duration) -> SemaphoreOutcome {
    // `Arc`: a spawned task must own what it uses (`'static`), and every job shares these.
    let semaphore = Arc::new(Semaphore::new(permits));
    let gauge = Arc::new(Gauge::new());
    // Spawn every job before awaiting any: K take a permit at once, the rest queue for one.
    let mut handles = Vec::with_capacity(jobs);
    for _ in 0..jobs {
        let (semaphore, gauge) = (Arc::clone(&semaphore), Arc::clone(&gauge));
        handles.push(tokio::spawn(async move { job(&semaphore, &gauge, Some(wait)).await }));
    }
    let mut ran = 0;
    for handle in handles {
        handle.await.expect("a job panicked");
        ran += 1;
    }
    SemaphoreOutcome { jobs: ran, most_at_once: gauge.most(), inside_after: gauge.inside() }
}

/// Spawns `workers` tasks that each take and give back one of `permits` permits `rounds`
/// times, with nothing but the gauge in between. Returns the pairs done and the most
/// holders at once.
///
/// Stresses: the semaphore's own price: a compare-and-swap to take a permit, a short lock of
/// its wait queue to give it back (tokio hands a returned permit straight to the first
/// waiter, which is what makes it fair), and a wake-up when a task is parked waiting. Only tasks being polled can
/// contend, so at most one per worker thread: on the current-thread runtime one permit is
/// held at a time and nobody waits (the figure is the uncontended price); on the
/// multi-thread runtime the worker threads contend for real. `acquire` counts against
/// tokio's cooperative budget, so a task that always finds a free permit still yields now
/// and then rather than hog its thread.
pub async fn permit_churn(workers: usize, permits: usize, rounds: usize) -> ChurnOutcome {
    let semaphore = Arc::new(Semaphore::new(permits));
    let gauge = Arc::new(Gauge::new());
    let mut handles = Vec::with_capacity(workers);
    for _ in 0..workers {
        let (semaphore, gauge) = (Arc::clone(&semaphore), Arc::clone(&gauge));
        handles.push(tokio::spawn(async move {
            for _ in 0..rounds {
                job(&semaphore, &gauge, None).await;
            }
            rounds
        }));
    }
    let mut pairs = 0;
    for handle in handles {
        pairs += handle.await.expect("a churning task panicked");
    }
    ChurnOutcome { pairs, most_at_once: gauge.most() }
}

/// One job: take a permit, enter the gauge, wait on tokio's timer if given a `wait`, leave,
/// and give the permit back.
async fn job(semaphore: &Semaphore, gauge: &Gauge, wait: Option<Duration>) {
    // `acquire` parks the task until a permit is free (Err only if the semaphore is closed,
    // which nothing here does); the permit it returns gives itself back when dropped, so no
    // path (an early return, a panic) can leak one.
    let permit = semaphore.acquire().await.expect("the semaphore is never closed");
    gauge.enter();
    if let Some(wait) = wait {
        // `tokio::time::sleep`, never `std::thread::sleep`: the job parks as a timer entry,
        // and its worker thread runs the other jobs meanwhile.
        tokio::time::sleep(wait).await;
    }
    gauge.leave();
    // Explicit, to show the order: leave the gauge, then give the permit back (which wakes
    // the first job in the queue).
    drop(permit);
}
