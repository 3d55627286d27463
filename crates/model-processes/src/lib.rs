//! The workloads on **worker processes**: the tutorial's `multiprocessing`, in Rust.
//!
//! **When to choose it.** Work that must be isolated: a crash, a leak or a hang in one worker
//! cannot take the others down, each has its own address space and limits, and the OS
//! cleans up after a dead one. CPU work that scales across cores, when the data to move is
//! small beside the work done on it.
//!
//! **How it runs.** One OS process per task or per worker, started from the workspace's
//! `process-worker` program ([`worker`] says why a program and not `fork`). Processes share
//! no memory: everything crosses a pipe (or a file, a socket) as bytes, so each message is
//! written, copied by the kernel and read again. The kernel schedules processes as it
//! schedules threads, preemptively; a switch between processes also switches the address
//! space.
//!
//! **What blocks it.** Nothing blocks the *model*: a blocked worker costs only itself. What
//! limits it is the cost of starting a process (an `exec`, the loader, a fresh heap), the
//! memory each one holds, and the copying of every message.
//!
//! **Layout**, the same modules as every model crate:
//! - [`waits`]: W1, N processes that each sleep D, waited for.
//! - [`spawn_join`]: W2, start N processes that each return a value as their answer, join them.
//! - [`ping_pong`]: W3, a parent and a worker pass a token through two pipes.
//! - [`idle`]: W4, N processes blocked on their standard input while the probe reads memory.
//! - [`gather`]: W5, a process per task; gather reads them in order, as-completed as they answer.
//! - [`cancellation`]: W6, a worker holding a resource, cancelled by a signal.
//! - [`timeouts`]: W7, a process per operation, waited for with a deadline.
//! - [`scoped`]: W8, a resource released on every path, across a process boundary.
//! - [`streams`]: W9, a producer process writing items into a pipe, read as an iterator.
//! - [`locks`]: W10, worker processes adding to one counter in a file under a file lock.
//! - [`semaphore`]: W11, K tokens in a pipe as the permits (the make jobserver's design).
//! - [`channels`]: W12, pipes between producer and consumer processes.
//! - [`server`]: W13, the HTTP server as pre-forked worker processes sharing one port.
//! - [`client`]: W15, the HTTP client fan-out, a process per URL.
//! - [`mandelbrot`], [`merge_sort`], [`hashing`]: W16–W18, one worker process per core,
//!   paying for moving the data to it and back.
//! - [`stall`]: W19, the blocking pitfall: a process is its own, like a thread.
//! - [`pool`]: not a workload, the pool of worker processes the CPU kernels share, fed by
//!   one thread each in the parent, with static chunks or a work queue.
//! - [`worker`]: not a workload, how a worker process is found, started, spoken to and reaped.
//! - this file: [`Processes`] and the impls of [`Model`], [`Tasks`], [`Lifecycle`],
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
pub mod pool;
pub mod scoped;
pub mod semaphore;
pub mod server;
pub mod spawn_join;
pub mod stall;
pub mod streams;
pub mod timeouts;
pub mod waits;
pub mod worker;

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
use workloads::stall::{
    STALL, STALL_LOCAL_INLINE_CPU, STALL_LOCAL_OFFLOADED_CPU, STALL_OFFLOADED_CPU, STALL_OFFLOADED_SLEEP,
};
use workloads::stall::{Stall, StallOutcome};
use workloads::streams::StreamOutcome;
use workloads::timeouts::TimeoutOutcome;
use workloads::waits::WaitOutcome;
use workloads::{Cannot, Compute, Kind, Lifecycle, Model, ModelInfo, Network, NotRun, Role, Sharing, Tasks};

/// Worker processes, started from the `process-worker` program.
pub struct Processes {
    info: ModelInfo,
}

impl Processes {
    /// The processes model. `workers` is how many worker processes share a CPU-bound kernel
    /// (W16–W18) and how many pre-forked processes serve HTTP (W13); elsewhere the model
    /// starts one process per task.
    ///
    /// # Errors
    /// The worker program cannot be found ([`worker::program`]): the message says where it
    /// looked and how to build it.
    pub fn new(workers: usize) -> Result<Self, String> {
        worker::program()?;
        let info = ModelInfo {
            id: "processes",
            name: "Processes",
            kind: Kind::Processes,
            workers,
            concurrency: "Preemptive OS processes, one per task or per worker; no shared memory, messages over pipes",
            best_for: "Isolation (a crash stays in its process) and CPU work whose data is small beside the work",
            debugging: "Moderate: one debugger per process; a dead worker is an exit status, not a corrupted heap",
            // W19's variants about an executor: processes have none.
            cannot: vec![
                Cannot::variants(
                    &STALL,
                    &[&STALL_LOCAL_INLINE_CPU, &STALL_LOCAL_OFFLOADED_CPU],
                    "processes have no single-threaded executor",
                ),
                Cannot::variants(
                    &STALL,
                    &[&STALL_OFFLOADED_CPU, &STALL_OFFLOADED_SLEEP],
                    "a process is its own: there is nothing to offload to",
                ),
            ],
            role: Role::Compared,
            references: Vec::new(),
        };
        Ok(Processes { info })
    }

    /// The processes that compute a CPU kernel or serve HTTP: the worker count the model was
    /// built with (at least one).
    fn workers(&self) -> usize {
        self.info.workers.max(1)
    }
}

/// The worker program's roles, every module's child code by name.
pub(crate) fn roles() -> Vec<worker::Role> {
    [
        waits::ROLES,
        spawn_join::ROLES,
        ping_pong::ROLES,
        idle::ROLES,
        gather::ROLES,
        cancellation::ROLES,
        timeouts::ROLES,
        scoped::ROLES,
        streams::ROLES,
        locks::ROLES,
        semaphore::ROLES,
        channels::ROLES,
        server::ROLES,
        client::ROLES,
        mandelbrot::ROLES,
        merge_sort::ROLES,
        hashing::ROLES,
        stall::ROLES,
    ]
    .concat()
}

impl Model for Processes {
    fn info(&self) -> ModelInfo {
        self.info.clone()
    }
}

impl Tasks for Processes {
    fn concurrent_waits(&self, n: usize, wait: Duration) -> Result<WaitOutcome, NotRun> {
        waits::concurrent_waits(n, wait)
    }

    fn spawn_join(&self, n: usize) -> Result<SpawnOutcome, NotRun> {
        spawn_join::spawn_join(n)
    }

    fn ping_pong(&self, rounds: usize) -> Result<PingPongOutcome, NotRun> {
        ping_pong::ping_pong(rounds)
    }

    fn idle_tasks(&self, n: usize, at_peak: &mut dyn FnMut(&Peak)) -> Result<IdleOutcome, NotRun> {
        idle::idle_tasks(n, at_peak)
    }
}

impl Lifecycle for Processes {
    fn gather(&self, durations: &[Duration]) -> Result<GatherOutcome, NotRun> {
        gather::gather(durations)
    }

    fn as_completed(&self, durations: &[Duration]) -> Result<GatherOutcome, NotRun> {
        gather::as_completed(durations)
    }

    fn cancellation(&self, trials: usize, hold: Duration) -> Result<CancelOutcome, NotRun> {
        cancellation::cancellation(trials, hold)
    }

    fn timeouts(&self, n: usize, deadline: Duration, work: Duration) -> Result<TimeoutOutcome, NotRun> {
        timeouts::timeouts(n, deadline, work)
    }

    fn scoped_resources(&self, n: usize, path: ScopePath) -> Result<ScopeOutcome, NotRun> {
        scoped::scoped_resources(n, path)
    }

    fn stream(&self, n: usize) -> Result<StreamOutcome, NotRun> {
        streams::stream(n)
    }
}

impl Sharing for Processes {
    fn locked_counter(
        &self,
        workers: usize,
        increments: usize,
        section: Section,
    ) -> Result<LockOutcome, NotRun> {
        locks::locked_counter(workers, increments, section)
    }

    fn semaphore(&self, jobs: usize, permits: usize, wait: Duration) -> Result<SemaphoreOutcome, NotRun> {
        semaphore::semaphore(jobs, permits, wait)
    }

    fn permit_churn(&self, workers: usize, permits: usize, rounds: usize) -> Result<ChurnOutcome, NotRun> {
        semaphore::permit_churn(workers, permits, rounds)
    }

    fn channel(&self, case: Case, messages: usize) -> Result<ChannelOutcome, NotRun> {
        channels::channel(case, messages)
    }

    fn pipeline(&self, pipeline: Pipeline) -> Result<PipelineOutcome, NotRun> {
        channels::pipeline(pipeline)
    }
}

impl Compute for Processes {
    fn mandelbrot(&self, image: &Arc<Mandelbrot>, way: Way) -> Result<u64, NotRun> {
        mandelbrot::mandelbrot(image, way, self.workers())
    }

    fn merge_sort(&self, input: &Arc<[u64]>, way: Way) -> Result<Vec<u64>, NotRun> {
        merge_sort::merge_sort(input, way, self.workers())
    }

    fn hash_blocks(&self, blocks: &Arc<Blocks>, way: Way) -> Result<u64, NotRun> {
        hashing::hash_blocks(blocks, way, self.workers())
    }

    fn blocking_stall(&self, stall: &Stall) -> Result<StallOutcome, NotRun> {
        stall::blocking_stall(stall)
    }
}

impl Network for Processes {
    fn serve(
        &self,
        listener: TcpListener,
        connections: &Arc<Connections>,
        stop: &Stop,
    ) -> Result<(), NotRun> {
        server::serve(listener, connections, stop, self.workers())
    }

    fn fetch_all(&self, urls: &[Url], timeout: Duration) -> Result<Vec<Result<Fetched, String>>, NotRun> {
        client::fetch_all(urls, timeout)
    }
}
