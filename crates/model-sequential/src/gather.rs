//! W5, gather and as-completed, without concurrency: each task runs to its end before the
//! next one starts, so the whole run takes the sum of the durations.

use std::thread;
use std::time::Duration;

use workloads::gather::{GatherOutcome, task_value};

/// Runs one task per entry of `durations`, one after another, and collects the values in
/// submission order (`asyncio.gather`).
///
/// Stresses: nothing; the CPU is idle while each task sleeps. This is the time the
/// concurrent models save.
pub fn gather(durations: &[Duration]) -> GatherOutcome {
    let values = durations.iter().enumerate().map(|(index, &wait)| wait_then_return(index, wait)).collect();
    GatherOutcome { values }
}

/// Runs the same tasks and returns the values in the order they finished
/// (`asyncio.as_completed`), which is the same order as [`gather`]'s.
///
/// Stresses: nothing, as [`gather`]. A sequential program finishes task `i` before it
/// starts task `i + 1`, so completion order *is* submission order, whatever the durations:
/// as-completed only means something when tasks overlap.
pub fn as_completed(durations: &[Duration]) -> GatherOutcome {
    let values = durations.iter().enumerate().map(|(index, &wait)| wait_then_return(index, wait)).collect();
    GatherOutcome { values }
}

/// One task: wait, then return its value.
fn wait_then_return(index: usize, wait: Duration) -> u64 {
    thread::sleep(wait);
    task_value(index)
}
