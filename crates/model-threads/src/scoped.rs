//! W8, scoped resources: acquire, work, release, on every path. A thread has no `async
//! with`, and needs none: the resource is a guard whose `Drop` releases it, and Rust runs
//! `Drop` on every way out of a scope (a normal end, an early return by `?`, a panic).

use std::io;
use std::sync::Arc;
use std::thread;

use crossbeam::channel;
use workloads::cancellation::{CHECK_INTERVAL, CancelToken};
use workloads::resource::Ledger;
use workloads::scoped::{ScopeOutcome, ScopePath};

/// Why a scope's work ended early; the scope passes it on after releasing.
#[derive(Debug)]
enum WorkError {
    /// The work failed.
    Failed,
    /// The work saw its token cancelled.
    Cancelled,
}

/// Runs `n` scopes one after another, each acquiring a resource, doing the work of `path`
/// and releasing the resource.
///
/// Stresses: on the success and error paths, nothing but the guard (two atomic counters
/// and an `Arc` clone each way): the scopes run inline in the calling thread, as any
/// blocking code would. On the cancelled path, a thread start and join per scope: a thread
/// can only be cancelled from another one, and only if its work checks a token.
///
/// # Errors
/// The OS refused a thread (cancelled path).
pub fn scoped_resources(n: usize, path: ScopePath) -> io::Result<ScopeOutcome> {
    let ledger = Ledger::new();
    // Never cancelled: the inline paths' work has nothing to stop it.
    let token = CancelToken::new();
    let mut outcome = ScopeOutcome { scopes: n, ..ScopeOutcome::default() };
    for _ in 0..n {
        let result = match path {
            ScopePath::Success | ScopePath::Error => with_resource(&ledger, path, &token, || {}),
            ScopePath::Cancelled => cancel_mid_work(&ledger)?,
        };
        match result {
            Ok(()) => outcome.succeeded += 1,
            Err(WorkError::Failed) => outcome.failed += 1,
            Err(WorkError::Cancelled) => outcome.cancelled += 1,
        }
    }
    Ok(ScopeOutcome {
        acquired: ledger.acquired(),
        closed: ledger.closed(),
        dropped: ledger.dropped(),
        live_after: ledger.live(),
        ..outcome
    })
}

/// One cancelled scope: run it on its own thread, cancel its token once it holds the
/// resource (mid-work, as a user's Ctrl-C would), and join it.
fn cancel_mid_work(ledger: &Arc<Ledger>) -> io::Result<Result<(), WorkError>> {
    let token = CancelToken::new();
    // Capacity 1: the scope's "I hold it" never waits for the caller to receive.
    let (holding, is_holding) = channel::bounded(1);
    // A scoped thread borrows the ledger and the token, and is joined before this returns.
    thread::scope(|scope| {
        let worker = thread::Builder::new().spawn_scoped(scope, || {
            with_resource(ledger, ScopePath::Cancelled, &token, move || {
                holding.send(()).expect("the caller waits for this");
            })
        })?;
        is_holding.recv().expect("the scope died before acquiring");
        token.cancel();
        Ok(worker.join().expect("a scope panicked"))
    })
}

/// One scope: acquire, tell `held` (the cancelled path's caller waits for it), work,
/// release.
fn with_resource(
    ledger: &Arc<Ledger>,
    path: ScopePath,
    token: &CancelToken,
    held: impl FnOnce(),
) -> Result<(), WorkError> {
    let resource = ledger.acquire();
    held();
    // On an error, `?` returns here, and the guard's `Drop` releases the resource on the way
    // out: no `finally` needed.
    work(path, token)?;
    // The normal end: release explicitly, where clean-up that can fail would go.
    resource.close();
    Ok(())
}

/// The work of `path`: succeed, fail, or wait in slices until `token` is cancelled.
fn work(path: ScopePath, token: &CancelToken) -> Result<(), WorkError> {
    match path {
        ScopePath::Success => Ok(()),
        ScopePath::Error => Err(WorkError::Failed),
        ScopePath::Cancelled => {
            // A thread notices a cancellation only where it checks: between two slices.
            while !token.is_cancelled() {
                thread::sleep(CHECK_INTERVAL);
            }
            Err(WorkError::Cancelled)
        }
    }
}
