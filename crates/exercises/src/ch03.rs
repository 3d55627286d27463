//! Solutions to the exercises of chapter 3 (shared state and queues: locks, semaphores,
//! channels).
//!
//! - [`limited_jobs`]: a fan-out limited to K at once by a semaphore (W11).
//! - [`backlog`]: a bounded channel holds a fast producer back; an unbounded one does not
//!   (W12's back-pressure).
//! - [`tokio_grant_order`] beside [`smol_grant_order`]: a fair lock hands over in turn, an
//!   unfair one lets the releasing task take it straight back (W10's fairness).
//! - [`short_section_contention`]: a short section under a plain `std::sync::Mutex` is never
//!   contended on tokio's current-thread runtime (W10's short section).
//!
//! `cargo test -p exercises ch03::` runs the checks in a few seconds.

use std::sync::{Arc, Mutex, TryLockError};
use std::time::Duration;

use smol::LocalExecutor;
use tokio::sync::Semaphore;
use tokio::task::yield_now;
use workloads::channels::{Backlog, ChannelOutcome};
use workloads::semaphore::{Gauge, SemaphoreOutcome};

/// Exercise 1: `jobs` tasks start at once; a semaphore of `permits` lets at most that many
/// run at a time, each holding its permit for `wait`.
///
/// Shows `async with semaphore:` in tokio, and W11's check: the gauge (entered right after
/// the permit is taken, left right before it is given back) never reads more than K, and
/// reaches K. With N jobs of D, K at a time, the run takes ⌈N/K⌉·D.
pub async fn limited_jobs(jobs: usize, permits: usize, wait: Duration) -> SemaphoreOutcome {
    // In an `Arc`, with the gauge: every task owns a share (`tokio::spawn` needs `'static`).
    let semaphore = Arc::new(Semaphore::new(permits));
    let gauge = Arc::new(Gauge::new());
    let handles: Vec<_> = (0..jobs)
        .map(|_| {
            let (semaphore, gauge) = (Arc::clone(&semaphore), Arc::clone(&gauge));
            tokio::spawn(async move {
                // Parks the task until a permit is free; the permit gives itself back when
                // dropped, on every path out of the block.
                let _permit = semaphore.acquire().await.expect("the semaphore is never closed");
                gauge.enter();
                tokio::time::sleep(wait).await;
                gauge.leave();
            })
        })
        .collect();
    for handle in handles {
        handle.await.expect("a job panicked");
    }
    SemaphoreOutcome { jobs, most_at_once: gauge.most(), inside_after: gauge.inside() }
}

/// Exercise 2: one producer sends `items` messages to one consumer that yields after each
/// one (a consumer slower than its producer), through a channel of `capacity`, or an
/// unbounded one for `None`. Returns what the consumer received and the most messages that
/// were ever sent and not yet received.
///
/// Shows back-pressure: a bounded channel makes the producer wait for room, so it is never
/// more than the channel's capacity (plus the item in the consumer's hands) ahead; an
/// unbounded `send` never waits, and on one thread the producer queues everything before
/// the consumer takes anything: the memory an unbounded queue can cost.
pub async fn backlog(items: usize, capacity: Option<usize>) -> (ChannelOutcome, usize) {
    // `async-channel` (smol's and async-std's channel, and the one tokio's model uses for
    // several consumers): its bounded and unbounded channels are one type, so one producer
    // and one consumer serve both cases.
    let (tx, rx) = match capacity {
        Some(capacity) => async_channel::bounded(capacity),
        None => async_channel::unbounded(),
    };
    let backlog = Arc::new(Backlog::new());
    let producer = tokio::spawn({
        let backlog = Arc::clone(&backlog);
        async move {
            for message in 0..items {
                // Waits here while a bounded channel is full: the back-pressure. Unbounded,
                // it is always ready at once.
                tx.send(message).await.expect("the consumer outlives the producer");
                backlog.sent();
            }
            // `tx` drops here, which closes the channel and ends the consumer's loop.
        }
    });
    let consumer = tokio::spawn({
        let backlog = Arc::clone(&backlog);
        async move {
            let mut outcome = ChannelOutcome::default();
            while let Ok(message) = rx.recv().await {
                backlog.received();
                outcome.record(message);
                // The slow consumer: every other ready task runs before it takes the next.
                yield_now().await;
            }
            outcome
        }
    });
    producer.await.expect("the producer panicked");
    (consumer.await.expect("the consumer panicked"), backlog.most_ahead())
}

/// Exercise 3, a fair lock: `workers` tasks each take tokio's `Mutex` `increments` times and
/// yield while they hold it (W10's waiting section); the lock guards a log of which worker
/// held it, in order. Run on a current-thread runtime, returns the log.
///
/// Shows tokio's FIFO fairness: a task that releases the lock while others wait hands it to
/// the first in the queue, and asking again puts it at the back. No worker holds the lock
/// twice in a row while another waits.
pub async fn tokio_grant_order(workers: usize, increments: usize) -> Vec<usize> {
    let lock = Arc::new(tokio::sync::Mutex::new(Vec::with_capacity(workers * increments)));
    let handles: Vec<_> = (0..workers)
        .map(|worker| {
            let lock = Arc::clone(&lock);
            tokio::spawn(async move {
                for _ in 0..increments {
                    let mut log = lock.lock().await;
                    log.push(worker);
                    // The wait inside the section: every other worker asks meanwhile.
                    yield_now().await;
                    // The guard drops here, handing the lock to the first task in the queue.
                }
            })
        })
        .collect();
    for handle in handles {
        handle.await.expect("a worker panicked");
    }
    let log = lock.lock().await;
    log.clone()
}

/// Exercise 3, an unfair lock: the same workers on smol's `Mutex` (async-lock's, which
/// async-std uses too), on a single-threaded executor.
///
/// Shows async-lock's unfairness: releasing the lock only wakes a waiter, and the releasing
/// task, still running, takes the free lock straight back before the woken one runs. Runs of
/// the same worker follow, until a waiter has starved for about half a millisecond and the
/// lock is handed to it directly.
pub fn smol_grant_order(workers: usize, increments: usize) -> Vec<usize> {
    let executor = LocalExecutor::new();
    let lock = Arc::new(smol::lock::Mutex::new(Vec::with_capacity(workers * increments)));
    let tasks: Vec<_> = (0..workers)
        .map(|worker| {
            let lock = Arc::clone(&lock);
            executor.spawn(async move {
                for _ in 0..increments {
                    let mut log = lock.lock().await;
                    log.push(worker);
                    smol::future::yield_now().await;
                }
            })
        })
        .collect();
    smol::block_on(executor.run(async {
        // Await every task: dropping a smol `Task` would cancel it.
        for task in tasks {
            task.await;
        }
    }));
    smol::block_on(lock.lock()).clone()
}

/// Exercise 4: W10's short section with a plain `std::sync::Mutex`: `workers` tasks each add
/// one to the counter `increments` times on a current-thread runtime, first trying the lock
/// without waiting. Returns the count and how many tries found the lock taken.
///
/// Shows why tokio's current-thread runtime posts W10's highest rate: a worker's loop has no
/// `.await`, so it runs all its increments in one poll, and on one thread no other worker
/// can even ask for the lock meanwhile. Not one try finds it taken.
pub async fn short_section_contention(workers: usize, increments: usize) -> (u64, usize) {
    let counter = Arc::new(Mutex::new(0_u64));
    let handles: Vec<_> = (0..workers)
        .map(|_| {
            let counter = Arc::clone(&counter);
            tokio::spawn(async move {
                let mut contended = 0;
                for _ in 0..increments {
                    let mut count = match counter.try_lock() {
                        Ok(count) => count,
                        // Taken: count it, then wait for it the blocking way (fine for a lock
                        // held for nanoseconds, and never across an `.await`).
                        Err(TryLockError::WouldBlock) => {
                            contended += 1;
                            counter.lock().expect("a worker panicked holding the lock")
                        }
                        Err(TryLockError::Poisoned(_)) => panic!("a worker panicked holding the lock"),
                    };
                    *count += 1;
                }
                contended
            })
        })
        .collect();
    let mut contended = 0;
    for handle in handles {
        contended += handle.await.expect("a worker panicked");
    }
    let count = *counter.lock().expect("every worker is done");
    (count, contended)
}

#[cfg(test)]
mod tests {
    use tokio::time::Instant;

    use super::*;

    /// 12 jobs of 20 ms, 3 at a time: never more than 3 inside, 3 at once at some point, and
    /// ⌈12/3⌉·20 ms = 80 ms in all (paused clock).
    #[tokio::test(start_paused = true)]
    async fn the_semaphore_holds_the_limit() {
        let (jobs, permits, wait) = (12, 3, Duration::from_millis(20));
        let started = Instant::now();
        let outcome = limited_jobs(jobs, permits, wait).await;
        workloads::semaphore::check(jobs, permits, &outcome).expect("exactly 3 at once");
        assert_eq!(started.elapsed(), wait * jobs.div_ceil(permits) as u32);
    }

    /// Through a channel of 4, the producer is never more than 5 messages ahead of a slow
    /// consumer; through an unbounded one it runs all the way ahead. Every message arrives
    /// once either way.
    #[tokio::test]
    async fn a_bounded_channel_holds_the_producer_back() {
        let items = 1_000;
        let (received, ahead) = backlog(items, Some(4)).await;
        workloads::channels::check(items, &received).expect("every message once");
        assert!(ahead <= 4 + 1, "capacity 4, yet the producer got {ahead} messages ahead");
        let (received, ahead) = backlog(items, None).await;
        workloads::channels::check(items, &received).expect("every message once");
        assert_eq!(ahead, items, "an unbounded send never waits: the producer runs to its end");
    }

    /// tokio's fair mutex never lets a worker take the lock twice in a row while others
    /// wait; async-lock's unfair one does.
    #[tokio::test]
    async fn a_fair_lock_hands_over_in_turn() {
        let (workers, increments) = (4, 100);
        let fair = tokio_grant_order(workers, increments).await;
        assert_eq!(fair.len(), workers * increments);
        assert!(fair.windows(2).all(|pair| pair[0] != pair[1]), "a worker took tokio's mutex twice in a row");

        let unfair = smol_grant_order(workers, increments);
        assert_eq!(unfair.len(), workers * increments);
        assert!(
            unfair.windows(2).any(|pair| pair[0] == pair[1]),
            "async-lock's mutex never let a worker take it straight back"
        );
    }

    /// On the current-thread runtime, 16 workers adding under a `std::sync::Mutex` with no
    /// `.await` in the loop never find the lock taken, and the count is exact.
    #[tokio::test]
    async fn a_short_section_is_never_contended_on_one_thread() {
        let (workers, increments) = (16, 10_000);
        let (count, contended) = short_section_contention(workers, increments).await;
        assert_eq!(count, (workers * increments) as u64);
        assert_eq!(contended, 0, "a try found the lock taken on a single thread");
    }
}
