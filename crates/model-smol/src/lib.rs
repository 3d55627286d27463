//! The workloads as ordinary `async fn`s on **smol**.
//!
//! **When to choose it.** The same jobs as tokio (many tasks that mostly wait), with a
//! runtime small enough to read: smol is a thin layer over separate crates, an executor
//! (`async-executor`), a reactor for timers and I/O (`async-io`), channels
//! (`async-channel`), each usable alone. It is what async-std's maintainers point to.
//!
//! **How it runs.** Here the model owns an [`Executor`] and runs it on `workers` threads,
//! each calling `block_on(executor.run(...))`; tasks are spawned onto that executor
//! explicitly, which is why every function takes `executor` as its first argument.
//! (`smol::spawn` would use a global executor that runs on *one* thread unless
//! `SMOL_THREADS` says otherwise: not a fair multi-threaded column.) Timers and sockets are
//! driven by `async-io`'s reactor, on whichever thread is blocked in `block_on`, or on its
//! own "async-io" thread otherwise. Tasks are cooperative futures, as in tokio.
//!
//! **What blocks it.** Anything that does not `.await`, as in every async runtime; smol's
//! answer is `smol::unblock`, which runs a closure on a thread pool.
//!
//! **Layout**, the same modules in every model crate:
//! - [`waits`]: W1, N tasks that each wait D on a timer, joined.
//! - [`spawn_join`]: W2, spawn N trivial tasks and join them (`create_task` + `gather`).
//! - [`ping_pong`]: W3, two tasks pass a token through two channels.
//! - [`idle`]: W4, N tasks waiting on one gate while the probe reads memory.
//! - [`gather`]: W5, N timed tasks joined in submission order, or fanned in as they finish.
//! - [`cancellation`]: W6, a task holding a resource is cancelled with `Task::cancel`.
//! - [`timeouts`]: W7, N operations each racing its work against a deadline timer.
//! - [`scoped`]: W8, `async with` as open, work, close, with `Drop` as the fallback.
//! - [`streams`]: W9, a producer task feeds a one-slot channel read as a `Stream`.
//! - [`locks`]: W10, a counter under a `std` mutex, or an async mutex held across a yield.
//! - [`semaphore`]: W11, jobs take one of K permits of `smol::lock::Semaphore`, and churn them.
//! - [`channels`]: W12, producers and consumers on one `smol::channel`, and the pipeline.
//! - [`mandelbrot`]: W16, a task per row, computing inline or offloaded with `smol::unblock`.
//! - [`merge_sort`]: W17, a task per leaf and per merge, level by level, inline or offloaded.
//! - [`hashing`]: W18, a task per block, hashing inline or offloaded with `smol::unblock`.
//! - [`stall`]: W19, blocking calls beside a heartbeat, on the executor or a `LocalExecutor`.
//! - [`server`]: W13, an HTTP server, one task per connection, each read racing the stop signal.
//! - [`client`]: W15, every URL fetched at once, one task each, raced against a `Timer`.
//! - this file: [`Smol`], the executor and its threads, and the impls of [`Model`],
//!   [`Tasks`], [`Lifecycle`], [`Sharing`], [`Compute`] and [`Network`].

pub mod cancellation;
pub mod channels;
pub mod client;
pub mod gather;
pub mod hashing;
pub mod idle;
pub mod locks;
pub mod mandelbrot;
pub mod merge_sort;
pub mod ping_pong;
pub mod scoped;
pub mod semaphore;
pub mod server;
pub mod spawn_join;
pub mod stall;
pub mod streams;
pub mod timeouts;
pub mod waits;

use std::net::TcpListener;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use smol::Executor;
use smol::channel::{Sender, unbounded};
use workloads::cancellation::CancelOutcome;
use workloads::channels::{Case, ChannelOutcome, Pipeline, PipelineOutcome};
use workloads::cpu::Way;
use workloads::gather::GatherOutcome;
use workloads::hashing::Blocks;
use workloads::http::{Connections, Fetched, Stop, Url};
use workloads::idle::{IdleOutcome, Peak};
use workloads::locks::{LockOutcome, Section};
use workloads::mandelbrot::Mandelbrot;
use workloads::ping_pong::PingPongOutcome;
use workloads::scoped::{ScopeOutcome, ScopePath};
use workloads::semaphore::{ChurnOutcome, SemaphoreOutcome};
use workloads::spawn_join::SpawnOutcome;
use workloads::stall::{Stall, StallOutcome};
use workloads::streams::StreamOutcome;
use workloads::timeouts::TimeoutOutcome;
use workloads::waits::WaitOutcome;
use workloads::{Compute, Kind, Lifecycle, Model, ModelInfo, Network, NotRun, Role, Sharing, Tasks};

/// An executor running on its own pool of threads; each workload enters it with `block_on`.
///
/// ```
/// use model_smol::Smol;
/// use workloads::Tasks;
///
/// let smol = Smol::new(2)?;
/// let outcome = smol.spawn_join(1_000)?;
/// workloads::spawn_join::check(&workloads::spawn_join::expected(1_000), &outcome)?;
/// // Dropping `smol` stops its executor threads.
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Smol {
    executor: Arc<Executor<'static>>,
    /// Dropping this sender tells every executor thread to return.
    stop: Option<Sender<()>>,
    threads: Vec<JoinHandle<()>>,
    info: ModelInfo,
}

impl Smol {
    /// An executor run by `workers` threads.
    ///
    /// # Errors
    /// The OS refused one of the threads.
    pub fn new(workers: usize) -> std::io::Result<Self> {
        let executor = Arc::new(Executor::new());
        let (stop, stopped) = unbounded::<()>();
        let mut threads = Vec::with_capacity(workers);
        for i in 0..workers {
            let executor = Arc::clone(&executor);
            let stopped = stopped.clone();
            // `run` drives the executor's tasks until the given future finishes: here, until
            // the stop channel closes.
            let thread = std::thread::Builder::new().name(format!("smol-{i}")).spawn(move || {
                let _ = smol::block_on(executor.run(stopped.recv()));
            })?;
            threads.push(thread);
        }
        let info = ModelInfo {
            id: "smol",
            name: "smol",
            kind: Kind::Async,
            workers,
            concurrency: "Cooperative tasks (await), an executor you own",
            best_for: "I/O-bound, many connections (Scalability, HTTP rows); a small runtime you can read; offload CPU work (Blocking stall)",
            debugging: "Harder: stacks end at the executor; small code to step through",
            cannot: Vec::new(),
            role: Role::Compared,
            references: Vec::new(),
        };
        Ok(Smol { executor, stop: Some(stop), threads, info })
    }
}

impl Drop for Smol {
    fn drop(&mut self) {
        drop(self.stop.take());
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

impl Model for Smol {
    fn info(&self) -> ModelInfo {
        self.info.clone()
    }
}

impl Tasks for Smol {
    fn concurrent_waits(&self, n: usize, wait: Duration) -> Result<WaitOutcome, NotRun> {
        Ok(smol::block_on(waits::concurrent_waits(&self.executor, n, wait)))
    }

    fn spawn_join(&self, n: usize) -> Result<SpawnOutcome, NotRun> {
        Ok(smol::block_on(spawn_join::spawn_join(&self.executor, n)))
    }

    fn ping_pong(&self, rounds: usize) -> Result<PingPongOutcome, NotRun> {
        Ok(smol::block_on(ping_pong::ping_pong(&self.executor, rounds)))
    }

    fn idle_tasks(&self, n: usize, at_peak: &mut dyn FnMut(&Peak)) -> Result<IdleOutcome, NotRun> {
        Ok(smol::block_on(idle::idle_tasks(&self.executor, n, at_peak)))
    }
}

impl Lifecycle for Smol {
    fn gather(&self, durations: &[Duration]) -> Result<GatherOutcome, NotRun> {
        Ok(smol::block_on(gather::gather(&self.executor, durations)))
    }

    fn as_completed(&self, durations: &[Duration]) -> Result<GatherOutcome, NotRun> {
        Ok(smol::block_on(gather::as_completed(&self.executor, durations)))
    }

    fn cancellation(&self, trials: usize, hold: Duration) -> Result<CancelOutcome, NotRun> {
        Ok(smol::block_on(cancellation::cancellation(&self.executor, trials, hold)))
    }

    fn timeouts(&self, n: usize, deadline: Duration, work: Duration) -> Result<TimeoutOutcome, NotRun> {
        Ok(smol::block_on(timeouts::timeouts(&self.executor, n, deadline, work)))
    }

    fn scoped_resources(&self, n: usize, path: ScopePath) -> Result<ScopeOutcome, NotRun> {
        Ok(smol::block_on(scoped::scoped_resources(&self.executor, n, path)))
    }

    fn stream(&self, n: usize) -> Result<StreamOutcome, NotRun> {
        Ok(smol::block_on(streams::stream(&self.executor, n)))
    }
}

impl Sharing for Smol {
    fn locked_counter(
        &self,
        workers: usize,
        increments: usize,
        section: Section,
    ) -> Result<LockOutcome, NotRun> {
        Ok(smol::block_on(locks::locked_counter(&self.executor, workers, increments, section)))
    }

    fn semaphore(&self, jobs: usize, permits: usize, wait: Duration) -> Result<SemaphoreOutcome, NotRun> {
        Ok(smol::block_on(semaphore::semaphore(&self.executor, jobs, permits, wait)))
    }

    fn permit_churn(&self, workers: usize, permits: usize, rounds: usize) -> Result<ChurnOutcome, NotRun> {
        Ok(smol::block_on(semaphore::permit_churn(&self.executor, workers, permits, rounds)))
    }

    fn channel(&self, case: Case, messages: usize) -> Result<ChannelOutcome, NotRun> {
        Ok(smol::block_on(channels::channel(&self.executor, case, messages)))
    }

    fn pipeline(&self, pipeline: Pipeline) -> Result<PipelineOutcome, NotRun> {
        Ok(smol::block_on(channels::pipeline(&self.executor, pipeline)))
    }
}

impl Compute for Smol {
    fn mandelbrot(&self, image: &Arc<Mandelbrot>, way: Way) -> Result<u64, NotRun> {
        match way {
            Way::Inline => Ok(smol::block_on(mandelbrot::inline(&self.executor, image))),
            Way::Offloaded => Ok(smol::block_on(mandelbrot::offloaded(&self.executor, image))),
            // Inline or offloaded only: its `cpu_ways`.
            _ => Err(NotRun::Cannot),
        }
    }

    fn merge_sort(&self, input: &Arc<[u64]>, way: Way) -> Result<Vec<u64>, NotRun> {
        match way {
            Way::Inline => Ok(smol::block_on(merge_sort::inline(&self.executor, input))),
            Way::Offloaded => Ok(smol::block_on(merge_sort::offloaded(&self.executor, input))),
            // Inline or offloaded only: its `cpu_ways`.
            _ => Err(NotRun::Cannot),
        }
    }

    fn hash_blocks(&self, blocks: &Arc<Blocks>, way: Way) -> Result<u64, NotRun> {
        match way {
            Way::Inline => Ok(smol::block_on(hashing::inline(&self.executor, blocks))),
            Way::Offloaded => Ok(smol::block_on(hashing::offloaded(&self.executor, blocks))),
            // Inline or offloaded only: its `cpu_ways`.
            _ => Err(NotRun::Cannot),
        }
    }

    fn blocking_stall(&self, stall: &Stall) -> Result<StallOutcome, NotRun> {
        if stall.local {
            // smol's single-threaded executor runs on this thread, not on the model's.
            Ok(stall::blocking_stall_local(*stall))
        } else {
            Ok(smol::block_on(stall::blocking_stall(&self.executor, *stall)))
        }
    }
}

impl Network for Smol {
    fn serve(
        &self,
        listener: TcpListener,
        connections: &Arc<Connections>,
        stop: &Stop,
    ) -> Result<(), NotRun> {
        smol::block_on(server::serve(&self.executor, listener, connections, stop))
    }

    fn fetch_all(&self, urls: &[Url], timeout: Duration) -> Result<Vec<Result<Fetched, String>>, NotRun> {
        Ok(smol::block_on(client::fetch_all(&self.executor, urls, timeout)))
    }
}
