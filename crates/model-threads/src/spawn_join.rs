//! W2, spawn and join: the cost of one thread from creation to joined result.

use std::io;
use std::thread::{self, JoinHandle};

use workloads::spawn_join::{SpawnOutcome, task_value};

/// Spawns `n` threads that each return [`task_value`], then joins them all.
///
/// Stresses: the kernel. Each thread is a `clone` system call, a stack mapping, a guard
/// page, and at the end an exit and a join: tens of microseconds where a task takes well
/// under one. That is why thread pools (see `model-rayon`) exist.
///
/// # Errors
/// The OS refused a thread; the threads already started are joined first.
pub fn spawn_join(n: usize) -> io::Result<SpawnOutcome> {
    let mut handles: Vec<JoinHandle<u64>> = Vec::with_capacity(n);
    for i in 0..n {
        match thread::Builder::new().spawn(move || task_value(i)) {
            Ok(handle) => handles.push(handle),
            Err(error) => {
                handles.into_iter().for_each(|h| drop(h.join()));
                return Err(error);
            }
        }
    }
    let mut outcome = SpawnOutcome::default();
    for handle in handles {
        outcome.record(handle.join().expect("a thread panicked"));
    }
    Ok(outcome)
}
