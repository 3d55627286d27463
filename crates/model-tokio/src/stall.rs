//! W19, the blocking pitfall: a heartbeat task and a stream of light requests run beside
//! tasks that make blocking calls (a CPU loop or `std::thread::sleep`). Made inline, the
//! calls hold the runtime's threads and everything else waits; offloaded, they do not.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rayon::ThreadPool;
use tokio::task::{JoinSet, yield_now};
use workloads::stall::{self, Blocker, Placement, Stall, StallOutcome};

use crate::offload;

/// Runs the heartbeat, the light requests and `stall.blockers` blocking tasks, all as tasks
/// on the runtime, and returns what the heartbeat and the requests saw.
///
/// Stresses: whether the runtime's threads stay free. There are as many blocking tasks as
/// worker threads, so inline calls hold every worker at once: nothing is left to poll the
/// heartbeat or drive the timers, and both are late by most of a call. Offloaded, the
/// calls run on other threads and the heartbeat keeps its beat.
pub async fn blocking_stall(stall: Stall, cpu: Arc<ThreadPool>) -> StallOutcome {
    let start = Instant::now();
    let heartbeat = tokio::spawn(heartbeat(stall));
    let requests = tokio::spawn(requests(stall, start));
    let mut blockers = JoinSet::new();
    for _ in 0..stall.blockers {
        blockers.spawn(blocker(stall, Arc::clone(&cpu)));
    }

    let mut calls = 0;
    while let Some(made) = blockers.join_next().await {
        calls += made.expect("a blocking task panicked");
    }
    StallOutcome {
        heartbeat: heartbeat.await.expect("the heartbeat panicked"),
        requests: requests.await.expect("the requests' task panicked"),
        calls,
    }
}

/// Ticks `stall.ticks` times, each a sleep of `stall.tick` on tokio's timer, and returns how
/// late each tick woke: the time the task waited, past its sleep, for a thread to run it.
async fn heartbeat(stall: Stall) -> Vec<Duration> {
    let mut late = Vec::with_capacity(stall.ticks);
    for _ in 0..stall.ticks {
        let t = Instant::now();
        tokio::time::sleep(stall.tick).await;
        late.push(t.elapsed().saturating_sub(stall.tick));
    }
    late
}

/// Sends one light request per tick, on a fixed schedule, each a tiny task of its own that
/// notes its latency; returns the latencies, in the order the tasks ran.
async fn requests(stall: Stall, start: Instant) -> Vec<Duration> {
    // A `std::sync::Mutex`: each task holds it for one push and never across an `.await`.
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(stall.ticks)));
    let mut handled = JoinSet::new();
    for i in 0..stall.ticks {
        let due = stall.request_due(start, i);
        // `sleep_until` a fixed instant, not `sleep(tick)`: a sender that was held up
        // sends the requests it owes at once instead of shifting the whole schedule.
        tokio::time::sleep_until(due.into()).await;
        let latencies = Arc::clone(&latencies);
        handled.spawn(async move {
            // Measured from when the request was due, not when it was sent, so a stalled
            // sender cannot hide the stall (coordinated omission).
            latencies.lock().expect("no task panics holding the lock").push(due.elapsed());
        });
    }
    while let Some(done) = handled.join_next().await {
        done.expect("a request's task panicked");
    }
    let mut latencies = latencies.lock().expect("no task panics holding the lock");
    std::mem::take(&mut *latencies)
}

/// One blocking task: waits `stall.lead` (so the heartbeat has started), then makes
/// `stall.calls` blocking calls where `stall.placement` says, yielding between them; returns
/// how many it made.
async fn blocker(stall: Stall, cpu: Arc<ThreadPool>) -> usize {
    tokio::time::sleep(stall.lead).await;
    let mut calls = 0;
    for _ in 0..stall.calls {
        match (stall.placement, stall.blocker) {
            // The pitfall: the call runs on this worker thread, which can run nothing else
            // (no other task, no timer) until it returns.
            (Placement::Inline, blocker) => {
                stall::block(blocker, stall.block_for);
            }
            // Computing goes to the CPU pool, sized to the cores: `spawn_blocking` would
            // work too, but its pool grows to 512 threads, so a burst of computations there
            // would run on far more threads than cores, all fighting for them.
            (Placement::Offloaded, Blocker::Cpu) => {
                let block_for = stall.block_for;
                offload(&cpu, move || stall::block(Blocker::Cpu, block_for)).await;
            }
            // A call that waits (a sleep, like blocking I/O) is what `spawn_blocking` is
            // for: its pool may grow large because a waiting thread costs no CPU, and
            // waiting calls must not take the CPU pool's threads from computations.
            (Placement::Offloaded, Blocker::Sleep) => {
                let block_for = stall.block_for;
                tokio::task::spawn_blocking(move || stall::block(Blocker::Sleep, block_for))
                    .await
                    .expect("a blocking call panicked");
            }
        }
        calls += 1;
        // Give the scheduler a turn between calls, as a well-behaved task would: inline,
        // it is the only moment the heartbeat can run on this thread.
        yield_now().await;
    }
    calls
}
