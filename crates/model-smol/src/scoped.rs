//! W8, scoped resources (`async with`): acquire a resource, work, release it, on the success,
//! error and cancelled paths. The resource must be released on every one.

use std::sync::Arc;

use smol::Executor;
use smol::channel::{self, Sender};
use smol::future::yield_now;
use workloads::resource::{Ledger, Resource};
use workloads::scoped::{ScopeOutcome, ScopePath};

/// The error the work returns on the error path.
#[derive(Debug)]
struct WorkFailed;

/// Runs `n` scopes one after another, each taking `path`, and reports what the ledger saw.
///
/// Stresses: almost nothing but the scope itself: an acquire, two `yield_now`s (the awaited
/// set-up and clean-up) and a release, so the figure is the per-scope overhead. The success
/// and error paths run inline, one after another in one task; the cancelled path spawns a
/// task per scope, because a task is what can be cancelled. Async suits it with one caveat: Rust has no async `Drop`,
/// so clean-up that must await is an explicit `close`, and `Drop` is the fallback that
/// still releases on cancellation.
pub async fn scoped_resources(executor: &Executor<'static>, n: usize, path: ScopePath) -> ScopeOutcome {
    let ledger = Ledger::new();
    let mut outcome = ScopeOutcome { scopes: n, ..ScopeOutcome::default() };
    match path {
        // Success and error run inline, one scope after another in one task, like `async
        // with` in a coroutine: no task per scope. That one task is spawned rather than run
        // in the caller's `block_on`, whose thread is not one of the runtime's workers: a
        // yield there goes through the thread's parker instead of the scheduler.
        ScopePath::Success | ScopePath::Error => {
            (outcome.succeeded, outcome.failed) =
                executor.spawn(run_inline(Arc::clone(&ledger), n, path)).await;
        }
        // To cancel a scope it must be a task of its own: cancellation acts on a task.
        ScopePath::Cancelled => {
            for _ in 0..n {
                // Capacity 1: the scope signals once and must not wait for us to take it.
                let (holding, held) = channel::bounded(1);
                let scope = executor.spawn({
                    let ledger = Arc::clone(&ledger);
                    async move { with_resource(&ledger, path, Some(holding)).await }
                });
                // Cancel only once the scope holds its resource, so the cancel lands mid-work.
                held.recv().await.expect("the scope signals before it works");
                // The future is dropped where it waits; the guard's Drop releases the resource
                // (`close` is never reached, so the ledger counts it as dropped).
                if scope.cancel().await.is_none() {
                    outcome.cancelled += 1;
                }
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

/// One scope, the body of an `async with`: open, work, close, then pass on the work's
/// result. `holding`, when given, is told once the resource is held (the cancelled path
/// waits for it).
async fn with_resource(
    ledger: &Arc<Ledger>,
    path: ScopePath,
    holding: Option<Sender<()>>,
) -> Result<(), WorkFailed> {
    let resource = open(ledger).await;
    if let Some(holding) = holding {
        // Err only if the caller is gone, and then nobody waits for the signal.
        let _ = holding.send(()).await;
    }
    // No `?` between open and close: an error is carried past the release, not returned early.
    let result = work(path).await;
    close(resource).await;
    result
}

/// `__aenter__`: acquire, then await the set-up (here one `yield_now`, a stand-in for the
/// tutorial's `await asyncio.sleep(0.1)`).
async fn open(ledger: &Arc<Ledger>) -> Resource {
    let resource = ledger.acquire();
    yield_now().await;
    resource
}

/// `__aexit__`: await the clean-up, then release explicitly. It must be called: Rust has no
/// async `Drop`, and a guard dropped instead is still released, but counted as dropped.
async fn close(resource: Resource) {
    yield_now().await;
    resource.close();
}

/// The work of `path`: succeed, fail, or wait forever (until cancelled).
async fn work(path: ScopePath) -> Result<(), WorkFailed> {
    match path {
        ScopePath::Success => Ok(()),
        ScopePath::Error => Err(WorkFailed),
        ScopePath::Cancelled => std::future::pending().await,
    }
}
