//! W5, *gather and as-completed* (the tutorial's "Creating and Managing Tasks"): N tasks
//! that each wait a seeded random duration. `gather` hands the results back in submission
//! order, whatever order the tasks finished in; `as_completed` hands each back as soon as
//! its task finishes.
//!
//! The durations are a seeded permutation of N evenly spaced steps, so they are all
//! different and the order in which they should finish is known in advance: with steps
//! wider than the timer's jitter (the test sizes), a model that overlaps its tasks must
//! return them exactly in that order.

use std::collections::HashMap;
use std::time::Duration;

use crate::catalogue::{Chapter, Ids, Metric, Role, Unit, Variant, Workload};
use crate::model::{Kind, ModelInfo};
use crate::profile::{Profile, Verdict, fits_budget};
use crate::spec::{Named, Spec};
use crate::{WrongAnswer, rng, text};

// ---------------------------------------------------------------------------------------
// The ids: the workload, its figures, variants and named sizes, as records and the docs name them.

/// W5.
pub const GATHER: Workload = Workload {
    id: "gather",
    code: "W5",
    title: "gather and as-completed",
    what: "N tasks of seeded random durations; results in submission order, or as they complete.",
    chapter: Chapter::Lifecycle,
};
/// W5: tasks per second through the run.
pub const GATHER_TASKS_PER_SECOND: Metric = Metric {
    workload: &GATHER,
    id: "tasks_per_second",
    unit: Unit::PerSecond,
    what: "N divided by the wall time from the first spawn to the last result.",
};
/// W5: results in submission order (`asyncio.gather`).
pub const GATHER_IN_ORDER: Variant = Variant { workload: &GATHER, id: "gather" };
/// W5: results in completion order (`asyncio.as_completed`).
pub const GATHER_AS_COMPLETED: Variant = Variant { workload: &GATHER, id: "as_completed" };
/// W5: the size of the "As-completed throughput" row.
pub const GATHER_HEADLINE: Role = Role { workload: &GATHER, id: "gather_headline" };

/// Everything this workload names, for the catalogue's index.
pub const IDS: Ids = Ids {
    workload: &GATHER,
    metrics: &[&GATHER_TASKS_PER_SECOND],
    variants: &[&GATHER_IN_ORDER, &GATHER_AS_COMPLETED],
    roles: &[&GATHER_HEADLINE],
};

/// The sizes of W5 in one profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sizes {
    /// Task counts.
    pub tasks: &'static [usize],
    /// The longest duration; the others are spread evenly below it.
    pub spread: Duration,
    /// A size whose expected wall time is over this is left out, with the reason.
    pub budget: Duration,
    /// The size of the table's "As-completed throughput" row.
    pub headline: usize,
    /// How far out of duration order a result may come back (the timers' jitter) before
    /// as-completed is wrong; `None` checks only that every result came back once (at
    /// benchmark sizes the steps are microseconds, far below any timer's resolution).
    pub order_tolerance: Option<Duration>,
}

/// W5's sizes in `profile`.
pub fn sizes(profile: Profile) -> Sizes {
    let full = Sizes {
        tasks: &[100, 10_000],
        spread: Duration::from_millis(10),
        budget: Duration::from_millis(1_500),
        headline: 10_000,
        order_tolerance: None,
    };
    match profile {
        Profile::Full => full,
        Profile::Quick | Profile::Smoke => Sizes { tasks: &[100, 1_000], headline: 1_000, ..full },
        // Twelve tasks 50 ms apart: far wider than a timer's jitter on a busy machine (25 ms
        // apart with 12 ms of tolerance, a wake-up 50 ms late while the whole test suite
        // shared two cores put two tasks out of order).
        Profile::Test => Sizes {
            tasks: &[12],
            spread: Duration::from_millis(600),
            budget: Duration::from_secs(5),
            headline: 12,
            order_tolerance: Some(Duration::from_millis(30)),
        },
    }
}

impl Sizes {
    /// The task counts for `model`, each with `Ok` or the reason it is left out (a sequential
    /// program waits for every duration in turn: N × spread / 2 on average; a process per
    /// task pays N process starts first, [`crate::PROCESS_START`]).
    pub fn for_model(&self, model: &ModelInfo) -> Vec<(usize, Verdict)> {
        self.tasks.iter().map(|&n| (n, fits_budget(model, n, self.spread / 2, self.budget))).collect()
    }

    /// How a size reads in the table: "10 000 tasks of up to 10 ms".
    pub fn label(&self, n: usize) -> String {
        format!("{} tasks of up to {}", text::group_thousands(n as u64), text::duration(self.spread))
    }
}

/// The durations of `n` tasks: a seeded permutation of `spread/n, 2·spread/n, ..., spread`.
pub fn durations(n: usize, spread: Duration) -> Vec<Duration> {
    // Rank the tasks by a seeded key: task i gets the rank-th step.
    let mut by_key: Vec<usize> = (0..n).collect();
    by_key.sort_by_key(|&i| rng::input(i as u64));
    let mut out = vec![Duration::ZERO; n];
    for (rank, &i) in by_key.iter().enumerate() {
        out[i] = spread * (rank as u32 + 1) / n as u32;
    }
    out
}

/// The value task `i` returns: a seeded input, so a result returned twice or lost changes
/// the answer.
pub fn task_value(i: usize) -> u64 {
    rng::input(i as u64)
}

/// The results of a run, in the order the model returned them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GatherOutcome {
    /// The tasks' values, in the order returned.
    pub values: Vec<u64>,
}

/// Gather's answer for `n` tasks: every value, in submission order.
pub fn expected_gather(n: usize) -> GatherOutcome {
    GatherOutcome { values: (0..n).map(task_value).collect() }
}

/// Checks gather: exactly the values of [`expected_gather`], in submission order.
pub fn check_gather(want: &GatherOutcome, got: &GatherOutcome) -> Result<(), WrongAnswer> {
    if want.values.len() != got.values.len() {
        return wrong(format!("{} results expected, {} returned", want.values.len(), got.values.len()));
    }
    match want.values.iter().zip(&got.values).position(|(w, g)| w != g) {
        None => Ok(()),
        Some(i) => wrong(format!("result {i} is not task {i}'s: gather must keep submission order")),
    }
}

/// The order as-completed must return results in, on a model of this kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// In submission order: a sequential program finishes task i before it starts i + 1.
    Submission,
    /// In order of duration, up to `tolerance`: every task overlaps every other.
    ByDuration {
        /// How far out of order a result may come (the timers' jitter).
        tolerance: Duration,
    },
    /// Any order, each result once: a pool finishes tasks in an order its scheduling
    /// decides, or the steps are too fine to tell apart.
    AnyOrder,
}

impl Expect {
    /// What to expect of `model` at sizes whose order tolerance is `tolerance`.
    pub fn for_model(model: &ModelInfo, tolerance: Option<Duration>) -> Expect {
        match (model.kind, tolerance) {
            (Kind::Sequential, _) => Expect::Submission,
            // Processes too: the model starts every process first and then lets them all go
            // at once, so their timers start together, as threads' do.
            (Kind::Threads | Kind::Async | Kind::Processes, Some(tolerance)) => {
                Expect::ByDuration { tolerance }
            }
            _ => Expect::AnyOrder,
        }
    }
}

/// Checks as-completed: every task's value exactly once, in the order `expect` says.
pub fn check_as_completed(
    durations: &[Duration],
    got: &GatherOutcome,
    expect: Expect,
) -> Result<(), WrongAnswer> {
    let index: HashMap<u64, usize> = (0..durations.len()).map(|i| (task_value(i), i)).collect();
    let mut seen = vec![false; durations.len()];
    let mut latest = Duration::ZERO;
    for (position, value) in got.values.iter().enumerate() {
        let Some(&i) = index.get(value) else {
            return wrong(format!("result {position} is no task's value"));
        };
        if std::mem::replace(&mut seen[i], true) {
            return wrong(format!("task {i}'s result came back twice"));
        }
        match expect {
            Expect::Submission if i != position => {
                return wrong(format!("result {position} is task {i}'s: a sequential run finishes in order"));
            }
            Expect::ByDuration { tolerance } if durations[i] + tolerance < latest => {
                return wrong(format!(
                    "task {i} ({:?}) came back after a task of {latest:?}: not in completion order",
                    durations[i]
                ));
            }
            _ => {}
        }
        latest = latest.max(durations[i]);
    }
    if let Some(i) = seen.iter().position(|s| !s) {
        return wrong(format!("task {i}'s result never came back"));
    }
    Ok(())
}

fn wrong<T>(detail: String) -> Result<T, WrongAnswer> {
    Err(WrongAnswer { workload: GATHER.id, detail })
}

// ---------------------------------------------------------------------------------------
// What it declares: the sizes each model runs, and what the table reads.

/// W5's declarations ([`Spec`]).
pub struct Declared;

impl Spec for Declared {
    fn ids(&self) -> &'static Ids {
        &IDS
    }

    fn sizes(&self, profile: Profile, model: &ModelInfo) -> Vec<(usize, Verdict)> {
        sizes(profile).for_model(model)
    }

    fn variants(&self) -> &'static [Option<&'static Variant>] {
        &[Some(&GATHER_IN_ORDER), Some(&GATHER_AS_COMPLETED)]
    }

    fn named_sizes(&self, profile: Profile) -> Vec<Named> {
        let sizes = sizes(profile);
        vec![Named::new(&GATHER_HEADLINE, sizes.headline, sizes.label(sizes.headline))]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::tests::info;

    /// Durations are distinct steps up to the spread, in a seeded order.
    #[test]
    fn durations_are_a_permutation_of_steps() {
        let d = durations(4, Duration::from_millis(40));
        let mut sorted = d.clone();
        sorted.sort();
        assert_eq!(sorted, [10, 20, 30, 40].map(Duration::from_millis));
        assert_ne!(d, sorted, "the seeded order is not the sorted one");
        assert_eq!(d, durations(4, Duration::from_millis(40)));
    }

    /// Gather must keep submission order; as-completed must follow the durations.
    #[test]
    fn checks_both_orders() {
        let d = durations(5, Duration::from_millis(50));
        let gathered = expected_gather(5);
        check_gather(&gathered, &gathered).unwrap();
        let mut by_duration: Vec<usize> = (0..5).collect();
        by_duration.sort_by_key(|&i| d[i]);
        let completed = GatherOutcome { values: by_duration.iter().map(|&i| task_value(i)).collect() };
        assert!(check_gather(&gathered, &completed).is_err());
        let strict = Expect::ByDuration { tolerance: Duration::from_millis(5) };
        check_as_completed(&d, &completed, strict).unwrap();
        assert!(check_as_completed(&d, &gathered, strict).is_err());
        check_as_completed(&d, &gathered, Expect::Submission).unwrap();
        check_as_completed(&d, &gathered, Expect::AnyOrder).unwrap();
        let short = GatherOutcome { values: gathered.values[1..].to_vec() };
        assert!(check_as_completed(&d, &short, Expect::AnyOrder).is_err());
    }

    /// What each kind of model is held to.
    #[test]
    fn expectations_per_kind() {
        let tol = Some(Duration::from_millis(5));
        assert_eq!(Expect::for_model(&info(Kind::Sequential, 1), tol), Expect::Submission);
        assert_eq!(Expect::for_model(&info(Kind::Pool, 2), tol), Expect::AnyOrder);
        assert!(matches!(Expect::for_model(&info(Kind::Async, 2), tol), Expect::ByDuration { .. }));
        assert!(matches!(Expect::for_model(&info(Kind::Processes, 2), tol), Expect::ByDuration { .. }));
        assert_eq!(Expect::for_model(&info(Kind::Async, 2), None), Expect::AnyOrder);
    }

    /// A process per task: the sizes whose process starts fit the budget, the rest left out
    /// with the reason; other models' sizes are unchanged.
    #[test]
    fn processes_sizes_count_process_starts() {
        let full = sizes(Profile::Full);
        let processes = full.for_model(&info(Kind::Processes, 2));
        assert_eq!(processes.iter().map(|(n, _)| *n).collect::<Vec<_>>(), full.tasks);
        assert!(processes[0].1.is_ok(), "100 process starts fit");
        let left_out = processes[1].1.as_ref().expect_err("10 000 process starts do not fit");
        assert!(left_out.contains("process starts"), "{left_out}");
        assert!(full.for_model(&info(Kind::Threads, 2)).iter().all(|(_, v)| v.is_ok()));
        assert!(sizes(Profile::Test).for_model(&info(Kind::Processes, 2)).iter().all(|(_, v)| v.is_ok()));
    }
}
