//! W19, the blocking pitfall: a heartbeat and a stream of light requests share the runtime
//! with tasks that make blocking calls, made inline (the pitfall) or handed to a pool of
//! threads (the fix).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rayon::ThreadPool;
use tokio::task::{JoinHandle, yield_now};
use tokio::time::{sleep, sleep_until};
use workloads::stall::{Blocker, Placement, Stall, StallOutcome, block};

use crate::offload;

/// Where the light requests' latencies go, one per request, from every request's task.
type Latencies = Arc<Mutex<Vec<Duration>>>;

/// Runs the heartbeat, the requests and `stall.blockers` blocking tasks on the runtime,
/// and returns what the heartbeat and the requests saw.
///
/// Stresses: the runtime's threads. There are as many blocking tasks as threads, so made
/// inline the calls occupy every thread at once and nothing else runs until one of them
/// yields: the heartbeat wakes late and the requests wait, by most of a call. Tasks are
/// cooperative: tokio cannot take a thread back from a task that does not `.await`, and no
/// thread is left to drive the timers meanwhile. Offloaded, the calls run on other threads
/// and the runtime's threads stay free. On the current-thread runtime (tokio-ct) the same
/// code is the one-thread case: one blocking task stops everything.
pub async fn blocking_stall(stall: Stall, cpu: Arc<ThreadPool>) -> StallOutcome {
    let start = Instant::now();
    let latencies = Latencies::default();
    let heartbeat = tokio::spawn(heartbeat(stall));
    // Every task is spawned: `tokio::spawn` puts it on the runtime that runs this future.
    let requests = tokio::spawn(requests(stall, start, Arc::clone(&latencies)));
    let blockers: Vec<_> =
        (0..stall.blockers).map(|_| tokio::spawn(blocker(stall, Arc::clone(&cpu)))).collect();
    join(heartbeat, requests, blockers, latencies).await
}

/// Joins every task and gathers the outcome.
async fn join(
    heartbeat: JoinHandle<Vec<Duration>>,
    requests: JoinHandle<()>,
    blockers: Vec<JoinHandle<usize>>,
    latencies: Latencies,
) -> StallOutcome {
    // A tokio `JoinHandle` yields `Err` if its task panicked.
    let heartbeat = heartbeat.await.expect("the heartbeat panicked");
    requests.await.expect("the requests' task panicked");
    let mut calls = 0;
    for blocker in blockers {
        calls += blocker.await.expect("a blocking task panicked");
    }
    let requests = std::mem::take(&mut *latencies.lock().expect("a task panicked holding the lock"));
    StallOutcome { heartbeat, requests, calls }
}

/// The heartbeat: sleeps one tick at a time and notes how late each wake-up came, past the
/// tick. A timer firing is not enough: the task must also be polled, which needs a free
/// worker thread.
async fn heartbeat(stall: Stall) -> Vec<Duration> {
    let mut late = Vec::with_capacity(stall.ticks);
    for _ in 0..stall.ticks {
        let asleep = Instant::now();
        sleep(stall.tick).await;
        late.push(asleep.elapsed().saturating_sub(stall.tick));
    }
    late
}

/// The light requests: one each tick, on a fixed schedule, each a task of its own; returns
/// once every request's task is done.
async fn requests(stall: Stall, start: Instant, latencies: Latencies) {
    let mut answers = Vec::with_capacity(stall.ticks);
    for i in 0..stall.ticks {
        let due = stall.request_due(start, i);
        // `sleep_until` wakes at the due time itself, so a late wake-up does not push the
        // later requests back: the schedule is fixed, as a client's would be.
        sleep_until(due.into()).await;
        answers.push(tokio::spawn(answer(due, Arc::clone(&latencies))));
    }
    // Every request is awaited, so that its latency is in before the outcome is read.
    for answer in answers {
        answer.await.expect("a request's task panicked");
    }
}

/// One light request: notes its latency, from when it was due (so a sender held up by the
/// stall cannot hide it).
async fn answer(due: Instant, latencies: Latencies) {
    latencies.lock().expect("a task panicked holding the lock").push(due.elapsed());
}

/// One blocking task: after the lead, makes `stall.calls` blocking calls, yielding to the
/// runtime after each; returns how many it made.
async fn blocker(stall: Stall, cpu: Arc<ThreadPool>) -> usize {
    sleep(stall.lead).await;
    let mut calls = 0;
    for _ in 0..stall.calls {
        match (stall.placement, stall.blocker) {
            // The pitfall: the call runs in the task, on the worker thread, which runs
            // nothing else until it returns.
            (Placement::Inline, blocker) => {
                block(blocker, stall.block_for);
            }
            // The fix for a computation: the CPU pool, sized to the cores. `spawn_blocking`
            // would work too, but its pool grows to 512 threads, so a burst of computations
            // there would run on far more threads than cores, all fighting for them.
            (Placement::Offloaded, Blocker::Cpu) => {
                offload(&cpu, move || block(Blocker::Cpu, stall.block_for)).await;
            }
            // The fix for a call that waits (a sleep, like blocking I/O): `spawn_blocking`,
            // whose pool may grow because a waiting thread costs no CPU, and which keeps
            // waiting calls off the CPU pool's threads.
            (Placement::Offloaded, Blocker::Sleep) => {
                tokio::task::spawn_blocking(move || block(Blocker::Sleep, stall.block_for))
                    .await
                    .expect("a blocking call panicked");
            }
        }
        calls += 1;
        // Between calls the other tasks get their turn: the stall lasts one call, not all.
        yield_now().await;
    }
    calls
}
