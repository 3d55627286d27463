//! W7, timeouts: N operations start at once, each under a deadline shorter than its work, so
//! every one times out. The figure is how late each saw its timeout; the check is that no
//! work goes on after it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::time::Instant;
use workloads::timeouts::{GRACE, TimeoutOutcome};

/// Starts `n` operations at once, each doing `work` under a deadline of `deadline`, then
/// waits until the work's whole length has passed and counts the work that finished.
///
/// Stresses: the timer wheel (two timers per operation, one cancelled) and the wake-ups of
/// many tasks at the same instant. tokio suits it: [`tokio::time::timeout`] drops the
/// inner future when the deadline passes, so timed-out work cannot carry on.
pub async fn timeouts(n: usize, deadline: Duration, work: Duration) -> TimeoutOutcome {
    let run_start = Instant::now();
    // Work that reaches its end counts itself here; it must stay zero.
    let finished = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> =
        (0..n).map(|_| tokio::spawn(op_with_deadline(deadline, work, Arc::clone(&finished)))).collect();

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
    outcome.finished_work = finished.load(Ordering::Relaxed);
    outcome
}

/// One operation: its work under a deadline. Returns how long after the deadline it saw the
/// timeout, or `None` if the work finished first.
async fn op_with_deadline(
    deadline: Duration,
    work: Duration,
    finished: Arc<AtomicUsize>,
) -> Option<Duration> {
    // Each operation notes its own start: the deadline runs from here, not from the spawn.
    let start = Instant::now();
    let work = async move {
        tokio::time::sleep(work).await;
        finished.fetch_add(1, Ordering::Relaxed);
    };
    match tokio::time::timeout(deadline, work).await {
        Ok(()) => None,
        // The timeout has already dropped `work`, mid-sleep: it will never count itself.
        Err(_elapsed) => Some(start.elapsed().saturating_sub(deadline)),
    }
}
