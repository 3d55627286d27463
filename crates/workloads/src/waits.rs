//! W1, *concurrent waits* (the tutorial's "Running Multiple Coroutines Concurrently"):
//! start N tasks that each wait D, then join them all. Concurrent models take about D;
//! a sequential program takes N·D.
//!
//! Each task returns its own index, so the joined sum proves every task ran exactly once.

use std::time::Duration;

use crate::catalogue::{Chapter, Ids, Metric, Role, Unit, Workload};
use crate::model::{Kind, ModelInfo};
use crate::profile::{Profile, Verdict, fits_budget};
use crate::spec::{Named, Spec};
use crate::{WrongAnswer, text};

// ---------------------------------------------------------------------------------------
// The ids: the workload, its figures, variants and named sizes, as records and the docs name them.

/// W1.
pub const WAITS: Workload = Workload {
    id: "concurrent_waits",
    code: "W1",
    title: "concurrent waits",
    what: "N tasks each wait D, then are joined: timers and the scheduler, not the CPU.",
    chapter: Chapter::Tasks,
};
/// W1: wall time of one run.
pub const WAITS_WALL_TIME: Metric = Metric {
    workload: &WAITS,
    id: "wall_time",
    unit: Unit::Ms,
    what: "Wall time from the first spawn to the last join.",
};
/// W1: wall time past the model's ideal (D overlapped, N·D in sequence, ⌈N/workers⌉·D on a pool).
pub const WAITS_OVERSHOOT: Metric = Metric {
    workload: &WAITS,
    id: "overshoot",
    unit: Unit::Ms,
    what: "Wall time past the model's ideal: what the tasks themselves cost.",
};
/// W1, the Python columns: of the wall time, the time in Python's cyclic garbage collector.
pub const WAITS_GC_TIME: Metric = Metric {
    workload: &WAITS,
    id: "gc_time",
    unit: Unit::Ms,
    what: "Of the wall time, the time Python's cyclic garbage collector took (Python only: Rust frees each task when it ends).",
};
/// W1: the size of the "Scalability" row.
pub const WAITS_SCALABILITY: Role = Role { workload: &WAITS, id: "waits_scalability" };
/// W1: the size of the "Speedup over sequential" row.
pub const WAITS_SPEEDUP: Role = Role { workload: &WAITS, id: "waits_speedup" };

/// Everything this workload names, for the catalogue's index.
pub const IDS: Ids = Ids {
    workload: &WAITS,
    metrics: &[&WAITS_WALL_TIME, &WAITS_OVERSHOOT, &WAITS_GC_TIME],
    variants: &[],
    roles: &[&WAITS_SCALABILITY, &WAITS_SPEEDUP],
};

/// The sizes of W1 in one profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sizes {
    /// How long each task waits (the tutorial's `asyncio.sleep`).
    pub wait: Duration,
    /// Task counts every model is asked for.
    pub tasks: &'static [usize],
    /// Extra task counts for async runtimes only (threads stop near 16 000 per process).
    pub tasks_async: &'static [usize],
    /// A size whose expected wall time is over this is left out, with the reason in the
    /// table (a sequential program would wait N·D: 1 000 s for 10 000 tasks).
    pub budget: Duration,
    /// The size of the table's "Scalability" row.
    pub scalability: usize,
    /// The size of the table's "Speedup over sequential" row.
    pub speedup: usize,
}

/// W1's sizes in `profile`.
pub fn sizes(profile: Profile) -> Sizes {
    let full = Sizes {
        wait: Duration::from_millis(100),
        tasks: &[10, 1_000, 10_000],
        tasks_async: &[100_000],
        budget: Duration::from_millis(1_500),
        scalability: 10_000,
        speedup: 10,
    };
    match profile {
        Profile::Full => full,
        Profile::Quick => Sizes { tasks_async: &[], ..full },
        Profile::Smoke => Sizes { tasks: &[10, 1_000], tasks_async: &[], scalability: 1_000, ..full },
        Profile::Test => Sizes {
            tasks: &[10, 1_000],
            tasks_async: &[],
            budget: Duration::from_millis(1_200),
            scalability: 1_000,
            ..full
        },
    }
}

impl Sizes {
    /// The task counts for `model`, each with `Ok` or the reason it is left out.
    ///
    /// The waits of processes overlap as those of threads do, but their starts do not: a
    /// size is run only if N starts and one wait fit the budget (1 000 do, 10 000 would
    /// take about 10 s and hold 10 000 pipes open).
    pub fn for_model(&self, model: &ModelInfo) -> Vec<(usize, Verdict)> {
        let extra = if model.kind == Kind::Async { self.tasks_async } else { &[] };
        self.tasks.iter().chain(extra).map(|&n| (n, fits_budget(model, n, self.wait, self.budget))).collect()
    }

    /// How a size reads in the table: "10 000 waits of 100 ms".
    pub fn label(&self, n: usize) -> String {
        format!("{} waits of {}", text::group_thousands(n as u64), text::duration(self.wait))
    }
}

/// What a W1 run returns: how many tasks were joined and the sum of the indices they
/// returned.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WaitOutcome {
    /// Tasks joined.
    pub completed: usize,
    /// Sum of the indices the tasks returned.
    pub sum: u64,
}

impl WaitOutcome {
    /// Adds one joined task's result.
    pub fn record(&mut self, index: u64) {
        self.completed += 1;
        self.sum = self.sum.wrapping_add(index);
    }

    /// Combines two partial outcomes (for models that reduce in parallel, like rayon).
    pub fn merge(self, other: Self) -> Self {
        WaitOutcome { completed: self.completed + other.completed, sum: self.sum.wrapping_add(other.sum) }
    }
}

/// The answer `n` tasks must give: every index `0..n` exactly once.
pub fn expected(n: usize) -> WaitOutcome {
    let n64 = n as u64;
    WaitOutcome { completed: n, sum: n64 * n64.saturating_sub(1) / 2 }
}

/// Checks a W1 outcome against [`expected`].
pub fn check(n: usize, got: &WaitOutcome) -> Result<(), WrongAnswer> {
    crate::compare(WAITS.id, &expected(n), got)
}

// ---------------------------------------------------------------------------------------
// What it declares: the sizes each model runs, and what the table reads.

/// W1's declarations ([`Spec`]).
pub struct Declared;

impl Spec for Declared {
    fn ids(&self) -> &'static Ids {
        &IDS
    }

    fn sizes(&self, profile: Profile, model: &ModelInfo) -> Vec<(usize, Verdict)> {
        sizes(profile).for_model(model)
    }

    fn figures(&self) -> &'static [&'static Metric] {
        &[&WAITS_WALL_TIME]
    }

    fn named_sizes(&self, profile: Profile) -> Vec<Named> {
        let sizes = sizes(profile);
        vec![
            Named::new(&WAITS_SCALABILITY, sizes.scalability, sizes.label(sizes.scalability)),
            Named::new(&WAITS_SPEEDUP, sizes.speedup, sizes.label(sizes.speedup)),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::tests::info;

    /// Async runtimes get the extra size; a pool of 2 runs 10 waits but not 1 000.
    #[test]
    fn sizes_per_model() {
        let full = sizes(Profile::Full);
        let runtime = full.for_model(&info(Kind::Async, 2));
        assert_eq!(runtime.iter().map(|s| s.0).collect::<Vec<_>>(), [10, 1_000, 10_000, 100_000]);
        assert!(runtime.iter().all(|s| s.1.is_ok()));
        let pool = full.for_model(&info(Kind::Pool, 2));
        assert!(pool[0].1.is_ok() && pool[1].1.is_err());
        assert_eq!(full.label(10_000), "10 000 waits of 100 ms");
    }

    /// Processes run what their starts allow: 1 000 in every profile, not 10 000.
    #[test]
    fn sizes_for_processes() {
        let processes = info(Kind::Processes, 2);
        for profile in [Profile::Full, Profile::Quick, Profile::Smoke, Profile::Test] {
            let run: Vec<usize> = sizes(profile)
                .for_model(&processes)
                .into_iter()
                .filter(|s| s.1.is_ok())
                .map(|s| s.0)
                .collect();
            assert_eq!(run, [10, 1_000], "{profile:?}");
        }
        let left_out = sizes(Profile::Full).for_model(&processes)[2].1.clone().unwrap_err();
        assert!(left_out.contains("process starts"), "{left_out}");
    }
}
