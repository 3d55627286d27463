//! W1, concurrent waits: N tasks that each wait D. All the waits overlap, so the whole run
//! takes about D whatever N is; what grows with N is the cost of the tasks and the timers.

use std::time::Duration;

use async_std::task;
use workloads::waits::WaitOutcome;

/// Starts `n` tasks that each wait `wait`, then joins them all.
///
/// Stresses: timers and the scheduler, not the CPU. A sleeping task costs no thread: it is
/// a timer in the reactor and a parked future.
pub async fn concurrent_waits(n: usize, wait: Duration) -> WaitOutcome {
    // Spawn every task before awaiting any: awaiting one at a time would run them in
    // sequence (the tutorial's "Sequential Execution").
    let mut handles = Vec::with_capacity(n);
    for index in 0..n {
        handles.push(task::spawn(wait_then_return(index as u64, wait)));
    }
    // Join in spawn order, like `asyncio.gather`: the total is the slowest task's time.
    let mut outcome = WaitOutcome::default();
    for handle in handles {
        // async-std's JoinHandle yields the value itself: a panic in the task propagates.
        outcome.record(handle.await);
    }
    outcome
}

/// One task: wait, then hand back its index. `task::sleep` registers a timer with the
/// reactor and yields; `std::thread::sleep` here would block an executor thread.
async fn wait_then_return(index: u64, wait: Duration) -> u64 {
    task::sleep(wait).await;
    index
}
