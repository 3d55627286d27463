//! The workloads on **OS threads**: `std::thread`, scoped threads and crossbeam channels.
//!
//! **When to choose it.** Work that blocks (files, blocking sockets, libraries with no async
//! API) or computes, at up to a few thousand tasks. Code reads top to bottom, any blocking
//! call is allowed, and every debugger and profiler understands threads.
//!
//! **How it runs.** One OS thread per task. The kernel schedules threads *preemptively*: it
//! can switch between them at any instruction, on a timer or when a thread blocks, so no
//! thread needs to cooperate, but every switch goes through the kernel (microseconds when a
//! thread must be woken). Each thread has its own stack (2 MiB of address space by default
//! in Rust, of which only the touched pages use memory) and kernel structures; a process
//! here can start about 16 000 of them before the OS refuses (see [`idle`]).
//!
//! **What blocks it.** Nothing blocks the *model*: a blocked thread costs only itself. What
//! limits it is the count of threads and the cost of switching between them.
//!
//! **Layout**, the same modules in every model crate:
//! - [`waits`]: W1, N threads that each sleep D, joined.
//! - [`spawn_join`]: W2, spawn N threads that return a value, join them.
//! - [`ping_pong`]: W3, two threads pass a token through two crossbeam channels.
//! - [`idle`]: W4, N scoped threads blocked on one gate while the probe reads memory.
//! - [`gather`]: W5, a thread per task; gather joins in order, as-completed fans in
//!   through a channel.
//! - [`cancellation`]: W6, a thread that checks a cancel token between slices of its work.
//! - [`timeouts`]: W7, a thread per operation, blocked in a receive with a deadline.
//! - [`scoped`]: W8, a guard released by `Drop` on every path; a cancelled scope on its
//!   own thread.
//! - [`streams`]: W9, a producer thread and a bounded channel read as an iterator.
//! - [`locks`]: W10, a thread per worker, all adding to one `std::sync::Mutex`.
//! - [`semaphore`]: W11, K tokens in a bounded crossbeam channel as the permits.
//! - [`channels`]: W12, crossbeam channels between producer and consumer threads.
//! - [`server`]: W13, the HTTP server: a blocking accept loop and a thread per connection,
//!   its reads on a short timeout to see the stop signal.
//! - [`client`]: W15, the HTTP client fan-out: a scoped thread per URL, each a blocking
//!   exchange with timeouts.
//! - [`mandelbrot`]: W16, the rows over `workers` scoped threads: one fixed range each, or
//!   the next row from an atomic counter.
//! - [`merge_sort`]: W17, one leaf per thread sorted in place, or leaves and merges taken
//!   from an atomic counter; pairs merged level by level.
//! - [`hashing`]: W18, the blocks over `workers` scoped threads, cut as Mandelbrot's rows.
//! - [`stall`]: W19, a heartbeat thread, a thread per light request and blocking threads:
//!   the OS preempts, so nothing stalls.
//! - [`work_queue`]: not a workload, the shared-counter queue the CPU kernels hand out units with.
//! - this file: [`Threads`] and the impls of [`Model`], [`Tasks`], [`Lifecycle`],
//!   [`Sharing`], [`Compute`] and [`Network`].

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
pub mod work_queue;

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

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
use workloads::stall::{Placement, Stall, StallOutcome};
use workloads::stall::{
    STALL, STALL_LOCAL_INLINE_CPU, STALL_LOCAL_OFFLOADED_CPU, STALL_OFFLOADED_CPU, STALL_OFFLOADED_SLEEP,
};
use workloads::streams::StreamOutcome;
use workloads::timeouts::TimeoutOutcome;
use workloads::waits::WaitOutcome;
use workloads::{Cannot, Compute, Kind, Lifecycle, Model, ModelInfo, Network, NotRun, Role, Sharing, Tasks};

/// OS threads, started per task. There is no pool to build: the kernel is the scheduler.
///
/// ```
/// use model_threads::Threads;
/// use workloads::Tasks;
///
/// // Hold 100 threads blocked at once; `at_peak` sees them all alive.
/// let threads = Threads::new(2);
/// let outcome = threads.idle_tasks(100, &mut |peak| assert_eq!(peak.started, 100))?;
/// workloads::idle::check(&outcome)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Threads {
    info: ModelInfo,
}

impl Threads {
    /// The threads model. `workers` is how many threads share a CPU-bound kernel (W16–W18);
    /// everywhere else this model starts one thread per task, and the cores they run on
    /// are the machine's.
    pub fn new(workers: usize) -> Self {
        let info = ModelInfo {
            id: "threads",
            name: "OS threads",
            kind: Kind::Threads,
            workers,
            concurrency: "Preemptive OS threads, one per task",
            best_for: "Blocking calls and CPU work: preempted, so nothing stalls (Blocking stall); a work queue scales CPU work (CPU-bound rows); up to about 16 000 tasks (Scalability)",
            debugging: "Moderate: real stacks in any debugger; races depend on timing",
            // W19's variants about an executor: threads have none.
            cannot: vec![
                Cannot::variants(
                    &STALL,
                    &[&STALL_LOCAL_INLINE_CPU, &STALL_LOCAL_OFFLOADED_CPU],
                    "threads have no single-threaded executor",
                ),
                Cannot::variants(
                    &STALL,
                    &[&STALL_OFFLOADED_CPU, &STALL_OFFLOADED_SLEEP],
                    "a thread is its own: there is nothing to offload to",
                ),
            ],
            role: Role::Compared,
            references: Vec::new(),
        };
        Threads { info }
    }

    /// The threads that compute a CPU kernel: the worker count the model was built with
    /// (at least one), never more, so that every model is compared on the same cores.
    fn workers(&self) -> usize {
        self.info.workers.max(1)
    }
}

/// A thread the OS would not start, as a one-line reason for the table.
fn refused(what: &str, error: &std::io::Error) -> NotRun {
    NotRun::failed(format!("the OS refused {what}: {error}"))
}

impl Model for Threads {
    fn info(&self) -> ModelInfo {
        self.info.clone()
    }
}

impl Tasks for Threads {
    fn concurrent_waits(&self, n: usize, wait: Duration) -> Result<WaitOutcome, NotRun> {
        waits::concurrent_waits(n, wait).map_err(|e| refused("a thread", &e))
    }

    fn spawn_join(&self, n: usize) -> Result<SpawnOutcome, NotRun> {
        spawn_join::spawn_join(n).map_err(|e| refused("a thread", &e))
    }

    fn ping_pong(&self, rounds: usize) -> Result<PingPongOutcome, NotRun> {
        ping_pong::ping_pong(rounds).map_err(|e| refused("a thread", &e))
    }

    fn idle_tasks(&self, n: usize, at_peak: &mut dyn FnMut(&Peak)) -> Result<IdleOutcome, NotRun> {
        Ok(idle::idle_tasks(n, at_peak))
    }
}

impl Lifecycle for Threads {
    fn gather(&self, durations: &[Duration]) -> Result<GatherOutcome, NotRun> {
        gather::gather(durations).map_err(|e| refused("a thread", &e))
    }

    fn as_completed(&self, durations: &[Duration]) -> Result<GatherOutcome, NotRun> {
        gather::as_completed(durations).map_err(|e| refused("a thread", &e))
    }

    fn cancellation(&self, trials: usize, hold: Duration) -> Result<CancelOutcome, NotRun> {
        cancellation::cancellation(trials, hold).map_err(|e| refused("a thread", &e))
    }

    fn timeouts(&self, n: usize, deadline: Duration, work: Duration) -> Result<TimeoutOutcome, NotRun> {
        timeouts::timeouts(n, deadline, work).map_err(|e| refused("a thread", &e))
    }

    fn scoped_resources(&self, n: usize, path: ScopePath) -> Result<ScopeOutcome, NotRun> {
        scoped::scoped_resources(n, path).map_err(|e| refused("a thread", &e))
    }

    fn stream(&self, n: usize) -> Result<StreamOutcome, NotRun> {
        streams::stream(n).map_err(|e| refused("the producer thread", &e))
    }
}

impl Sharing for Threads {
    fn locked_counter(
        &self,
        workers: usize,
        increments: usize,
        section: Section,
    ) -> Result<LockOutcome, NotRun> {
        locks::locked_counter(workers, increments, section).map_err(|e| refused("a thread", &e))
    }

    fn semaphore(&self, jobs: usize, permits: usize, wait: Duration) -> Result<SemaphoreOutcome, NotRun> {
        semaphore::semaphore(jobs, permits, wait).map_err(|e| refused("a thread", &e))
    }

    fn permit_churn(&self, workers: usize, permits: usize, rounds: usize) -> Result<ChurnOutcome, NotRun> {
        semaphore::permit_churn(workers, permits, rounds).map_err(|e| refused("a thread", &e))
    }

    fn channel(&self, case: Case, messages: usize) -> Result<ChannelOutcome, NotRun> {
        channels::channel(case, messages).map_err(|e| refused("a thread", &e))
    }

    fn pipeline(&self, pipeline: Pipeline) -> Result<PipelineOutcome, NotRun> {
        channels::pipeline(pipeline).map_err(|e| refused("a thread", &e))
    }
}

impl Compute for Threads {
    fn mandelbrot(&self, image: &Arc<Mandelbrot>, way: Way) -> Result<u64, NotRun> {
        // Scoped threads borrow the image for the call: the `Arc` is not cloned.
        match way {
            Way::StaticChunks => mandelbrot::static_chunks(image, self.workers()),
            Way::WorkQueue => mandelbrot::work_queue(image, self.workers()),
            // A fixed cut and a shared queue only: its `cpu_ways`.
            _ => return Err(NotRun::Cannot),
        }
        .map_err(|e| refused("a thread", &e))
    }

    fn merge_sort(&self, input: &Arc<[u64]>, way: Way) -> Result<Vec<u64>, NotRun> {
        match way {
            Way::StaticChunks => merge_sort::static_chunks(input, self.workers()),
            Way::WorkQueue => merge_sort::work_queue(input, self.workers()),
            // A fixed cut and a shared queue only: its `cpu_ways`.
            _ => return Err(NotRun::Cannot),
        }
        .map_err(|e| refused("a thread", &e))
    }

    fn hash_blocks(&self, blocks: &Arc<Blocks>, way: Way) -> Result<u64, NotRun> {
        match way {
            Way::StaticChunks => hashing::static_chunks(blocks, self.workers()),
            Way::WorkQueue => hashing::work_queue(blocks, self.workers()),
            // A fixed cut and a shared queue only: its `cpu_ways`.
            _ => return Err(NotRun::Cannot),
        }
        .map_err(|e| refused("a thread", &e))
    }

    fn blocking_stall(&self, stall: &Stall) -> Result<StallOutcome, NotRun> {
        // Declared in `cannot`: no executor of its own, nothing to offload to.
        if stall.local {
            return Err(NotRun::Cannot);
        }
        match stall.placement {
            Placement::Inline => stall::inline(stall).map_err(|e| refused("a thread", &e)),
            Placement::Offloaded => Err(NotRun::Cannot),
        }
    }
}

impl Network for Threads {
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
