//! W7, timeouts: N operations start at once, each under a deadline shorter than its work, so
//! every one times out. The figure is how late each timeout is seen; the check is that no
//! work goes on after its timeout.

use std::sync::Arc;
use std::time::{Duration, Instant};

use smol::future::FutureExt;
use smol::{Executor, Timer};
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
pub async fn timeouts(
    executor: &Executor<'static>,
    n: usize,
    deadline: Duration,
    work: Duration,
) -> TimeoutOutcome {
    let run_start = Instant::now();
    // Work in progress holds a resource from this ledger; work that reaches its end closes
    // it. After the run, none may be closed (finished) or still held (running).
    let ledger = Ledger::new();
    let mut handles = Vec::with_capacity(n);
    for _ in 0..n {
        handles.push(executor.spawn(op_with_deadline(deadline, work, Arc::clone(&ledger))));
    }
    let mut outcome = TimeoutOutcome { ops: n, lateness: Vec::with_capacity(n), ..TimeoutOutcome::default() };
    for handle in handles {
        if let Some(lateness) = handle.await {
            outcome.timed_out += 1;
            outcome.lateness.push(lateness);
        }
    }
    // Work left running would finish by now: count only then.
    Timer::at(run_start + work + GRACE).await;
    outcome.finished_work = ledger.closed();
    outcome.live_after = ledger.live();
    outcome
}

/// One operation: race the work against the deadline. Returns how late the timeout was
/// seen, or `None` if the work finished first.
async fn op_with_deadline(deadline: Duration, work: Duration, ledger: Arc<Ledger>) -> Option<Duration> {
    let start = Instant::now();
    let work = async {
        // The work holds a resource while it runs, and closes it only if it reaches its end.
        let working = ledger.acquire();
        Timer::after(work).await;
        working.close();
        None
    };
    let timeout = async {
        Timer::after(deadline).await;
        Some(start.elapsed().saturating_sub(deadline))
    };
    // `or` polls both and returns the first to finish; the other is dropped with the race,
    // its timer removed from the reactor, so the work cannot go on after its timeout.
    work.or(timeout).await
}
