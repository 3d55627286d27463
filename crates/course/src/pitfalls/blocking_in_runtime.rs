//! A blocking call inside a task stalls every task on its thread.
//!
//! Chapter 6 measures it in every runtime; here it is at its smallest: a current-thread
//! runtime (one thread, like Python's event loop), a heartbeat task, and one blocking call.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use tokio::time::{Instant, sleep};

/// How often the heartbeat means to beat.
pub const TICK: Duration = Duration::from_millis(5);

/// What the heartbeat saw while one task made a blocking call.
#[derive(Debug)]
pub struct Stall {
    /// Heartbeats counted while the blocking call ran.
    pub beats_during: usize,
    /// The latest the heartbeat woke after its tick was due.
    pub latest: Duration,
}

/// Beats every [`TICK`] until `stop`, counting beats; returns how late it woke at worst.
async fn heartbeat(beats: Arc<AtomicUsize>, stop: Arc<AtomicBool>) -> Duration {
    let mut latest = Duration::ZERO;
    while !stop.load(Ordering::SeqCst) {
        let asleep = Instant::now();
        sleep(TICK).await;
        latest = latest.max(asleep.elapsed().saturating_sub(TICK));
        beats.fetch_add(1, Ordering::SeqCst);
    }
    latest
}

/// Runs the heartbeat and `blocker` (which gets the beat counter) on a current-thread
/// runtime; `blocker` returns how many beats it saw while it blocked.
fn with_heartbeat<F: Future<Output = usize>>(
    blocker: impl FnOnce(Arc<AtomicUsize>) -> F,
) -> io::Result<Stall> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let (beats, stop) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicBool::new(false)));
        let beating = tokio::spawn(heartbeat(Arc::clone(&beats), Arc::clone(&stop)));
        // Let the heartbeat get going, so that it is asleep on its timer when the call blocks.
        sleep(TICK * 2).await;
        let beats_during = blocker(beats).await;
        stop.store(true, Ordering::SeqCst);
        let latest = beating.await.expect("the heartbeat panicked");
        Ok(Stall { beats_during, latest })
    })
}

/// The pitfall: `std::thread::sleep` (or any blocking read, or a long computation) right in
/// an `async` block. The one thread of the runtime sleeps; the heartbeat's timer fires and
/// nobody is there to run it.
///
/// # Errors
/// The OS refused the runtime's I/O driver.
pub fn block_inline(block_for: Duration) -> io::Result<Stall> {
    with_heartbeat(|beats| async move {
        let before = beats.load(Ordering::SeqCst);
        thread::sleep(block_for);
        beats.load(Ordering::SeqCst) - before
    })
}

/// The fix: the blocking call goes to tokio's blocking pool (`spawn_blocking`, Python's
/// `asyncio.to_thread`), and the task awaits it, leaving the runtime's thread free.
///
/// # Errors
/// The OS refused the runtime's I/O driver.
///
/// # Panics
/// If the blocking call panicked.
pub fn block_offloaded(block_for: Duration) -> io::Result<Stall> {
    with_heartbeat(|beats| async move {
        tokio::task::spawn_blocking(move || {
            let before = beats.load(Ordering::SeqCst);
            thread::sleep(block_for);
            beats.load(Ordering::SeqCst) - before
        })
        .await
        .expect("the blocking call panicked")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLOCK: Duration = Duration::from_millis(200);

    /// Inline, no heartbeat during the 200 ms call, and the heartbeat woke at least 150 ms
    /// late (its 5 ms tick fell inside the call).
    #[test]
    fn a_blocking_call_stalls_the_heartbeat() {
        let stall = block_inline(BLOCK).unwrap();
        assert_eq!(stall.beats_during, 0);
        assert!(stall.latest >= Duration::from_millis(150), "{stall:?}");
    }

    /// Offloaded, the heartbeat beats while the call blocks (at least once in 200 ms; about
    /// forty on an idle machine).
    #[test]
    fn offloaded_the_heartbeat_goes_on() {
        let stall = block_offloaded(BLOCK).unwrap();
        assert!(stall.beats_during >= 1, "{stall:?}");
    }
}
