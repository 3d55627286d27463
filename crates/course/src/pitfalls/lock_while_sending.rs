//! Holding a lock while sending on a full bounded channel: a deadlock.
//!
//! The producer holds the lock and waits for room in the channel; the consumer, before it
//! takes the next item (which would make room), waits for the lock. Each waits for the
//! other, for ever. Python's version is `async with lock:` around a loop of
//! `await queue.put(item)` on a bounded `Queue(maxsize=...)` whose consumer also takes the
//! lock. Nothing crashes and nothing is logged: the program just stops, so
//! the only way to see it is a deadline.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Mutex, mpsc};
use tokio::time::{error::Elapsed, timeout};

/// State both sides update: how many items were sent and how many handled.
#[derive(Debug, Default)]
pub struct Tally {
    /// Items the producer sent.
    pub sent: usize,
    /// Items the consumer handled.
    pub handled: usize,
}

/// The consumer: for each item, take the lock and count it.
async fn consume(mut rx: mpsc::Receiver<usize>, tally: Arc<Mutex<Tally>>) {
    while rx.recv().await.is_some() {
        tally.lock().await.handled += 1;
    }
}

/// The pitfall: the producer takes the lock once and sends every item while holding it
/// (to keep its count in step with what it sent, say). Returns the tally, or
/// `Err(Elapsed)` if the two sides were still stuck after `patience`.
///
/// # Errors
/// The deadline passed: the producer and the consumer deadlocked.
pub async fn send_under_lock(items: usize, patience: Duration) -> Result<Tally, Elapsed> {
    let tally = Arc::new(Mutex::new(Tally::default()));
    // Capacity 1: the second send finds the channel full until the consumer takes one.
    let (tx, rx) = mpsc::channel(1);
    let producer = {
        let tally = Arc::clone(&tally);
        async move {
            let mut tally = tally.lock().await;
            for item in 0..items {
                // Waits for room while holding the lock that the consumer needs before it
                // takes the next item and so makes room.
                tx.send(item).await.expect("the consumer outlives the producer");
                tally.sent += 1;
            }
        }
    };
    // `timeout` drops both sides when the deadline passes: the deadlock ends, and with it
    // the lock and the channel.
    timeout(patience, async { tokio::join!(producer, consume(rx, Arc::clone(&tally))) }).await?;
    Ok(Arc::into_inner(tally).expect("both sides are done").into_inner())
}

/// The fix: take the lock for each update only, and release it before sending.
///
/// # Errors
/// The deadline passed (it does not: nothing here waits while holding the lock).
pub async fn send_after_unlock(items: usize, patience: Duration) -> Result<Tally, Elapsed> {
    let tally = Arc::new(Mutex::new(Tally::default()));
    let (tx, rx) = mpsc::channel(1);
    let producer = {
        let tally = Arc::clone(&tally);
        async move {
            for item in 0..items {
                // The guard is a temporary: dropped at the end of this statement.
                tally.lock().await.sent += 1;
                tx.send(item).await.expect("the consumer outlives the producer");
            }
        }
    };
    timeout(patience, async { tokio::join!(producer, consume(rx, Arc::clone(&tally))) }).await?;
    Ok(Arc::into_inner(tally).expect("both sides are done").into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATIENCE: Duration = Duration::from_secs(5);

    // A paused clock: tokio moves it forward only when every task waits, which is what a
    // deadlock is, so the 5 s of patience cost no real time.

    /// Holding the lock across the send deadlocks: the deadline passes.
    #[tokio::test(start_paused = true)]
    async fn sending_under_the_lock_deadlocks() {
        assert!(send_under_lock(10, PATIENCE).await.is_err());
    }

    /// Releasing it first, every item is sent and handled.
    #[tokio::test(start_paused = true)]
    async fn sending_after_unlocking_completes() {
        let tally = send_after_unlock(10, PATIENCE).await.unwrap();
        assert_eq!((tally.sent, tally.handled), (10, 10));
    }
}
