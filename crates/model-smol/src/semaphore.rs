//! W11, a semaphore: N jobs, at most K at once, each holding its permit while it waits; and
//! the permit's own cost, measured by churning permits with nothing in between.

use std::sync::Arc;
use std::time::Duration;

use smol::lock::Semaphore;
use smol::{Executor, Timer};
use workloads::semaphore::{ChurnOutcome, Gauge, SemaphoreOutcome};

/// Spawns `jobs` tasks at once; each takes one of `permits` permits, waits `wait` on a timer
/// inside the gauge, and gives the permit back. Returns the most jobs inside at once.
///
/// Stresses: waiting, not the CPU: the run takes about ⌈N/K⌉·D, and the semaphore's work is
/// to wake the next job as each one leaves. Async suits it, as `asyncio.Semaphore` shows:
/// a job waiting for a permit is a parked future, so N jobs cost N small tasks, not N
/// threads. smol's semaphore is `async-lock`'s, re-exported as `smol::lock`.
pub async fn semaphore(
    executor: &Executor<'static>,
    jobs: usize,
    permits: usize,
    wait: Duration,
) -> SemaphoreOutcome {
    let semaphore = Arc::new(Semaphore::new(permits));
    let gauge = Arc::new(Gauge::new());
    // Spawn every job before awaiting any: K take a permit at once, the rest queue for one.
    let mut handles = Vec::with_capacity(jobs);
    for _ in 0..jobs {
        let (semaphore, gauge) = (Arc::clone(&semaphore), Arc::clone(&gauge));
        handles.push(executor.spawn(async move { job(&semaphore, &gauge, Some(wait)).await }));
    }
    let mut ran = 0;
    for handle in handles {
        handle.await;
        ran += 1;
    }
    SemaphoreOutcome { jobs: ran, most_at_once: gauge.most(), inside_after: gauge.inside() }
}

/// Spawns `workers` tasks that each take and give back one of `permits` permits `rounds`
/// times, with nothing but the gauge in between. Returns the pairs done and the most
/// holders at once.
///
/// Stresses: the semaphore's own price: a compare-and-swap to take a permit, an add and a
/// notification to give it back, and a wake-up when a task is parked waiting for one. Only
/// tasks being polled can contend, so at most one per executor thread: with no more threads
/// than permits an acquire always finds a permit free and completes without yielding, and
/// a task runs all its rounds in one poll. That is the cooperative model's own answer to
/// churn, not a flaw of the measurement.
pub async fn permit_churn(
    executor: &Executor<'static>,
    workers: usize,
    permits: usize,
    rounds: usize,
) -> ChurnOutcome {
    let semaphore = Arc::new(Semaphore::new(permits));
    let gauge = Arc::new(Gauge::new());
    let mut handles = Vec::with_capacity(workers);
    for _ in 0..workers {
        let (semaphore, gauge) = (Arc::clone(&semaphore), Arc::clone(&gauge));
        handles.push(executor.spawn(async move {
            for _ in 0..rounds {
                job(&semaphore, &gauge, None).await;
            }
            rounds
        }));
    }
    let mut pairs = 0;
    for handle in handles {
        pairs += handle.await;
    }
    ChurnOutcome { pairs, most_at_once: gauge.most() }
}

/// One job: take a permit, enter the gauge, wait on a timer if given a `wait`, leave, and
/// give the permit back.
async fn job(semaphore: &Semaphore, gauge: &Gauge, wait: Option<Duration>) {
    // `acquire` parks the task until a permit is free; the guard it returns gives the permit
    // back when dropped, so no path (an early return, a panic) can leak one.
    let permit = semaphore.acquire().await;
    gauge.enter();
    if let Some(wait) = wait {
        // The runtime's timer: the job parks, and its executor thread runs other tasks.
        Timer::after(wait).await;
    }
    gauge.leave();
    drop(permit);
}
