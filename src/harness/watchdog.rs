//! Bounds the run in time: if no benchmark makes progress for a while, something hung (a
//! lost wake-up, a deadlock), and the run stops with an error instead of waiting forever.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A thread that ends the process when [`Watchdog::beat`] has not been called for `limit`.
pub struct Watchdog {
    start: Instant,
    /// Milliseconds from `start` to the last beat.
    last_beat_ms: Arc<AtomicU64>,
}

impl Watchdog {
    /// Starts watching.
    pub fn start(limit: Duration) -> Watchdog {
        let start = Instant::now();
        let last_beat_ms = Arc::new(AtomicU64::new(0));
        let last = Arc::clone(&last_beat_ms);
        std::thread::Builder::new()
            .name("watchdog".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(Duration::from_secs(1));
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
        Watchdog { start, last_beat_ms }
    }

    /// Records progress.
    pub fn beat(&self) {
        self.last_beat_ms.store(self.start.elapsed().as_millis() as u64, Ordering::Relaxed);
    }
}
