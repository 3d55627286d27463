//! What polls a future: an executor. asyncio's event loop is one; tokio's and smol's are
//! others. The smallest useful one fits in twenty lines: poll the future, and when it is
//! pending, sleep until something calls its waker.

use std::pin::{Pin, pin};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

/// The waker of [`block_on`]: waking the future means unparking the thread that waits
/// for it.
struct Unparker {
    thread: Thread,
}

impl Wake for Unparker {
    fn wake(self: Arc<Self>) {
        self.thread.unpark();
    }
}

/// Runs `future` to completion on this thread: an executor of one future.
///
/// It runs any future that needs no runtime of its own: `async` blocks, channels such as
/// `tokio::sync::oneshot` or `smol::channel`, smol's timers (served by their own thread).
/// It cannot run `tokio::time::sleep` or tokio's sockets, which panic outside a tokio
/// runtime: they need tokio's driver, which only tokio's `block_on` turns.
pub fn block_on<F: Future>(future: F) -> F::Output {
    // Pinned: once polled, a future must not move, because the state machine of an
    // `async fn` may hold references into itself. `pin!` pins it here, on this stack frame.
    let mut future = pin!(future);
    let waker = Waker::from(Arc::new(Unparker { thread: thread::current() }));
    let mut cx = Context::from_waker(&waker);
    loop {
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(output) => return output,
            // Whatever the future waits for (a timer, a socket, another thread) has kept a
            // clone of the waker and calls it when it is ready. If it already did, `park`
            // returns at once (the unpark is remembered); it may also return for no reason,
            // and polling early is harmless.
            Poll::Pending => thread::park(),
        }
    }
}

/// A future that is pending `times` times, then ready with how often it was polled.
///
/// Each time it returns `Pending` it wakes itself first. A future that returns `Pending`
/// without arranging a wake-up is never polled again: the task hangs, silently.
pub struct Yields {
    left: u32,
    polls: u32,
}

impl Yields {
    /// A future that yields `times` times before it is ready.
    pub fn new(times: u32) -> Self {
        Yields { left: times, polls: 0 }
    }
}

impl Future for Yields {
    type Output = u32;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        self.polls += 1;
        if self.left == 0 {
            return Poll::Ready(self.polls);
        }
        self.left -= 1;
        // "Poll me again": the executor queues this task again (tokio's `yield_now` and
        // asyncio's `await asyncio.sleep(0)` do the same).
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    /// A future with no `.await` is ready on its first poll.
    #[test]
    fn runs_a_ready_future() {
        assert_eq!(block_on(async { 40 + 2 }), 42);
    }

    /// A future that wakes itself is polled once more per wake: three yields, four polls.
    #[test]
    fn polls_again_after_each_wake() {
        assert_eq!(block_on(Yields::new(3)), 4);
    }

    /// Another thread completes the future: its send calls the waker, which unparks the
    /// thread waiting in `block_on`.
    #[test]
    fn wakes_when_another_thread_sends() {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let sender = thread::spawn(move || {
            thread::sleep(Duration::from_millis(20));
            tx.send(7).expect("the receiver waits");
        });
        assert_eq!(block_on(rx), Ok(7));
        sender.join().unwrap();
    }

    /// smol's timers run on their own thread, so even they work under this `block_on`.
    #[test]
    fn runs_a_smol_timer() {
        let waited = block_on(async {
            let start = std::time::Instant::now();
            smol::Timer::after(Duration::from_millis(10)).await;
            start.elapsed()
        });
        assert!(waited >= Duration::from_millis(10));
    }
}
