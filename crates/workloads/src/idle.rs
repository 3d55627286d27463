//! W4, *idle tasks* (the tutorial's "memory usage" row): hold N tasks alive, each waiting on
//! one shared gate, and read the process's memory while they wait. The probe binary runs
//! this in a fresh child process per measurement: bytes per task = (RSS(N) − RSS(1)) / N.

use crate::WrongAnswer;
use crate::catalogue::{Chapter, Ids, Metric, Unit, Workload};
use crate::model::{Kind, ModelInfo};
use crate::profile::{Profile, Verdict};
use crate::spec::Spec;

// ---------------------------------------------------------------------------------------
// The ids: the workload, its figures, variants and named sizes, as records and the docs name them.

/// W4.
pub const IDLE: Workload = Workload {
    id: "idle_tasks",
    code: "W4",
    title: "idle tasks",
    what: "N tasks held alive, waiting, while memory is read in a child process.",
    chapter: Chapter::Tasks,
};
/// W4: resident bytes per idle task.
pub const IDLE_RSS: Metric = Metric {
    workload: &IDLE,
    id: "rss_bytes_per_task",
    unit: Unit::Bytes,
    what: "Peak resident memory growth over a one-task baseline, per task.",
};
/// W4: proportional bytes per idle task, over the whole process tree.
pub const IDLE_PSS: Metric = Metric {
    workload: &IDLE,
    id: "pss_bytes_per_task",
    unit: Unit::Bytes,
    what: "Growth of the proportional set size (PSS) of the process and every process it started, over a \
           one-task baseline, per task: a page shared by k processes counts 1/k in each.",
};
/// W4: the kernel's bytes per idle task.
pub const IDLE_KERNEL: Metric = Metric {
    workload: &IDLE,
    id: "kernel_bytes_per_task",
    unit: Unit::Bytes,
    what: "Growth of kernel stacks, page tables and slab per task (system-wide: approximate).",
};
/// W4: the most tasks one process held.
pub const IDLE_LARGEST_N: Metric = Metric {
    workload: &IDLE,
    id: "largest_n",
    unit: Unit::Count,
    what: "The largest number of tasks one process held at once, and what stopped it.",
};

/// Everything this workload names, for the catalogue's index.
pub const IDS: Ids = Ids {
    workload: &IDLE,
    metrics: &[&IDLE_RSS, &IDLE_PSS, &IDLE_KERNEL, &IDLE_LARGEST_N],
    variants: &[],
    roles: &[],
};

/// The sizes of W4 in one profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sizes {
    /// Idle task counts for async runtimes (the published 2024 comparison went to 1 000 000).
    pub tasks_async: &'static [usize],
    /// Idle thread counts (10 000 threads fit well under the per-process limit).
    pub threads: &'static [usize],
    /// Threads asked for to find the limit, or `None` to skip the search.
    pub thread_limit_search: Option<usize>,
    /// Idle worker process counts. Fewer than threads: each process takes about a
    /// millisecond to start and the parent holds two pipes to it, so 10 000 would take
    /// tens of seconds per probe and most of the ~20 000 open files a process may have.
    pub processes: &'static [usize],
}

/// W4's sizes in `profile`.
pub fn sizes(profile: Profile) -> Sizes {
    let full = Sizes {
        tasks_async: &[1_000, 10_000, 100_000, 1_000_000],
        threads: &[1_000, 10_000],
        thread_limit_search: Some(100_000),
        processes: &[100, 1_000],
    };
    match profile {
        Profile::Full => full,
        // No search for the thread limit: it takes a quarter of a minute of probes.
        Profile::Quick => Sizes { tasks_async: &[1_000, 10_000, 100_000], thread_limit_search: None, ..full },
        Profile::Smoke => {
            Sizes { tasks_async: &[1_000], threads: &[1_000], thread_limit_search: None, processes: &[100] }
        }
        Profile::Test => {
            Sizes { tasks_async: &[1_000], threads: &[200], thread_limit_search: None, processes: &[50] }
        }
    }
}

impl Sizes {
    /// Task counts for `model`: many for async runtimes, fewer for threads, fewer still for
    /// processes, none for models that cannot hold waiting tasks.
    pub fn for_model(&self, model: &ModelInfo) -> &'static [usize] {
        match model.kind {
            Kind::Async => self.tasks_async,
            Kind::Threads => self.threads,
            Kind::Processes => self.processes,
            Kind::Sequential | Kind::Pool => &[],
        }
    }
}

/// The moment of the measurement: every task that could start has started and is waiting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peak {
    /// Tasks alive and waiting.
    pub started: usize,
    /// Why spawning stopped short of N, if it did (the OS refused another thread...).
    pub error: Option<String>,
}

/// What a W4 run returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdleOutcome {
    /// Tasks asked for.
    pub requested: usize,
    /// Tasks that started and waited at the gate.
    pub started: usize,
    /// Tasks joined after the gate opened.
    pub joined: usize,
    /// Why spawning stopped short, if it did.
    pub error: Option<String>,
}

/// Checks a W4 outcome: every task that started was joined, and all `requested` started
/// unless a limit stopped the spawning (then `error` says which).
pub fn check(got: &IdleOutcome) -> Result<(), WrongAnswer> {
    let wrong = |detail: String| Err(WrongAnswer { workload: IDLE.id, detail });
    if got.joined != got.started {
        return wrong(format!("{} tasks started but {} were joined", got.started, got.joined));
    }
    if got.error.is_none() && got.started != got.requested {
        return wrong(format!(
            "{} tasks requested but {} started, with no error",
            got.requested, got.started
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// What it declares: the sizes each model runs, and what the table reads.

/// W4's declarations ([`Spec`]).
pub struct Declared;

impl Spec for Declared {
    fn ids(&self) -> &'static Ids {
        &IDS
    }

    /// The model's sizes; a model that cannot hold waiting tasks gets one size, 1, which the
    /// plan leaves out with the model's reason ([`crate::ModelInfo::cannot`]).
    fn sizes(&self, profile: Profile, model: &ModelInfo) -> Vec<(usize, Verdict)> {
        let sizes = sizes(profile).for_model(model);
        if sizes.is_empty() { vec![(1, Ok(()))] } else { sizes.iter().map(|&n| (n, Ok(()))).collect() }
    }

    fn figures(&self) -> &'static [&'static Metric] {
        &[&IDLE_RSS, &IDLE_PSS, &IDLE_LARGEST_N]
    }
}
