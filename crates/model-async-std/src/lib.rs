//! The workloads as ordinary `async fn`s on **async-std**.
//!
//! **Discontinued upstream.** async-std 1.13 is the last release: its maintainers stopped
//! work on it and point users to smol (crates.io marks it deprecated, and advisory
//! RUSTSEC-2025-0052 records that it is unmaintained). It is measured here because a lot of
//! existing code still uses it and because it is a useful third point of comparison, not as
//! a recommendation: for new code, use `model-smol` (the same building blocks, maintained)
//! or `model-tokio`.
//!
//! **When to choose it.** Only to keep existing async-std code running. Its API mirrors the
//! standard library (`async_std::task::sleep`, `async_std::fs`, `async_std::net`), which made
//! it easy to learn.
//!
//! **How it runs.** One global runtime, started on first use: a pool of executor threads
//! (from `async-global-executor`, which builds on smol's `async-executor`) and one reactor
//! thread for timers and I/O (`async-io`). Tasks are cooperative futures, as in tokio. The
//! pool size is read once, when the runtime starts; [`AsyncStd::new`] starts it with the
//! same worker count as every other pool here, before anything else can.
//!
//! **What blocks it.** Anything that does not `.await`, as in every async runtime; async-std
//! offers `task::spawn_blocking` for such work.
//!
//! **Layout**, the same modules in every model crate:
//! - [`waits`]: W1, N tasks that each `sleep` D, joined.
//! - [`spawn_join`]: W2, spawn N trivial tasks and join them (`create_task` + `gather`).
//! - [`ping_pong`]: W3, two tasks pass a token through two channels.
//! - [`idle`]: W4, N tasks waiting on one gate while the probe reads memory.
//! - [`gather`]: W5, N timed tasks joined in submission order, or fanned in as they finish.
//! - [`cancellation`]: W6, a task holding a resource is cancelled with `JoinHandle::cancel`.
//! - [`timeouts`]: W7, N operations each running its work under `future::timeout`.
//! - [`scoped`]: W8, `async with` as open, work, close, with `Drop` as the fallback.
//! - [`streams`]: W9, a producer task feeds a one-slot channel read as a `Stream`.
//! - [`locks`]: W10, a counter under a `std` mutex, or an async mutex held across a yield.
//! - [`semaphore`]: W11, jobs take one of K permits (tokens in a channel), and churn them.
//! - [`channels`]: W12, producers and consumers on one `async_std::channel`, and the pipeline.
//! - [`mandelbrot`]: W16, a task per row, computing inline or offloaded with `spawn_blocking`.
//! - [`merge_sort`]: W17, a task per leaf and per merge, level by level, inline or offloaded.
//! - [`hashing`]: W18, a task per block, hashing inline or offloaded with `spawn_blocking`.
//! - [`stall`]: W19, blocking calls beside a heartbeat, made inline or with `spawn_blocking`.
//! - [`server`]: W13, an HTTP server, one task per connection, each read racing the stop signal.
//! - [`client`]: W15, every URL fetched at once, one task each under `future::timeout`.
//! - this file: [`AsyncStd`], the runtime set-up, and the impls of [`Model`], [`Tasks`],
//!   [`Lifecycle`], [`Sharing`], [`Compute`] and [`Network`] that enter it.

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
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use async_global_executor::GlobalExecutorConfig;
use async_std::task;
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
use workloads::stall::{STALL, STALL_LOCAL_INLINE_CPU, STALL_LOCAL_OFFLOADED_CPU};
use workloads::stall::{Stall, StallOutcome};
use workloads::streams::StreamOutcome;
use workloads::timeouts::TimeoutOutcome;
use workloads::waits::WaitOutcome;
use workloads::{Cannot, Compute, Kind, Lifecycle, Model, ModelInfo, Network, NotRun, Role, Sharing, Tasks};

/// The worker count the global runtime was started with, once it has been.
static STARTED_WITH: OnceLock<usize> = OnceLock::new();

/// async-std's global runtime, started with a given number of worker threads.
///
/// ```
/// use model_async_std::AsyncStd;
/// use workloads::Tasks;
///
/// let async_std = AsyncStd::new(2)?;
/// let outcome = async_std.ping_pong(1_000)?;
/// workloads::ping_pong::check(1_000, &outcome)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct AsyncStd {
    info: ModelInfo,
}

impl AsyncStd {
    /// Starts the global runtime with `workers` executor threads (or finds it started).
    ///
    /// async-std reads its thread count once, from `ASYNC_STD_THREAD_COUNT`, when its runtime
    /// starts. Its executor is `async-global-executor`, which keeps the *first* configuration
    /// it is given; configuring it here, before async-std's first use, sets the count without
    /// touching the environment.
    ///
    /// # Errors
    /// The runtime was already started with a different count: it is global, and cannot be
    /// restarted in the same process.
    pub fn new(workers: usize) -> Result<Self, String> {
        let started = *STARTED_WITH.get_or_init(|| {
            async_global_executor::init_with_config(
                GlobalExecutorConfig::default().with_min_threads(workers).with_max_threads(workers),
            );
            workers
        });
        if started != workers {
            return Err(format!(
                "async-std's global runtime already runs {started} threads; it cannot be restarted with {workers}"
            ));
        }
        let info = ModelInfo {
            id: "async-std",
            name: "async-std (discontinued)",
            kind: Kind::Async,
            workers,
            concurrency: "Cooperative tasks (await), one global pool",
            best_for: "Existing async-std code only: discontinued, use smol",
            debugging: "Harder: stacks end at the executor; few tools",
            cannot: vec![Cannot::variants(
                &STALL,
                &[&STALL_LOCAL_INLINE_CPU, &STALL_LOCAL_OFFLOADED_CPU],
                "async-std has no single-threaded executor of its own (its spawn_local is unstable)",
            )],
            role: Role::Compared,
            references: Vec::new(),
        };
        Ok(AsyncStd { info })
    }
}

impl Model for AsyncStd {
    fn info(&self) -> ModelInfo {
        self.info.clone()
    }
}

impl Tasks for AsyncStd {
    fn concurrent_waits(&self, n: usize, wait: Duration) -> Result<WaitOutcome, NotRun> {
        Ok(task::block_on(waits::concurrent_waits(n, wait)))
    }

    fn spawn_join(&self, n: usize) -> Result<SpawnOutcome, NotRun> {
        Ok(task::block_on(spawn_join::spawn_join(n)))
    }

    fn ping_pong(&self, rounds: usize) -> Result<PingPongOutcome, NotRun> {
        Ok(task::block_on(ping_pong::ping_pong(rounds)))
    }

    fn idle_tasks(&self, n: usize, at_peak: &mut dyn FnMut(&Peak)) -> Result<IdleOutcome, NotRun> {
        Ok(task::block_on(idle::idle_tasks(n, at_peak)))
    }
}

impl Lifecycle for AsyncStd {
    fn gather(&self, durations: &[Duration]) -> Result<GatherOutcome, NotRun> {
        Ok(task::block_on(gather::gather(durations)))
    }

    fn as_completed(&self, durations: &[Duration]) -> Result<GatherOutcome, NotRun> {
        Ok(task::block_on(gather::as_completed(durations)))
    }

    fn cancellation(&self, trials: usize, hold: Duration) -> Result<CancelOutcome, NotRun> {
        Ok(task::block_on(cancellation::cancellation(trials, hold)))
    }

    fn timeouts(&self, n: usize, deadline: Duration, work: Duration) -> Result<TimeoutOutcome, NotRun> {
        Ok(task::block_on(timeouts::timeouts(n, deadline, work)))
    }

    fn scoped_resources(&self, n: usize, path: ScopePath) -> Result<ScopeOutcome, NotRun> {
        Ok(task::block_on(scoped::scoped_resources(n, path)))
    }

    fn stream(&self, n: usize) -> Result<StreamOutcome, NotRun> {
        Ok(task::block_on(streams::stream(n)))
    }
}

impl Sharing for AsyncStd {
    fn locked_counter(
        &self,
        workers: usize,
        increments: usize,
        section: Section,
    ) -> Result<LockOutcome, NotRun> {
        Ok(task::block_on(locks::locked_counter(workers, increments, section)))
    }

    fn semaphore(&self, jobs: usize, permits: usize, wait: Duration) -> Result<SemaphoreOutcome, NotRun> {
        Ok(task::block_on(semaphore::semaphore(jobs, permits, wait)))
    }

    fn permit_churn(&self, workers: usize, permits: usize, rounds: usize) -> Result<ChurnOutcome, NotRun> {
        Ok(task::block_on(semaphore::permit_churn(workers, permits, rounds)))
    }

    fn channel(&self, case: Case, messages: usize) -> Result<ChannelOutcome, NotRun> {
        Ok(task::block_on(channels::channel(case, messages)))
    }

    fn pipeline(&self, pipeline: Pipeline) -> Result<PipelineOutcome, NotRun> {
        Ok(task::block_on(channels::pipeline(pipeline)))
    }
}

impl Compute for AsyncStd {
    fn mandelbrot(&self, image: &Arc<Mandelbrot>, way: Way) -> Result<u64, NotRun> {
        match way {
            Way::Inline => Ok(task::block_on(mandelbrot::inline(image))),
            Way::Offloaded => Ok(task::block_on(mandelbrot::offloaded(image))),
            // Inline or offloaded only: its `cpu_ways`.
            _ => Err(NotRun::Cannot),
        }
    }

    fn merge_sort(&self, input: &Arc<[u64]>, way: Way) -> Result<Vec<u64>, NotRun> {
        match way {
            Way::Inline => Ok(task::block_on(merge_sort::inline(input))),
            Way::Offloaded => Ok(task::block_on(merge_sort::offloaded(input))),
            // Inline or offloaded only: its `cpu_ways`.
            _ => Err(NotRun::Cannot),
        }
    }

    fn hash_blocks(&self, blocks: &Arc<Blocks>, way: Way) -> Result<u64, NotRun> {
        match way {
            Way::Inline => Ok(task::block_on(hashing::inline(blocks))),
            Way::Offloaded => Ok(task::block_on(hashing::offloaded(blocks))),
            // Inline or offloaded only: its `cpu_ways`.
            _ => Err(NotRun::Cannot),
        }
    }

    fn blocking_stall(&self, stall: &Stall) -> Result<StallOutcome, NotRun> {
        if stall.local {
            // Declared in `cannot`: no single-threaded executor of its own.
            return Err(NotRun::Cannot);
        }
        Ok(task::block_on(stall::blocking_stall(*stall)))
    }
}

impl Network for AsyncStd {
    fn serve(
        &self,
        listener: TcpListener,
        connections: &Arc<Connections>,
        stop: &Stop,
    ) -> Result<(), NotRun> {
        task::block_on(server::serve(listener, connections, stop))
    }

    fn fetch_all(&self, urls: &[Url], timeout: Duration) -> Result<Vec<Result<Fetched, String>>, NotRun> {
        Ok(task::block_on(client::fetch_all(urls, timeout)))
    }
}
