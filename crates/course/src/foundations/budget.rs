//! tokio's cooperative budget.
//!
//! A task yields only at an `.await` that is not ready. A task that loops over a resource
//! that is always ready (a full channel, a free semaphore, a socket with data waiting)
//! would then never yield, and every other task on its thread would wait. tokio guards
//! against that: each time it polls a task it gives it a budget (128 operations in tokio
//! 1.54), and each operation on one of tokio's resources (a channel receive, a semaphore
//! acquire, a socket read...) spends one. When the budget is spent, the next operation
//! returns `Pending` even though it is ready, and wakes the task at once: the task goes to
//! the back of the queue and the others get their turn.
//!
//! The budget only counts tokio's own resources. A loop of pure computation, or over
//! another library's channel, spends none: it must yield itself (`yield_now`, or
//! `tokio::task::coop::consume_budget` to yield only when the budget is spent). asyncio has
//! no budget: a coroutine awaiting ready futures in a loop can keep the loop for itself.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::mpsc;

/// On a current-thread runtime, a receiver task takes `items` messages that are all
/// waiting in the channel, and another task, spawned just after it, notes how many the
/// receiver had taken when it first ran. With the budget, fewer than `items`: the receiver
/// was made to yield. `unconstrained` runs the receiver outside the budget: then it takes
/// all of them first.
///
/// # Errors
/// The OS refused the runtime's I/O driver.
///
/// # Panics
/// If a task panicked.
pub fn received_before_the_other_task_ran(items: usize, unconstrained: bool) -> io::Result<usize> {
    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    runtime.block_on(async {
        let (tx, mut rx) = mpsc::channel(items);
        for item in 0..items {
            tx.try_send(item).expect("the channel holds every item");
        }
        // No sender left: once the queue is empty, `recv` returns `None`.
        drop(tx);
        let received = Arc::new(AtomicUsize::new(0));
        let receiver = {
            let received = Arc::clone(&received);
            async move {
                // Every `recv` is ready at once: without the budget, this loop would run
                // to the end in one poll.
                while rx.recv().await.is_some() {
                    received.fetch_add(1, Ordering::Relaxed);
                }
            }
        };
        let receiver = if unconstrained {
            tokio::spawn(tokio::task::unconstrained(receiver))
        } else {
            tokio::spawn(receiver)
        };
        // Queued behind the receiver on the one thread: it runs when the receiver yields,
        // or ends.
        let other = tokio::spawn({
            let received = Arc::clone(&received);
            async move { received.load(Ordering::Relaxed) }
        });
        let seen = other.await.expect("the other task panicked");
        receiver.await.expect("the receiver panicked");
        Ok(seen)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ITEMS: usize = 10_000;

    /// The receiver is made to yield partway: the other task runs after some receives
    /// (the receiver started first) but long before all 10 000.
    #[test]
    fn the_budget_makes_a_busy_receiver_yield() {
        let seen = received_before_the_other_task_ran(ITEMS, false).unwrap();
        assert!(seen > 0 && seen < ITEMS, "the other task ran after {seen} receives");
    }

    /// Unconstrained, the receiver keeps the thread until the channel is empty.
    #[test]
    fn unconstrained_it_does_not_yield() {
        assert_eq!(received_before_the_other_task_ran(ITEMS, true).unwrap(), ITEMS);
    }
}
