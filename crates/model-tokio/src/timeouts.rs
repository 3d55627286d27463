//! W7, timeouts: N operations start at once, each under a deadline shorter than its work, so
//! every one times out. The figure is how late each saw its timeout; the check is that no
//! work goes on after it.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;
use workloads::resource::Ledger;
use workloads::timeouts::{GRACE, TimeoutOutcome};

/// Starts `n` operations at once, each doing `work` under a deadline of `deadline`, then
/// waits until the work's whole length has passed and counts the work that finished.
///
/// Stresses: the timer wheel (two timers per operation, one cancelled) and the wake-ups of
/// many tasks at the same instant. tokio suits it: [`tokio::time::timeout`] drops the
/// inner future when the deadline passes, so timed-out work cannot carry on.
pub async fn timeouts(n: usize, deadline: Duration, work: Duration) -> TimeoutOutcome {
    let run_start = Instant::now();
    // Work in progress holds a resource from this ledger; work that reaches its end closes
    // it. After the run, none may be closed (finished) or still held (running).
    let ledger = Ledger::new();
    let handles: Vec<_> =
        (0..n).map(|_| tokio::spawn(op_with_deadline(deadline, work, Arc::clone(&ledger)))).collect();

    let mut outcome = TimeoutOutcome { ops: n, lateness: Vec::with_capacity(n), ..TimeoutOutcome::default() };
    for handle in handles {
        if let Some(late) = handle.await.expect("an operation panicked") {
            outcome.timed_out += 1;
            outcome.lateness.push(late);
        }
    }
    // Wait out the work's full length (and a little more, for late timers): any work still
    // running after its timeout would have counted itself by then.
    tokio::time::sleep_until(run_start + work + GRACE).await;
    outcome.finished_work = ledger.closed();
    outcome.live_after = ledger.live();
    outcome
}

/// One operation: its work under a deadline. Returns how long after the deadline it saw the
/// timeout, or `None` if the work finished first.
async fn op_with_deadline(deadline: Duration, work: Duration, ledger: Arc<Ledger>) -> Option<Duration> {
    // Each operation notes its own start: the deadline runs from here, not from the spawn.
    let start = Instant::now();
    let work = async move {
        // The work holds a resource while it runs, and closes it only if it reaches its end.
        let working = ledger.acquire();
        tokio::time::sleep(work).await;
        working.close();
    };
    match tokio::time::timeout(deadline, work).await {
        Ok(()) => None,
        // The timeout has already dropped `work`, mid-sleep: it will never count itself.
        Err(_elapsed) => Some(start.elapsed().saturating_sub(deadline)),
    }
}
