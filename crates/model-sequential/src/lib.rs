//! The **sequential** baseline: every workload done one step after another, on the calling
//! thread, with no concurrency at all.
//!
//! **Why it is here.** Every speedup in the comparison table is measured against it, and it
//! is the code every other model is a transformation of. It is also the right choice more
//! often than one thinks: for a few waits, or CPU work that fits one core, it is the
//! simplest and the easiest to debug.
//!
//! **How it runs.** Plain function calls. A wait blocks the whole program, so N waits of D
//! take N·D (the tutorial's "Sequential Execution").
//!
//! **Layout**, the same modules in every model crate:
//! - [`waits`]: W1, N waits one after another.
//! - [`spawn_join`]: W2, N calls instead of N tasks: the cost of the work with no task.
//! - [`ping_pong`]: W3, the token handed between two mailboxes in one loop: a hand-off with
//!   no switch at all.
//! - `idle`: not written; the [`Tasks`] impl below says why in the table.
//! - [`gather`]: W5, the tasks one after another; as-completed order is submission order.
//! - `cancellation`: not written; the [`Lifecycle`] impl below says why in the table.
//! - [`timeouts`]: W7, one operation after another, each waiting until its deadline at most.
//! - [`scoped`]: W8, a guard released by `Drop` on every path, in plain code.
//! - [`streams`]: W9, an iterator as the generator: no hand-off at all.
//! - [`locks`]: W10, the workers one after another on one `std::sync::Mutex`: the
//!   uncontended lock.
//! - `semaphore`: not written; the [`Sharing`] impl below says why in the table.
//! - [`channels`]: W12, a `VecDeque` that producers fill and consumers drain in turns.
//! - [`server`]: W13, the HTTP server: one connection at a time on the calling thread;
//!   every other client waits in the listen queue.
//! - [`client`]: W15, the HTTP client: the URLs fetched one after another.
//! - [`mandelbrot`]: W16, a plain loop over the rows: the speedups' baseline.
//! - [`merge_sort`]: W17, the whole input sorted by the one sequential merge sort.
//! - [`hashing`]: W18, a plain loop over the blocks.
//! - `stall`: not written; the [`Compute`] impl below says why in the table.
//! - this file: [`Sequential`] and the impls of [`Model`], [`Tasks`], [`Lifecycle`],
//!   [`Sharing`], [`Compute`] and [`Network`].

pub mod channels;
pub mod client;
pub mod gather;
pub mod hashing;
pub mod locks;
pub mod mandelbrot;
pub mod merge_sort;
pub mod ping_pong;
pub mod scoped;
pub mod server;
pub mod spawn_join;
pub mod streams;
pub mod timeouts;
pub mod waits;

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use workloads::cancellation::CANCELLATION;
use workloads::cancellation::CancelOutcome;
use workloads::channels::{Case, ChannelOutcome, Pipeline, PipelineOutcome};
use workloads::cpu::Way;
use workloads::gather::GatherOutcome;
use workloads::hashing::Blocks;
use workloads::http::{Connections, Fetched, Stop, Url};
use workloads::idle::IDLE;
use workloads::idle::{IdleOutcome, Peak};
use workloads::locks::{LockOutcome, Section};
use workloads::mandelbrot::Mandelbrot;
use workloads::ping_pong::PingPongOutcome;
use workloads::scoped::{ScopeOutcome, ScopePath};
use workloads::semaphore::SEMAPHORE;
use workloads::semaphore::{ChurnOutcome, SemaphoreOutcome};
use workloads::spawn_join::SpawnOutcome;
use workloads::stall::STALL;
use workloads::stall::{Stall, StallOutcome};
use workloads::streams::StreamOutcome;
use workloads::timeouts::TimeoutOutcome;
use workloads::waits::WaitOutcome;
use workloads::{Cannot, Compute, Kind, Lifecycle, Model, ModelInfo, Network, NotRun, Role, Sharing, Tasks};

/// The sequential baseline. Nothing to build: the calling thread does everything.
///
/// ```
/// use std::time::{Duration, Instant};
/// use model_sequential::Sequential;
/// use workloads::Tasks;
///
/// // Three waits of 10 ms, one after another: at least 30 ms.
/// let start = Instant::now();
/// let outcome = Sequential::new().concurrent_waits(3, Duration::from_millis(10))?;
/// assert!(start.elapsed() >= Duration::from_millis(30));
/// workloads::waits::check(3, &outcome)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Sequential {
    info: ModelInfo,
}

impl Sequential {
    /// The sequential model.
    pub fn new() -> Self {
        let info = ModelInfo {
            id: "sequential",
            name: "sequential",
            kind: Kind::Sequential,
            workers: 1,
            concurrency: "None: one step after another",
            best_for: "CPU work on one core with nothing to wait for: the baseline (Speedup, CPU-bound rows)",
            debugging: "Easiest: one stack, deterministic order",
            // What one thing at a time cannot show, and why: the table's cells say it.
            cannot: vec![
                Cannot::run(&IDLE, "holds 1: a waiting computation blocks the whole program"),
                Cannot::run(
                    &CANCELLATION,
                    "nothing else runs while a sequential task works, so nobody can ask it to stop; \
                     the only way out is a deadline it checks itself (see timeouts)",
                ),
                Cannot::run(
                    &SEMAPHORE,
                    "one job at a time: a limit of K permits never comes into play, whatever K is",
                ),
                Cannot::run(
                    &STALL,
                    "one thing at a time: the heartbeat cannot run beside a blocking call, so everything stalls",
                ),
            ],
            role: Role::Baseline,
            references: Vec::new(),
        };
        Sequential { info }
    }
}

impl Default for Sequential {
    fn default() -> Self {
        Self::new()
    }
}

impl Model for Sequential {
    fn info(&self) -> ModelInfo {
        self.info.clone()
    }
}

impl Tasks for Sequential {
    fn concurrent_waits(&self, n: usize, wait: Duration) -> Result<WaitOutcome, NotRun> {
        Ok(waits::concurrent_waits(n, wait))
    }

    fn spawn_join(&self, n: usize) -> Result<SpawnOutcome, NotRun> {
        Ok(spawn_join::spawn_join(n))
    }

    fn ping_pong(&self, rounds: usize) -> Result<PingPongOutcome, NotRun> {
        Ok(ping_pong::ping_pong(rounds))
    }

    fn idle_tasks(&self, _n: usize, _at_peak: &mut dyn FnMut(&Peak)) -> Result<IdleOutcome, NotRun> {
        Err(NotRun::Cannot)
    }
}

impl Lifecycle for Sequential {
    fn gather(&self, durations: &[Duration]) -> Result<GatherOutcome, NotRun> {
        Ok(gather::gather(durations))
    }

    fn as_completed(&self, durations: &[Duration]) -> Result<GatherOutcome, NotRun> {
        Ok(gather::as_completed(durations))
    }

    fn cancellation(&self, _trials: usize, _hold: Duration) -> Result<CancelOutcome, NotRun> {
        Err(NotRun::Cannot)
    }

    fn timeouts(&self, n: usize, deadline: Duration, work: Duration) -> Result<TimeoutOutcome, NotRun> {
        Ok(timeouts::timeouts(n, deadline, work))
    }

    fn scoped_resources(&self, n: usize, path: ScopePath) -> Result<ScopeOutcome, NotRun> {
        Ok(scoped::scoped_resources(n, path))
    }

    fn stream(&self, n: usize) -> Result<StreamOutcome, NotRun> {
        Ok(streams::stream(n))
    }
}

impl Sharing for Sequential {
    fn locked_counter(
        &self,
        workers: usize,
        increments: usize,
        section: Section,
    ) -> Result<LockOutcome, NotRun> {
        Ok(locks::locked_counter(workers, increments, section))
    }

    fn semaphore(&self, _jobs: usize, _permits: usize, _wait: Duration) -> Result<SemaphoreOutcome, NotRun> {
        Err(NotRun::Cannot)
    }

    fn permit_churn(&self, _workers: usize, _permits: usize, _rounds: usize) -> Result<ChurnOutcome, NotRun> {
        Err(NotRun::Cannot)
    }

    fn channel(&self, case: Case, messages: usize) -> Result<ChannelOutcome, NotRun> {
        Ok(channels::channel(case, messages))
    }

    fn pipeline(&self, pipeline: Pipeline) -> Result<PipelineOutcome, NotRun> {
        Ok(channels::pipeline(pipeline))
    }
}

impl Compute for Sequential {
    fn mandelbrot(&self, image: &Arc<Mandelbrot>, way: Way) -> Result<u64, NotRun> {
        match way {
            Way::OneThread => Ok(mandelbrot::one_thread(image)),
            // One thread only: its `cpu_ways`.
            _ => Err(NotRun::Cannot),
        }
    }

    fn merge_sort(&self, input: &Arc<[u64]>, way: Way) -> Result<Vec<u64>, NotRun> {
        match way {
            Way::OneThread => Ok(merge_sort::one_thread(input)),
            // One thread only: its `cpu_ways`.
            _ => Err(NotRun::Cannot),
        }
    }

    fn hash_blocks(&self, blocks: &Arc<Blocks>, way: Way) -> Result<u64, NotRun> {
        match way {
            Way::OneThread => Ok(hashing::one_thread(blocks)),
            // One thread only: its `cpu_ways`.
            _ => Err(NotRun::Cannot),
        }
    }

    fn blocking_stall(&self, _stall: &Stall) -> Result<StallOutcome, NotRun> {
        Err(NotRun::Cannot)
    }
}

impl Network for Sequential {
    fn serve(
        &self,
        listener: TcpListener,
        connections: &Arc<Connections>,
        stop: &Stop,
    ) -> Result<(), NotRun> {
        server::serve(listener, connections, stop);
        Ok(())
    }

    fn fetch_all(&self, urls: &[Url], timeout: Duration) -> Result<Vec<Result<Fetched, String>>, NotRun> {
        Ok(client::fetch_all(urls, timeout))
    }
}
