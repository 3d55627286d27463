//! Starting a runtime: Python's `asyncio.run(main())` creates an event loop, runs `main` on
//! it and closes it. tokio's `#[tokio::main]` does the same, written out below; smol needs
//! no runtime object for a single future.

use std::io;
use std::time::Duration;

/// Waits `wait` on tokio's timer, then answers: a body that needs the runtime's timer.
pub async fn answer_after(wait: Duration) -> u64 {
    tokio::time::sleep(wait).await;
    42
}

/// What `#[tokio::main]` expands to: build a multi-thread runtime (one worker per core),
/// `block_on` the body, drop the runtime when the body returns.
///
/// # Errors
/// The OS refused the runtime's threads or its I/O driver.
pub fn tokio_main_by_hand(wait: Duration) -> io::Result<u64> {
    // `enable_all` turns on the timer and the I/O driver, as the macro does. Without
    // `enable_time`, the `sleep` inside would panic: "timers are disabled".
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    // `block_on` runs the future on this thread, while the workers run the tasks it spawns.
    let answer = runtime.block_on(answer_after(wait));
    // Dropping the runtime stops its workers; tasks still running are dropped (cancelled),
    // as `asyncio.run` cancels what is left when `main` returns.
    drop(runtime);
    Ok(answer)
}

/// `#[tokio::main(flavor = "current_thread")]`: one thread runs every task, the one that
/// calls `block_on`; Python's event loop works this way.
///
/// # Errors
/// The OS refused the runtime's I/O driver.
pub fn tokio_current_thread(wait: Duration) -> io::Result<u64> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    Ok(runtime.block_on(answer_after(wait)))
}

/// smol: `smol::block_on` drives the future on this thread. Its timers and sockets are
/// served by a thread of their own ("async-io"), started on first use, so there is no
/// runtime to build.
pub fn smol_block_on(wait: Duration) -> u64 {
    smol::block_on(async {
        smol::Timer::after(wait).await;
        42
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const WAIT: Duration = Duration::from_millis(5);

    /// The hand-built runtime runs the body to its answer.
    #[test]
    fn tokio_by_hand_answers() {
        assert_eq!(tokio_main_by_hand(WAIT).unwrap(), 42);
    }

    /// So does the current-thread flavour.
    #[test]
    fn tokio_current_thread_answers() {
        assert_eq!(tokio_current_thread(WAIT).unwrap(), 42);
    }

    /// And smol, with no runtime built.
    #[test]
    fn smol_answers() {
        assert_eq!(smol_block_on(WAIT), 42);
    }

    /// A runtime built without `enable_time` refuses tokio's timer: the macro's
    /// `enable_all` is not decoration.
    #[test]
    fn a_runtime_without_its_timer_panics_on_sleep() {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let result =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| runtime.block_on(answer_after(WAIT))));
        assert!(result.is_err());
    }
}
