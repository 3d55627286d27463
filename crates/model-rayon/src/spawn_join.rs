//! W2, spawn and join, on a pool: jobs are closures pushed on a worker's queue, so a
//! "spawn" is an allocation and a queue push, with no thread created.

use workloads::spawn_join::{SpawnOutcome, task_value};

/// Spawns `n` jobs in a `rayon::scope` that each compute [`task_value`], then joins them.
///
/// Stresses: the pool's queues. A rayon job returns nothing, so each writes into its own
/// slot of a vector: the scope borrows the slots, and when `scope` returns every job has
/// finished, which is the join. (For this shape of work the idiomatic rayon code is
/// `(0..n).into_par_iter().map(task_value)`; `scope` + `spawn` is the closest match to
/// "spawn N tasks" and is what this row compares.)
pub fn spawn_join(n: usize) -> SpawnOutcome {
    let mut slots: Vec<Option<u64>> = vec![None; n];
    rayon::scope(|scope| {
        for (i, slot) in slots.iter_mut().enumerate() {
            scope.spawn(move |_| *slot = Some(task_value(i)));
        }
    });
    let mut outcome = SpawnOutcome::default();
    for value in slots.into_iter().flatten() {
        outcome.record(value);
    }
    outcome
}
