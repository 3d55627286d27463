//! W6, *cancellation* (the tutorial's "Task Cancellation" and the pitfall "Not Handling
//! CancelledError"): a task holds a [`Resource`](crate::resource::Resource) and is
//! cancelled while it works. What matters is that the resource is released, and how soon
//! after the cancel request.
//!
//! Async runtimes cancel from outside: the runtime drops the task's future at its next
//! await, and dropping the future drops the resource (Rust's answer to `except
//! CancelledError: cleanup; raise`). A thread cannot be stopped from outside; it must
//! check a [`CancelToken`] between slices of its work, so its latency depends on how often
//! it checks: [`CHECK_INTERVAL`]. A process can be stopped from outside, by a signal: the
//! polite one (`SIGTERM`) runs the worker's own clean-up, the blunt one (`SIGKILL`) only the
//! kernel's ([`Mechanism::Signal`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::catalogue::{Chapter, Ids, Metric, Unit, Workload};
use crate::profile::{Profile, Verdict};
use crate::spec::Spec;
use crate::{ModelInfo, WrongAnswer};

// ---------------------------------------------------------------------------------------
// The ids: the workload, its figures, variants and named sizes, as records and the docs name them.

/// W6.
pub const CANCELLATION: Workload = Workload {
    id: "cancellation",
    code: "W6",
    title: "cancellation",
    what: "A task holding a resource is cancelled: how long until the resource is released.",
    chapter: Chapter::Lifecycle,
};
/// W6: cancel request to resource released.
pub const CANCEL_RELEASE: Metric = Metric {
    workload: &CANCELLATION,
    id: "release_latency",
    unit: Unit::Ns,
    what: "Time from the cancel request to the task's resource being released (a distribution).",
};

/// Everything this workload names, for the catalogue's index.
pub const IDS: Ids = Ids { workload: &CANCELLATION, metrics: &[&CANCEL_RELEASE], variants: &[], roles: &[] };

/// How long a cancelled task would work if nobody cancelled it: far longer than any test.
pub const WORK: Duration = Duration::from_secs(60);

/// How often a thread that cannot be cancelled from outside checks its token: the length
/// of one slice of its work.
pub const CHECK_INTERVAL: Duration = Duration::from_millis(1);

/// How long trial `trial` holds its resource before the cancel request: `hold` plus a seeded
/// fraction of [`CHECK_INTERVAL`]. The fraction spreads the requests over the whole check
/// interval of a cooperative worker; with a fixed hold, every request would land at the
/// same point of the worker's cycle and measure that point, not the model.
pub fn hold_for(hold: Duration, trial: usize) -> Duration {
    let thousandths = (crate::rng::input(trial as u64) % 1_000) as u32;
    hold + CHECK_INTERVAL * thousandths / 1_000
}

/// The sizes of W6 in one profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sizes {
    /// Cancelled tasks per run: each gives one latency.
    pub trials: usize,
    /// How long each task holds its resource before the cancel request.
    pub hold: Duration,
}

/// W6's sizes in `profile`.
pub fn sizes(profile: Profile) -> Sizes {
    let hold = Duration::from_millis(1);
    match profile {
        Profile::Full => Sizes { trials: 500, hold },
        Profile::Quick => Sizes { trials: 200, hold },
        Profile::Smoke => Sizes { trials: 20, hold },
        Profile::Test => Sizes { trials: 50, hold },
    }
}

/// A flag a worker checks between slices of its work: cooperative cancellation, for models
/// that cannot stop a task from outside (threads, pools).
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    /// A token not yet cancelled.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the worker to stop at its next check.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Release);
    }

    /// Whether stopping was asked for.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

/// How a model cancels a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mechanism {
    /// The runtime drops the task at its next await (tokio's `abort`, dropping a smol or
    /// async-std task).
    Abort,
    /// The worker checks a [`CancelToken`] every `check_every`.
    Cooperative {
        /// The check interval.
        check_every: Duration,
    },
    /// The parent sends the worker process `SIGTERM`; the worker's handler wakes its work,
    /// which releases the resource and exits (`SIGKILL` only if it does not, in time).
    Signal,
}

impl Mechanism {
    /// One line for the table, e.g. "cooperative: checked every 1 ms".
    pub fn describe(self) -> String {
        match self {
            Mechanism::Abort => "cancelled from outside, at its next await".to_owned(),
            Mechanism::Cooperative { check_every } => {
                format!("cooperative: token checked every {}", crate::text::duration(check_every))
            }
            Mechanism::Signal => "a signal (SIGTERM) from outside, handled by the worker".to_owned(),
        }
    }
}

/// What a W6 run returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancelOutcome {
    /// Tasks started and cancelled.
    pub trials: usize,
    /// Tasks joined after their cancellation (none left running).
    pub joined: usize,
    /// For each trial, the time from the cancel request to the resource's release.
    pub latencies: Vec<Duration>,
    /// Resources still held after the run: must be zero.
    pub live_after: usize,
    /// How the model cancelled.
    pub mechanism: Mechanism,
}

/// Checks a W6 outcome: every trial cancelled, joined, timed, and its resource released.
pub fn check(trials: usize, got: &CancelOutcome) -> Result<(), WrongAnswer> {
    let wrong = |detail: String| Err(WrongAnswer { workload: CANCELLATION.id, detail });
    if got.trials != trials || got.joined != trials || got.latencies.len() != trials {
        return wrong(format!(
            "{trials} trials asked for; {} run, {} joined, {} latencies",
            got.trials,
            got.joined,
            got.latencies.len()
        ));
    }
    if got.live_after != 0 {
        return wrong(format!("{} resources still held after every task was cancelled", got.live_after));
    }
    if let Some(slow) = got.latencies.iter().find(|l| **l >= WORK) {
        return wrong(format!("a release came {slow:?} after the request: the task ran to the end"));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// What it declares: the sizes each model runs, and what the table reads.

/// W6's declarations ([`Spec`]).
pub struct Declared;

impl Spec for Declared {
    fn ids(&self) -> &'static Ids {
        &IDS
    }

    fn extra_rounds(&self) -> usize {
        crate::spec::NOISY
    }

    fn sizes(&self, profile: Profile, _model: &ModelInfo) -> Vec<(usize, Verdict)> {
        vec![(sizes(profile).trials, Ok(()))]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Holds stay within one check interval above the base, and differ between trials.
    #[test]
    fn holds_spread_over_one_check_interval() {
        let base = Duration::from_millis(1);
        let holds: Vec<Duration> = (0..100).map(|t| hold_for(base, t)).collect();
        assert!(holds.iter().all(|h| *h >= base && *h < base + CHECK_INTERVAL));
        assert!(holds.iter().any(|h| *h < base + CHECK_INTERVAL / 4));
        assert!(holds.iter().any(|h| *h > base + CHECK_INTERVAL * 3 / 4));
    }
}
