//! W2, spawn and join: the cost of one task from creation to joined result.

use workloads::spawn_join::{SpawnOutcome, task_value};

/// Spawns `n` trivial tasks that each return [`task_value`], then joins them all.
///
/// Stresses: task allocation, the run queues and the wake-up of the joiner. Each
/// `tokio::spawn` allocates one task (future + header) and pushes it on a run queue; on the
/// multi-thread runtime other workers steal from that queue while the loop still spawns.
pub async fn spawn_join(n: usize) -> SpawnOutcome {
    let mut handles = Vec::with_capacity(n);
    for i in 0..n {
        handles.push(tokio::spawn(async move { task_value(i) }));
    }
    let mut outcome = SpawnOutcome::default();
    for handle in handles {
        outcome.record(handle.await.expect("a task panicked"));
    }
    outcome
}
