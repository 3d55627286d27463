//! W1, concurrent waits, without concurrency: each wait starts when the previous one ends.

use std::thread;
use std::time::Duration;

use workloads::waits::WaitOutcome;

/// Does `n` waits of `wait` one after another: N·D in all.
///
/// Stresses: nothing; the CPU is idle. This is the time the concurrent models save.
pub fn concurrent_waits(n: usize, wait: Duration) -> WaitOutcome {
    let mut outcome = WaitOutcome::default();
    for index in 0..n as u64 {
        outcome.record(wait_then_return(index, wait));
    }
    outcome
}

/// One wait: block, then hand back the index.
fn wait_then_return(index: u64, wait: Duration) -> u64 {
    thread::sleep(wait);
    index
}
