//! W1, concurrent waits: N tasks that each wait D. All the waits overlap, so the whole run
//! takes about D whatever N is; what grows with N is the cost of the tasks and the timers.

use std::time::Duration;

use workloads::waits::WaitOutcome;

/// Starts `n` tasks that each wait `wait`, then joins them all.
///
/// Stresses: timers and the scheduler, not the CPU. A sleeping task costs no thread: it is
/// a timer entry and a parked future, which is why async runtimes do this at 100 000 tasks.
pub async fn concurrent_waits(n: usize, wait: Duration) -> WaitOutcome {
    // Spawn every task before awaiting any: awaiting one at a time would run them in
    // sequence (the tutorial's "Sequential Execution").
    let mut handles = Vec::with_capacity(n);
    for index in 0..n {
        handles.push(tokio::spawn(wait_then_return(index as u64, wait)));
    }
    // Join in spawn order, like `asyncio.gather`: the total is the slowest task's time.
    let mut outcome = WaitOutcome::default();
    for handle in handles {
        outcome.record(handle.await.expect("a waiting task panicked"));
    }
    outcome
}

/// One task: wait, then hand back its index. `tokio::time::sleep` registers a timer and
/// yields; `std::thread::sleep` here would block the worker thread and every task on it.
async fn wait_then_return(index: u64, wait: Duration) -> u64 {
    tokio::time::sleep(wait).await;
    index
}
