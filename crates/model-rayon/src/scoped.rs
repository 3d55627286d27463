//! W8, scoped resources, on a pool: each scope is a job that acquires, works and releases.
//! The resource is a guard whose `Drop` releases it, and Rust runs `Drop` on every way out
//! of a job (a normal end, an early return by `?`, a panic), so a pool needs nothing more
//! than plain code does.

use std::sync::Arc;
use std::thread;

use rayon::prelude::*;
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

/// Runs `n` scopes as jobs on the current pool, each acquiring a resource, doing the work
/// of `path` and releasing the resource.
///
/// Stresses: the pool's splitting and the ledger's shared counters, which every worker
/// updates at once (so the counters' cache line moves between cores). The scopes run in
/// parallel rather than one after another: for independent scopes that is what rayon is
/// for. On the cancelled path the token is cancelled before any job starts, so each job's
/// work stops at its first check: a running job cannot be stopped from outside.
pub fn scoped_resources(n: usize, path: ScopePath) -> ScopeOutcome {
    let ledger = Ledger::new();
    let token = CancelToken::new();
    if path == ScopePath::Cancelled {
        // Cancelled up front, as a user's Ctrl-C before the jobs ran would be.
        token.cancel();
    }
    let outcome = (0..n)
        .into_par_iter()
        .map(|_| with_resource(&ledger, path, &token))
        // Each worker counts its share into a partial outcome; `reduce` adds the partials.
        .fold(ScopeOutcome::default, |mut outcome, result| {
            match result {
                Ok(()) => outcome.succeeded += 1,
                Err(WorkError::Failed) => outcome.failed += 1,
                Err(WorkError::Cancelled) => outcome.cancelled += 1,
            }
            outcome
        })
        .reduce(ScopeOutcome::default, |a, b| ScopeOutcome {
            succeeded: a.succeeded + b.succeeded,
            failed: a.failed + b.failed,
            cancelled: a.cancelled + b.cancelled,
            ..a
        });
    ScopeOutcome {
        scopes: n,
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
            // A job notices a cancellation only where it checks: between two slices.
            while !token.is_cancelled() {
                thread::sleep(CHECK_INTERVAL);
            }
            Err(WorkError::Cancelled)
        }
    }
}
