//! The named sizes of every workload. Model crates never choose their own.
//!
//! Four profiles: [`Profile::Full`] is what `cargo bench` measures; [`Profile::Quick`]
//! (`cargo bench -- --quick`) drops the largest sizes; [`Profile::Smoke`]
//! (`cargo bench -- --test`, run by CI) runs each benchmark once at small sizes;
//! [`Profile::Test`] is what the conformance tests use.

use std::time::Duration;

use crate::model::{Kind, ModelInfo};

/// W1: how long each task waits (the tutorial's `asyncio.sleep`).
pub const WAIT: Duration = Duration::from_millis(100);
/// W1: task counts every model is asked for.
pub const WAIT_TASKS: &[usize] = &[10, 1_000, 10_000];
/// W1: extra task counts for async runtimes only (threads stop near 16 000 per process).
pub const WAIT_TASKS_ASYNC: &[usize] = &[100_000];
/// W1: a size whose expected wall time is over this is left out, with the reason in the
/// table (a sequential program would wait N·D: 1 000 s for 10 000 tasks).
pub const WAIT_BUDGET: Duration = Duration::from_millis(1_500);
/// W2: tasks spawned and joined per run.
pub const SPAWN_TASKS: usize = 10_000;
/// W3: round trips per run.
pub const PING_PONG_ROUNDS: usize = 10_000;
/// W4: idle task counts for async runtimes (the published 2024 comparison went to 1 000 000).
pub const IDLE_TASKS_ASYNC: &[usize] = &[1_000, 10_000, 100_000, 1_000_000];
/// W4: idle thread counts (10 000 threads fit well under the per-process limit).
pub const IDLE_THREADS: &[usize] = &[1_000, 10_000];
/// W4: threads asked for to find the limit; the probe stops at the first refusal.
pub const THREAD_LIMIT_SEARCH: usize = 100_000;

/// Which set of sizes a run uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// Every size: what `cargo bench` reports.
    Full,
    /// The largest sizes dropped: `cargo bench -- --quick`, about two minutes.
    Quick,
    /// Each benchmark once at small sizes: `cargo bench -- --test`, for CI.
    Smoke,
    /// What the conformance tests use: sizes that still show the behaviour.
    Test,
}

impl Profile {
    /// Lower-case name, as recorded in the report.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Full => "full",
            Profile::Quick => "quick",
            Profile::Smoke => "smoke",
            Profile::Test => "test",
        }
    }

    /// The sizes of this profile.
    pub fn sizes(self) -> Sizes {
        let full = Sizes {
            wait: WAIT,
            wait_tasks: WAIT_TASKS,
            wait_tasks_async: WAIT_TASKS_ASYNC,
            wait_budget: WAIT_BUDGET,
            spawn_tasks: SPAWN_TASKS,
            ping_pong_rounds: PING_PONG_ROUNDS,
            idle_tasks_async: IDLE_TASKS_ASYNC,
            idle_threads: IDLE_THREADS,
            thread_limit_search: Some(THREAD_LIMIT_SEARCH),
        };
        match self {
            Profile::Full => full,
            Profile::Quick => {
                Sizes { wait_tasks_async: &[], idle_tasks_async: &[1_000, 10_000, 100_000], ..full }
            }
            Profile::Smoke => Sizes {
                wait_tasks: &[10, 1_000],
                wait_tasks_async: &[],
                spawn_tasks: 1_000,
                ping_pong_rounds: 1_000,
                idle_tasks_async: &[1_000],
                idle_threads: &[1_000],
                thread_limit_search: None,
                ..full
            },
            Profile::Test => Sizes {
                wait_tasks: &[10, 1_000],
                wait_tasks_async: &[],
                wait_budget: Duration::from_millis(1_200),
                spawn_tasks: 2_000,
                ping_pong_rounds: 2_000,
                idle_tasks_async: &[1_000],
                idle_threads: &[200],
                thread_limit_search: None,
                ..full
            },
        }
    }
}

/// The sizes one run uses. See the constants of this module for what each one means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sizes {
    /// W1: [`WAIT`].
    pub wait: Duration,
    /// W1: [`WAIT_TASKS`].
    pub wait_tasks: &'static [usize],
    /// W1: [`WAIT_TASKS_ASYNC`].
    pub wait_tasks_async: &'static [usize],
    /// W1: [`WAIT_BUDGET`].
    pub wait_budget: Duration,
    /// W2: [`SPAWN_TASKS`].
    pub spawn_tasks: usize,
    /// W3: [`PING_PONG_ROUNDS`].
    pub ping_pong_rounds: usize,
    /// W4: [`IDLE_TASKS_ASYNC`].
    pub idle_tasks_async: &'static [usize],
    /// W4: [`IDLE_THREADS`].
    pub idle_threads: &'static [usize],
    /// W4: [`THREAD_LIMIT_SEARCH`], or `None` to skip the search.
    pub thread_limit_search: Option<usize>,
}

impl Sizes {
    /// W1 task counts for `model`, each with `Ok` or the reason it is left out.
    ///
    /// A size is left out when the model would need longer than the budget to do it
    /// properly, never silently: the reason says how long it would take.
    pub fn wait_sizes(&self, model: &ModelInfo) -> Vec<(usize, Result<(), String>)> {
        let extra = if model.kind == Kind::Async { self.wait_tasks_async } else { &[] };
        self.wait_tasks
            .iter()
            .chain(extra)
            .map(|&n| {
                let expected = model.expected_wait_time(n, self.wait);
                let verdict = if expected <= self.wait_budget {
                    Ok(())
                } else {
                    Err(format!(
                        "not run: would take ≈{:.0} s ({}), over the {:.1} s budget per run",
                        expected.as_secs_f64(),
                        match model.kind {
                            Kind::Sequential => "N·D".to_owned(),
                            _ => format!("N/{}·D", model.workers),
                        },
                        self.wait_budget.as_secs_f64()
                    ))
                };
                (n, verdict)
            })
            .collect()
    }

    /// W4 task counts for `model`: many for async runtimes, fewer for threads, none for
    /// models that cannot hold waiting tasks.
    pub fn idle_sizes(&self, model: &ModelInfo) -> &'static [usize] {
        match model.kind {
            Kind::Async => self.idle_tasks_async,
            Kind::Threads => self.idle_threads,
            Kind::Sequential | Kind::Pool => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(kind: Kind, workers: usize) -> ModelInfo {
        ModelInfo { id: "x", name: "x", kind, workers, concurrency: "", best_for: "", debugging: "" }
    }

    /// A sequential model is not asked for 10 000 waits of 100 ms, and the reason says why.
    #[test]
    fn sequential_sizes_fit_the_budget() {
        let sizes = Profile::Full.sizes().wait_sizes(&info(Kind::Sequential, 1));
        assert_eq!(sizes[0], (10, Ok(())));
        let (n, verdict) = &sizes[2];
        assert_eq!(*n, 10_000);
        assert!(verdict.as_ref().unwrap_err().contains("≈1000 s (N·D)"), "{verdict:?}");
    }

    /// A pool of 2 workers overlaps two waits at a time; async runtimes get the extra size.
    #[test]
    fn pool_and_async_sizes() {
        let pool = Profile::Full.sizes().wait_sizes(&info(Kind::Pool, 2));
        assert!(pool[0].1.is_ok() && pool[1].1.is_err());
        let runtime = Profile::Full.sizes().wait_sizes(&info(Kind::Async, 2));
        assert_eq!(runtime.iter().map(|s| s.0).collect::<Vec<_>>(), [10, 1_000, 10_000, 100_000]);
        assert!(runtime.iter().all(|s| s.1.is_ok()));
    }
}
