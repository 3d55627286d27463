//! Solutions to the exercises of chapter 2 (task lifecycles: gather, as-completed,
//! cancellation, timeouts, scoped resources, streams).
//!
//! - [`completion_order`] beside [`submission_order`]: `asyncio.as_completed` and
//!   `asyncio.gather`, with a `JoinSet` and with handles awaited in order.
//! - [`timeout_on_handle`] beside [`timeout_on_work`]: a timeout put on a `JoinHandle` lets
//!   the work go on; one put on the work drops it.
//! - [`scope_with_question_mark`] beside [`scope`]: an `async with` as `open`/`close` around
//!   the work; `?` skips the awaited clean-up, and the guard's `Drop` is the safety net.
//! - [`producer_waits`]: how often a stream's producer waits for room, by buffer size.
//!
//! `cargo test -p exercises ch02::` runs the checks in a few seconds; the timer tests run
//! on tokio's paused clock, so they are exact and take no real time.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use tokio::runtime::Builder;
use tokio::sync::mpsc::{self, error::TrySendError};
use tokio::task::{JoinSet, yield_now};
use workloads::resource::{Ledger, Resource};
use workloads::streams::{StreamOutcome, item};

/// One task of exercise 1: wait, then hand back its index.
async fn wait_then_return(index: usize, wait: Duration) -> usize {
    tokio::time::sleep(wait).await;
    index
}

/// Exercise 1, as-completed: one task per duration in a `JoinSet`; returns the tasks'
/// indices in the order they finished.
///
/// Shows `asyncio.as_completed` in tokio: `join_next` resolves with whichever task finishes
/// next, so the shortest wait comes back first, whatever order the tasks were spawned in.
pub async fn completion_order(durations: &[Duration]) -> Vec<usize> {
    let mut tasks = JoinSet::new();
    for (index, &wait) in durations.iter().enumerate() {
        tasks.spawn(wait_then_return(index, wait));
    }
    let mut order = Vec::with_capacity(durations.len());
    // `None` once the set is empty: every task has been joined.
    while let Some(joined) = tasks.join_next().await {
        order.push(joined.expect("a waiting task panicked"));
    }
    order
}

/// Exercise 1, gather: the same tasks, their handles awaited in submission order; returns
/// the indices in the order they came back.
///
/// Shows `asyncio.gather` in tokio: a handle whose task finished early keeps its value until
/// its turn, so the order is the submission order, and the total is still the longest wait.
pub async fn submission_order(durations: &[Duration]) -> Vec<usize> {
    // Spawn every task before awaiting any, or they would run one after another.
    let handles: Vec<_> = durations
        .iter()
        .enumerate()
        .map(|(index, &wait)| tokio::spawn(wait_then_return(index, wait)))
        .collect();
    let mut order = Vec::with_capacity(handles.len());
    for handle in handles {
        order.push(handle.await.expect("a waiting task panicked"));
    }
    order
}

/// What a timeout left behind, read from the ledger once the work's whole length has
/// passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Aftermath {
    /// Whether the caller saw the timeout.
    pub timed_out: bool,
    /// Work that reached its end (and closed its resource) after all.
    pub finished: usize,
    /// Work dropped before its end (its resource released by the guard's `Drop`).
    pub abandoned: usize,
    /// Resources still held.
    pub live: usize,
}

/// The work of exercise 2: hold a resource while it runs, close it only if it reaches its
/// end (W7's work).
async fn work(ledger: Arc<Ledger>, length: Duration) {
    let working = ledger.acquire();
    tokio::time::sleep(length).await;
    working.close();
}

/// Reads the ledger once the work could have finished: what went on after the timeout.
async fn aftermath(ledger: &Ledger, timed_out: bool, length: Duration) -> Aftermath {
    // Wait out the work's whole length from now: work still running would have finished
    // by then and counted itself.
    tokio::time::sleep(length).await;
    Aftermath { timed_out, finished: ledger.closed(), abandoned: ledger.dropped(), live: ledger.live() }
}

/// Exercise 2, the mistake: the work spawned as a task of its own and the timeout put on
/// its `JoinHandle`.
///
/// Shows why W7 puts the timeout on the work: when the deadline passes, `timeout` drops
/// what it was waiting on, here the handle, and dropping a `JoinHandle` detaches the task
/// without cancelling it. The caller sees a timeout while the work goes on to its end.
pub async fn timeout_on_handle(deadline: Duration, length: Duration) -> Aftermath {
    let ledger = Ledger::new();
    let task = tokio::spawn(work(Arc::clone(&ledger), length));
    let timed_out = tokio::time::timeout(deadline, task).await.is_err();
    aftermath(&ledger, timed_out, length).await
}

/// Exercise 2, the fix: the timeout on the work itself, as W7's `op_with_deadline` does.
/// When the deadline passes, `timeout` drops the work's future mid-sleep; its guard releases
/// the resource, and nothing of the work runs again. (Keeping the task, the other fix is to
/// call `abort` on its handle when the timeout fires.)
pub async fn timeout_on_work(deadline: Duration, length: Duration) -> Aftermath {
    let ledger = Ledger::new();
    let timed_out = tokio::time::timeout(deadline, work(Arc::clone(&ledger), length)).await.is_err();
    aftermath(&ledger, timed_out, length).await
}

/// The set-up half of exercise 3's scope (`__aenter__`): it may wait, so it is an `async fn`.
async fn open(ledger: &Arc<Ledger>) -> Resource {
    // The stand-in for set-up that waits (a connection's handshake).
    yield_now().await;
    ledger.acquire()
}

/// The clean-up half (`__aexit__`): it may wait too, which a `Drop` cannot.
async fn close(resource: Resource) {
    // The stand-in for clean-up that waits (a polite goodbye to the server).
    yield_now().await;
    resource.close();
}

/// The error the work of exercise 3 fails with.
#[derive(Debug, PartialEq, Eq)]
pub struct WorkFailed;

/// The work inside exercise 3's scope: it waits `length`, then succeeds or fails.
async fn scoped_work(length: Duration, fails: bool) -> Result<(), WorkFailed> {
    tokio::time::sleep(length).await;
    if fails { Err(WorkFailed) } else { Ok(()) }
}

/// Exercise 3, the first try: an `async with` block written the obvious way, `open`, the
/// work with `?`, `close`.
///
/// Shows what `?` does to async clean-up: on an error it returns at once, so `close` never
/// runs and only the guard's `Drop` releases the resource. Python's `__aexit__` runs on an
/// exception too; this does not.
pub async fn scope_with_question_mark(
    ledger: Arc<Ledger>,
    length: Duration,
    fails: bool,
) -> Result<(), WorkFailed> {
    let resource = open(&ledger).await;
    scoped_work(length, fails).await?;
    close(resource).await;
    Ok(())
}

/// Exercise 3, the fix: keep the work's result, `close` on both paths, then return the
/// result, as W8's `with_resource` does.
///
/// Shows W8's two release paths: a scope that returns, with success or an error, releases
/// its resource with the awaited `close` (the ledger counts it as closed); a scope cancelled
/// mid-work never reaches `close`, and the guard's `Drop` releases it (counted as dropped).
/// Either way nothing is left held.
pub async fn scope(ledger: Arc<Ledger>, length: Duration, fails: bool) -> Result<(), WorkFailed> {
    let resource = open(&ledger).await;
    // Cancelled here, the future is dropped with `resource` in it: the guard releases it.
    let result = scoped_work(length, fails).await;
    close(resource).await;
    result
}

/// Exercise 4: streams `n` items from a producer task to a consumer task through a tokio
/// channel of `capacity`, as W9 does, on a current-thread runtime, and counts the sends that
/// found the channel full and had to wait. Returns what the consumer summed and that count.
///
/// Shows why the buffer decides the number of wake-ups: with room for one item, nearly
/// every send waits for the consumer to take the previous item, so every item costs a
/// switch to the consumer and back; with room for 64, the producer fills the channel and
/// the consumer empties it, one wait per 64 items.
///
/// # Errors
/// The OS refused the runtime.
pub fn producer_waits(n: usize, capacity: usize) -> io::Result<(StreamOutcome, usize)> {
    let runtime = Builder::new_current_thread().build()?;
    Ok(runtime.block_on(async move {
        let (tx, mut rx) = mpsc::channel(capacity);
        let producer = tokio::spawn(async move {
            let mut waits = 0;
            for i in 0..n {
                // `try_send` first, only to count: a full channel is a send that must wait.
                match tx.try_send(item(i)) {
                    Ok(()) => {}
                    Err(TrySendError::Full(value)) => {
                        waits += 1;
                        tx.send(value).await.expect("the consumer outlives the producer");
                    }
                    Err(TrySendError::Closed(_)) => panic!("the consumer hung up early"),
                }
            }
            waits
            // `tx` drops here, which ends the consumer's loop.
        });
        let consumer = tokio::spawn(async move {
            let mut outcome = StreamOutcome::default();
            while let Some(value) = rx.recv().await {
                outcome.record(value);
            }
            outcome
        });
        let waits = producer.await.expect("the producer panicked");
        (consumer.await.expect("the consumer panicked"), waits)
    }))
}

#[cfg(test)]
mod tests {
    use tokio::time::Instant;

    use super::*;

    /// Three tasks of 30, 10 and 20 ms: as-completed hands them back shortest first, gather
    /// in submission order, and both take the longest wait, not the sum (paused clock).
    #[tokio::test(start_paused = true)]
    async fn as_completed_follows_the_clock() {
        let durations = [30, 10, 20].map(Duration::from_millis);
        let started = Instant::now();
        assert_eq!(completion_order(&durations).await, [1, 2, 0]);
        assert_eq!(started.elapsed(), Duration::from_millis(30));

        let started = Instant::now();
        assert_eq!(submission_order(&durations).await, [0, 1, 2]);
        assert_eq!(started.elapsed(), Duration::from_millis(30));
    }

    /// A timeout on a `JoinHandle` reports the timeout but the work runs on to its end; a
    /// timeout on the work drops it, and its guard releases the resource (paused clock).
    #[tokio::test(start_paused = true)]
    async fn a_timeout_on_the_handle_lets_the_work_go_on() {
        let (deadline, length) = (Duration::from_millis(50), Duration::from_millis(500));
        let leaked = timeout_on_handle(deadline, length).await;
        assert_eq!(leaked, Aftermath { timed_out: true, finished: 1, abandoned: 0, live: 0 });
        let stopped = timeout_on_work(deadline, length).await;
        assert_eq!(stopped, Aftermath { timed_out: true, finished: 0, abandoned: 1, live: 0 });
    }

    /// With `?`, a failed scope skips `close` and is released by `Drop`; with the result
    /// kept, success and failure both `close`, and only a scope aborted mid-work is
    /// released by `Drop` (paused clock).
    #[tokio::test(start_paused = true)]
    async fn close_runs_on_every_path_but_cancellation() {
        let length = Duration::from_millis(100);
        let counts = |ledger: &Ledger| (ledger.closed(), ledger.dropped(), ledger.live());

        let ledger = Ledger::new();
        assert_eq!(scope_with_question_mark(Arc::clone(&ledger), length, true).await, Err(WorkFailed));
        assert_eq!(counts(&ledger), (0, 1, 0), "`?` skipped close: the drop released it");

        let ledger = Ledger::new();
        assert_eq!(scope(Arc::clone(&ledger), length, false).await, Ok(()));
        assert_eq!(scope(Arc::clone(&ledger), length, true).await, Err(WorkFailed));
        assert_eq!(counts(&ledger), (2, 0, 0), "both returns closed their resource");

        let cancelled = tokio::spawn(scope(Arc::clone(&ledger), length, false));
        // Halfway through the work: the scope holds its resource and waits.
        tokio::time::sleep(length / 2).await;
        assert_eq!(ledger.live(), 1, "the scope holds its resource mid-work");
        cancelled.abort();
        assert!(cancelled.await.is_err_and(|e| e.is_cancelled()));
        assert_eq!(counts(&ledger), (2, 1, 0), "the cancelled scope was released by its drop");
    }

    /// With room for one item, nearly every send of a stream waits for the consumer; with
    /// room for 64, about one in 64 does. Every item arrives either way.
    #[test]
    fn a_bigger_buffer_means_fewer_waits() {
        let n = 10_000;
        let want = workloads::streams::expected(n);
        let (outcome, waits_1) = producer_waits(n, 1).expect("the runtime starts");
        workloads::streams::check(&want, &outcome).expect("every item once");
        let (outcome, waits_64) = producer_waits(n, 64).expect("the runtime starts");
        workloads::streams::check(&want, &outcome).expect("every item once");
        assert!(waits_1 >= n / 2, "capacity 1: only {waits_1} of {n} sends waited");
        assert!(waits_64 <= n / 8, "capacity 64: {waits_64} of {n} sends waited");
    }
}
