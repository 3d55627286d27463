//! W19, the blocking pitfall: a heartbeat and a stream of light requests share the runtime
//! with tasks that make blocking calls, made inline (the pitfall) or handed to smol's pool
//! for blocking work (the fix).

use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use smol::future::yield_now;
use smol::{Executor, LocalExecutor, Task, Timer, unblock};
use workloads::stall::{Placement, Stall, StallOutcome, block};

/// Where the light requests' latencies go, one per request, from every request's task.
type Latencies = Arc<Mutex<Vec<Duration>>>;

/// Runs the heartbeat, the requests and `stall.blockers` blocking tasks on the model's
/// executor, and returns what the heartbeat and the requests saw.
///
/// Stresses: the executor's threads. There are as many blocking tasks as threads, so made
/// inline the calls occupy every thread at once and nothing else runs until one of them
/// yields: the heartbeat wakes late and the requests wait, by most of a call. Tasks are
/// cooperative: smol cannot take a thread back from a task that does not `.await`, and it
/// starts no other thread to run the rest meanwhile. Offloaded, the calls run on the pool's
/// threads and the executor's threads stay free.
pub async fn blocking_stall(executor: &Arc<Executor<'static>>, stall: Stall) -> StallOutcome {
    let start = Instant::now();
    let latencies = Latencies::default();
    let heartbeat = executor.spawn(heartbeat(stall));
    let requests = executor.spawn(requests(stall, start, {
        // The request task spawns a task per request, so it needs the executor itself: a
        // clone of the `Arc` that the task owns.
        let (executor, latencies) = (Arc::clone(executor), Arc::clone(&latencies));
        move |due| executor.spawn(answer(due, Arc::clone(&latencies)))
    }));
    let blockers: Vec<_> = (0..stall.blockers).map(|_| executor.spawn(blocker(stall))).collect();
    join(heartbeat, requests, blockers, latencies).await
}

/// Runs the same tasks on a `LocalExecutor` on the calling thread: smol's single-threaded
/// executor, whose tasks need not be `Send`.
///
/// Stresses: the one thread. One blocking task made inline stops everything, as in any
/// single-threaded event loop (Python's asyncio, Node.js): the heartbeat's timer fires but
/// no one polls the heartbeat until the call returns. Offloaded, the call runs on the pool's
/// threads, which any executor can await.
pub fn blocking_stall_local(stall: Stall) -> StallOutcome {
    // The request task spawns onto the executor it runs on, so it holds the executor: an
    // `Rc`, since a `LocalExecutor` never leaves this thread. The future given to `run` is
    // driven by this thread's `block_on` and runs the executor's tasks while it waits.
    let local = Rc::new(LocalExecutor::new());
    smol::block_on(local.run(async {
        let start = Instant::now();
        let latencies = Latencies::default();
        let heartbeat = local.spawn(heartbeat(stall));
        let requests = local.spawn(requests(stall, start, {
            let (local, latencies) = (Rc::clone(&local), Arc::clone(&latencies));
            move |due| local.spawn(answer(due, Arc::clone(&latencies)))
        }));
        let blockers: Vec<_> = (0..stall.blockers).map(|_| local.spawn(blocker(stall))).collect();
        join(heartbeat, requests, blockers, latencies).await
    }))
}

/// Joins every task and gathers the outcome.
async fn join(
    heartbeat: Task<Vec<Duration>>,
    requests: Task<()>,
    blockers: Vec<Task<usize>>,
    latencies: Latencies,
) -> StallOutcome {
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
        Timer::after(stall.tick).await;
        late.push(asleep.elapsed().saturating_sub(stall.tick));
    }
    late
}

/// The light requests: one each tick, on a fixed schedule, each a task of its own started
/// with `spawn` (a task on the executor the requests run on); returns once every request's
/// task is done.
async fn requests(stall: Stall, start: Instant, spawn: impl Fn(Instant) -> Task<()>) {
    let mut answers = Vec::with_capacity(stall.ticks);
    for i in 0..stall.ticks {
        let due = stall.request_due(start, i);
        // `Timer::at` wakes at the due time itself, so a late wake-up does not push the
        // later requests back: the schedule is fixed, as a client's would be.
        Timer::at(due).await;
        answers.push(spawn(due));
    }
    // Dropping a smol `Task` would cancel it: every request is awaited.
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
    Timer::after(stall.lead).await;
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
                unblock(move || block(stall.blocker, stall.block_for)).await;
            }
        }
        calls += 1;
        // Between calls the other tasks get their turn: the stall lasts one call, not all.
        yield_now().await;
    }
    calls
}
