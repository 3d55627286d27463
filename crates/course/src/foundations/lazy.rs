//! Futures are lazy: calling an `async fn` builds a future and runs none of its body. Only
//! polling runs it, and `.await`, `block_on` and a spawned task are three ways to poll.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Sets `flag`: the body of an `async fn` whose effect a test can see.
pub async fn set_flag(flag: &AtomicBool) {
    flag.store(true, Ordering::SeqCst);
}

/// Builds the future of [`set_flag`], looks at the flag, drives the future, looks again:
/// returns `(false, true)`.
///
/// Python's coroutine object is just as lazy: `coro = set_flag()` runs nothing until it is
/// awaited. What differs is what happens to one never awaited: Python warns "coroutine was
/// never awaited" at run time; Rust warns at compile time (`unused_must_use`).
pub fn lazy_until_polled() -> (bool, bool) {
    let flag = AtomicBool::new(false);
    // The call returns at once. `future` is a value: a state machine stopped before the
    // first line of `set_flag`, holding its argument. Nothing has run.
    let future = set_flag(&flag);
    let before = flag.load(Ordering::SeqCst);
    // Polling runs the body up to its first `.await` that is not ready; here, to the end.
    smol::block_on(future);
    (before, flag.load(Ordering::SeqCst))
}

/// Spawns a task that sets a flag, drops its handle without awaiting it, and returns
/// whether the flag was set within `patience`: `true`.
///
/// This is `asyncio.create_task`: the runtime schedules the task at once and polls it on
/// its own; awaiting the handle only collects the result. (A tokio task whose handle is
/// dropped is detached, not cancelled; a smol task is cancelled: see the gallery.)
///
/// # Errors
/// The OS refused the runtime's thread.
pub fn spawned_runs_unawaited(patience: Duration) -> io::Result<bool> {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).build()?;
    let flag = Arc::new(AtomicBool::new(false));
    let (done, finished) = std::sync::mpsc::channel();
    let handle = runtime.spawn({
        let flag = Arc::clone(&flag);
        async move {
            set_flag(&flag).await;
            let _ = done.send(());
        }
    });
    // Nobody will await this handle: the task runs anyway, on the runtime's worker.
    drop(handle);
    // This thread is not one of the runtime's, so it may block on a plain channel.
    let finished = finished.recv_timeout(patience).is_ok();
    Ok(finished && flag.load(Ordering::SeqCst))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Creating a future runs nothing; polling it runs its body.
    #[test]
    fn a_future_runs_only_when_polled() {
        assert_eq!(lazy_until_polled(), (false, true));
    }

    /// A spawned task runs although nobody awaits its handle, like `asyncio.create_task`.
    #[test]
    fn a_spawned_task_runs_unawaited() {
        assert!(spawned_runs_unawaited(Duration::from_secs(5)).unwrap());
    }
}
