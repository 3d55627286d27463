//! W2, spawn and join: the cost of one task from creation to joined result.

use smol::Executor;
use workloads::spawn_join::{SpawnOutcome, task_value};

/// Spawns `n` trivial tasks that each return [`task_value`], then joins them all.
///
/// Stresses: task allocation, the executor's queues and the wake-up of the joiner. Each
/// `spawn` allocates one task (`async-task`'s header + future) and pushes it on the
/// executor's global queue, which the executor threads drain into their local queues.
pub async fn spawn_join(executor: &Executor<'static>, n: usize) -> SpawnOutcome {
    let mut handles = Vec::with_capacity(n);
    for i in 0..n {
        handles.push(executor.spawn(async move { task_value(i) }));
    }
    let mut outcome = SpawnOutcome::default();
    for handle in handles {
        outcome.record(handle.await);
    }
    outcome
}
