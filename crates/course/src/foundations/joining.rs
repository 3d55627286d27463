//! Waiting for several futures: in one task (`join!`, `join_all`, `FuturesUnordered`) or
//! in tasks of their own (`tokio::spawn`).
//!
//! In one task, the futures take turns on one thread: they wait together, but never
//! compute at the same time, and they share the task's cooperative budget. Spawned, each
//! is a task the multi-thread runtime may run on another worker, in parallel. asyncio has
//! only the first kind (one thread); its `gather` wraps each coroutine in a task, but all
//! tasks share the loop's one thread.

use std::time::Duration;

use futures_util::future::join_all;
use futures_util::stream::{FuturesUnordered, StreamExt};
use tokio::time::{Instant, sleep};

/// Waits `wait`, then returns `index`: a stand-in for an API call.
pub async fn call(index: usize, wait: Duration) -> usize {
    sleep(wait).await;
    index
}

/// Two waits in one task with `tokio::join!`; returns how long both took: the longer of the
/// two, not their sum, since the task polls both and each wait only registers a timer.
pub async fn join_two(a: Duration, b: Duration) -> Duration {
    let start = Instant::now();
    // Polls both in this task, each time the task is woken, until both are ready.
    tokio::join!(call(0, a), call(1, b));
    start.elapsed()
}

/// `asyncio.gather`: every call in this one task, results in the order given, whatever
/// order they finished in.
pub async fn gather(waits: &[Duration]) -> Vec<usize> {
    join_all(waits.iter().enumerate().map(|(index, &wait)| call(index, wait))).await
}

/// `asyncio.as_completed`: every call in this one task, results in the order they finish.
pub async fn as_completed(waits: &[Duration]) -> Vec<usize> {
    // A set of futures polled together; `next` yields whichever finishes next. It polls
    // only those whose waker fired, so it scales to many thousands.
    let mut pending: FuturesUnordered<_> =
        waits.iter().enumerate().map(|(index, &wait)| call(index, wait)).collect();
    let mut finished = Vec::with_capacity(waits.len());
    while let Some(index) = pending.next().await {
        finished.push(index);
    }
    finished
}

/// Every call in a task of its own, joined in the order given: what the model crates' `W1`
/// does. On the multi-thread runtime the tasks run on every worker, so CPU work between
/// their `.await`s runs in parallel; `join_all` would keep it on one thread.
///
/// # Panics
/// If a task panicked.
pub async fn spawned(waits: &[Duration]) -> Vec<usize> {
    let handles: Vec<_> =
        waits.iter().enumerate().map(|(index, &wait)| tokio::spawn(call(index, wait))).collect();
    let mut results = Vec::with_capacity(handles.len());
    for handle in handles {
        results.push(handle.await.expect("a call panicked"));
    }
    results
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    // The clock is paused: tokio moves it forward only when every task waits, straight to
    // the next timer. Timers then fire in deadline order and elapsed times are exact.

    /// Two waits joined in one task overlap: 30 ms and 20 ms take 30 ms, not 50.
    #[tokio::test(start_paused = true)]
    async fn joined_waits_overlap() {
        assert_eq!(join_two(ms(30), ms(20)).await, ms(30));
    }

    /// `join_all` keeps the order given; `FuturesUnordered` yields the fastest first.
    #[tokio::test(start_paused = true)]
    async fn gather_keeps_order_as_completed_does_not() {
        let waits = [ms(30), ms(10), ms(20)];
        assert_eq!(gather(&waits).await, [0, 1, 2]);
        assert_eq!(as_completed(&waits).await, [1, 2, 0]);
    }

    /// Spawned tasks, joined in order, give what `gather` gives.
    #[tokio::test(start_paused = true)]
    async fn spawned_tasks_joined_in_order() {
        let waits = [ms(30), ms(10), ms(20)];
        let start = Instant::now();
        assert_eq!(spawned(&waits).await, [0, 1, 2]);
        assert_eq!(start.elapsed(), ms(30));
    }
}
