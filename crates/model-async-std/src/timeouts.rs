//! W7, timeouts: N operations start at once, each under a deadline shorter than its work, so
//! every one times out. The figure is how late each timeout is seen; the check is that no
//! work goes on after its timeout.

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_std::future::timeout;
use async_std::task;
use workloads::resource::Ledger;
use workloads::timeouts::{GRACE, TimeoutOutcome};

/// Starts `n` operations at once, each doing `work` under a deadline of `deadline`; joins
/// them, waits until `work` (and a grace) has passed since the start, then counts the work
/// that finished.
///
/// Stresses: the reactor's timers, two per operation (the work's and the deadline's), and
/// the wake-ups when thousands of deadlines fire together. Async suits it: a timeout is a
/// race of two futures, and the loser is dropped, so its work cannot go on in the
/// background.
pub async fn timeouts(n: usize, deadline: Duration, work: Duration) -> TimeoutOutcome {
    let run_start = Instant::now();
    // Work in progress holds a resource from this ledger; work that reaches its end closes
    // it. After the run, none may be closed (finished) or still held (running).
    let ledger = Ledger::new();
    let mut handles = Vec::with_capacity(n);
    for _ in 0..n {
        handles.push(task::spawn(op_with_deadline(deadline, work, Arc::clone(&ledger))));
    }
    let mut outcome = TimeoutOutcome { ops: n, lateness: Vec::with_capacity(n), ..TimeoutOutcome::default() };
    for handle in handles {
        if let Some(lateness) = handle.await {
            outcome.timed_out += 1;
            outcome.lateness.push(lateness);
        }
    }
    // Work left running would finish by now: count only then.
    task::sleep((run_start + work + GRACE).saturating_duration_since(Instant::now())).await;
    outcome.finished_work = ledger.closed();
    outcome.live_after = ledger.live();
    outcome
}

/// One operation: run the work under the deadline. Returns how late the timeout was seen,
/// or `None` if the work finished first.
async fn op_with_deadline(deadline: Duration, work: Duration, ledger: Arc<Ledger>) -> Option<Duration> {
    let start = Instant::now();
    let work = async {
        // The work holds a resource while it runs, and closes it only if it reaches its end.
        let working = ledger.acquire();
        task::sleep(work).await;
        working.close();
    };
    // `timeout` polls the work and a timer together; when the timer wins, the work is
    // dropped with it, its timer removed from the reactor, so it cannot go on afterwards.
    match timeout(deadline, work).await {
        Ok(()) => None,
        Err(_) => Some(start.elapsed().saturating_sub(deadline)),
    }
}
