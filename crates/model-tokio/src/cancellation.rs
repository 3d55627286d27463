//! W6, cancellation: a task holds a resource and is cancelled while it works. What matters
//! is that the resource is released, and how soon after the request.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::oneshot;
use workloads::cancellation::{CancelOutcome, Mechanism, WORK, hold_for};
use workloads::resource::Ledger;

/// `trials` times, one after another: start a task that holds a resource, let it hold it
/// for `hold`, cancel it, and time the release.
///
/// Stresses: the runtime's cancellation path, a wake-up and a drop, not the CPU. tokio
/// suits it: [`tokio::task::JoinHandle::abort`] cancels from outside, and the task needs no
/// code of its own to cooperate, only `.await` points, which any waiting task has.
pub async fn cancellation(trials: usize, hold: Duration) -> CancelOutcome {
    // A stamping ledger notes the time of every release: the end of each latency.
    let ledger = Ledger::stamping();
    let mut latencies = Vec::with_capacity(trials);
    for trial in 0..trials {
        latencies.push(cancel_one(&ledger, hold_for(hold, trial)).await);
    }
    // `cancel_one` only returns once its task is joined, so every trial was joined.
    CancelOutcome {
        trials,
        joined: trials,
        latencies,
        live_after: ledger.live(),
        mechanism: Mechanism::Abort,
    }
}

/// One trial: returns the time from the cancel request to the resource's release.
async fn cancel_one(ledger: &Arc<Ledger>, hold: Duration) -> Duration {
    // A oneshot: the task says once that it holds the resource, and the caller waits for
    // exactly that (cancelling earlier would drop the task before it acquired anything).
    let (holding, held) = oneshot::channel();
    let task = tokio::spawn(hold_resource(Arc::clone(ledger), holding));
    held.await.expect("the task ended before it held the resource");
    tokio::time::sleep(hold).await;

    let requested = Instant::now();
    // `abort` only asks: the runtime drops the task's future the next time it would poll
    // it. Dropping the future drops its locals, `_resource` among them, and the guard's
    // `Drop` releases it: Rust's version of `except CancelledError: cleanup; raise`.
    task.abort();
    // Joining is how we know the drop has happened; a cancelled task joins with a
    // `JoinError` that says so (anything else means it ran to the end or panicked).
    let joined = task.await;
    assert!(joined.is_err_and(|e| e.is_cancelled()), "the task was not cancelled");
    let released = ledger.take_release().expect("the cancelled task released its resource");
    released.saturating_duration_since(requested)
}

/// The task body: acquire the resource, say so, then work far longer than any test.
async fn hold_resource(ledger: Arc<Ledger>, holding: oneshot::Sender<()>) {
    let _resource = ledger.acquire();
    // Err only if the caller is gone, and then nobody is waiting to hear it.
    let _ = holding.send(());
    // The work: a timer, so the task is parked at an `.await`, where cancellation lands.
    tokio::time::sleep(WORK).await;
}
