//! W2, spawn and join: the cost of one task from creation to joined result.

use async_std::task;
use workloads::spawn_join::{SpawnOutcome, task_value};

/// Spawns `n` trivial tasks that each return [`task_value`], then joins them all.
///
/// Stresses: task allocation, the executor's queues and the wake-up of the joiner.
/// async-std's `spawn` also wraps every task with a task-local map and a name slot, a
/// per-task cost the bare executors do not pay.
pub async fn spawn_join(n: usize) -> SpawnOutcome {
    let mut handles = Vec::with_capacity(n);
    for i in 0..n {
        handles.push(task::spawn(async move { task_value(i) }));
    }
    let mut outcome = SpawnOutcome::default();
    for handle in handles {
        outcome.record(handle.await);
    }
    outcome
}
