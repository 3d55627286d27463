//! W8, *scoped resources* (the tutorial's async context managers, `async with`): acquire a
//! [`Resource`](crate::resource::Resource), work, release it, on three paths: the work
//! succeeds, the work fails, or the scope is cancelled mid-work. The resource must be
//! released on every path.
//!
//! Rust has no `async with` and no async `Drop`. The idiom is a guard whose `Drop` releases
//! (it runs on every path, cancellation included, because a cancelled future is dropped),
//! plus an explicit `close` where the clean-up itself must await; the ledger counts which
//! of the two released each resource.

use crate::catalogue::{Chapter, Ids, Metric, Unit, Workload};
use crate::profile::{Profile, Verdict};
use crate::spec::Spec;
use crate::{Kind, ModelInfo, WrongAnswer};

// ---------------------------------------------------------------------------------------
// The ids: the workload, its figures, variants and named sizes, as records and the docs name them.

/// W8.
pub const SCOPED: Workload = Workload {
    id: "scoped_resources",
    code: "W8",
    title: "scoped resources",
    what: "Acquire, work, release (async context managers) on the success, error and cancel paths.",
    chapter: Chapter::Lifecycle,
};
/// W8: one acquire–release pair.
pub const SCOPED_NS_PER_PAIR: Metric = Metric {
    workload: &SCOPED,
    id: "ns_per_pair",
    unit: Unit::Ns,
    what: "Time for one acquire, trivial work and release, on the success path.",
};

/// Everything this workload names, for the catalogue's index.
pub const IDS: Ids = Ids { workload: &SCOPED, metrics: &[&SCOPED_NS_PER_PAIR], variants: &[], roles: &[] };

/// How a scope's work ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopePath {
    /// The work returns a value.
    Success,
    /// The work returns an error, which the scope passes on after releasing.
    Error,
    /// The scope is cancelled while its work waits.
    Cancelled,
}

impl ScopePath {
    /// Every path, in order.
    pub const ALL: [ScopePath; 3] = [ScopePath::Success, ScopePath::Error, ScopePath::Cancelled];
}

/// Scopes per run, in `profile` (the benchmark times the success path).
pub fn scopes(profile: Profile) -> usize {
    match profile {
        Profile::Full | Profile::Quick => 100_000,
        Profile::Smoke => 1_000,
        Profile::Test => 200,
    }
}

/// The most scopes per run for the processes model: its resource is a file on disk, created
/// and removed per scope (tens of microseconds, where an in-memory guard takes nanoseconds),
/// so 100 000 would take seconds per run.
pub const PROCESS_SCOPES: usize = 10_000;

/// Scopes per run for `model` in `profile`: [`scopes`], at most [`PROCESS_SCOPES`] for
/// processes.
pub fn scopes_for(profile: Profile, model: &ModelInfo) -> usize {
    match model.kind {
        Kind::Processes => scopes(profile).min(PROCESS_SCOPES),
        _ => scopes(profile),
    }
}

/// What a W8 run returns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScopeOutcome {
    /// Scopes run.
    pub scopes: usize,
    /// Scopes whose work succeeded.
    pub succeeded: usize,
    /// Scopes whose work failed.
    pub failed: usize,
    /// Scopes cancelled mid-work.
    pub cancelled: usize,
    /// Resources acquired ([`crate::resource::Ledger::acquired`]).
    pub acquired: usize,
    /// Resources released explicitly ([`crate::resource::Ledger::closed`]).
    pub closed: usize,
    /// Resources released by their guard's drop ([`crate::resource::Ledger::dropped`]).
    pub dropped: usize,
    /// Resources still held after the run: must be zero.
    pub live_after: usize,
}

/// Checks a W8 outcome: `n` scopes took `path`, and every resource was released.
pub fn check(n: usize, path: ScopePath, got: &ScopeOutcome) -> Result<(), WrongAnswer> {
    let wrong = |detail: String| Err(WrongAnswer { workload: SCOPED.id, detail });
    let on_path = match path {
        ScopePath::Success => got.succeeded,
        ScopePath::Error => got.failed,
        ScopePath::Cancelled => got.cancelled,
    };
    if got.scopes != n || on_path != n || got.succeeded + got.failed + got.cancelled != n {
        return wrong(format!("{n} scopes on the {path:?} path asked for; got {got:?}"));
    }
    if got.acquired != n || got.closed + got.dropped != n || got.live_after != 0 {
        return wrong(format!(
            "{} acquired, {} released, {} still held: every resource must be released once",
            got.acquired,
            got.closed + got.dropped,
            got.live_after
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// What it declares: the sizes each model runs, and what the table reads.

/// W8's declarations ([`Spec`]).
pub struct Declared;

impl Spec for Declared {
    fn ids(&self) -> &'static Ids {
        &IDS
    }

    fn sizes(&self, profile: Profile, model: &ModelInfo) -> Vec<(usize, Verdict)> {
        vec![(scopes_for(profile, model), Ok(()))]
    }
}
