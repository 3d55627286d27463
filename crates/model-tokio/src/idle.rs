//! W4, idle tasks: N tasks alive and waiting, to see what one waiting task costs in memory.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::watch;
use workloads::idle::{IdleOutcome, Peak};

/// Spawns `n` tasks that each wait on one shared gate; once all have started, calls
/// `at_peak`, then opens the gate and joins them.
///
/// Stresses: memory only. A waiting task is its future's state (here a gate receiver and a
/// counter handle) plus the runtime's task header, a few hundred bytes; no stack, no thread.
pub async fn idle_tasks(n: usize, at_peak: &mut dyn FnMut(&Peak)) -> IdleOutcome {
    // The gate: a watch channel. Every task holds a receiver; dropping the sender wakes them
    // all at once, whether or not they had started waiting when it happened.
    let (open_gate, gate) = watch::channel(());
    let started = Arc::new(AtomicUsize::new(0));

    let mut handles = Vec::with_capacity(n);
    for _ in 0..n {
        let mut gate = gate.clone();
        let started = Arc::clone(&started);
        handles.push(tokio::spawn(async move {
            started.fetch_add(1, Ordering::Relaxed);
            // Err means "sender dropped": the gate is open.
            let _ = gate.changed().await;
        }));
    }
    // Let the tasks run until each has reached the gate.
    while started.load(Ordering::Relaxed) < n {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    at_peak(&Peak { started: n, error: None });

    drop(open_gate);
    let mut joined = 0;
    for handle in handles {
        handle.await.expect("an idle task panicked");
        joined += 1;
    }
    IdleOutcome { requested: n, started: n, joined, error: None }
}
