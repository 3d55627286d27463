//! W2, *spawn and join* (the tutorial's `create_task` + `gather`): spawn N trivial tasks
//! that each return a value, join them all, check the sum. What it measures is the cost of
//! creating, scheduling and joining one task.

use crate::catalogue::{Chapter, Ids, Metric, Unit, Workload};
use crate::profile::{Profile, Verdict};
use crate::spec::Spec;
use crate::{Kind, ModelInfo, WrongAnswer, rng};

// ---------------------------------------------------------------------------------------
// The ids: the workload, its figures, variants and named sizes, as records and the docs name them.

/// W2.
pub const SPAWN_JOIN: Workload = Workload {
    id: "spawn_join",
    code: "W2",
    title: "spawn and join",
    what: "N trivial tasks spawned and joined: the cost of one task's life.",
    chapter: Chapter::Tasks,
};
/// W2: nanoseconds per task.
pub const SPAWN_NS_PER_TASK: Metric = Metric {
    workload: &SPAWN_JOIN,
    id: "ns_per_task",
    unit: Unit::Ns,
    what: "Time to spawn and join one task.",
};

/// Everything this workload names, for the catalogue's index.
pub const IDS: Ids = Ids { workload: &SPAWN_JOIN, metrics: &[&SPAWN_NS_PER_TASK], variants: &[], roles: &[] };

/// Tasks spawned and joined per run, in `profile`.
pub fn tasks(profile: Profile) -> usize {
    match profile {
        Profile::Full | Profile::Quick => 10_000,
        Profile::Smoke => 1_000,
        Profile::Test => 2_000,
    }
}

/// The most tasks the processes model spawns per run: each is a process start of about a
/// millisecond, so 1 000 take about a second, as long as 10 000 threads, and 10 000 would
/// also hold 10 000 pipes and unreaped processes at once.
pub const PROCESSES_MAX: usize = 1_000;

/// Tasks spawned and joined per run by `model`, in `profile`: [`tasks`], at most
/// [`PROCESSES_MAX`] for processes.
pub fn tasks_for(profile: Profile, model: &ModelInfo) -> usize {
    match model.kind {
        Kind::Processes => tasks(profile).min(PROCESSES_MAX),
        Kind::Sequential | Kind::Pool | Kind::Threads | Kind::Async => tasks(profile),
    }
}

/// What a W2 run returns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SpawnOutcome {
    /// Tasks joined.
    pub joined: usize,
    /// Wrapping sum of the values they returned.
    pub sum: u64,
}

impl SpawnOutcome {
    /// Adds one joined task's value.
    pub fn record(&mut self, value: u64) {
        self.joined += 1;
        self.sum = self.sum.wrapping_add(value);
    }
}

/// The value task `i` returns: the i-th seeded input, so that a task joined twice or lost
/// changes the sum (a plain `i` could hide two errors that cancel out).
pub fn task_value(i: usize) -> u64 {
    rng::input(i as u64)
}

/// The answer `n` tasks must give.
pub fn expected(n: usize) -> SpawnOutcome {
    let mut want = SpawnOutcome::default();
    (0..n).for_each(|i| want.record(task_value(i)));
    want
}

/// Checks a W2 outcome against a precomputed [`expected`] answer (computing it inside a
/// timed loop would add O(n) work to the measurement).
pub fn check(want: &SpawnOutcome, got: &SpawnOutcome) -> Result<(), WrongAnswer> {
    crate::compare(SPAWN_JOIN.id, want, got)
}

// ---------------------------------------------------------------------------------------
// What it declares: the sizes each model runs, and what the table reads.

/// W2's declarations ([`Spec`]).
pub struct Declared;

impl Spec for Declared {
    fn ids(&self) -> &'static Ids {
        &IDS
    }

    fn extra_rounds(&self) -> usize {
        crate::spec::NOISY
    }

    fn sizes(&self, profile: Profile, model: &ModelInfo) -> Vec<(usize, Verdict)> {
        vec![(tasks_for(profile, model), Ok(()))]
    }
}
