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

use crate::catalogue::{Chapter, Ids, Metric, Placement, Role, Unit, Variant, Workload};
use crate::profile::{Profile, Verdict};
use crate::spec::{Named, Spec};
use crate::{Kind, ModelInfo, WrongAnswer, text};

// ---------------------------------------------------------------------------------------
// The ids: the workload, its figures, variants and named sizes, as records and the docs name them.

/// W10.
pub const LOCKS: Workload = Workload {
    id: "locked_counter",
    code: "W10",
    title: "lock-protected counter",
    what: "W workers each add one to a shared counter I times under a lock: contention and fairness.",
    chapter: Chapter::Sharing,
};
/// W10: increments per second through the lock.
pub const LOCK_INCREMENTS_PER_SECOND: Metric = Metric {
    workload: &LOCKS,
    id: "increments_per_second",
    unit: Unit::PerSecond,
    what: "Increments of the shared counter per second, all workers together.",
};
/// W10: each worker's longest wait for the lock.
pub const LOCK_LONGEST_WAIT: Metric = Metric {
    workload: &LOCKS,
    id: "longest_wait",
    unit: Unit::Ns,
    what: "Each worker's longest wait to take the lock (a distribution over the workers).",
};
/// W10: the lock held only to add one.
pub const LOCK_SHORT: Variant = Variant { workload: &LOCKS, id: "short" };
/// W10: the lock held across a wait.
pub const LOCK_WAITING: Variant = Variant { workload: &LOCKS, id: "waiting" };
/// W10: the size of the lock rows.
pub const LOCKS_HEADLINE: Role = Role { workload: &LOCKS, id: "locks_headline" };

/// Everything this workload names, for the catalogue's index.
pub const IDS: Ids = Ids {
    workload: &LOCKS,
    metrics: &[&LOCK_INCREMENTS_PER_SECOND, &LOCK_LONGEST_WAIT],
    variants: &[&LOCK_SHORT, &LOCK_WAITING],
    roles: &[&LOCKS_HEADLINE],
};

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

impl Sizes {
    /// The most workers: the size the table shows.
    pub fn most_workers(&self) -> usize {
        self.workers.iter().copied().max().unwrap_or(1)
    }
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

/// The profile whose increments worker processes run, in every profile ([`sizes_for`]).
pub const PROCESSES_PROFILE: Profile = Profile::Smoke;

/// W10's sizes in `profile` for `model`: what [`sizes`] gives, except that worker processes
/// take the smoke profile's tenth of the increments in a full or quick run. Each of their
/// increments is a file lock, a read, a write and an unlock, four system calls, and with
/// 256 processes the waiting section alone would take several seconds per run.
pub fn sizes_for(profile: Profile, model: &ModelInfo) -> Sizes {
    match model.kind {
        Kind::Processes => sizes(PROCESSES_PROFILE),
        Kind::Sequential | Kind::Pool | Kind::Threads | Kind::Async => sizes(profile),
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
    let wrong = |detail: String| Err(WrongAnswer { workload: LOCKS.id, detail });
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

// ---------------------------------------------------------------------------------------
// What it declares: the sizes each model runs, and what the table reads.

/// W10's declarations ([`Spec`]).
pub struct Declared;

impl Spec for Declared {
    fn ids(&self) -> &'static Ids {
        &IDS
    }

    fn extra_rounds(&self) -> usize {
        crate::spec::SINGLE_CALLS
    }

    fn sizes(&self, profile: Profile, _model: &ModelInfo) -> Vec<(usize, Verdict)> {
        sizes(profile).workers.iter().map(|&w| (w, Ok(()))).collect()
    }

    fn variants(&self) -> &'static [Option<&'static Variant>] {
        &[Some(&LOCK_SHORT), Some(&LOCK_WAITING)]
    }

    /// Contention between threads changes with where they run: both placements at the
    /// size the table shows.
    fn placements(&self, profile: Profile, _: Option<&'static Variant>, n: usize) -> &'static [Placement] {
        Placement::both_at_headline(sizes(profile).most_workers() == n)
    }

    fn named_sizes(&self, profile: Profile) -> Vec<Named> {
        let most = sizes(profile).most_workers();
        vec![Named::new(&LOCKS_HEADLINE, most, format!("{} workers", text::group_thousands(most as u64)))]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::tests::info;

    /// Worker processes count a tenth as far in a full run; every other model keeps the sizes.
    #[test]
    fn sizes_per_model() {
        assert_eq!(sizes_for(Profile::Full, &info(Kind::Threads, 2)), sizes(Profile::Full));
        let processes = sizes_for(Profile::Full, &info(Kind::Processes, 2));
        assert_eq!(processes.short_increments, sizes(Profile::Full).short_increments / 10);
        assert_eq!(processes.workers, sizes(Profile::Full).workers);
        assert_eq!(sizes_for(Profile::Test, &info(Kind::Processes, 2)), sizes(Profile::Test));
    }
}
