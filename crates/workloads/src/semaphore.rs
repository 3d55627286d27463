//! W11, *a semaphore* (the tutorial's `asyncio.Semaphore`): N jobs, at most K at once, each
//! waits D while it holds its permit. The check is that at most K ever run at once, and that
//! K do (a semaphore that let fewer through would be correct but slow); the run then takes
//! about ⌈N/K⌉·D. A [`Gauge`] counts the jobs holding a permit.
//!
//! Its cost is measured apart, by permit churn: W workers take and give back one of K
//! permits, R times each, with nothing in between, so the figure is the semaphore's own
//! price under contention.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::catalogue::{Chapter, Ids, Metric, Unit, Workload};
use crate::profile::{Profile, Verdict};
use crate::spec::Spec;
use crate::{ModelInfo, WrongAnswer};

// ---------------------------------------------------------------------------------------
// The ids: the workload, its figures, variants and named sizes, as records and the docs name them.

/// W11.
pub const SEMAPHORE: Workload = Workload {
    id: "semaphore",
    code: "W11",
    title: "semaphore",
    what: "N jobs, at most K at once, each waits D: the limit held exactly, and the cost of a permit.",
    chapter: Chapter::Sharing,
};
/// W11: the most jobs at once.
pub const SEMAPHORE_MOST_AT_ONCE: Metric = Metric {
    workload: &SEMAPHORE,
    id: "most_at_once",
    unit: Unit::Count,
    what: "The most jobs that held a permit at once (must be K).",
};
/// W11: wall time of the N jobs.
pub const SEMAPHORE_WALL_TIME: Metric = Metric {
    workload: &SEMAPHORE,
    id: "semaphore_wall_time",
    unit: Unit::Ms,
    what: "Wall time of the N jobs, against the ideal ⌈N/K⌉·D.",
};
/// W11: one acquire–release of a contended permit.
pub const SEMAPHORE_NS_PER_PERMIT: Metric = Metric {
    workload: &SEMAPHORE,
    id: "ns_per_permit",
    unit: Unit::Ns,
    what: "One acquire and release of a permit, W workers contending for K permits.",
};

/// Everything this workload names, for the catalogue's index.
pub const IDS: Ids = Ids {
    workload: &SEMAPHORE,
    metrics: &[&SEMAPHORE_MOST_AT_ONCE, &SEMAPHORE_WALL_TIME, &SEMAPHORE_NS_PER_PERMIT],
    variants: &[],
    roles: &[],
};

/// The sizes of W11 in one profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sizes {
    /// Jobs per run.
    pub jobs: usize,
    /// Permits: at most this many jobs at once.
    pub permits: usize,
    /// How long each job holds its permit.
    pub wait: Duration,
    /// Churn: workers taking and giving back permits.
    pub churn_workers: usize,
    /// Churn: permits (fewer than the workers, so they contend).
    pub churn_permits: usize,
    /// Churn: acquire–release rounds per worker.
    pub churn_rounds: usize,
}

/// W11's sizes in `profile`.
pub fn sizes(profile: Profile) -> Sizes {
    let full = Sizes {
        jobs: 64,
        permits: 8,
        wait: Duration::from_millis(10),
        churn_workers: 16,
        churn_permits: 4,
        churn_rounds: 10_000,
    };
    match profile {
        Profile::Full | Profile::Quick => full,
        Profile::Smoke | Profile::Test => Sizes { churn_rounds: 1_000, ..full },
    }
}

impl Sizes {
    /// The wall time a perfect semaphore takes: ⌈N/K⌉ rounds of D.
    pub fn ideal(&self) -> Duration {
        self.wait * self.jobs.div_ceil(self.permits.max(1)) as u32
    }
}

/// Counts the jobs inside the guarded section and remembers the most at once. Each job calls
/// [`Gauge::enter`] right after taking its permit and [`Gauge::leave`] right before giving it
/// back.
#[derive(Debug, Default)]
pub struct Gauge {
    inside: AtomicUsize,
    most: AtomicUsize,
}

impl Gauge {
    /// A gauge at zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// One more job inside.
    pub fn enter(&self) {
        let now = self.inside.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
    }

    /// One job fewer inside.
    pub fn leave(&self) {
        self.inside.fetch_sub(1, Ordering::SeqCst);
    }

    /// The most jobs inside at once so far.
    pub fn most(&self) -> usize {
        self.most.load(Ordering::SeqCst)
    }

    /// Jobs inside now.
    pub fn inside(&self) -> usize {
        self.inside.load(Ordering::SeqCst)
    }
}

/// What a W11 run returns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SemaphoreOutcome {
    /// Jobs that ran.
    pub jobs: usize,
    /// The most jobs that held a permit at once ([`Gauge::most`]).
    pub most_at_once: usize,
    /// Jobs still inside after the run: must be zero.
    pub inside_after: usize,
}

/// Checks a W11 outcome: every job ran, exactly `permits` at once at the most.
pub fn check(jobs: usize, permits: usize, got: &SemaphoreOutcome) -> Result<(), WrongAnswer> {
    let wrong = |detail: String| Err(WrongAnswer { workload: SEMAPHORE.id, detail });
    if got.jobs != jobs || got.inside_after != 0 {
        return wrong(format!("{jobs} jobs asked for, {} ran, {} still inside", got.jobs, got.inside_after));
    }
    let want = permits.min(jobs);
    if got.most_at_once != want {
        return wrong(format!("at most {want} jobs should run at once; {} did", got.most_at_once));
    }
    Ok(())
}

/// What a churn run returns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChurnOutcome {
    /// Acquire–release pairs done.
    pub pairs: usize,
    /// The most workers holding a permit at once.
    pub most_at_once: usize,
}

/// Checks a churn outcome: every pair done, never more than `permits` at once.
pub fn check_churn(
    workers: usize,
    permits: usize,
    rounds: usize,
    got: &ChurnOutcome,
) -> Result<(), WrongAnswer> {
    let wrong = |detail: String| Err(WrongAnswer { workload: SEMAPHORE.id, detail });
    if got.pairs != workers * rounds {
        return wrong(format!("{} pairs expected, {} done", workers * rounds, got.pairs));
    }
    if got.most_at_once > permits {
        return wrong(format!("{} workers held one of {permits} permits at once", got.most_at_once));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// What it declares: the sizes each model runs, and what the table reads.

/// W11's declarations ([`Spec`]).
pub struct Declared;

impl Spec for Declared {
    fn ids(&self) -> &'static Ids {
        &IDS
    }

    fn sizes(&self, profile: Profile, _model: &ModelInfo) -> Vec<(usize, Verdict)> {
        vec![(sizes(profile).jobs, Ok(()))]
    }

    fn figures(&self) -> &'static [&'static Metric] {
        &[&SEMAPHORE_MOST_AT_ONCE, &SEMAPHORE_NS_PER_PERMIT]
    }
}
