//! The workloads on a **rayon** thread pool.
//!
//! **When to choose it.** CPU-bound data parallelism: turn `iter()` into `par_iter()` and
//! rayon splits the work across cores, with results identical to the sequential code.
//! It is the wrong tool for waiting: rayon has no timers, no channels and no async I/O, and
//! a job that blocks holds one of the pool's few threads. This crate shows both sides.
//!
//! **How it runs.** A fixed pool of worker threads (here the same count as every other
//! pool), each with a double-ended queue of jobs. `join(a, b)` pushes `b`, runs `a`, then
//! runs `b` itself unless an idle worker stole it meanwhile; parallel iterators split their
//! range in halves the same way. Jobs are not preempted and cannot yield: a job runs to the
//! end on the worker that took it.
//!
//! **What blocks it.** A blocking call inside a job (a sleep, a lock held long, a channel
//! receive) takes its worker out of the pool until it returns; with every worker blocked,
//! nothing else runs.
//!
//! **Layout**, the same modules in every model crate:
//! - [`waits`]: W1, N blocking waits spread over the pool: ⌈N / workers⌉·D.
//! - [`spawn_join`]: W2, N jobs spawned in a `scope`, each writing its own result slot.
//! - `ping_pong` and `idle`: not written; the [`Tasks`] impl below says why in the table.
//! - [`gather`]: W5, one blocking job per task; gather collects in order, as-completed
//!   sends into a channel as each job ends.
//! - [`cancellation`]: W6, a job spawned on the pool that checks a cancel token between
//!   slices of its work.
//! - [`timeouts`]: W7, one job per operation, each blocking its worker until its deadline.
//! - [`scoped`]: W8, the scopes as parallel jobs; a guard released by `Drop` on every path.
//! - [`streams`]: W9, a producer thread and a bounded channel, consumed with `par_bridge`.
//! - [`locks`]: W10, the workers as parallel jobs, all adding to one `std::sync::Mutex`.
//! - `semaphore` and `channels`: not written; the [`Sharing`] impl below says why in the
//!   table.
//! - `server`: not written; the [`Network`] impl below says why.
//! - [`client`]: W15, the HTTP client fan-out: one blocking fetch per URL as parallel jobs,
//!   as many at once as the pool has workers.
//! - [`mandelbrot`]: W16, the rows as a parallel iterator, summed with `reduce`.
//! - [`merge_sort`]: W17, the leaves halved recursively with `rayon::join`, and the halves'
//!   runs merged.
//! - [`hashing`]: W18, the blocks as a parallel iterator, summed with `reduce`.
//! - `stall`: not written; the [`Compute`] impl below says why in the table.
//! - this file: [`Rayon`], the pool, and the impls of [`Model`], [`Tasks`], [`Lifecycle`],
//!   [`Sharing`], [`Compute`] and [`Network`] that enter it.

pub mod cancellation;
pub mod client;
pub mod gather;
pub mod hashing;
pub mod locks;
pub mod mandelbrot;
pub mod merge_sort;
pub mod scoped;
pub mod spawn_join;
pub mod streams;
pub mod timeouts;
pub mod waits;

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use rayon::{ThreadPool, ThreadPoolBuilder};
use workloads::cancellation::CancelOutcome;
use workloads::channels::CHANNELS;
use workloads::channels::{Case, ChannelOutcome, Pipeline, PipelineOutcome};
use workloads::cpu::Way;
use workloads::gather::GatherOutcome;
use workloads::hashing::Blocks;
use workloads::http::{Connections, Fetched, Stop, Url};
use workloads::idle::IDLE;
use workloads::idle::{IdleOutcome, Peak};
use workloads::locks::{LockOutcome, Section};
use workloads::mandelbrot::Mandelbrot;
use workloads::ping_pong::PING_PONG;
use workloads::ping_pong::PingPongOutcome;
use workloads::scoped::{ScopeOutcome, ScopePath};
use workloads::semaphore::SEMAPHORE;
use workloads::semaphore::{ChurnOutcome, SemaphoreOutcome};
use workloads::server::HTTP_SERVER;
use workloads::spawn_join::SpawnOutcome;
use workloads::stall::STALL;
use workloads::stall::{Stall, StallOutcome};
use workloads::streams::StreamOutcome;
use workloads::timeouts::TimeoutOutcome;
use workloads::waits::WaitOutcome;
use workloads::{Cannot, Compute, Kind, Lifecycle, Model, ModelInfo, Network, NotRun, Role, Sharing, Tasks};

/// A rayon pool, built once; each workload enters it with `install`.
///
/// ```
/// use model_rayon::Rayon;
/// use workloads::{Model, Tasks};
///
/// let rayon = Rayon::new(2)?;
/// let outcome = rayon.spawn_join(1_000)?;
/// workloads::spawn_join::check(&workloads::spawn_join::expected(1_000), &outcome)?;
/// // No ping-pong: the model says why in its info instead.
/// assert!(rayon.info().cannot_run(&workloads::ping_pong::PING_PONG, None).is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Rayon {
    pool: ThreadPool,
    info: ModelInfo,
}

impl Rayon {
    /// A pool of `workers` threads. A pool of our own rather than the global one, whose
    /// size is fixed by `RAYON_NUM_THREADS` at first use.
    ///
    /// # Errors
    /// The OS refused a worker thread.
    pub fn new(workers: usize) -> Result<Self, rayon::ThreadPoolBuildError> {
        let pool =
            ThreadPoolBuilder::new().num_threads(workers).thread_name(|i| format!("rayon-{i}")).build()?;
        let info = ModelInfo {
            id: "rayon",
            name: "rayon",
            kind: Kind::Pool,
            workers,
            concurrency: "Parallel work-stealing pool (fork-join)",
            best_for: "CPU-bound data parallelism: top CPU speedups with the least code (CPU-bound rows); no I/O, no waiting (Scalability, HTTP rows)",
            debugging: "Moderate: results are deterministic; stacks cross pool threads",
            // A pool for computing, with nothing of its own to wait with: what it does not
            // run, and why (the table's cells say it).
            cannot: vec![
                Cannot::run(
                    &PING_PONG,
                    "no channels or wake-ups of its own; two jobs blocked on each other tie up two workers (see threads)",
                ),
                Cannot {
                    workload: &IDLE,
                    variants: &[],
                    why: format!(
                        "holds {workers} waiting jobs at most: a waiting job blocks its worker, the rest stay queued"
                    )
                    .into(),
                },
                Cannot::run(
                    &SEMAPHORE,
                    "the pool is the semaphore: W workers run at most W jobs at once; \
                     with fewer workers than K permits, K is never reached",
                ),
                Cannot::run(
                    &CHANNELS,
                    "no channels of its own; a job blocked on a full or empty channel ties up a worker (see threads)",
                ),
                Cannot::run(&STALL, "rayon has no timers: a heartbeat job would block a worker itself"),
                Cannot::run(
                    &HTTP_SERVER,
                    "rayon has no I/O of its own: a connection blocked in a read would tie up a pool thread (see threads)",
                ),
            ],
            role: Role::Compared,
            references: Vec::new(),
        };
        Ok(Rayon { pool, info })
    }
}

impl Model for Rayon {
    fn info(&self) -> ModelInfo {
        self.info.clone()
    }
}

impl Tasks for Rayon {
    fn concurrent_waits(&self, n: usize, wait: Duration) -> Result<WaitOutcome, NotRun> {
        // `install` runs the closure inside the pool, so the parallel iterator uses its
        // workers (and not the global pool's).
        Ok(self.pool.install(|| waits::concurrent_waits(n, wait)))
    }

    fn spawn_join(&self, n: usize) -> Result<SpawnOutcome, NotRun> {
        Ok(self.pool.install(|| spawn_join::spawn_join(n)))
    }

    fn ping_pong(&self, _rounds: usize) -> Result<PingPongOutcome, NotRun> {
        Err(NotRun::Cannot)
    }

    fn idle_tasks(&self, _n: usize, _at_peak: &mut dyn FnMut(&Peak)) -> Result<IdleOutcome, NotRun> {
        Err(NotRun::Cannot)
    }
}

impl Lifecycle for Rayon {
    fn gather(&self, durations: &[Duration]) -> Result<GatherOutcome, NotRun> {
        Ok(self.pool.install(|| gather::gather(durations)))
    }

    fn as_completed(&self, durations: &[Duration]) -> Result<GatherOutcome, NotRun> {
        Ok(self.pool.install(|| gather::as_completed(durations)))
    }

    fn cancellation(&self, trials: usize, hold: Duration) -> Result<CancelOutcome, NotRun> {
        // Not `install`: the caller waits on the job, and must not do so from a worker.
        Ok(cancellation::cancellation(&self.pool, trials, hold))
    }

    fn timeouts(&self, n: usize, deadline: Duration, work: Duration) -> Result<TimeoutOutcome, NotRun> {
        Ok(self.pool.install(|| timeouts::timeouts(n, deadline, work)))
    }

    fn scoped_resources(&self, n: usize, path: ScopePath) -> Result<ScopeOutcome, NotRun> {
        Ok(self.pool.install(|| scoped::scoped_resources(n, path)))
    }

    fn stream(&self, n: usize) -> Result<StreamOutcome, NotRun> {
        self.pool
            .install(|| streams::stream(n))
            .map_err(|e| NotRun::failed(format!("the OS refused the producer thread: {e}")))
    }
}

impl Sharing for Rayon {
    fn locked_counter(
        &self,
        workers: usize,
        increments: usize,
        section: Section,
    ) -> Result<LockOutcome, NotRun> {
        Ok(self.pool.install(|| locks::locked_counter(workers, increments, section)))
    }

    fn semaphore(&self, _jobs: usize, _permits: usize, _wait: Duration) -> Result<SemaphoreOutcome, NotRun> {
        Err(NotRun::Cannot)
    }

    fn permit_churn(&self, _workers: usize, _permits: usize, _rounds: usize) -> Result<ChurnOutcome, NotRun> {
        Err(NotRun::Cannot)
    }

    fn channel(&self, _case: Case, _messages: usize) -> Result<ChannelOutcome, NotRun> {
        Err(NotRun::Cannot)
    }

    fn pipeline(&self, _pipeline: Pipeline) -> Result<PipelineOutcome, NotRun> {
        Err(NotRun::Cannot)
    }
}

impl Compute for Rayon {
    fn mandelbrot(&self, image: &Arc<Mandelbrot>, way: Way) -> Result<u64, NotRun> {
        match way {
            // `install`: the parallel iterator runs on this pool's workers, not the global
            // pool's, and the jobs borrow the image, as `install` waits for them.
            Way::WorkStealing => Ok(self.pool.install(|| mandelbrot::work_stealing(image))),
            // Work stealing only: its `cpu_ways`.
            _ => Err(NotRun::Cannot),
        }
    }

    fn merge_sort(&self, input: &Arc<[u64]>, way: Way) -> Result<Vec<u64>, NotRun> {
        match way {
            Way::WorkStealing => Ok(self.pool.install(|| merge_sort::work_stealing(input))),
            // Work stealing only: its `cpu_ways`.
            _ => Err(NotRun::Cannot),
        }
    }

    fn hash_blocks(&self, blocks: &Arc<Blocks>, way: Way) -> Result<u64, NotRun> {
        match way {
            Way::WorkStealing => Ok(self.pool.install(|| hashing::work_stealing(blocks))),
            // Work stealing only: its `cpu_ways`.
            _ => Err(NotRun::Cannot),
        }
    }

    fn blocking_stall(&self, _stall: &Stall) -> Result<StallOutcome, NotRun> {
        Err(NotRun::Cannot)
    }
}

impl Network for Rayon {
    fn serve(
        &self,
        _listener: TcpListener,
        _connections: &Arc<Connections>,
        _stop: &Stop,
    ) -> Result<(), NotRun> {
        Err(NotRun::Cannot)
    }

    fn fetch_all(&self, urls: &[Url], timeout: Duration) -> Result<Vec<Result<Fetched, String>>, NotRun> {
        // `install`: the parallel iterator runs on this pool's workers, so the fan-out is as
        // wide as this pool, not the global one.
        Ok(self.pool.install(|| client::fetch_all(urls, timeout)))
    }
}
