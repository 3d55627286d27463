//! W8, scoped resources: acquire, work, release, on the success, error and cancellation
//! paths; the Rust stand-in for `async with`.
//!
//! Rust has no async `Drop`, so the scope is two halves: `close`, awaited on the paths
//! where the work returns (the async clean-up of `__aexit__`), and the guard's `Drop`, the
//! safety net that releases the resource when the scope is cancelled mid-work.

use std::sync::Arc;

use tokio::sync::oneshot;
use tokio::task::yield_now;
use workloads::resource::{Ledger, Resource};
use workloads::scoped::{ScopeOutcome, ScopePath};

/// The error the work returns on the error path.
#[derive(Debug)]
struct WorkFailed;

/// Runs `n` scopes one after another, each taking `path`, and reports how each resource was
/// released.
///
/// Stresses: the cost of a scope around trivial work, two `.await`s that yield (set-up and
/// clean-up) and one acquisition; on the cancelled path, a spawn and an abort per scope.
/// tokio suits it: a cancelled task's future is dropped, so the guard releases the resource
/// on every path without any code in the scope for it.
pub async fn scoped_resources(n: usize, path: ScopePath) -> ScopeOutcome {
    let ledger = Ledger::new();
    let mut outcome = ScopeOutcome { scopes: n, ..ScopeOutcome::default() };
    match path {
        // Success and error run inline, one scope after another in one task, like `async
        // with` in a coroutine: no task per scope. That one task is spawned rather than run
        // in the caller's `block_on`, whose thread is not one of the runtime's workers: a
        // yield there goes through the thread's parker instead of the scheduler.
        ScopePath::Success | ScopePath::Error => {
            (outcome.succeeded, outcome.failed) = tokio::spawn(run_inline(Arc::clone(&ledger), n, path))
                .await
                .expect("the scopes' task panicked");
        }
        // To cancel a scope it must be a task of its own: cancellation acts on a task.
        ScopePath::Cancelled => {
            for _ in 0..n {
                // A oneshot: the scope says once that it holds the resource.
                let (holding, held) = oneshot::channel();
                let scope = tokio::spawn({
                    let ledger = Arc::clone(&ledger);
                    async move { with_resource(&ledger, path, Some(holding)).await }
                });
                // Cancel only once the scope holds its resource, so the cancel lands
                // mid-work (aborting earlier would drop a task that never acquired anything).
                held.await.expect("the scope signals before it works");
                scope.abort();
                // The join is where the drop is known to be done: the future was dropped
                // where it waited, and the guard's `Drop` released the resource (`close` is
                // never reached, so the ledger counts it as dropped).
                let joined = scope.await;
                assert!(joined.is_err_and(|e| e.is_cancelled()), "the scope was not cancelled");
                outcome.cancelled += 1;
            }
        }
    }
    outcome.acquired = ledger.acquired();
    outcome.closed = ledger.closed();
    outcome.dropped = ledger.dropped();
    outcome.live_after = ledger.live();
    outcome
}

/// `n` scopes of `path` one after another in the current task; returns how many succeeded
/// and how many failed.
async fn run_inline(ledger: Arc<Ledger>, n: usize, path: ScopePath) -> (usize, usize) {
    let (mut succeeded, mut failed) = (0, 0);
    for _ in 0..n {
        match with_resource(&ledger, path, None).await {
            Ok(()) => succeeded += 1,
            Err(WorkFailed) => failed += 1,
        }
    }
    (succeeded, failed)
}

/// One scope, the body of an `async with`: open the resource, do the work of `path`, close
/// the resource, and pass the work's result on, error included (released first, as
/// `__aexit__` runs before the exception propagates). `holding`, when given, is told once
/// the resource is held (the cancelled path waits for it).
async fn with_resource(
    ledger: &Arc<Ledger>,
    path: ScopePath,
    holding: Option<oneshot::Sender<()>>,
) -> Result<(), WorkFailed> {
    let resource = open(ledger).await;
    if let Some(holding) = holding {
        // Err only if the caller is gone, and then nobody waits for the signal.
        let _ = holding.send(());
    }
    // If the scope is cancelled here, `close` never runs: `resource` is dropped with the
    // future, and its `Drop` releases it (the ledger counts it as dropped).
    let result = work(path).await;
    close(resource).await;
    result
}

/// Acquires a resource, then awaits its set-up (`__aenter__`); a `yield_now` stands in for
/// the set-up's I/O, so the scope really suspends once here.
async fn open(ledger: &Arc<Ledger>) -> Resource {
    let resource = ledger.acquire();
    yield_now().await;
    resource
}

/// Awaits the clean-up (`__aexit__`), then releases the resource explicitly. Rust has no
/// async `Drop`: clean-up that must await is a function the scope calls.
async fn close(resource: Resource) {
    yield_now().await;
    resource.close();
}

/// The work: succeed, fail, or wait forever (so the only way out is to be cancelled).
async fn work(path: ScopePath) -> Result<(), WorkFailed> {
    match path {
        ScopePath::Success => Ok(()),
        ScopePath::Error => Err(WorkFailed),
        ScopePath::Cancelled => std::future::pending().await,
    }
}
