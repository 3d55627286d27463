//! The [`Model`] trait: one method per workload, implemented by every model crate.

use std::borrow::Cow;
use std::time::Duration;

use crate::idle::{IdleOutcome, Peak};
use crate::ping_pong::PingPongOutcome;
use crate::spawn_join::SpawnOutcome;
use crate::waits::WaitOutcome;

/// The one-line reason a model does not run a workload (or stopped at a limit).
///
/// It appears in the comparison table in place of a number, so it should say *why* in
/// words a reader understands, e.g. "rayon has no channels: a blocked job ties up a worker".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    /// The reason, one line.
    pub reason: Cow<'static, str>,
}

impl Skip {
    /// A skip with a fixed reason.
    pub const fn because(reason: &'static str) -> Self {
        Skip { reason: Cow::Borrowed(reason) }
    }

    /// A skip whose reason is built at run time (a limit that was hit, an OS error).
    pub fn with(reason: String) -> Self {
        Skip { reason: Cow::Owned(reason) }
    }
}

impl std::fmt::Display for Skip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for Skip {}

/// How a model runs waiting tasks; the harness uses it to size the runs that would take
/// too long (a sequential program waits N·D, not D).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One thing at a time: N waits take N·D.
    Sequential,
    /// A fixed pool of `workers` threads: a waiting job blocks its worker, so N waits take
    /// ⌈N / workers⌉·D.
    Pool,
    /// One OS thread per task: all N waits overlap, up to the OS's thread limit.
    Threads,
    /// Cooperative tasks on an async runtime: all N waits overlap, tasks are cheap.
    Async,
}

/// A model's identity and the words of the comparison table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelInfo {
    /// Short id used in benchmark ids and results, e.g. `tokio-ct`.
    pub id: &'static str,
    /// Name shown in the table header.
    pub name: &'static str,
    /// How it runs tasks.
    pub kind: Kind,
    /// Threads that run tasks (1 for sequential and single-threaded runtimes).
    pub workers: usize,
    /// "Concurrency model" row.
    pub concurrency: &'static str,
    /// "Best for" row.
    pub best_for: &'static str,
    /// "Debugging" row.
    pub debugging: &'static str,
}

impl ModelInfo {
    /// How long `n` waits of `wait` should take in this model, if it does its job:
    /// the figure the harness uses to leave out sizes that would not fit its time budget.
    pub fn expected_wait_time(&self, n: usize, wait: Duration) -> Duration {
        let rounds = match self.kind {
            Kind::Sequential => n,
            Kind::Pool => n.div_ceil(self.workers.max(1)),
            Kind::Threads | Kind::Async => 1.min(n),
        };
        wait * u32::try_from(rounds).unwrap_or(u32::MAX)
    }
}

/// A concurrency model: the same workloads, each run through the model's own entry point.
///
/// Each method runs one whole workload and returns its outcome, which the caller checks
/// against the expected answer ([`crate::waits::check`] and friends). The runtime or pool is
/// built when the model value is created, so a method call measures the work, not start-up.
/// A model that cannot sensibly run a workload returns [`Skip`] with its reason; there are
/// no default methods, so a new workload cannot be skipped silently.
pub trait Model: Send + Sync {
    /// Identity and the table's words.
    fn info(&self) -> ModelInfo;

    /// W1: start `n` tasks that each wait `wait`, then join them all.
    fn concurrent_waits(&self, n: usize, wait: Duration) -> Result<WaitOutcome, Skip>;

    /// W2: spawn `n` trivial tasks that each return [`crate::spawn_join::task_value`], and
    /// join them all.
    fn spawn_join(&self, n: usize) -> Result<SpawnOutcome, Skip>;

    /// W3: two tasks pass a token back and forth `rounds` times, each adding one per hop.
    fn ping_pong(&self, rounds: usize) -> Result<PingPongOutcome, Skip>;

    /// W4: hold `n` tasks alive, each waiting on one shared gate; once they have all started
    /// (or a limit stopped the spawning), call `at_peak` (where the probe reads memory), then
    /// open the gate and join every task that started.
    fn idle_tasks(&self, n: usize, at_peak: &mut dyn FnMut(&Peak)) -> Result<IdleOutcome, Skip>;
}
