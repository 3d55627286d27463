//! W7, timeouts, on a pool: one job per operation, each blocked in a wait with a deadline.
//! Each job holds a worker until its deadline, so only as many operations wait at once as
//! there are workers, and the sizes leave out the runs that would not fit their budget.

use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use workloads::resource::Ledger;
use workloads::timeouts::{GRACE, TimeoutOutcome};

/// Runs `n` operations as jobs on the current pool; each one's work takes `work`, waited on
/// with a deadline of `deadline`. Returns how late each one saw its timeout and how many
/// finished their work, counted once `work` (plus [`GRACE`]) has passed since the start.
///
/// Stresses: nothing rayon is built for: rayon has no timers, so each deadline is a
/// blocking sleep that holds a worker, and N operations take ⌈N / workers⌉ deadlines.
pub fn timeouts(n: usize, deadline: Duration, work: Duration) -> TimeoutOutcome {
    let run_start = Instant::now();
    // Work in progress holds a resource from this ledger; work that reaches its end closes
    // it. After the run, none may be closed (finished) or still held (running).
    let ledger = Ledger::new();
    let results: Vec<Option<Duration>> =
        (0..n).into_par_iter().map(|_| op_with_deadline(deadline, work, &ledger)).collect();

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
    // The work is a blocking wait that would answer after `work`. The standard library has
    // no timer channel to stand for it (`recv_timeout` needs another thread to send), so
    // the blocking call with a deadline is a sleep until the earlier of the two instants:
    // what a blocking read with `set_read_timeout` does.
    thread::sleep(work.min(deadline));
    if work <= deadline {
        working.close();
        return None;
    }
    // The wait was given up: nothing is left to finish the work.
    Some(Instant::now().saturating_duration_since(due))
}
