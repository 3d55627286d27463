//! A `Stream` written by hand: the tutorial's async iterator (`__aiter__` / `__anext__`).
//!
//! A `Stream` is to an iterator what a future is to a value: `poll_next` returns
//! `Ready(Some(item))`, `Ready(None)` at the end, or `Pending` after arranging a wake-up.
//! Python writes the countdown below as an async generator, a function with both `await`
//! and `yield`; stable Rust has no async generators yet, so a stream is either written by
//! hand, as here, or fed by a task through a channel (the model crates' `streams.rs`).
//! `StreamExt::next` is `async for`'s `__anext__`: a future of the next item.

use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use futures_util::stream::Stream;
use tokio::time::{Sleep, sleep};

/// Counts down from `from` to 1, one number every `period`, then ends.
pub struct Countdown {
    next: u32,
    period: Duration,
    /// The timer of the next number. A `Sleep` must not move once polled; boxed, it stays
    /// put however the `Countdown` moves, so the `Countdown` itself is `Unpin` and easy
    /// to poll.
    timer: Pin<Box<Sleep>>,
}

impl Countdown {
    /// A countdown from `from`, its first number due `period` from now. Call it inside a
    /// tokio runtime: the timer registers with the runtime's timer when it is made.
    pub fn new(from: u32, period: Duration) -> Self {
        Countdown { next: from, period, timer: Box::pin(sleep(period)) }
    }
}

impl Stream for Countdown {
    type Item = u32;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u32>> {
        if self.next == 0 {
            return Poll::Ready(None);
        }
        // Until the timer fires, return `Pending`: the timer has kept `cx`'s waker and
        // wakes the task then. `ready!` returns early with `Pending`.
        ready!(self.timer.as_mut().poll(cx));
        let item = self.next;
        self.next -= 1;
        // The next number is due one period after this one was, not after it was taken:
        // a consumer that is late does not push the whole countdown back.
        let due = self.timer.deadline() + self.period;
        self.timer.as_mut().reset(due);
        Poll::Ready(Some(item))
    }
}

#[cfg(test)]
mod tests {
    use futures_util::stream::StreamExt;
    use tokio::time::Instant;

    use super::*;

    /// `next().await` takes the numbers one by one, a period apart, then sees the end.
    #[tokio::test(start_paused = true)]
    async fn counts_down_then_ends() {
        let start = Instant::now();
        let mut countdown = Countdown::new(3, Duration::from_millis(10));
        let mut seen = Vec::new();
        // `while let Some(n) = stream.next().await` is Rust's `async for n in stream`.
        while let Some(n) = countdown.next().await {
            seen.push(n);
        }
        assert_eq!(seen, [3, 2, 1]);
        assert_eq!(start.elapsed(), Duration::from_millis(30));
    }

    /// A stream has the iterator's adapters, as futures: `map`, `filter`, `collect`...
    #[tokio::test(start_paused = true)]
    async fn adapts_like_an_iterator() {
        let doubled: Vec<u32> = Countdown::new(3, Duration::from_millis(1)).map(|n| n * 2).collect().await;
        assert_eq!(doubled, [6, 4, 2]);
    }
}
