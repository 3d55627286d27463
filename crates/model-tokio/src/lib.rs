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
//! queued behind it waits (the tutorial's pitfall "Using Blocking Operations in Async Code").
//! Blocking calls that *wait* belong in `tokio::task::spawn_blocking`, whose pool grows (up
//! to 512 threads) because a waiting thread costs no CPU; long *computations* belong in a
//! pool sized to the cores, as tokio's documentation advises, here a rayon pool of `workers`
//! threads that the tasks hand their work to and await ([`offload`]).
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
//! - [`mpmc`]: not a workload, the one channel face `channels` uses over those two.
//! - [`mandelbrot`]: W16, one task per row, computing inline or offloaded to the CPU pool.
//! - [`merge_sort`]: W17, one task per leaf, then one per merge, level by level.
//! - [`hashing`]: W18, one task per block, computing inline or offloaded to the CPU pool.
//! - [`server`]: W13, an HTTP server, one task per connection, each read racing the stop signal.
//! - [`client`]: W15, every URL fetched at once, one task each under `tokio::time::timeout`.
//! - [`stall`]: W19, a heartbeat and light requests beside tasks that block, or offload.
//! - [`hyper_server`]: not a workload, the reference: the same endpoints served by hyper.
//! - [`reqwest_client`]: not a workload, the reference: the same fan-out made with reqwest.
//! - this file: [`Tokio`], the runtime and its CPU pool, [`offload`], the impls of
//!   [`Model`], [`Tasks`], [`Lifecycle`], [`Sharing`], [`Compute`] and [`Network`] that enter
//!   it (`Network::serve_reference` serves hyper, `Network::fetch_all_reference` fetches
//!   with reqwest).

pub mod cancellation;
pub mod channels;
pub mod client;
pub mod gather;
pub mod hashing;
pub mod hyper_server;
pub mod idle;
pub mod locks;
pub mod mandelbrot;
pub mod merge_sort;
pub mod mpmc;
pub mod ping_pong;
pub mod reqwest_client;
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
use std::time::Duration;

use rayon::{ThreadPool, ThreadPoolBuilder};
use tokio::runtime::{Builder, Runtime};
use tokio::sync::oneshot;
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
    /// The pool the offloaded ways hand their computing to: `workers` threads, so that as
    /// many threads compute as in every other model, whichever runtime awaits the results.
    cpu: Arc<ThreadPool>,
    info: ModelInfo,
}

impl Tokio {
    /// The multi-thread runtime with `workers` worker threads, and a CPU pool of as many.
    ///
    /// # Errors
    /// The OS refused the runtime's threads or its I/O driver, or the CPU pool's threads.
    pub fn multi_thread(workers: usize) -> std::io::Result<Self> {
        // `enable_all`: the timer, which every chapter's waits need, and the I/O driver
        // (the reactor), which the network chapter's sockets need.
        let runtime = Builder::new_multi_thread().worker_threads(workers).enable_all().build()?;
        let info = ModelInfo {
            id: "tokio",
            name: "tokio",
            kind: Kind::Async,
            workers,
            concurrency: "Cooperative tasks (await), work-stealing pool",
            best_for: "I/O-bound, many connections (Scalability, HTTP rows); largest ecosystem; offload CPU work to a pool (Blocking stall)",
            debugging: "Harder: stacks end at the scheduler; tokio-console and tracing help",
            cannot: vec![Cannot::variants(
                &STALL,
                &[&STALL_LOCAL_INLINE_CPU, &STALL_LOCAL_OFFLOADED_CPU],
                "tokio's single-threaded runtime is its own column, tokio-ct",
            )],
            role: Role::Compared,
            // hyper and reqwest run on this runtime: the references for the HTTP server's
            // rows and for the client fan-out's.
            references: vec![hyper_server::REFERENCE, reqwest_client::REFERENCE],
        };
        Ok(Tokio { runtime, cpu: cpu_pool(workers)?, info })
    }

    /// The current-thread runtime: every task runs on the thread that calls `block_on`. Its
    /// CPU pool still has `workers` threads: handing computations to a pool is exactly how
    /// a single-threaded runtime gets parallel CPU work (its `info().workers` stays 1: that
    /// counts the threads that run tasks).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use model_tokio::Tokio;
    /// use workloads::Compute;
    /// use workloads::cpu::Way;
    /// use workloads::mandelbrot::Mandelbrot;
    ///
    /// // One thread runs the tasks; the rows they offload are drawn by 2 pool threads.
    /// let tokio = Tokio::current_thread(2)?;
    /// assert_eq!(workloads::Model::info(&tokio).workers, 1);
    /// let image = Arc::new(Mandelbrot::with_size(64, 100));
    /// let sum = tokio.mandelbrot(&image, Way::Offloaded)?;
    /// workloads::mandelbrot::check(image.expected(), sum)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// The OS refused the runtime's I/O driver, or the CPU pool's threads.
    pub fn current_thread(workers: usize) -> std::io::Result<Self> {
        let runtime = Builder::new_current_thread().enable_all().build()?;
        let info = ModelInfo {
            id: "tokio-ct",
            name: "tokio (current thread)",
            kind: Kind::Async,
            workers: 1,
            concurrency: "Cooperative tasks (await) on one thread",
            best_for: "I/O-bound on one core, !Send state (HTTP rows); CPU work only offloaded (Blocking stall, CPU-bound rows)",
            debugging: "Harder than threads; one thread, so tasks interleave only at an await (safe Rust has no data races in any model)",
            cannot: vec![Cannot::variants(
                &STALL,
                &[&STALL_LOCAL_INLINE_CPU, &STALL_LOCAL_OFFLOADED_CPU],
                "tokio-ct is single-threaded already: its inline rows are the one-thread case",
            )],
            role: Role::Compared,
            references: Vec::new(),
        };
        Ok(Tokio { runtime, cpu: cpu_pool(workers)?, info })
    }

    /// Runs `work` as a task on the runtime and waits for its output: the CPU kernels'
    /// entry, where the task spawns one task per unit.
    ///
    /// A task, not the future given to `block_on`: on the multi-thread runtime that future
    /// runs on the caller's thread, not on a worker, so every spawn from it would go through
    /// the runtime's shared queue and every join would wake across threads. Spawned from a
    /// worker, the units go to its own queue, from which the other workers steal. (smol and
    /// async-std have no such split: their `block_on` future spawns onto the executor's
    /// queue like any task.)
    ///
    /// # Panics
    /// If the task panicked.
    fn in_task<T: Send + 'static>(&self, work: impl Future<Output = T> + Send + 'static) -> T {
        // `Runtime::spawn`, which may be called from outside the runtime, unlike
        // `tokio::spawn`; `block_on` then waits for the task's `JoinHandle`.
        let task = self.runtime.spawn(work);
        self.runtime.block_on(task).expect("the workload's task panicked")
    }
}

/// The CPU pool: `workers` rayon threads, named so that a debugger or `top -H` shows whose
/// they are.
///
/// Not `spawn_blocking`: its pool is made for calls that wait (it grows to 512 threads,
/// which costs nothing while they sleep), so a burst of computations there would run on
/// far more threads than cores and fight over them. A pool sized to the cores queues the
/// extra work instead; tokio's documentation recommends rayon for it.
fn cpu_pool(workers: usize) -> std::io::Result<Arc<ThreadPool>> {
    let pool = ThreadPoolBuilder::new()
        .num_threads(workers.max(1))
        .thread_name(|i| format!("tokio-cpu-{i}"))
        // Without a handler, a panic in a job aborts the process. With one, the panic is
        // printed and the job's `oneshot` sender is dropped, so the task awaiting it fails
        // (see [`offload`]) and the panic surfaces where a `JoinHandle`'s would.
        .panic_handler(|_| {})
        .build()
        .map_err(std::io::Error::other)?;
    Ok(Arc::new(pool))
}

/// Runs `work` on the CPU pool and awaits its result: the task is suspended meanwhile, so
/// its runtime thread goes on running other tasks (timers, I/O) while a pool thread
/// computes. This is the offloaded way's one difference from the inline way.
///
/// `work` must be `'static` (it owns its data, or an `Arc` of it): the pool thread may
/// still be running it after the task that asked for it was dropped.
///
/// # Panics
/// If `work` panicked.
pub async fn offload<T: Send + 'static>(cpu: &ThreadPool, work: impl FnOnce() -> T + Send + 'static) -> T {
    // A oneshot: the one result goes back once, and awaiting it suspends the task without
    // blocking its thread (a `std::sync::mpsc` receive here would block the thread, the
    // very pitfall being avoided).
    let (result, received) = oneshot::channel();
    cpu.spawn(move || {
        // Err only if the awaiting task was dropped (cancelled): nobody wants the result.
        let _ = result.send(work());
    });
    received.await.expect("an offloaded computation panicked")
}

impl Model for Tokio {
    fn info(&self) -> ModelInfo {
        self.info.clone()
    }
}

impl Tasks for Tokio {
    fn concurrent_waits(&self, n: usize, wait: Duration) -> Result<WaitOutcome, NotRun> {
        Ok(self.runtime.block_on(waits::concurrent_waits(n, wait)))
    }

    fn spawn_join(&self, n: usize) -> Result<SpawnOutcome, NotRun> {
        // From a task, as a server spawns from the task that accepted a connection: spawned
        // from `block_on`'s thread, every task would go through the runtime's shared queue
        // (see `in_task`), a cost users who follow tokio's advice never pay.
        Ok(self.in_task(spawn_join::spawn_join(n)))
    }

    fn ping_pong(&self, rounds: usize) -> Result<PingPongOutcome, NotRun> {
        Ok(self.runtime.block_on(ping_pong::ping_pong(rounds)))
    }

    fn idle_tasks(&self, n: usize, at_peak: &mut dyn FnMut(&Peak)) -> Result<IdleOutcome, NotRun> {
        Ok(self.runtime.block_on(idle::idle_tasks(n, at_peak)))
    }
}

impl Lifecycle for Tokio {
    fn gather(&self, durations: &[Duration]) -> Result<GatherOutcome, NotRun> {
        Ok(self.runtime.block_on(gather::gather(durations)))
    }

    fn as_completed(&self, durations: &[Duration]) -> Result<GatherOutcome, NotRun> {
        Ok(self.runtime.block_on(gather::as_completed(durations)))
    }

    fn cancellation(&self, trials: usize, hold: Duration) -> Result<CancelOutcome, NotRun> {
        Ok(self.runtime.block_on(cancellation::cancellation(trials, hold)))
    }

    fn timeouts(&self, n: usize, deadline: Duration, work: Duration) -> Result<TimeoutOutcome, NotRun> {
        Ok(self.runtime.block_on(timeouts::timeouts(n, deadline, work)))
    }

    fn scoped_resources(&self, n: usize, path: ScopePath) -> Result<ScopeOutcome, NotRun> {
        Ok(self.runtime.block_on(scoped::scoped_resources(n, path)))
    }

    fn stream(&self, n: usize) -> Result<StreamOutcome, NotRun> {
        Ok(self.runtime.block_on(streams::stream(n)))
    }
}

impl Sharing for Tokio {
    fn locked_counter(
        &self,
        workers: usize,
        increments: usize,
        section: Section,
    ) -> Result<LockOutcome, NotRun> {
        Ok(self.runtime.block_on(locks::locked_counter(workers, increments, section)))
    }

    fn semaphore(&self, jobs: usize, permits: usize, wait: Duration) -> Result<SemaphoreOutcome, NotRun> {
        Ok(self.runtime.block_on(semaphore::semaphore(jobs, permits, wait)))
    }

    fn permit_churn(&self, workers: usize, permits: usize, rounds: usize) -> Result<ChurnOutcome, NotRun> {
        Ok(self.runtime.block_on(semaphore::permit_churn(workers, permits, rounds)))
    }

    fn channel(&self, case: Case, messages: usize) -> Result<ChannelOutcome, NotRun> {
        Ok(self.runtime.block_on(channels::channel(case, messages)))
    }

    fn pipeline(&self, pipeline: Pipeline) -> Result<PipelineOutcome, NotRun> {
        Ok(self.runtime.block_on(channels::pipeline(pipeline)))
    }
}

impl Compute for Tokio {
    fn mandelbrot(&self, image: &Arc<Mandelbrot>, way: Way) -> Result<u64, NotRun> {
        let (image, cpu) = (Arc::clone(image), Arc::clone(&self.cpu));
        match way {
            Way::Inline => Ok(self.in_task(async move { mandelbrot::inline(&image).await })),
            Way::Offloaded => Ok(self.in_task(async move { mandelbrot::offloaded(&image, &cpu).await })),
            // Inline or offloaded only: its `cpu_ways`.
            Way::OneThread | Way::StaticChunks | Way::WorkQueue | Way::WorkStealing => Err(NotRun::Cannot),
        }
    }

    fn merge_sort(&self, input: &Arc<[u64]>, way: Way) -> Result<Vec<u64>, NotRun> {
        let (input, cpu) = (Arc::clone(input), Arc::clone(&self.cpu));
        match way {
            Way::Inline => Ok(self.in_task(async move { merge_sort::inline(&input).await })),
            Way::Offloaded => Ok(self.in_task(async move { merge_sort::offloaded(&input, &cpu).await })),
            // Inline or offloaded only: its `cpu_ways`.
            Way::OneThread | Way::StaticChunks | Way::WorkQueue | Way::WorkStealing => Err(NotRun::Cannot),
        }
    }

    fn hash_blocks(&self, blocks: &Arc<Blocks>, way: Way) -> Result<u64, NotRun> {
        let (blocks, cpu) = (Arc::clone(blocks), Arc::clone(&self.cpu));
        match way {
            Way::Inline => Ok(self.in_task(async move { hashing::inline(&blocks).await })),
            Way::Offloaded => Ok(self.in_task(async move { hashing::offloaded(&blocks, &cpu).await })),
            // Inline or offloaded only: its `cpu_ways`.
            Way::OneThread | Way::StaticChunks | Way::WorkQueue | Way::WorkStealing => Err(NotRun::Cannot),
        }
    }

    fn blocking_stall(&self, stall: &Stall) -> Result<StallOutcome, NotRun> {
        // Declared in `cannot`: the single-threaded run is tokio-ct's own column.
        if stall.local {
            return Err(NotRun::Cannot);
        }
        Ok(self.runtime.block_on(stall::blocking_stall(*stall, Arc::clone(&self.cpu))))
    }
}

impl Network for Tokio {
    fn serve(
        &self,
        listener: TcpListener,
        connections: &Arc<Connections>,
        stop: &Stop,
    ) -> Result<(), NotRun> {
        self.runtime.block_on(server::serve(listener, connections, stop))
    }

    fn fetch_all(&self, urls: &[Url], timeout: Duration) -> Result<Vec<Result<Fetched, String>>, NotRun> {
        Ok(self.runtime.block_on(client::fetch_all(urls, timeout)))
    }

    /// hyper 1 on this runtime, with the same connection cap, idle timeout and graceful
    /// shutdown ([`hyper_server`]); the multi-thread runtime declares it, the current-thread
    /// one does not.
    fn serve_reference(
        &self,
        listener: TcpListener,
        connections: &Arc<Connections>,
        stop: &Stop,
    ) -> Result<(), NotRun> {
        if self.info.reference(&workloads::server::HTTP_SERVER).is_none() {
            return Err(NotRun::Cannot);
        }
        self.runtime
            .block_on(hyper_server::serve(listener, Arc::clone(connections), stop.clone()))
            .map_err(|e| NotRun::failed(format!("hyper's server failed: {e}")))
    }

    /// reqwest on this runtime, one client (and so one connection pool) per fan-out, its
    /// connections closed before it returns ([`reqwest_client::fetch_all`]); the
    /// multi-thread runtime declares it, the current-thread one does not.
    fn fetch_all_reference(
        &self,
        urls: &[Url],
        timeout: Duration,
    ) -> Result<Vec<Result<Fetched, String>>, NotRun> {
        if self.info.reference(&workloads::client::HTTP_CLIENT).is_none() {
            return Err(NotRun::Cannot);
        }
        self.runtime.block_on(reqwest_client::fetch_all(urls, timeout)).map_err(NotRun::failed)
    }
}
