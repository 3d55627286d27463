//! W7, *timeouts* (the tutorial's `asyncio.wait_for`): N operations start at once, each
//! doing work that takes longer than its deadline, so every one times out. The figure is
//! the lateness of each timeout: how long after its deadline the operation learned of it.
//! The check is that no work goes on after its timeout: a timeout that abandons the waiting
//! but leaves the work running is the classic mistake (with threads it is the default).
//! The work holds a [`Resource`](crate::resource::Resource) from a
//! [`Ledger`](crate::resource::Ledger) while it runs and closes it if it reaches its end:
//! after the run, the ledger must show none closed (no work finished) and none live (no work
//! still running).

use std::time::Duration;

use crate::catalogue::{Chapter, Ids, Metric, Role, Unit, Workload};
use crate::model::ModelInfo;
use crate::profile::{Profile, Verdict, fits_budget};
use crate::spec::{Named, Spec};
use crate::{WrongAnswer, text};

// ---------------------------------------------------------------------------------------
// The ids: the workload, its figures, variants and named sizes, as records and the docs name them.

/// W7.
pub const TIMEOUTS: Workload = Workload {
    id: "timeouts",
    code: "W7",
    title: "timeouts",
    what: "N operations whose deadline is shorter than their work; every one times out.",
    chapter: Chapter::Lifecycle,
};
/// W7: how late a timeout fires.
pub const TIMEOUT_LATENESS: Metric = Metric {
    workload: &TIMEOUTS,
    id: "lateness",
    unit: Unit::Ns,
    what: "Time from an operation's deadline to the moment it saw its timeout (a distribution).",
};
/// W7: the size of the "Timeout lateness" row.
pub const TIMEOUTS_HEADLINE: Role = Role { workload: &TIMEOUTS, id: "timeouts_headline" };

/// Everything this workload names, for the catalogue's index.
pub const IDS: Ids =
    Ids { workload: &TIMEOUTS, metrics: &[&TIMEOUT_LATENESS], variants: &[], roles: &[&TIMEOUTS_HEADLINE] };

/// How long past the work's full length a run waits before counting finished work: room
/// for a timer that fires a little late, so work left running is caught, not missed.
pub const GRACE: Duration = Duration::from_millis(20);

/// The sizes of W7 in one profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sizes {
    /// Operations started at once.
    pub ops: &'static [usize],
    /// Each operation's deadline.
    pub deadline: Duration,
    /// The work each operation would do: longer than the deadline.
    pub work: Duration,
    /// A size whose expected wall time is over this is left out, with the reason.
    pub budget: Duration,
    /// The size of the table's "Timeout lateness" row.
    pub headline: usize,
}

/// W7's sizes in `profile`.
pub fn sizes(profile: Profile) -> Sizes {
    let full = Sizes {
        ops: &[10, 10_000],
        deadline: Duration::from_millis(50),
        // Ten times the deadline: an operation whose timeout is seen more than 450 ms late
        // would find its work finished first (a thread starved of CPU among 10 000 can be
        // that late; at 100 ms, a few were).
        work: Duration::from_millis(500),
        budget: Duration::from_millis(1_500),
        headline: 10_000,
    };
    match profile {
        Profile::Full => full,
        Profile::Quick | Profile::Smoke | Profile::Test => {
            Sizes { ops: &[10, 1_000], headline: 1_000, ..full }
        }
    }
}

impl Sizes {
    /// The operation counts for `model`, each with `Ok` or the reason it is left out (a
    /// sequential program waits for each deadline in turn; a process per operation pays N
    /// process starts, [`crate::PROCESS_START`]).
    pub fn for_model(&self, model: &ModelInfo) -> Vec<(usize, Verdict)> {
        self.ops.iter().map(|&n| (n, fits_budget(model, n, self.deadline, self.budget))).collect()
    }

    /// How a size reads in the table: "10 000 deadlines of 50 ms".
    pub fn label(&self, n: usize) -> String {
        format!("{} deadlines of {}", text::group_thousands(n as u64), text::duration(self.deadline))
    }
}

/// What a W7 run returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimeoutOutcome {
    /// Operations started.
    pub ops: usize,
    /// Operations that timed out.
    pub timed_out: usize,
    /// Operations whose work ran to its end, counted once the work's whole length had
    /// passed: must be zero.
    pub finished_work: usize,
    /// Work still holding its [`Resource`](crate::resource::Resource) after the run: must
    /// be zero, or some work was left running after its timeout.
    pub live_after: usize,
    /// For each operation, how long after its deadline it saw the timeout.
    pub lateness: Vec<Duration>,
}

/// Checks a W7 outcome: every operation timed out, none finished its work.
pub fn check(ops: usize, got: &TimeoutOutcome) -> Result<(), WrongAnswer> {
    let wrong = |detail: String| Err(WrongAnswer { workload: TIMEOUTS.id, detail });
    if got.ops != ops || got.timed_out != ops || got.lateness.len() != ops {
        return wrong(format!(
            "{ops} operations asked for; {} run, {} timed out, {} latenesses",
            got.ops,
            got.timed_out,
            got.lateness.len()
        ));
    }
    if got.finished_work != 0 {
        return wrong(format!("{} operations finished their work after timing out", got.finished_work));
    }
    if got.live_after != 0 {
        return wrong(format!("{} operations' work is still running after its timeout", got.live_after));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// What it declares: the sizes each model runs, and what the table reads.

/// W7's declarations ([`Spec`]).
pub struct Declared;

impl Spec for Declared {
    fn ids(&self) -> &'static Ids {
        &IDS
    }

    fn extra_rounds(&self) -> usize {
        crate::spec::NOISIEST
    }

    fn sizes(&self, profile: Profile, model: &ModelInfo) -> Vec<(usize, Verdict)> {
        sizes(profile).for_model(model)
    }

    fn named_sizes(&self, profile: Profile) -> Vec<Named> {
        let sizes = sizes(profile);
        vec![Named::new(&TIMEOUTS_HEADLINE, sizes.headline, sizes.label(sizes.headline))]
    }
}
