//! An unbounded channel between a fast producer and a slow consumer is a memory leak.
//!
//! `asyncio.Queue()` is unbounded by default, and so is `tokio::sync::mpsc::unbounded_channel`:
//! a send never waits, so nothing slows the producer down, and every item it is ahead by
//! sits in memory. A bounded channel makes the producer wait when it is full: the consumer's
//! pace sets the producer's (back-pressure), and memory stays at most `capacity` items.

use tokio::sync::mpsc;
use tokio::task::yield_now;

/// The producer sends `per_turn` items between yields, the consumer takes one: the
/// producer is `per_turn` times faster. Returns the longest queue the consumer saw.
///
/// # Panics
/// If the producer panicked.
pub async fn unbounded_backlog(items: usize, per_turn: usize) -> usize {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let producer = tokio::spawn(async move {
        for item in 0..items {
            // Never waits, however far behind the consumer is: no back-pressure.
            tx.send(item).expect("the consumer outlives the producer");
            if item % per_turn == 0 {
                yield_now().await;
            }
        }
    });
    let mut longest = 0;
    while rx.recv().await.is_some() {
        longest = longest.max(rx.len());
        // A slow consumer: one item per turn (in real code, a write to a slow peer).
        yield_now().await;
    }
    producer.await.expect("the producer panicked");
    longest
}

/// The fix: a channel of `capacity`. `send` waits while it is full, so the producer runs
/// at the consumer's pace.
///
/// # Panics
/// If the producer panicked.
pub async fn bounded_backlog(items: usize, per_turn: usize, capacity: usize) -> usize {
    let (tx, mut rx) = mpsc::channel(capacity);
    let producer = tokio::spawn(async move {
        for item in 0..items {
            // Waits while `capacity` items are queued: back-pressure.
            tx.send(item).await.expect("the consumer outlives the producer");
            if item % per_turn == 0 {
                yield_now().await;
            }
        }
    });
    let mut longest = 0;
    while rx.recv().await.is_some() {
        longest = longest.max(rx.len());
        yield_now().await;
    }
    producer.await.expect("the producer panicked");
    longest
}

#[cfg(test)]
mod tests {
    use super::*;

    const PER_TURN: usize = 10;
    const CAPACITY: usize = 16;

    /// Unbounded, the queue grows with the input: ten times the items, about ten times the
    /// backlog, most of the input waiting in memory at the peak.
    #[tokio::test]
    async fn an_unbounded_queue_grows_with_the_input() {
        let small = unbounded_backlog(1_000, PER_TURN).await;
        let large = unbounded_backlog(10_000, PER_TURN).await;
        assert!(small > 500, "peak backlog {small} of 1 000");
        assert!(large > 5 * small, "peak backlog {large} of 10 000, {small} of 1 000");
    }

    /// Bounded, it never holds more than its capacity, whatever the input.
    #[tokio::test]
    async fn a_bounded_queue_stays_within_capacity() {
        assert!(bounded_backlog(10_000, PER_TURN, CAPACITY).await <= CAPACITY);
    }
}
