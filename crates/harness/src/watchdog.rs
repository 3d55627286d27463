//! Bounds the run in time: if no benchmark makes progress for a while, something hung (a
//! lost wake-up, a deadlock), and the run stops with an error instead of waiting forever.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A thread that ends the process when [`Watchdog::beat`] has not been called for `limit`.
/// Dropping the watchdog stops the thread (the run is over; nothing can hang any more).
pub struct Watchdog {
    start: Instant,
    /// Milliseconds from `start` to the last beat.
    last_beat_ms: Arc<AtomicU64>,
    stopped: Arc<AtomicBool>,
}

impl Watchdog {
    /// Starts watching.
    pub fn start(limit: Duration) -> Watchdog {
        let start = Instant::now();
        let last_beat_ms = Arc::new(AtomicU64::new(0));
        let last = Arc::clone(&last_beat_ms);
        let stopped = Arc::new(AtomicBool::new(false));
        let stop = Arc::clone(&stopped);
        std::thread::Builder::new()
            .name("watchdog".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(Duration::from_secs(1));
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    let idle =
                        start.elapsed().saturating_sub(Duration::from_millis(last.load(Ordering::Relaxed)));
                    if idle > limit {
                        eprintln!(
                            "error: no benchmark made progress for {} s: one has hung; stopping the run",
                            limit.as_secs()
                        );
                        std::process::exit(1);
                    }
                }
            })
            .expect("the watchdog thread starts");
        Watchdog { start, last_beat_ms, stopped }
    }

    /// Records progress.
    pub fn beat(&self) {
        self.last_beat_ms.store(self.start.elapsed().as_millis() as u64, Ordering::Relaxed);
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.stopped.store(true, Ordering::Relaxed);
    }
}
