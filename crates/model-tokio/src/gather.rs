//! W5, gather and as-completed: N tasks that each wait a different time. `gather` hands the
//! results back in submission order, `as_completed` in the order the tasks finish.

use std::time::Duration;

use tokio::task::JoinSet;
use workloads::gather::{GatherOutcome, task_value};

/// Starts one task per entry of `durations` and returns their values in submission order,
/// whatever order they finished in (`asyncio.gather`).
///
/// Stresses: timers and the joiner's wake-ups. All the waits overlap, so the run takes
/// about the longest duration; tokio fits it well, as a waiting task is only a timer entry.
pub async fn gather(durations: &[Duration]) -> GatherOutcome {
    // Spawn every task before awaiting any, or they would run one after another.
    let handles: Vec<_> = durations
        .iter()
        .enumerate()
        .map(|(index, &wait)| tokio::spawn(wait_then_return(index, wait)))
        .collect();
    // Await the handles in submission order: a handle whose task finished early simply
    // holds its value until its turn, so the order costs nothing extra.
    let mut outcome = GatherOutcome { values: Vec::with_capacity(handles.len()) };
    for handle in handles {
        outcome.values.push(handle.await.expect("a waiting task panicked"));
    }
    outcome
}

/// Starts the same tasks and returns each value as soon as its task finishes
/// (`asyncio.as_completed`).
///
/// Stresses: the same timers, plus a join that must notice whichever task ends first.
/// tokio's own idiom is [`JoinSet`]: `join_next` resolves with the next task to finish, so
/// the order of the results is the order of completion.
pub async fn as_completed(durations: &[Duration]) -> GatherOutcome {
    let mut tasks = JoinSet::new();
    for (index, &wait) in durations.iter().enumerate() {
        tasks.spawn(wait_then_return(index, wait));
    }
    let mut outcome = GatherOutcome { values: Vec::with_capacity(durations.len()) };
    // `None` means the set is empty: every task has been joined.
    while let Some(joined) = tasks.join_next().await {
        outcome.values.push(joined.expect("a waiting task panicked"));
    }
    outcome
}

/// One task: wait `wait` on tokio's timer (never `std::thread::sleep`, which would block
/// the worker thread), then return task `index`'s value.
async fn wait_then_return(index: usize, wait: Duration) -> u64 {
    tokio::time::sleep(wait).await;
    task_value(index)
}
