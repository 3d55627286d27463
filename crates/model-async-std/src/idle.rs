//! W4, idle tasks: N tasks alive and waiting, to see what one waiting task costs in memory.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use async_std::channel;
use async_std::task;
use workloads::idle::{IdleOutcome, Peak};

/// Spawns `n` tasks that each wait on one shared gate; once all have started, calls
/// `at_peak`, then opens the gate and joins them.
///
/// Stresses: memory only. A waiting task is its future's state plus the executor's task
/// header and async-std's per-task wrapper (task-local storage, name, id).
pub async fn idle_tasks(n: usize, at_peak: &mut dyn FnMut(&Peak)) -> IdleOutcome {
    // The gate: a channel nobody sends on. Every task holds a receiver; dropping the only
    // sender closes the channel and wakes them all.
    let (open_gate, gate) = channel::bounded::<()>(1);
    let started = Arc::new(AtomicUsize::new(0));

    let mut handles = Vec::with_capacity(n);
    for _ in 0..n {
        let gate = gate.clone();
        let started = Arc::clone(&started);
        handles.push(task::spawn(async move {
            started.fetch_add(1, Ordering::Relaxed);
            // Err means "closed": the gate is open.
            let _ = gate.recv().await;
        }));
    }
    // Let the tasks run until each has reached the gate.
    while started.load(Ordering::Relaxed) < n {
        task::sleep(Duration::from_millis(1)).await;
    }
    at_peak(&Peak { started: n, error: None });

    drop(open_gate);
    let mut joined = 0;
    for handle in handles {
        handle.await;
        joined += 1;
    }
    IdleOutcome { requested: n, started: n, joined, error: None }
}
