//! The workloads as ordinary `async fn`s on **tokio**.
//!
//! **When to choose it.** Many tasks that mostly wait (sockets, timers, channels): a task
//! costs a few hundred bytes and a switch between tasks costs well under a microsecond, so
//! a hundred thousand waiting tasks are routine. tokio has the largest ecosystem (hyper,
//! tonic, tower, tracing) and the most production use.
//!
//! **How it runs.** A task is a future (a state machine the compiler builds from an
//! `async fn`) that the runtime polls until it is done. Tasks are *cooperative*: a task runs
//! until it reaches an `.await` that is not ready, and only then can another run. Two
//! runtimes are measured as two columns:
//! - `tokio`: the multi-thread runtime, one worker thread per core (the same count as every
//!   other pool here), each with its own run queue; idle workers steal from busy ones.
//! - `tokio-ct`: the current-thread runtime, every task on the one thread that calls
//!   `block_on`. No stealing and no cross-thread wake-ups, so hand-offs are cheaper, but
//!   one core at most.
//!
//! **What blocks it.** Anything that does not `.await`: `std::thread::sleep`, blocking file
//! or socket calls, long computations. A blocked task holds its worker thread and every task
//! queued behind it waits (the tutorial's pitfall "Using Blocking Operations in Async Code");
//! such work belongs in `tokio::task::spawn_blocking`.
//!
//! **Layout**, the same modules in every model crate:
//! - [`waits`]: W1, N tasks that each `sleep` D, joined.
//! - [`spawn_join`]: W2, spawn N trivial tasks and join them (`create_task` + `gather`).
//! - [`ping_pong`]: W3, two tasks pass a token through two channels.
//! - [`idle`]: W4, N tasks waiting on one gate while the probe reads memory.
//! - [`gather`]: W5, results in submission order (`JoinHandle`s) and as they finish (`JoinSet`).
//! - [`cancellation`]: W6, `abort` a task that holds a resource; its drop releases it.
//! - [`timeouts`]: W7, `tokio::time::timeout` around work longer than the deadline.
//! - [`scoped`]: W8, acquire, work, release: `open`/`close` plus a guard for cancellation.
//! - [`streams`]: W9, a producer task feeds the consumer through a bounded `mpsc` channel.
//! - [`locks`]: W10, a counter under `std::sync::Mutex` (short section) or tokio's `Mutex`.
//! - [`semaphore`]: W11, jobs limited by a `tokio::sync::Semaphore`, and its permits' cost.
//! - [`channels`]: W12, tokio's `mpsc` for one consumer, `async-channel` for several.
//! - this file: [`Tokio`], the runtime, and the impls of [`Model`], [`Tasks`], [`Lifecycle`]
//!   and [`Sharing`] that enter it.

pub mod cancellation;
pub mod channels;
pub mod gather;
pub mod idle;
pub mod locks;
pub mod ping_pong;
pub mod scoped;
pub mod semaphore;
pub mod spawn_join;
pub mod streams;
pub mod timeouts;
pub mod waits;

use std::time::Duration;

use tokio::runtime::{Builder, Runtime};
use workloads::cancellation::CancelOutcome;
use workloads::channels::{Case, ChannelOutcome, Pipeline, PipelineOutcome};
use workloads::gather::GatherOutcome;
use workloads::idle::{IdleOutcome, Peak};
use workloads::locks::{LockOutcome, Section};
use workloads::ping_pong::PingPongOutcome;
use workloads::scoped::{ScopeOutcome, ScopePath};
use workloads::semaphore::{ChurnOutcome, SemaphoreOutcome};
use workloads::spawn_join::SpawnOutcome;
use workloads::streams::StreamOutcome;
use workloads::timeouts::TimeoutOutcome;
use workloads::waits::WaitOutcome;
use workloads::{Compute, Kind, Lifecycle, Model, ModelInfo, Sharing, Skip, Tasks};

/// A tokio runtime, built once; each workload enters it with `block_on`.
///
/// ```
/// use std::time::Duration;
/// use model_tokio::Tokio;
/// use workloads::Tasks;
///
/// // 100 tasks that each wait 10 ms finish together, in about 10 ms.
/// let tokio = Tokio::multi_thread(2)?;
/// let outcome = tokio.concurrent_waits(100, Duration::from_millis(10))?;
/// workloads::waits::check(100, &outcome)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Tokio {
    runtime: Runtime,
    info: ModelInfo,
}

impl Tokio {
    /// The multi-thread runtime with `workers` worker threads.
    ///
    /// # Errors
    /// The OS refused the runtime's threads or its I/O driver.
    pub fn multi_thread(workers: usize) -> std::io::Result<Self> {
        // `enable_time` is all the workloads need; `enable_all` would also start the I/O
        // driver, which later workloads (sockets) will want.
        let runtime = Builder::new_multi_thread().worker_threads(workers).enable_all().build()?;
        let info = ModelInfo {
            id: "tokio",
            name: "tokio",
            kind: Kind::Async,
            workers,
            concurrency: "Cooperative tasks (await), work-stealing pool",
            best_for: "I/O-bound, very high concurrency; largest ecosystem",
            debugging: "Harder: stacks end at the scheduler; tokio-console and tracing help",
        };
        Ok(Tokio { runtime, info })
    }

    /// The current-thread runtime: every task runs on the thread that calls `block_on`.
    ///
    /// # Errors
    /// The OS refused the runtime's I/O driver.
    pub fn current_thread() -> std::io::Result<Self> {
        let runtime = Builder::new_current_thread().enable_all().build()?;
        let info = ModelInfo {
            id: "tokio-ct",
            name: "tokio (current thread)",
            kind: Kind::Async,
            workers: 1,
            concurrency: "Cooperative tasks (await) on one thread",
            best_for: "I/O-bound, high concurrency on one core; !Send state",
            debugging: "Harder than threads, but one thread: no data races between tasks",
        };
        Ok(Tokio { runtime, info })
    }
}

impl Model for Tokio {
    fn info(&self) -> ModelInfo {
        self.info.clone()
    }
}

impl Tasks for Tokio {
    fn concurrent_waits(&self, n: usize, wait: Duration) -> Result<WaitOutcome, Skip> {
        Ok(self.runtime.block_on(waits::concurrent_waits(n, wait)))
    }

    fn spawn_join(&self, n: usize) -> Result<SpawnOutcome, Skip> {
        Ok(self.runtime.block_on(spawn_join::spawn_join(n)))
    }

    fn ping_pong(&self, rounds: usize) -> Result<PingPongOutcome, Skip> {
        Ok(self.runtime.block_on(ping_pong::ping_pong(rounds)))
    }

    fn idle_tasks(&self, n: usize, at_peak: &mut dyn FnMut(&Peak)) -> Result<IdleOutcome, Skip> {
        Ok(self.runtime.block_on(idle::idle_tasks(n, at_peak)))
    }
}

impl Lifecycle for Tokio {
    fn gather(&self, durations: &[Duration]) -> Result<GatherOutcome, Skip> {
        Ok(self.runtime.block_on(gather::gather(durations)))
    }

    fn as_completed(&self, durations: &[Duration]) -> Result<GatherOutcome, Skip> {
        Ok(self.runtime.block_on(gather::as_completed(durations)))
    }

    fn cancellation(&self, trials: usize, hold: Duration) -> Result<CancelOutcome, Skip> {
        Ok(self.runtime.block_on(cancellation::cancellation(trials, hold)))
    }

    fn timeouts(&self, n: usize, deadline: Duration, work: Duration) -> Result<TimeoutOutcome, Skip> {
        Ok(self.runtime.block_on(timeouts::timeouts(n, deadline, work)))
    }

    fn scoped_resources(&self, n: usize, path: ScopePath) -> Result<ScopeOutcome, Skip> {
        Ok(self.runtime.block_on(scoped::scoped_resources(n, path)))
    }

    fn stream(&self, n: usize) -> Result<StreamOutcome, Skip> {
        Ok(self.runtime.block_on(streams::stream(n)))
    }
}

impl Sharing for Tokio {
    fn locked_counter(
        &self,
        workers: usize,
        increments: usize,
        section: Section,
    ) -> Result<LockOutcome, Skip> {
        Ok(self.runtime.block_on(locks::locked_counter(workers, increments, section)))
    }

    fn semaphore(&self, jobs: usize, permits: usize, wait: Duration) -> Result<SemaphoreOutcome, Skip> {
        Ok(self.runtime.block_on(semaphore::semaphore(jobs, permits, wait)))
    }

    fn permit_churn(&self, workers: usize, permits: usize, rounds: usize) -> Result<ChurnOutcome, Skip> {
        Ok(self.runtime.block_on(semaphore::permit_churn(workers, permits, rounds)))
    }

    fn channel(&self, case: Case, messages: usize) -> Result<ChannelOutcome, Skip> {
        Ok(self.runtime.block_on(channels::channel(case, messages)))
    }

    fn pipeline(&self, pipeline: Pipeline) -> Result<PipelineOutcome, Skip> {
        Ok(self.runtime.block_on(channels::pipeline(pipeline)))
    }
}

impl Compute for Tokio {
    fn mandelbrot(
        &self,
        _image: &std::sync::Arc<workloads::mandelbrot::Mandelbrot>,
        _way: workloads::cpu::Way,
    ) -> Result<u64, Skip> {
        Err(Skip::because("not written yet"))
    }

    fn merge_sort(
        &self,
        _input: &std::sync::Arc<[u64]>,
        _way: workloads::cpu::Way,
    ) -> Result<Vec<u64>, Skip> {
        Err(Skip::because("not written yet"))
    }

    fn hash_blocks(
        &self,
        _blocks: &std::sync::Arc<workloads::hashing::Blocks>,
        _way: workloads::cpu::Way,
    ) -> Result<u64, Skip> {
        Err(Skip::because("not written yet"))
    }

    fn blocking_stall(
        &self,
        _stall: &workloads::stall::Stall,
    ) -> Result<workloads::stall::StallOutcome, Skip> {
        Err(Skip::because("not written yet"))
    }
}
