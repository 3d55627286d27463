//! Chapter 0's exercises, solved. Run them: `cargo test -p course ch00::`.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::stream::Stream;
use tokio::io::{AsyncBufRead, AsyncBufReadExt};
use tokio::sync::Semaphore;
use tokio::time::sleep;

/// Exercise 1: `gather` with at most `limit` calls at once (asyncio: a `Semaphore` inside
/// each coroutine, then `gather`). Returns the results in the order given and the most
/// calls that ran at once.
///
/// # Panics
/// If a task panicked.
pub async fn gather_at_most(waits: &[Duration], limit: usize) -> (Vec<usize>, usize) {
    let permits = Arc::new(Semaphore::new(limit));
    let (running, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let mut handles = Vec::with_capacity(waits.len());
    for (index, &wait) in waits.iter().enumerate() {
        let (permits, running, most) = (Arc::clone(&permits), Arc::clone(&running), Arc::clone(&most));
        handles.push(tokio::spawn(async move {
            // Held until the end of the task: a permit released early would let one more in.
            let _permit = permits.acquire().await.expect("the semaphore is never closed");
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            sleep(wait).await;
            running.fetch_sub(1, Ordering::SeqCst);
            index
        }));
    }
    let mut results = Vec::with_capacity(handles.len());
    for handle in handles {
        results.push(handle.await.expect("a call panicked"));
    }
    (results, most.load(Ordering::SeqCst))
}

/// Exercise 2: a `Stream` by hand of the squares 1, 4, 9... up to `last²`. Always ready: a
/// stream need not ever return `Pending`.
pub struct Squares {
    next: u64,
    last: u64,
}

impl Squares {
    /// The squares of 1 to `last`.
    pub fn up_to(last: u64) -> Self {
        Squares { next: 1, last }
    }
}

impl Stream for Squares {
    type Item = u64;

    fn poll_next(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<u64>> {
        if self.next > self.last {
            return Poll::Ready(None);
        }
        let n = self.next;
        self.next += 1;
        Poll::Ready(Some(n * n))
    }
}

/// Exercise 3: chapter 0's line reader, cancel-safe without a buffer of its own: `Lines`
/// keeps the partial line inside itself, so `next_line` is cancel-safe (tokio documents
/// it so) and `select!` may drop it at any tick.
///
/// # Errors
/// Reading failed.
pub async fn lines_with_next_line(
    reader: impl AsyncBufRead + Unpin,
    tick: Duration,
) -> io::Result<Vec<String>> {
    let mut reader = reader.lines();
    let mut lines = Vec::new();
    loop {
        tokio::select! {
            biased;
            line = reader.next_line() => match line? {
                Some(line) => lines.push(line),
                None => return Ok(lines),
            },
            () = sleep(tick) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use futures_util::stream::StreamExt;
    use tokio::io::{BufReader, duplex};
    use tokio::time::Instant;

    use super::*;
    use crate::foundations::cancel_safety::write_in_two_halves;

    const fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// Six calls of 10 ms, two at a time: in order, never more than two at once, and three
    /// rounds of 10 ms in all (on a paused clock, exactly).
    #[tokio::test(start_paused = true)]
    async fn gather_at_most_limits_and_keeps_order() {
        let start = Instant::now();
        let (results, most) = gather_at_most(&[ms(10); 6], 2).await;
        assert_eq!(results, [0, 1, 2, 3, 4, 5]);
        assert_eq!(most, 2);
        assert_eq!(start.elapsed(), ms(30));
    }

    /// The squares stream, consumed with `next` and summed with `fold`.
    #[tokio::test]
    async fn squares_stream() {
        let mut squares = Squares::up_to(3);
        assert_eq!(squares.next().await, Some(1));
        assert_eq!(squares.next().await, Some(4));
        assert_eq!(squares.next().await, Some(9));
        assert_eq!(squares.next().await, None);
        assert_eq!(Squares::up_to(10).fold(0, |sum, n| async move { sum + n }).await, 385);
    }

    /// The same slow sender and ticks that cost chapter 0's first reader "hel": nothing lost.
    #[tokio::test(start_paused = true)]
    async fn next_line_is_cancel_safe() {
        let (reader, writer) = duplex(64);
        let (lines, written) = tokio::join!(
            lines_with_next_line(BufReader::new(reader), ms(10)),
            write_in_two_halves(writer, ms(25))
        );
        written.unwrap();
        assert_eq!(lines.unwrap(), ["hello"]);
    }
}
