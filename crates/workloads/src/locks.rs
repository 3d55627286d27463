//! W10, *a lock-protected counter* (the tutorial's `asyncio.Lock`): W workers each add one
//! to a shared counter I times, each time under a lock. Two sections:
//!
//! - [`Section::Short`]: the lock is held only to add one. A plain `std::sync::Mutex` is
//!   right here even in async code: the lock is never held across an `.await`, so no task
//!   can be suspended while holding it, and a blocking lock held for nanoseconds costs less
//!   than an async one (tokio's own docs and mini-redis say the same).
//! - [`Section::Waiting`]: the worker also waits while it holds the lock (an `.await` that
//!   suspends, or a blocking yield for threads). A `std::sync::Mutex` held across an await
//!   can block a runtime thread or deadlock; this needs an async-aware mutex.
//!
//! The count is checked exactly. Each worker also notes the longest it waited for the lock:
//! a fair lock (tokio's `Mutex` serves waiters in order) keeps that short for everyone, an
//! unfair one lets some wait much longer.

use std::time::Duration;

use crate::profile::Profile;
use crate::{WrongAnswer, catalogue};

/// What the critical section does besides adding one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Add one and release: a plain mutex is right, in any model.
    Short,
    /// Add one, then wait (yield to the scheduler) while still holding the lock: an async
    /// model needs an async-aware mutex.
    Waiting,
}

impl Section {
    /// Both sections, in the order measured.
    pub const ALL: [Section; 2] = [Section::Short, Section::Waiting];
}

/// The sizes of W10 in one profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sizes {
    /// Worker counts.
    pub workers: &'static [usize],
    /// Total increments per run with a short section, spread over the workers.
    pub short_increments: usize,
    /// Total increments per run with a waiting section (each one yields with the lock held).
    pub waiting_increments: usize,
}

/// W10's sizes in `profile`.
pub fn sizes(profile: Profile) -> Sizes {
    let full = Sizes { workers: &[2, 16, 256], short_increments: 256_000, waiting_increments: 25_600 };
    match profile {
        Profile::Full | Profile::Quick => full,
        Profile::Smoke => Sizes { short_increments: 25_600, waiting_increments: 2_560, ..full },
        Profile::Test => Sizes { short_increments: 25_600, waiting_increments: 2_560, ..full },
    }
}

impl Sizes {
    /// Increments per worker for `workers` workers: the run's total spread evenly.
    pub fn per_worker(&self, section: Section, workers: usize) -> usize {
        let total = match section {
            Section::Short => self.short_increments,
            Section::Waiting => self.waiting_increments,
        };
        total / workers.max(1)
    }
}

/// What a W10 run returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LockOutcome {
    /// The counter at the end.
    pub count: u64,
    /// For each worker, the longest it waited to take the lock.
    pub longest_waits: Vec<Duration>,
}

/// Checks a W10 outcome: every increment counted, one longest wait per worker.
pub fn check(workers: usize, increments: usize, got: &LockOutcome) -> Result<(), WrongAnswer> {
    let wrong = |detail: String| Err(WrongAnswer { workload: catalogue::LOCKS.id, detail });
    let want = (workers * increments) as u64;
    if got.count != want {
        return wrong(format!(
            "{workers} workers × {increments} increments should count {want}, counted {}",
            got.count
        ));
    }
    if got.longest_waits.len() != workers {
        return wrong(format!("{workers} workers, but {} longest waits", got.longest_waits.len()));
    }
    Ok(())
}
