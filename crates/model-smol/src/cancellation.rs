//! W6, cancellation: a task holds a resource and is cancelled mid-work. What matters is
//! that the resource is released, and how soon after the cancel request.

use std::sync::Arc;
use std::time::{Duration, Instant};

use smol::channel::{self, Sender};
use smol::{Executor, Timer};
use workloads::cancellation::{CancelOutcome, Mechanism, WORK, hold_for};
use workloads::resource::Ledger;

/// `trials` times, starts a task that acquires a resource and works, lets it hold the
/// resource for `hold`, cancels it and waits for it to stop; returns each trial's time from
/// the cancel request to the release.
///
/// Stresses: the executor's cancel path. The task is parked on a timer, so
/// `Task::cancel` schedules it once more for an executor thread to drop its future; the
/// latency is that one trip through the executor's queue. Async suits it: any `.await` is a
/// point where the task can be stopped from outside, with no help from its code.
pub async fn cancellation(executor: &Executor<'static>, trials: usize, hold: Duration) -> CancelOutcome {
    // One ledger for every trial: each release notes its time, and each trial takes it.
    let ledger = Ledger::stamping();
    let mut latencies = Vec::with_capacity(trials);
    for trial in 0..trials {
        latencies.push(cancel_one(executor, &ledger, hold_for(hold, trial)).await);
    }
    CancelOutcome {
        trials,
        // `cancel` returns only once the task has stopped: every trial ends joined.
        joined: latencies.len(),
        latencies,
        live_after: ledger.live(),
        mechanism: Mechanism::Abort,
    }
}

/// One trial: start the task, wait until it holds its resource, hold, cancel, and return
/// the time from the request to the release.
async fn cancel_one(executor: &Executor<'static>, ledger: &Arc<Ledger>, hold: Duration) -> Duration {
    // Capacity 1: the task sends one signal and must not wait for the caller to take it.
    let (holding, held) = channel::bounded(1);
    let task = executor.spawn(hold_resource(Arc::clone(ledger), holding));
    held.recv().await.expect("the task signals before it works");
    Timer::after(hold).await;

    let requested = Instant::now();
    // Cancelling drops the task's future at the await it is parked on, and dropping the
    // future drops the resource it owns: Drop is Rust's `except CancelledError: cleanup;
    // raise`. (Merely dropping a smol `Task` cancels it too, without waiting; `detach` is
    // how to keep one running.) `cancel` waits for the task to stop, and returns `None`
    // because the task did not finish.
    let finished = task.cancel().await;
    debug_assert!(finished.is_none(), "the task cannot finish its work within a trial");
    let released = ledger.take_release().expect("dropping the task released its resource");
    released.saturating_duration_since(requested)
}

/// The task: acquire, say so, then work far longer than any trial.
async fn hold_resource(ledger: Arc<Ledger>, holding: Sender<()>) {
    // A named binding (not `_`) keeps the guard alive until the future is dropped.
    let _resource = ledger.acquire();
    // Err only if the caller is gone; then there is nobody to cancel us, and the work ends.
    let _ = holding.send(()).await;
    Timer::after(WORK).await;
}
