//! The model contract: one trait per chapter of the course, and [`Model`], which is all of
//! them plus the model's identity and properties.
//!
//! There are no default methods: a model implements every workload, or declares in
//! [`ModelInfo::cannot`] that it does not run it, with the reason, and returns
//! [`NotRun::Cannot`] if asked anyway; so a new workload can never be skipped silently.

use std::borrow::Cow;
use std::time::Duration;

use std::net::TcpListener;
use std::sync::Arc;

use crate::catalogue::{Variant, Workload};

use crate::cancellation::CancelOutcome;
use crate::channels::{Case, ChannelOutcome, Pipeline, PipelineOutcome};
use crate::cpu::Way;
use crate::gather::GatherOutcome;
use crate::hashing::Blocks;
use crate::http::{Connections, Fetched, Stop, Url};
use crate::idle::{IdleOutcome, Peak};
use crate::locks::{LockOutcome, Section};
use crate::mandelbrot::Mandelbrot;
use crate::ping_pong::PingPongOutcome;
use crate::scoped::{ScopeOutcome, ScopePath};
use crate::semaphore::{ChurnOutcome, SemaphoreOutcome};
use crate::spawn_join::SpawnOutcome;
use crate::stall::{Stall, StallOutcome};
use crate::streams::StreamOutcome;
use crate::timeouts::TimeoutOutcome;
use crate::waits::WaitOutcome;

/// Why a model's method gave no outcome.
///
/// Two different things, kept apart: a model that *cannot* run something says so once, in
/// [`ModelInfo::cannot`] (or, for a CPU way, by leaving it out of [`ModelInfo::cpu_ways`]),
/// and the harness plans around it without asking; a model that tried and *failed* says
/// what went wrong, and the table shows it in place of the figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotRun {
    /// The model does not run this workload, variant or way, as its [`ModelInfo`] declares,
    /// with the reason. A method returns it only when asked anyway.
    Cannot,
    /// It tried and failed: the OS refused a thread, a socket could not be set up, a server
    /// failed. The reason is one line, in words a reader understands.
    Failed(String),
}

impl NotRun {
    /// A failure, with its reason.
    pub fn failed(reason: impl Into<String>) -> Self {
        NotRun::Failed(reason.into())
    }
}

impl std::fmt::Display for NotRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotRun::Cannot => f.write_str("the model does not run this (its ModelInfo says why)"),
            NotRun::Failed(reason) => f.write_str(reason),
        }
    }
}

impl std::error::Error for NotRun {}

/// A workload, or some of its variants, that a model does not run, and why: the one place a
/// model says so. The harness plans around it and puts the reason in the table's cell; the
/// conformance suite checks that the model runs everything else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cannot {
    /// The workload.
    pub workload: &'static Workload,
    /// The variants it does not run; none listed: the whole workload.
    pub variants: &'static [&'static Variant],
    /// Why, one line, in words a reader of the table understands, e.g. "no channels of its
    /// own; a job blocked on a full or empty channel ties up a worker".
    pub why: Cow<'static, str>,
}

impl Cannot {
    /// The model does not run `workload` at all.
    pub const fn run(workload: &'static Workload, why: &'static str) -> Self {
        Cannot { workload, variants: &[], why: Cow::Borrowed(why) }
    }

    /// The model does not run these `variants` of their workload.
    pub const fn variants(
        workload: &'static Workload,
        variants: &'static [&'static Variant],
        why: &'static str,
    ) -> Self {
        Cannot { workload, variants, why: Cow::Borrowed(why) }
    }

    /// Whether this covers `workload`, or its `variant`.
    fn covers(&self, workload: &Workload, variant: Option<&Variant>) -> bool {
        self.workload.id == workload.id
            && (self.variants.is_empty()
                || variant.is_some_and(|v| self.variants.iter().any(|c| c.id == v.id)))
    }
}

/// About what starting one worker process costs on a small machine (0.5–2 ms: a `clone`, an
/// `exec`, the loader, a fresh heap): the processes model starts one per task, one after
/// another, so N of them take N times this before the last one's wait begins. The sizes
/// use it ([`ModelInfo::expected_wait_time`]) to leave out what would not fit their budget.
pub const PROCESS_START: Duration = Duration::from_millis(1);

/// How a model runs waiting tasks. The harness and the sizes read the model's properties
/// from it (how waits overlap, whether it holds waiting tasks, whether the OS's thread limit
/// bounds it); nothing matches on a model's id.
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
    /// One OS process per task (or per worker, for CPU work and serving): all N waits
    /// overlap, each task costs a process start and crosses a pipe to report.
    Processes,
}

/// The part a model plays in the comparison besides being one of its columns. Nothing
/// matches on a model's id: the harness and the table find the baseline by this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// One column among the others.
    Compared,
    /// The baseline every speedup is measured against: the harness runs it in every round
    /// of the CPU kernels, whatever the filter, and the table divides by its figure.
    Baseline,
}

/// A reference that a model's runtime hosts: a production implementation measured beside
/// the workspace's own, in the rows it applies to (hyper's HTTP server and reqwest's
/// client, on tokio). It is a column of its own, with its own words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// Id in records and benchmark ids, e.g. `hyper`.
    pub id: &'static str,
    /// The workload it stands in for: measured beside its host in that workload's rows, and
    /// in no other.
    pub workload: &'static Workload,
    /// Name shown in the table header.
    pub name: &'static str,
    /// "Concurrency model" row.
    pub concurrency: &'static str,
    /// "Best for" row.
    pub best_for: &'static str,
    /// "Debugging" row.
    pub debugging: &'static str,
}

/// A model's identity, properties and the words of the comparison table.
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
    /// What it does not run, and why: the one place a model says so.
    pub cannot: Vec<Cannot>,
    /// Its part in the comparison: a column among others, or the baseline.
    pub role: Role,
    /// The references its runtime hosts, if any (hyper's server and reqwest's client, on
    /// tokio's), one per workload at most.
    pub references: Vec<Reference>,
}

impl ModelInfo {
    /// The reference its runtime hosts for `workload`, if any.
    pub fn reference(&self, workload: &Workload) -> Option<&Reference> {
        self.references.iter().find(|r| r.workload.id == workload.id)
    }

    /// Why the model does not run `workload` (or its `variant`), if it does not.
    pub fn cannot_run(&self, workload: &Workload, variant: Option<&Variant>) -> Option<&str> {
        self.cannot.iter().find(|c| c.covers(workload, variant)).map(|c| c.why.as_ref())
    }

    /// How long `n` waits of `wait` should take in this model, if it does its job:
    /// the figure the sizes use to leave out runs that would not fit their time budget. A
    /// process per task also pays its start, one after another ([`PROCESS_START`] each),
    /// before the waits overlap.
    pub fn expected_wait_time(&self, n: usize, wait: Duration) -> Duration {
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        match self.kind {
            Kind::Sequential => wait * count(n),
            Kind::Pool => wait * count(n.div_ceil(self.workers.max(1))),
            Kind::Threads | Kind::Async => wait * count(1.min(n)),
            Kind::Processes => PROCESS_START * count(n) + wait * count(1.min(n)),
        }
    }

    /// Whether each task is an OS thread or process, so a limit of the OS bounds how many
    /// the model holds (W4 searches for it): the thread limit, or for processes the open
    /// files (the parent's pipes to them) and the machine's process ids.
    pub fn has_os_limit(&self) -> bool {
        matches!(self.kind, Kind::Threads | Kind::Processes)
    }

    /// The ways the model runs a CPU-bound kernel (W16–W18), its plainest first.
    pub fn cpu_ways(&self) -> &'static [Way] {
        match self.kind {
            Kind::Sequential => &[Way::OneThread],
            Kind::Threads => &[Way::StaticChunks, Way::WorkQueue],
            Kind::Pool => &[Way::WorkStealing],
            Kind::Processes => &[Way::StaticChunks, Way::WorkQueue],
            Kind::Async => &[Way::Inline, Way::Offloaded],
        }
    }
}

/// Chapter 1, tasks: waiting together, spawning, switching, holding.
pub trait Tasks {
    /// W1: start `n` tasks that each wait `wait`, then join them all.
    fn concurrent_waits(&self, n: usize, wait: Duration) -> Result<WaitOutcome, NotRun>;

    /// W2: spawn `n` trivial tasks that each return [`crate::spawn_join::task_value`], and
    /// join them all.
    fn spawn_join(&self, n: usize) -> Result<SpawnOutcome, NotRun>;

    /// W3: two tasks pass a token back and forth `rounds` times, each adding one per hop.
    fn ping_pong(&self, rounds: usize) -> Result<PingPongOutcome, NotRun>;

    /// W4: hold `n` tasks alive, each waiting on one shared gate; once they have all started
    /// (or a limit stopped the spawning), call `at_peak` (where the probe reads memory), then
    /// open the gate and join every task that started.
    fn idle_tasks(&self, n: usize, at_peak: &mut dyn FnMut(&Peak)) -> Result<IdleOutcome, NotRun>;
}

/// Chapter 2, task lifecycles: results in order and as they come, cancellation, timeouts,
/// scoped resources, streams.
pub trait Lifecycle {
    /// W5, gather: start one task per entry of `durations`; task `i` waits `durations[i]`
    /// and returns [`crate::gather::task_value`]`(i)`. Return the values in submission
    /// order, whatever order the tasks finished in (`asyncio.gather`).
    fn gather(&self, durations: &[Duration]) -> Result<GatherOutcome, NotRun>;

    /// W5, as-completed: the same tasks, but return the values in the order the tasks
    /// finished (`asyncio.as_completed`).
    fn as_completed(&self, durations: &[Duration]) -> Result<GatherOutcome, NotRun>;

    /// W6: `trials` times, start a task that acquires a [`crate::resource::Resource`] from
    /// one [`crate::resource::Ledger`] and then works far longer than the test lasts; once
    /// it holds the resource, wait [`crate::cancellation::hold_for`]`(hold, trial)`, note the
    /// time, cancel it, and join it. Return the time from each cancel request to the
    /// resource's release.
    fn cancellation(&self, trials: usize, hold: Duration) -> Result<CancelOutcome, NotRun>;

    /// W7: start `n` operations at once, each doing work that takes `work` under a deadline
    /// of `deadline` (shorter: every one times out). Return how late each one saw its
    /// timeout, how many finished their work and how many are still working, counted only
    /// once `work` + [`crate::timeouts::GRACE`] has passed since the start, so that work left
    /// running after its timeout would be caught. The work holds a
    /// [`crate::resource::Resource`] while it runs, and closes it when it reaches its end.
    fn timeouts(&self, n: usize, deadline: Duration, work: Duration) -> Result<TimeoutOutcome, NotRun>;

    /// W8: `n` times, one after another, acquire a [`crate::resource::Resource`], do the
    /// work of `path` (succeed, fail, or be cancelled), and release the resource.
    fn scoped_resources(&self, n: usize, path: ScopePath) -> Result<ScopeOutcome, NotRun>;

    /// W9: a producer yields `n` items ([`crate::streams::item`]`(i)`), one hand-off each;
    /// the consumer sums them.
    fn stream(&self, n: usize) -> Result<StreamOutcome, NotRun>;
}

/// Chapter 3, shared state and queues: locks, semaphores, channels.
pub trait Sharing {
    /// W10: `workers` tasks each add one to one shared counter `increments` times, each time
    /// under a lock held for `section` (just the addition, or the addition and a yield to the
    /// scheduler). Return the count and each worker's longest wait to take the lock (timed
    /// from just before the lock call to just after it returns).
    fn locked_counter(
        &self,
        workers: usize,
        increments: usize,
        section: Section,
    ) -> Result<LockOutcome, NotRun>;

    /// W11: start `jobs` tasks at once; each takes one of `permits` permits, calls
    /// [`crate::semaphore::Gauge::enter`], waits `wait`, calls `leave`, and gives the permit
    /// back. Return the gauge's most at once.
    fn semaphore(&self, jobs: usize, permits: usize, wait: Duration) -> Result<SemaphoreOutcome, NotRun>;

    /// W11, the permit's cost: `workers` tasks each take and give back one of `permits`
    /// permits `rounds` times, calling the gauge's `enter` and `leave` in between and nothing
    /// else.
    fn permit_churn(&self, workers: usize, permits: usize, rounds: usize) -> Result<ChurnOutcome, NotRun>;

    /// W12: `case.producers` tasks send the messages `0..messages` (each its
    /// [`crate::channels::share`]) through one channel of `case.capacity` to
    /// `case.consumers` tasks, which sum what they receive; the channel closes when every
    /// producer is done.
    fn channel(&self, case: Case, messages: usize) -> Result<ChannelOutcome, NotRun>;

    /// W12, the tutorial's pipeline: `pipeline.producers` tasks send `pipeline.items` items
    /// through a queue of `pipeline.capacity` to `pipeline.consumers` tasks, calling a
    /// [`crate::channels::Backlog`]'s `sent` after each send and `received` after each receive;
    /// shut down by closing the channel (no sentinel).
    fn pipeline(&self, pipeline: Pipeline) -> Result<PipelineOutcome, NotRun>;
}

/// CPU-bound work (the docs' chapters 6 and 7): three kernels run each of the model's
/// [`ModelInfo::cpu_ways`], and the blocking pitfall.
///
/// `workers` threads compute: the model's own when it was built with that count, and for
/// an async runtime's offloaded way its pool for blocking work, which is sized to the same
/// count (the harness builds one model per worker count of the sweep, each in a process of
/// its own). Every kernel is cut into the units its module defines, computed by that
/// module's function; a way that is not one of its [`ModelInfo::cpu_ways`] returns
/// [`NotRun::Cannot`].
pub trait Compute {
    /// W16: every row of `image` ([`Mandelbrot::row`]); return the wrapping sum of the rows.
    fn mandelbrot(&self, image: &Arc<Mandelbrot>, way: Way) -> Result<u64, NotRun>;

    /// W17: sort a copy of `input` with [`crate::merge_sort::merge_sort`] on the leaves
    /// ([`crate::merge_sort::leaf`]) and [`crate::merge_sort::merge`] above them; return the
    /// sorted numbers.
    fn merge_sort(&self, input: &Arc<[u64]>, way: Way) -> Result<Vec<u64>, NotRun>;

    /// W18: hash every block ([`Blocks::hash`]); return the wrapping sum of the hashes.
    fn hash_blocks(&self, blocks: &Arc<Blocks>, way: Way) -> Result<u64, NotRun>;

    /// W19: run a heartbeat, a stream of light requests and `stall.blockers` tasks making
    /// blocking calls ([`crate::stall::block`]) as [`Stall`] describes; return what the
    /// heartbeat and the requests saw.
    fn blocking_stall(&self, stall: &Stall) -> Result<StallOutcome, NotRun>;
}

/// The network (the docs' chapters 4 and 5): an HTTP server and a concurrent HTTP client, on real sockets,
/// speaking the protocol of [`crate::http`].
pub trait Network {
    /// W13: serve the endpoints of [`crate::http`] on `listener` (bound, in blocking mode;
    /// convert it to the runtime's own listener) until `stop` fires, then return.
    ///
    /// - Each accepted connection asks `connections` for a place ([`Connections::open`]);
    ///   refused, it gets [`crate::http::rejection`]`(503)` and is closed. A failed accept
    ///   (the open-file limit) is logged with [`crate::http::accept_failed`], which says how
    ///   long to wait before accepting again: never crash, never spin.
    /// - A connection reads into a buffer and answers with [`crate::http::step`], in order,
    ///   pipelined requests too (`Respond`: wait, write, count with [`crate::http::Open::answered`],
    ///   drop the consumed bytes; `Reject`: write and close). It is closed when the client
    ///   closes, on a write error, or when no whole request arrived within
    ///   [`crate::http::IDLE_TIMEOUT`] of the previous response (or of its start).
    /// - On stop: accept no more, let every request in flight finish (its wait included),
    ///   close idle connections, and return only once every connection is closed and every
    ///   task or thread of the server has ended.
    fn serve(&self, listener: TcpListener, connections: &Arc<Connections>, stop: &Stop)
    -> Result<(), NotRun>;

    /// The reference server of a model that hosts one ([`ModelInfo::reference`] of W13): the same
    /// endpoints and the same contract as [`Network::serve`], served by a production HTTP
    /// stack on this model's runtime. Not a workload, so it has a default: a model that
    /// declares no reference keeps it, and cannot.
    fn serve_reference(
        &self,
        _listener: TcpListener,
        _connections: &Arc<Connections>,
        _stop: &Stop,
    ) -> Result<(), NotRun> {
        Err(NotRun::Cannot)
    }

    /// W15, the tutorial's `fetch_multiple_urls`: GET every URL of `urls` concurrently, one
    /// connection each ([`crate::http::get_request`], read to the end, then
    /// [`crate::http::parse_response`]), each within `timeout`; return one result per URL,
    /// in order. A URL that fails (refused, timed out, malformed) is an `Err` with the reason
    /// in words: it does not fail the batch.
    fn fetch_all(&self, urls: &[Url], timeout: Duration) -> Result<Vec<Result<Fetched, String>>, NotRun>;

    /// The reference client of a model that hosts one ([`ModelInfo::reference`] of W15): the
    /// same fan-out and the same contract as [`Network::fetch_all`], made by a production
    /// HTTP client on this model's runtime. Not a workload, so it has a default: a model that
    /// declares no reference keeps it, and cannot.
    fn fetch_all_reference(
        &self,
        _urls: &[Url],
        _timeout: Duration,
    ) -> Result<Vec<Result<Fetched, String>>, NotRun> {
        Err(NotRun::Cannot)
    }
}

/// A concurrency model: every chapter's workloads, each run through the model's own entry
/// point, plus its identity and properties.
///
/// Each method runs one whole workload and returns its outcome, which the caller checks
/// against the expected answer (`workloads::waits::check` and friends). The runtime or pool
/// is built when the model value is created, so a method call measures the work, not
/// start-up. A model need not be `Send`: the harness builds and uses it on one thread, so a
/// thread-per-core runtime whose tasks stay on their thread fits as it is.
pub trait Model: Tasks + Lifecycle + Sharing + Compute + Network {
    /// Identity, properties and the table's words.
    fn info(&self) -> ModelInfo;
}
