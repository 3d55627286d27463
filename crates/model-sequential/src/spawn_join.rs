//! W2, spawn and join, without tasks: the work itself, as plain calls.

use std::hint::black_box;

use workloads::spawn_join::{SpawnOutcome, task_value};

/// Computes [`task_value`] for `0..n` with plain calls.
///
/// Stresses: almost nothing: this is the cost of the work with no task around it, the
/// floor under every model's "spawn cost".
pub fn spawn_join(n: usize) -> SpawnOutcome {
    let mut outcome = SpawnOutcome::default();
    for i in 0..n {
        // `black_box`: one call per "task", as written, not a loop the compiler vectorizes.
        outcome.record(black_box(task_value(black_box(i))));
    }
    outcome
}
