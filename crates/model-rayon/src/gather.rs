//! W5, gather and as-completed, on a pool: one job per task, each blocking its worker for
//! its duration. Only as many tasks wait at once as there are workers, so the sizes leave
//! out the runs that would not fit their time budget (10 000 tasks of up to 10 ms would
//! take ≈25 s on two workers), with that reason in the table.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use rayon::prelude::*;
use workloads::gather::{GatherOutcome, task_value};

/// Runs one job per entry of `durations` on the current pool and collects the values in
/// submission order (`asyncio.gather`).
///
/// Stresses: nothing rayon is built for. rayon has no timer, so each wait is a blocking
/// `thread::sleep` that holds a worker. Order is free: an indexed parallel iterator's
/// `collect` writes each result into its own slot, whatever order the jobs ran in.
pub fn gather(durations: &[Duration]) -> GatherOutcome {
    let values =
        durations.par_iter().enumerate().map(|(index, &wait)| wait_then_return(index, wait)).collect();
    GatherOutcome { values }
}

/// Runs the same jobs, but hands the values back in the order the jobs finished
/// (`asyncio.as_completed`): each job sends its value into a channel as it ends.
///
/// Stresses: the same as [`gather`]. rayon has no channels of its own, so this is the
/// standard library's. The caller is itself inside the parallel loop, so it reads the
/// channel only once the loop has ended: the values come in completion order, but not as
/// they complete. Which job finishes when is the pool's scheduling, not the durations.
pub fn as_completed(durations: &[Duration]) -> GatherOutcome {
    // Unbounded: a job's `send` never blocks, so it never holds a worker longer than its wait.
    let (done, finished) = mpsc::channel();
    // `for_each_with` gives each split of the work its own clone of the sender; the last
    // clone drops when the loop ends, which closes the channel.
    durations.par_iter().enumerate().for_each_with(done, |done, (index, &wait)| {
        // The receiver lives until the loop has ended, so this cannot fail.
        done.send(wait_then_return(index, wait)).expect("the caller stopped receiving");
    });
    // Arrival order is completion order: the values come out as the jobs sent them.
    GatherOutcome { values: finished.into_iter().collect() }
}

/// One job: block the worker for `wait`, then return its value.
fn wait_then_return(index: usize, wait: Duration) -> u64 {
    thread::sleep(wait);
    task_value(index)
}
