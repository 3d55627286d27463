//! W8, scoped resources, without concurrency: acquire, work, release, as plain code. The
//! resource is a guard whose `Drop` releases it, and Rust runs `Drop` on every way out of
//! a scope (a normal end, an early return by `?`, a panic): Rust's answer to `with`.

use std::sync::Arc;
use std::thread;

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
/// Stresses: nothing but the guard (two atomic counters and an `Arc` clone each way): the
/// floor under every model's scope. On the cancelled path nothing else runs that could
/// cancel the work midway, so the token is cancelled before the work begins (a user's
/// Ctrl-C that came first), and the work stops at its first check.
pub fn scoped_resources(n: usize, path: ScopePath) -> ScopeOutcome {
    let ledger = Ledger::new();
    let token = CancelToken::new();
    if path == ScopePath::Cancelled {
        token.cancel();
    }
    let mut outcome = ScopeOutcome { scopes: n, ..ScopeOutcome::default() };
    for _ in 0..n {
        match with_resource(&ledger, path, &token) {
            Ok(()) => outcome.succeeded += 1,
            Err(WorkError::Failed) => outcome.failed += 1,
            Err(WorkError::Cancelled) => outcome.cancelled += 1,
        }
    }
    ScopeOutcome {
        acquired: ledger.acquired(),
        closed: ledger.closed(),
        dropped: ledger.dropped(),
        live_after: ledger.live(),
        ..outcome
    }
}

/// One scope: acquire, work, release.
fn with_resource(ledger: &Arc<Ledger>, path: ScopePath, token: &CancelToken) -> Result<(), WorkError> {
    let resource = ledger.acquire();
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
            // The work notices a cancellation only where it checks: between two slices.
            while !token.is_cancelled() {
                thread::sleep(CHECK_INTERVAL);
            }
            Err(WorkError::Cancelled)
        }
    }
}
