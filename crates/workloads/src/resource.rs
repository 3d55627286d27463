//! A resource that counts itself: the thing W6 (cancellation) and W8 (scoped resources)
//! acquire and must release on every path.
//!
//! A [`Ledger`] counts resources acquired, released and still live. A [`Resource`] is a
//! guard: dropping it releases it, whatever path the code took (success, error, panic,
//! cancellation), because Rust runs destructors when a value goes out of scope, including
//! when a future is dropped mid-await. [`Resource::close`] releases it explicitly, the
//! place where an async model would await its clean-up (Rust has no async `Drop`); the
//! ledger counts both kinds so a test can tell which path released it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Counts of the resources acquired from it. Shared behind an `Arc` by every task.
#[derive(Debug, Default)]
pub struct Ledger {
    live: AtomicUsize,
    acquired: AtomicUsize,
    closed: AtomicUsize,
    dropped: AtomicUsize,
    /// When set, every release writes its time here (W6 reads it; W8 does not pay for it).
    last_release: Option<Mutex<Option<Instant>>>,
}

impl Ledger {
    /// A ledger that only counts.
    pub fn new() -> Arc<Ledger> {
        Arc::new(Ledger::default())
    }

    /// A ledger that also notes the time of every release, for [`Ledger::take_release`].
    pub fn stamping() -> Arc<Ledger> {
        Arc::new(Ledger { last_release: Some(Mutex::new(None)), ..Ledger::default() })
    }

    /// Acquires one resource; it is released when the guard is closed or dropped.
    pub fn acquire(self: &Arc<Self>) -> Resource {
        self.acquired.fetch_add(1, Ordering::SeqCst);
        self.live.fetch_add(1, Ordering::SeqCst);
        Resource { ledger: Arc::clone(self), closed: false }
    }

    /// Resources acquired and not yet released.
    pub fn live(&self) -> usize {
        self.live.load(Ordering::SeqCst)
    }

    /// Resources acquired so far.
    pub fn acquired(&self) -> usize {
        self.acquired.load(Ordering::SeqCst)
    }

    /// Resources released with [`Resource::close`].
    pub fn closed(&self) -> usize {
        self.closed.load(Ordering::SeqCst)
    }

    /// Resources released by being dropped without `close` (an early return, a panic, a
    /// cancelled future).
    pub fn dropped(&self) -> usize {
        self.dropped.load(Ordering::SeqCst)
    }

    /// Resources released, either way.
    pub fn released(&self) -> usize {
        self.closed() + self.dropped()
    }

    /// The time of the latest release, taken (so the next trial starts clean). `None` on a
    /// ledger made with [`Ledger::new`], or when nothing was released since the last take.
    pub fn take_release(&self) -> Option<Instant> {
        self.last_release.as_ref()?.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

/// One acquired resource. Dropping it releases it.
#[derive(Debug)]
pub struct Resource {
    ledger: Arc<Ledger>,
    closed: bool,
}

impl Resource {
    /// Releases the resource explicitly: the end of an `async with` block on the success and
    /// error paths. (The drop that follows does the counting.)
    pub fn close(mut self) {
        self.closed = true;
    }
}

impl Drop for Resource {
    fn drop(&mut self) {
        let ledger = &self.ledger;
        if let Some(stamp) = &ledger.last_release {
            *stamp.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
        }
        let counter = if self.closed { &ledger.closed } else { &ledger.dropped };
        counter.fetch_add(1, Ordering::SeqCst);
        ledger.live.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A closed resource and a dropped one are both released, and counted apart.
    #[test]
    fn counts_every_release() {
        let ledger = Ledger::stamping();
        let a = ledger.acquire();
        let b = ledger.acquire();
        assert_eq!((ledger.live(), ledger.acquired()), (2, 2));
        a.close();
        drop(b);
        assert_eq!((ledger.live(), ledger.closed(), ledger.dropped(), ledger.released()), (0, 1, 1, 2));
        assert!(ledger.take_release().is_some());
        assert!(ledger.take_release().is_none());
        assert!(Ledger::new().take_release().is_none());
    }
}
