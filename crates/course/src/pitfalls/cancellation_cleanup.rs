//! Not handling cancellation: a resource not released when its task is cancelled.
//!
//! Python raises `CancelledError` at the `await` where the task stopped; the release in a
//! `finally` (or an `async with`) runs, the one on the line after the `await` does not.
//! Rust raises nothing: a cancelled task's future is dropped where it stopped, and only
//! destructors run. So a release written as a statement after an `.await` is skipped, and
//! one written as a `Drop` always runs: `Drop` is Rust's `finally`. A destructor cannot
//! `.await`; clean-up that must (a polite goodbye on a socket) belongs in the code path
//! that ends the task, with `Drop` as the fallback (the model crates' `scoped.rs`).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::time::sleep;

/// Open connections, as a server would count them.
#[derive(Debug, Default)]
pub struct Connections {
    open: AtomicUsize,
}

impl Connections {
    /// How many are open now.
    pub fn open(&self) -> usize {
        self.open.load(Ordering::SeqCst)
    }

    fn connect(&self) {
        self.open.fetch_add(1, Ordering::SeqCst);
    }

    fn disconnect(&self) {
        self.open.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The pitfall: connect, work, disconnect, with the disconnect a statement after the
/// `.await`. Cancelled during the work, it never disconnects.
pub async fn disconnect_by_hand(connections: Arc<Connections>, work: Duration) {
    connections.connect();
    sleep(work).await;
    // Skipped if the task is cancelled at the `.await` above.
    connections.disconnect();
}

/// A connection that disconnects when dropped: however its owner ends (returns, panics,
/// or is cancelled), its locals are dropped, and this with them.
pub struct Connection {
    connections: Arc<Connections>,
}

impl Connection {
    /// Connects, returning the guard that will disconnect.
    pub fn connect(connections: Arc<Connections>) -> Self {
        connections.connect();
        Connection { connections }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.connections.disconnect();
    }
}

/// The fix: the connection is a guard, released by `Drop`.
pub async fn disconnect_on_drop(connections: Arc<Connections>, work: Duration) {
    let _connection = Connection::connect(connections);
    sleep(work).await;
    // `_connection` is dropped here, or wherever the future is dropped.
}

#[cfg(test)]
mod tests {
    use tokio::task::yield_now;

    use super::*;

    /// Longer than any test: the tasks are cancelled long before.
    const WORK: Duration = Duration::from_secs(3600);

    /// Spawns `task`, waits until it has connected, aborts it and waits until it is gone;
    /// returns the connections left open.
    async fn cancel_midway<F: Future<Output = ()> + Send + 'static>(
        connections: &Arc<Connections>,
        task: F,
    ) -> usize {
        let task = tokio::spawn(task);
        while connections.open() == 0 {
            yield_now().await;
        }
        task.abort();
        // Err(cancelled): the future was dropped at its `sleep`.
        assert!(task.await.unwrap_err().is_cancelled());
        connections.open()
    }

    /// Cancelled mid-work, the release written after the `.await` never ran: one leaked.
    #[tokio::test]
    async fn cancelled_the_release_after_await_is_skipped() {
        let connections = Arc::new(Connections::default());
        let left = cancel_midway(&connections, disconnect_by_hand(Arc::clone(&connections), WORK)).await;
        assert_eq!(left, 1);
    }

    /// With a `Drop` guard, the same cancel releases it.
    #[tokio::test]
    async fn cancelled_the_guard_still_releases() {
        let connections = Arc::new(Connections::default());
        let left = cancel_midway(&connections, disconnect_on_drop(Arc::clone(&connections), WORK)).await;
        assert_eq!(left, 0);
    }
}
