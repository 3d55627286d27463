//! W5, gather and as-completed: N tasks that each wait a different time. `gather` hands the
//! results back in submission order, `as_completed` in the order the tasks finish.

use std::time::Duration;

use smol::{Executor, Timer, channel};
use workloads::gather::{GatherOutcome, task_value};

/// Starts one task per entry of `durations`, then returns their values in submission order
/// (`asyncio.gather`).
///
/// Stresses: timers and the joiner's wake-ups, as W1 does. The tasks finish in a shuffled
/// order, so most handles are already done when the caller reaches them. Async suits it: a
/// waiting task is a timer and a parked future, and a smol `Task` is itself the future of
/// the task's result, so gathering is awaiting the handles in order.
pub async fn gather(executor: &Executor<'static>, durations: &[Duration]) -> GatherOutcome {
    // Spawn every task before awaiting any, so all the waits overlap.
    let mut handles = Vec::with_capacity(durations.len());
    for (index, &wait) in durations.iter().enumerate() {
        handles.push(executor.spawn(wait_then_return(index, wait)));
    }
    // Awaiting in spawn order gives submission order whatever order the tasks finished in:
    // a finished task keeps its value until its handle is awaited.
    let mut values = Vec::with_capacity(handles.len());
    for handle in handles {
        values.push(handle.await);
    }
    GatherOutcome { values }
}

/// Starts the same tasks, and returns each value as soon as its task finishes
/// (`asyncio.as_completed`).
///
/// Stresses: one channel that every task sends into, so every finishing task is a send and
/// a wake-up of the caller. smol has no `JoinSet`; a channel fan-in is its idiom, and it
/// costs one small message per task.
pub async fn as_completed(executor: &Executor<'static>, durations: &[Duration]) -> GatherOutcome {
    // Unbounded: a finished task hands its value over at once, never waiting for room, so
    // the channel's order is the order the tasks finished in.
    let (done, completed) = channel::unbounded();
    let mut handles = Vec::with_capacity(durations.len());
    for (index, &wait) in durations.iter().enumerate() {
        let done = done.clone();
        handles.push(executor.spawn(async move {
            let value = wait_then_return(index, wait).await;
            // Err only if the receiver is gone, and the caller keeps it until every sender
            // has dropped.
            let _ = done.send(value).await;
        }));
    }
    // Keep no sender here: the channel closes when the last task drops its clone, which ends
    // the loop below even if a task panicked before sending.
    drop(done);
    let mut values = Vec::with_capacity(durations.len());
    while let Ok(value) = completed.recv().await {
        values.push(value);
    }
    // Every task has sent (or died); join them all. Dropping a smol `Task` would cancel it
    // rather than wait, and awaiting re-raises a task's panic here instead of losing it.
    for handle in handles {
        handle.await;
    }
    GatherOutcome { values }
}

/// One task: wait on the reactor's timer, then hand back the task's value.
async fn wait_then_return(index: usize, wait: Duration) -> u64 {
    Timer::after(wait).await;
    task_value(index)
}
