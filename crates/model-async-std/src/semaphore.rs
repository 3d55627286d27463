//! W11, a semaphore: N jobs, at most K at once, each holding its permit while it waits; and
//! the permit's own cost, measured by churning permits with nothing in between.

use std::sync::Arc;
use std::time::Duration;

use async_std::channel::{self, Receiver, Sender};
use async_std::task;
use workloads::semaphore::{ChurnOutcome, Gauge, SemaphoreOutcome};

/// Spawns `jobs` tasks at once; each takes one of `permits` permits, waits `wait` on a timer
/// inside the gauge, and gives the permit back. Returns the most jobs inside at once.
///
/// Stresses: waiting, not the CPU: the run takes about ⌈N/K⌉·D, and the semaphore's work is
/// to wake the next job as each one leaves. Async suits it, as `asyncio.Semaphore` shows:
/// a job waiting for a permit is a parked future, so N jobs cost N small tasks, not N
/// threads. async-std has no semaphore of its own, so the permits are K tokens in a bounded
/// channel: taking one is a `recv`, giving it back a `send`.
pub async fn semaphore(jobs: usize, permits: usize, wait: Duration) -> SemaphoreOutcome {
    let permits = Arc::new(Permits::new(permits));
    let gauge = Arc::new(Gauge::new());
    // Spawn every job before awaiting any: K take a permit at once, the rest queue for one.
    let mut handles = Vec::with_capacity(jobs);
    for _ in 0..jobs {
        let (permits, gauge) = (Arc::clone(&permits), Arc::clone(&gauge));
        handles.push(task::spawn(async move { job(&permits, &gauge, Some(wait)).await }));
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
/// Stresses: the permits' own price: a receive to take a token and a send to give it back,
/// each a few atomic operations on the channel's queue, and a wake-up when a task is parked
/// waiting for one. Only tasks being polled can contend, so at most one per executor
/// thread: with no more threads than permits a token is always there, the receive completes
/// without yielding, and a task runs all its rounds in one poll. That is the cooperative
/// model's own answer to churn, not a flaw of the measurement.
pub async fn permit_churn(workers: usize, permits: usize, rounds: usize) -> ChurnOutcome {
    let permits = Arc::new(Permits::new(permits));
    let gauge = Arc::new(Gauge::new());
    let mut handles = Vec::with_capacity(workers);
    for _ in 0..workers {
        let (permits, gauge) = (Arc::clone(&permits), Arc::clone(&gauge));
        handles.push(task::spawn(async move {
            for _ in 0..rounds {
                job(&permits, &gauge, None).await;
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

/// K permits as K tokens in a channel of capacity K: taking a permit is receiving a token,
/// giving it back is sending it again.
///
/// async-std has no semaphore of its own. `async-lock`, where its `Mutex` comes from, has
/// one, but async-std does not re-export it and this crate does not depend on `async-lock`
/// directly; a bounded channel of tokens is the classic stand-in (Go's buffered-channel
/// semaphore), and it parks waiters the same way, on an event listener.
struct Permits {
    give_back: Sender<()>,
    take: Receiver<()>,
}

impl Permits {
    /// A channel holding `permits` tokens.
    fn new(permits: usize) -> Self {
        let (give_back, take) = channel::bounded(permits);
        for _ in 0..permits {
            give_back.try_send(()).expect("the channel has room for every permit");
        }
        Permits { give_back, take }
    }

    /// Takes a permit, parking the task until a token is there.
    async fn acquire(&self) {
        // Err only if the channel is closed, and `self` keeps a sender alive.
        self.take.recv().await.expect("the permits' channel stays open");
    }

    /// Gives a permit back. Unlike `async-lock`'s guard, nothing does this on drop: a job
    /// that panicked while holding a token would keep it for good.
    fn release(&self) {
        // Never waits: at most K tokens exist and the channel holds K, so there is room for
        // the one being returned.
        self.give_back.try_send(()).expect("a returned permit always has room");
    }
}

/// One job: take a permit, enter the gauge, wait on a timer if given a `wait`, leave, and
/// give the permit back.
async fn job(permits: &Permits, gauge: &Gauge, wait: Option<Duration>) {
    permits.acquire().await;
    gauge.enter();
    if let Some(wait) = wait {
        // The runtime's timer: the job parks, and its executor thread runs other tasks.
        task::sleep(wait).await;
    }
    gauge.leave();
    permits.release();
}
