//! W1, concurrent waits: N threads that each wait D. All the waits overlap, so the whole run
//! takes about D, plus the time to start and join N threads, which grows with N.

use std::io;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use workloads::waits::WaitOutcome;

/// Starts `n` threads that each wait `wait`, then joins them all.
///
/// Stresses: thread creation and the kernel's scheduler. A sleeping thread uses no CPU,
/// but it holds a stack and kernel structures for the whole wait.
///
/// # Errors
/// The OS refused a thread (too many threads, or no memory for its stack); the threads
/// already started are joined first.
pub fn concurrent_waits(n: usize, wait: Duration) -> io::Result<WaitOutcome> {
    // Start every thread before joining any: joining one at a time would run them in
    // sequence (the tutorial's "Sequential Execution").
    let mut handles: Vec<JoinHandle<u64>> = Vec::with_capacity(n);
    for index in 0..n {
        // `Builder::spawn` returns the OS's refusal as an error; `thread::spawn` would panic.
        match thread::Builder::new().spawn(move || wait_then_return(index as u64, wait)) {
            Ok(handle) => handles.push(handle),
            Err(error) => {
                handles.into_iter().for_each(|h| drop(h.join()));
                return Err(error);
            }
        }
    }
    // Join in spawn order, like `asyncio.gather`: the total is the slowest thread's time.
    let mut outcome = WaitOutcome::default();
    for handle in handles {
        outcome.record(handle.join().expect("a waiting thread panicked"));
    }
    Ok(outcome)
}

/// One thread: wait, then hand back its index. Blocking is fine here: the kernel runs the
/// other threads meanwhile.
fn wait_then_return(index: u64, wait: Duration) -> u64 {
    thread::sleep(wait);
    index
}
