//! W7, timeouts, without concurrency: one operation after another, each waiting until its
//! deadline at most. With nothing else running, the work cannot go on after its timeout:
//! when the program stops waiting, the work stops with it.

use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use workloads::resource::Ledger;
use workloads::timeouts::{GRACE, TimeoutOutcome};

/// Runs `n` operations one after another; each one's work takes `work`, waited on with a
/// deadline of `deadline`. Returns how late each one saw its timeout and how many finished
/// their work, counted once `work` (plus [`GRACE`]) has passed since the start.
///
/// Stresses: nothing; the CPU is idle while each operation waits. N operations take N
/// deadlines, so the sizes leave out the runs that would not fit their budget.
pub fn timeouts(n: usize, deadline: Duration, work: Duration) -> TimeoutOutcome {
    let run_start = Instant::now();
    // Work in progress holds a resource from this ledger; work that reaches its end closes
    // it. After the run, none may be closed (finished) or still held (running).
    let ledger = Ledger::new();
    let results: Vec<Option<Duration>> = (0..n).map(|_| op_with_deadline(deadline, work, &ledger)).collect();

    // Work left running would finish `work` after the start: wait past that before counting.
    thread::sleep((run_start + work + GRACE).saturating_duration_since(Instant::now()));
    let lateness: Vec<Duration> = results.into_iter().flatten().collect();
    TimeoutOutcome {
        ops: n,
        timed_out: lateness.len(),
        finished_work: ledger.closed(),
        live_after: ledger.live(),
        lateness,
    }
}

/// One operation: a blocking wait for work that answers after `work`, given up at
/// `deadline`. Returns how late it saw the timeout, or `None` when the work finished.
fn op_with_deadline(deadline: Duration, work: Duration, ledger: &Arc<Ledger>) -> Option<Duration> {
    let due = Instant::now() + deadline;
    // The work holds a resource while the operation waits for it, and closes it only if it
    // reaches its end; returning early drops (releases) it.
    let working = ledger.acquire();
    // The work is a blocking wait that would answer after `work`; a blocking call with a
    // deadline (a read with `set_read_timeout`) sleeps until the earlier of the two instants.
    thread::sleep(work.min(deadline));
    if work <= deadline {
        working.close();
        return None;
    }
    // The wait was given up: nothing is left to finish the work.
    Some(Instant::now().saturating_duration_since(due))
}
