//! W19, the blocking pitfall: a heartbeat and a stream of light requests share the runtime
//! with tasks that make blocking calls, made inline (the pitfall) or handed to the pool for
//! blocking work with `task::spawn_blocking` (the fix).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_std::task;
use workloads::stall::{Placement, Stall, StallOutcome, block};

/// Where the light requests' latencies go, one per request, from every request's task.
type Latencies = Arc<Mutex<Vec<Duration>>>;

/// Runs the heartbeat, the requests and `stall.blockers` blocking tasks on the global
/// runtime, and returns what the heartbeat and the requests saw.
///
/// Stresses: the executor's threads. There are as many blocking tasks as threads, so made
/// inline the calls occupy every thread at once and nothing else runs until one of them
/// yields: the heartbeat wakes late and the requests wait, by most of a call. Tasks are
/// cooperative: async-std cannot take a thread back from a task that does not `.await`,
/// and its pool of executor threads is fixed when the runtime starts, so no other thread
/// runs the rest meanwhile. Offloaded, the calls run on the pool's threads and the
/// executor's threads stay free.
pub async fn blocking_stall(stall: Stall) -> StallOutcome {
    let start = Instant::now();
    let latencies = Latencies::default();
    let heartbeat = task::spawn(heartbeat(stall));
    let requests = task::spawn(requests(stall, start, Arc::clone(&latencies)));
    let blockers: Vec<_> = (0..stall.blockers).map(|_| task::spawn(blocker(stall))).collect();
    let heartbeat = heartbeat.await;
    requests.await;
    let mut calls = 0;
    for blocker in blockers {
        calls += blocker.await;
    }
    let requests = std::mem::take(&mut *latencies.lock().expect("a task panicked holding the lock"));
    StallOutcome { heartbeat, requests, calls }
}

/// The heartbeat: sleeps one tick at a time and notes how late each wake-up came, past the
/// tick. A timer firing is not enough: the task must also be polled, which needs a free
/// executor thread.
async fn heartbeat(stall: Stall) -> Vec<Duration> {
    let mut late = Vec::with_capacity(stall.ticks);
    for _ in 0..stall.ticks {
        let asleep = Instant::now();
        task::sleep(stall.tick).await;
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
        // async-std has no "sleep until": sleeping for what is left until the due time keeps
        // the schedule fixed, as a client's would be, so a late wake-up does not push the
        // later requests back (and a request already due goes at once).
        task::sleep(due.saturating_duration_since(Instant::now())).await;
        answers.push(task::spawn(answer(due, Arc::clone(&latencies))));
    }
    // Dropping a `JoinHandle` would detach its task, not wait for it: every request is
    // awaited, so that all of them are counted.
    for answer in answers {
        answer.await;
    }
}

/// One light request: notes its latency, from when it was due (so a sender held up by the
/// stall cannot hide it).
async fn answer(due: Instant, latencies: Latencies) {
    latencies.lock().expect("a task panicked holding the lock").push(due.elapsed());
}

/// One blocking task: after the lead, makes `stall.calls` blocking calls, yielding to the
/// executor after each; returns how many it made.
async fn blocker(stall: Stall) -> usize {
    task::sleep(stall.lead).await;
    let mut calls = 0;
    for _ in 0..stall.calls {
        match stall.placement {
            // The pitfall: the call runs in the task, on the executor's thread, which runs
            // nothing else until it returns.
            Placement::Inline => {
                block(stall.blocker, stall.block_for);
            }
            // The fix: the call runs on the pool for blocking work (`BLOCKING_MAX_THREADS`
            // threads, set by the harness to the worker count) and the task awaits it,
            // leaving its executor thread free.
            Placement::Offloaded => {
                task::spawn_blocking(move || block(stall.blocker, stall.block_for)).await;
            }
        }
        calls += 1;
        // Between calls the other tasks get their turn: the stall lasts one call, not all.
        task::yield_now().await;
    }
    calls
}
