//! The catalogue: every workload, metric, variant and named size, named once.
//!
//! The harness records figures under these ids, the report finds them by these ids, the
//! docs generator checks its markers against them, and the tests look them up here. No other
//! file types a workload or metric id as a string (`tests/catalogue.rs` checks that), so a
//! renamed id cannot leave a stale copy behind, and a size changed in a workload's module
//! cannot silently empty a table cell: the table reads sizes from the records.
//!
//! Adding a workload touches this file once: its [`Workload`] and [`Metric`]s (listed in
//! [`WORKLOADS`] and [`METRICS`]); a row of the comparison table, if it has one, is the
//! report's (`report::rows`).

/// A chapter of the course; the model contract has one trait per chapter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chapter {
    /// Chapter 1, [`crate::Tasks`]: waiting together, spawning, switching, holding.
    Tasks,
    /// Chapter 2, [`crate::Lifecycle`]: gather, as-completed, cancellation, timeouts,
    /// scoped resources, streams.
    Lifecycle,
    /// Chapter 3, [`crate::Sharing`]: locks, semaphores, channels and queues.
    Sharing,
    /// Chapter 4, [`crate::Compute`]: CPU-bound kernels, and the blocking pitfall.
    Compute,
    /// Chapter 5, [`crate::Network`]: an HTTP server and client on real sockets.
    Network,
}

/// One workload: the same job written in every model.
#[derive(Debug, PartialEq, Eq)]
pub struct Workload {
    /// Id in benchmark ids, records and docs markers, e.g. `concurrent_waits`.
    pub id: &'static str,
    /// Short code used in prose, e.g. `W1`.
    pub code: &'static str,
    /// Title, e.g. "concurrent waits".
    pub title: &'static str,
    /// What it does and what it stresses, one sentence.
    pub what: &'static str,
    /// The chapter (and so the model trait) it belongs to.
    pub chapter: Chapter,
}

/// The unit of a metric's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Nanoseconds.
    Ns,
    /// Milliseconds.
    Ms,
    /// Bytes.
    Bytes,
    /// A plain count.
    Count,
    /// A ratio (×).
    Ratio,
    /// A fraction of an ideal (1 is the ideal).
    Fraction,
    /// Events per second.
    PerSecond,
}

impl Unit {
    /// The unit as written in `results.json`.
    pub const fn symbol(self) -> &'static str {
        match self {
            Unit::Ns => "ns",
            Unit::Ms => "ms",
            Unit::Bytes => "bytes",
            Unit::Count => "count",
            Unit::Ratio => "ratio",
            Unit::Fraction => "fraction",
            Unit::PerSecond => "/s",
        }
    }
}

/// One figure a workload produces.
#[derive(Debug, PartialEq, Eq)]
pub struct Metric {
    /// The workload that measures it.
    pub workload: &'static Workload,
    /// Id in records, e.g. `wall_time`.
    pub id: &'static str,
    /// Unit of its values.
    pub unit: Unit,
    /// What it measures, one sentence.
    pub what: &'static str,
}

/// A variant of a workload measured side by side (e.g. results in submission order vs in
/// completion order); records carry its id.
#[derive(Debug, PartialEq, Eq)]
pub struct Variant {
    /// The workload it is a variant of.
    pub workload: &'static Workload,
    /// Id in records and benchmark ids, e.g. `as_completed`.
    pub id: &'static str,
}

/// Where the threads of a measurement may run, for the workloads whose figures depend on it:
/// a hand-off between two threads costs a context switch on one core, and on two cores
/// either a spin that catches the reply or a wake-up sent across cores, whichever the
/// scheduler's placement and the timing give. The harness measures those workloads under
/// each placement, named in their ids and records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Every thread of the process pinned to one core: each hand-off is a switch on that
    /// core. The steady figure of the hand-off itself.
    OneCore,
    /// Every thread free to run on every core the run may use (the default of any program):
    /// the scheduler decides, and figures may fall into two modes.
    AllCores,
}

impl Placement {
    /// Both placements, in the order they are measured and shown.
    pub const ALL: [Placement; 2] = [Placement::OneCore, Placement::AllCores];

    /// Id in benchmark ids and records.
    pub const fn id(self) -> &'static str {
        match self {
            Placement::OneCore => "one_core",
            Placement::AllCores => "all_cores",
        }
    }

    /// How a table row names it.
    pub const fn label(self) -> &'static str {
        match self {
            Placement::OneCore => "all threads on one core",
            Placement::AllCores => "threads free on all cores",
        }
    }

    /// The placement of an id, if it is one.
    pub fn from_id(id: &str) -> Option<Placement> {
        Placement::ALL.into_iter().find(|p| p.id() == id)
    }
}

/// A named size of a workload that a table row reads, e.g. "the scalability size of W1".
/// The workload's module says which N it is in each profile; the harness writes it into the
/// report with a label, and the row reads the figure at that N.
#[derive(Debug, PartialEq, Eq)]
pub struct Role {
    /// The workload whose size it names.
    pub workload: &'static Workload,
    /// Id in the report, e.g. `waits_scalability`.
    pub id: &'static str,
}

// ---------------------------------------------------------------------------------------
// Chapter 1: tasks.

/// W1.
pub const WAITS: Workload = Workload {
    id: "concurrent_waits",
    code: "W1",
    title: "concurrent waits",
    what: "N tasks each wait D, then are joined: timers and the scheduler, not the CPU.",
    chapter: Chapter::Tasks,
};
/// W1: wall time of one run.
pub const WAITS_WALL_TIME: Metric = Metric {
    workload: &WAITS,
    id: "wall_time",
    unit: Unit::Ms,
    what: "Wall time from the first spawn to the last join.",
};
/// W1: wall time past the model's ideal (D overlapped, N·D in sequence, ⌈N/workers⌉·D on a pool).
pub const WAITS_OVERSHOOT: Metric = Metric {
    workload: &WAITS,
    id: "overshoot",
    unit: Unit::Ms,
    what: "Wall time past the model's ideal: what the tasks themselves cost.",
};
/// W1: the size of the "Scalability" row.
pub const WAITS_SCALABILITY: Role = Role { workload: &WAITS, id: "waits_scalability" };
/// W1: the size of the "Speedup over sequential" row.
pub const WAITS_SPEEDUP: Role = Role { workload: &WAITS, id: "waits_speedup" };

/// W2.
pub const SPAWN_JOIN: Workload = Workload {
    id: "spawn_join",
    code: "W2",
    title: "spawn and join",
    what: "N trivial tasks spawned and joined: the cost of one task's life.",
    chapter: Chapter::Tasks,
};
/// W2: nanoseconds per task.
pub const SPAWN_NS_PER_TASK: Metric = Metric {
    workload: &SPAWN_JOIN,
    id: "ns_per_task",
    unit: Unit::Ns,
    what: "Time to spawn and join one task.",
};

/// W3.
pub const PING_PONG: Workload = Workload {
    id: "ping_pong",
    code: "W3",
    title: "ping-pong",
    what: "Two tasks pass a token back and forth: the cost of a switch between tasks.",
    chapter: Chapter::Tasks,
};
/// W3: nanoseconds per round trip.
pub const PING_PONG_ROUND_TRIP: Metric = Metric {
    workload: &PING_PONG,
    id: "ns_per_round_trip",
    unit: Unit::Ns,
    what: "Time for the token to go there and back: two hand-offs.",
};

/// W4.
pub const IDLE: Workload = Workload {
    id: "idle_tasks",
    code: "W4",
    title: "idle tasks",
    what: "N tasks held alive, waiting, while memory is read in a child process.",
    chapter: Chapter::Tasks,
};
/// W4: resident bytes per idle task.
pub const IDLE_RSS: Metric = Metric {
    workload: &IDLE,
    id: "rss_bytes_per_task",
    unit: Unit::Bytes,
    what: "Peak resident memory growth over a one-task baseline, per task.",
};
/// W4: the kernel's bytes per idle task.
pub const IDLE_KERNEL: Metric = Metric {
    workload: &IDLE,
    id: "kernel_bytes_per_task",
    unit: Unit::Bytes,
    what: "Growth of kernel stacks, page tables and slab per task (system-wide: approximate).",
};
/// W4: the most tasks one process held.
pub const IDLE_LARGEST_N: Metric = Metric {
    workload: &IDLE,
    id: "largest_n",
    unit: Unit::Count,
    what: "The largest number of tasks one process held at once, and what stopped it.",
};

// ---------------------------------------------------------------------------------------
// Chapter 2: task lifecycles.

/// W5.
pub const GATHER: Workload = Workload {
    id: "gather",
    code: "W5",
    title: "gather and as-completed",
    what: "N tasks of seeded random durations; results in submission order, or as they complete.",
    chapter: Chapter::Lifecycle,
};
/// W5: tasks per second through the run.
pub const GATHER_TASKS_PER_SECOND: Metric = Metric {
    workload: &GATHER,
    id: "tasks_per_second",
    unit: Unit::PerSecond,
    what: "N divided by the wall time from the first spawn to the last result.",
};
/// W5: results in submission order (`asyncio.gather`).
pub const GATHER_IN_ORDER: Variant = Variant { workload: &GATHER, id: "gather" };
/// W5: results in completion order (`asyncio.as_completed`).
pub const GATHER_AS_COMPLETED: Variant = Variant { workload: &GATHER, id: "as_completed" };
/// W5: the size of the "As-completed throughput" row.
pub const GATHER_HEADLINE: Role = Role { workload: &GATHER, id: "gather_headline" };

/// W6.
pub const CANCELLATION: Workload = Workload {
    id: "cancellation",
    code: "W6",
    title: "cancellation",
    what: "A task holding a resource is cancelled: how long until the resource is released.",
    chapter: Chapter::Lifecycle,
};
/// W6: cancel request to resource released.
pub const CANCEL_RELEASE: Metric = Metric {
    workload: &CANCELLATION,
    id: "release_latency",
    unit: Unit::Ns,
    what: "Time from the cancel request to the task's resource being released (a distribution).",
};

/// W7.
pub const TIMEOUTS: Workload = Workload {
    id: "timeouts",
    code: "W7",
    title: "timeouts",
    what: "N operations whose deadline is shorter than their work; every one times out.",
    chapter: Chapter::Lifecycle,
};
/// W7: how late a timeout fires.
pub const TIMEOUT_LATENESS: Metric = Metric {
    workload: &TIMEOUTS,
    id: "lateness",
    unit: Unit::Ns,
    what: "Time from an operation's deadline to the moment it saw its timeout (a distribution).",
};
/// W7: the size of the "Timeout lateness" row.
pub const TIMEOUTS_HEADLINE: Role = Role { workload: &TIMEOUTS, id: "timeouts_headline" };

/// W8.
pub const SCOPED: Workload = Workload {
    id: "scoped_resources",
    code: "W8",
    title: "scoped resources",
    what: "Acquire, work, release (async context managers) on the success, error and cancel paths.",
    chapter: Chapter::Lifecycle,
};
/// W8: one acquire–release pair.
pub const SCOPED_NS_PER_PAIR: Metric = Metric {
    workload: &SCOPED,
    id: "ns_per_pair",
    unit: Unit::Ns,
    what: "Time for one acquire, trivial work and release, on the success path.",
};

/// W9.
pub const STREAMS: Workload = Workload {
    id: "streams",
    code: "W9",
    title: "streams",
    what: "A producer yields N items, one hand-off each; the consumer sums them.",
    chapter: Chapter::Lifecycle,
};
/// W9: items per second through the stream.
pub const STREAM_ITEMS_PER_SECOND: Metric = Metric {
    workload: &STREAMS,
    id: "items_per_second",
    unit: Unit::PerSecond,
    what: "N divided by the time to produce and consume N items.",
};

// ---------------------------------------------------------------------------------------
// Chapter 3: shared state and queues.

/// W10.
pub const LOCKS: Workload = Workload {
    id: "locked_counter",
    code: "W10",
    title: "lock-protected counter",
    what: "W workers each add one to a shared counter I times under a lock: contention and fairness.",
    chapter: Chapter::Sharing,
};
/// W10: increments per second through the lock.
pub const LOCK_INCREMENTS_PER_SECOND: Metric = Metric {
    workload: &LOCKS,
    id: "increments_per_second",
    unit: Unit::PerSecond,
    what: "Increments of the shared counter per second, all workers together.",
};
/// W10: each worker's longest wait for the lock.
pub const LOCK_LONGEST_WAIT: Metric = Metric {
    workload: &LOCKS,
    id: "longest_wait",
    unit: Unit::Ns,
    what: "Each worker's longest wait to take the lock (a distribution over the workers).",
};
/// W10: the lock held only to add one.
pub const LOCK_SHORT: Variant = Variant { workload: &LOCKS, id: "short" };
/// W10: the lock held across a wait.
pub const LOCK_WAITING: Variant = Variant { workload: &LOCKS, id: "waiting" };
/// W10: the size of the lock rows.
pub const LOCKS_HEADLINE: Role = Role { workload: &LOCKS, id: "locks_headline" };

/// W11.
pub const SEMAPHORE: Workload = Workload {
    id: "semaphore",
    code: "W11",
    title: "semaphore",
    what: "N jobs, at most K at once, each waits D: the limit held exactly, and the cost of a permit.",
    chapter: Chapter::Sharing,
};
/// W11: the most jobs at once.
pub const SEMAPHORE_MOST_AT_ONCE: Metric = Metric {
    workload: &SEMAPHORE,
    id: "most_at_once",
    unit: Unit::Count,
    what: "The most jobs that held a permit at once (must be K).",
};
/// W11: wall time of the N jobs.
pub const SEMAPHORE_WALL_TIME: Metric = Metric {
    workload: &SEMAPHORE,
    id: "semaphore_wall_time",
    unit: Unit::Ms,
    what: "Wall time of the N jobs, against the ideal ⌈N/K⌉·D.",
};
/// W11: one acquire–release of a contended permit.
pub const SEMAPHORE_NS_PER_PERMIT: Metric = Metric {
    workload: &SEMAPHORE,
    id: "ns_per_permit",
    unit: Unit::Ns,
    what: "One acquire and release of a permit, W workers contending for K permits.",
};

/// W12.
pub const CHANNELS: Workload = Workload {
    id: "channels",
    code: "W12",
    title: "channels",
    what: "Producers send M messages through one channel to consumers: SPSC, MPSC, MPMC × capacity 1, 64, unbounded.",
    chapter: Chapter::Sharing,
};
/// W12: messages per second.
pub const CHANNEL_MESSAGES_PER_SECOND: Metric = Metric {
    workload: &CHANNELS,
    id: "messages_per_second",
    unit: Unit::PerSecond,
    what: "Messages delivered per second, all producers and consumers together.",
};
/// W12: nanoseconds per message.
pub const CHANNEL_NS_PER_MESSAGE: Metric = Metric {
    workload: &CHANNELS,
    id: "ns_per_message",
    unit: Unit::Ns,
    what: "Wall time per message delivered.",
};
/// W12: one producer, one consumer, capacity 1.
pub const CHANNEL_SPSC_1: Variant = Variant { workload: &CHANNELS, id: "spsc_1" };
/// W12: one producer, one consumer, capacity 64.
pub const CHANNEL_SPSC_64: Variant = Variant { workload: &CHANNELS, id: "spsc_64" };
/// W12: one producer, one consumer, unbounded.
pub const CHANNEL_SPSC_UNBOUNDED: Variant = Variant { workload: &CHANNELS, id: "spsc_unbounded" };
/// W12: N producers, one consumer, capacity 1.
pub const CHANNEL_MPSC_1: Variant = Variant { workload: &CHANNELS, id: "mpsc_1" };
/// W12: N producers, one consumer, capacity 64.
pub const CHANNEL_MPSC_64: Variant = Variant { workload: &CHANNELS, id: "mpsc_64" };
/// W12: N producers, one consumer, unbounded.
pub const CHANNEL_MPSC_UNBOUNDED: Variant = Variant { workload: &CHANNELS, id: "mpsc_unbounded" };
/// W12: N producers, N consumers, capacity 1.
pub const CHANNEL_MPMC_1: Variant = Variant { workload: &CHANNELS, id: "mpmc_1" };
/// W12: N producers, N consumers, capacity 64.
pub const CHANNEL_MPMC_64: Variant = Variant { workload: &CHANNELS, id: "mpmc_64" };
/// W12: N producers, N consumers, unbounded.
pub const CHANNEL_MPMC_UNBOUNDED: Variant = Variant { workload: &CHANNELS, id: "mpmc_unbounded" };
/// W12: the size (producers) of the "Channel throughput" row.
pub const CHANNELS_HEADLINE: Role = Role { workload: &CHANNELS, id: "channels_headline" };

// ---------------------------------------------------------------------------------------
// Chapter 5: the network.

/// W13.
pub const HTTP_SERVER: Workload = Workload {
    id: "http_server",
    code: "W13",
    title: "HTTP server",
    what: "The tutorial's web server on loopback, loaded by one load generator in its own process, closed and open loop.",
    chapter: Chapter::Network,
};
/// W13: requests per second, closed loop, at each connection count.
pub const HTTP_REQUESTS_PER_SECOND: Metric = Metric {
    workload: &HTTP_SERVER,
    id: "requests_per_second",
    unit: Unit::PerSecond,
    what: "Requests answered per second by C keep-alive connections, each sending its next request on the answer (closed loop).",
};
/// W13: latency under an offered rate, open loop.
pub const HTTP_LATENCY: Metric = Metric {
    workload: &HTTP_SERVER,
    id: "latency",
    unit: Unit::Ns,
    what: "Latency of requests offered at a fixed rate (open loop), from when each was due (a distribution), at each rate.",
};
/// W13: the most connections served at once.
pub const HTTP_LARGEST_CONNECTIONS: Metric = Metric {
    workload: &HTTP_SERVER,
    id: "largest_connections",
    unit: Unit::Count,
    what: "The largest number of keep-alive connections whose requests were all answered (closed loop).",
};
/// W13: the server's CPU per thousand requests, at one fixed rate.
pub const HTTP_CPU_PER_THOUSAND: Metric = Metric {
    workload: &HTTP_SERVER,
    id: "cpu_per_thousand",
    unit: Unit::Ms,
    what: "CPU time the server process spent per thousand requests, at the same fixed rate for every model.",
};
/// W13: requests per second on `/slow?delay=100`, closed loop.
pub const HTTP_SLOW_REQUESTS_PER_SECOND: Metric = Metric {
    workload: &HTTP_SERVER,
    id: "slow_requests_per_second",
    unit: Unit::PerSecond,
    what: "Requests per second on /slow?delay=100 by C connections: concurrency while waiting (the ideal is C × 10).",
};
/// W13: the size of the requests-per-second row.
pub const HTTP_HEADLINE: Role = Role { workload: &HTTP_SERVER, id: "http_headline" };
/// W13: the size of the waiting-concurrency row.
pub const HTTP_SLOW_HEADLINE: Role = Role { workload: &HTTP_SERVER, id: "http_slow_headline" };
/// W13: the offered rate of the latency row, the same for every server.
pub const HTTP_LATENCY_HEADLINE: Role = Role { workload: &HTTP_SERVER, id: "http_latency_headline" };

/// W15.
pub const HTTP_CLIENT: Workload = Workload {
    id: "http_client",
    code: "W15",
    title: "HTTP client fan-out",
    what: "The tutorial's fetch_multiple_urls: N URLs of /slow?delay=50 fetched at once from one server.",
    chapter: Chapter::Network,
};
/// W15: wall time of the fan-out.
pub const HTTP_CLIENT_WALL_TIME: Metric = Metric {
    workload: &HTTP_CLIENT,
    id: "fetch_wall_time",
    unit: Unit::Ms,
    what: "Wall time to fetch all N URLs (each answered after 50 ms).",
};
/// W15: the size of the fan-out row.
pub const HTTP_CLIENT_HEADLINE: Role = Role { workload: &HTTP_CLIENT, id: "http_client_headline" };

// ---------------------------------------------------------------------------------------
// Chapter 4: CPU-bound work, and the blocking pitfall.

/// The ids of the ways a CPU-bound kernel is run ([`crate::cpu::Way`]), in its order: each
/// kernel has a variant of each.
pub const WAY_IDS: [&str; 6] =
    ["one_thread", "static_chunks", "work_queue", "work_stealing", "inline", "offloaded"];

/// The variants of a CPU-bound kernel: one per way, in [`WAY_IDS`] order.
const fn ways(workload: &'static Workload) -> [Variant; 6] {
    [
        Variant { workload, id: WAY_IDS[0] },
        Variant { workload, id: WAY_IDS[1] },
        Variant { workload, id: WAY_IDS[2] },
        Variant { workload, id: WAY_IDS[3] },
        Variant { workload, id: WAY_IDS[4] },
        Variant { workload, id: WAY_IDS[5] },
    ]
}

/// Three of the four figures every CPU kernel (W16–W18) records, the same for each (its wall
/// time says what it timed): id, unit, what.
const KERNEL_METRICS: [(&str, Unit, &str); 3] = [
    ("cpu_time", Unit::Ms, "CPU time the process spent, all threads, user and system (the median run's)."),
    ("speedup", Unit::Ratio, "The sequential model's wall time divided by this one's, at each worker count."),
    ("efficiency", Unit::Fraction, "Speedup divided by the worker count: 1 is perfect."),
];

/// Figure `i` of [`KERNEL_METRICS`] for the CPU kernel `workload`.
const fn kernel_metric(workload: &'static Workload, i: usize) -> Metric {
    let (id, unit, what) = KERNEL_METRICS[i];
    Metric { workload, id, unit, what }
}

/// W16.
pub const MANDELBROT: Workload = Workload {
    id: "mandelbrot",
    code: "W16",
    title: "Mandelbrot",
    what: "An image of the Mandelbrot set, a row per unit: CPU-bound work of uneven cost (load balancing).",
    chapter: Chapter::Compute,
};
/// W16: wall time (median run).
pub const MANDELBROT_WALL_TIME: Metric = Metric {
    workload: &MANDELBROT,
    id: "wall_time",
    unit: Unit::Ms,
    what: "Wall time of the whole image (the median run), at each worker count.",
};
/// W16: CPU time the process spent (median run).
pub const MANDELBROT_CPU_TIME: Metric = kernel_metric(&MANDELBROT, 0);
/// W16: speedup over sequential.
pub const MANDELBROT_SPEEDUP: Metric = kernel_metric(&MANDELBROT, 1);
/// W16: speedup per worker.
pub const MANDELBROT_EFFICIENCY: Metric = kernel_metric(&MANDELBROT, 2);
/// W16: the ways, in [`WAY_IDS`] order.
pub const MANDELBROT_WAYS: [Variant; 6] = ways(&MANDELBROT);

/// W17.
pub const MERGE_SORT: Workload = Workload {
    id: "merge_sort",
    code: "W17",
    title: "merge sort",
    what: "A merge sort of seeded 64-bit numbers: divide and conquer, leaves then merges.",
    chapter: Chapter::Compute,
};
/// W17: wall time (median run).
pub const MERGE_SORT_WALL_TIME: Metric = Metric {
    workload: &MERGE_SORT,
    id: "wall_time",
    unit: Unit::Ms,
    what: "Wall time of the whole sort (the median run), at each worker count.",
};
/// W17: CPU time the process spent (median run).
pub const MERGE_SORT_CPU_TIME: Metric = kernel_metric(&MERGE_SORT, 0);
/// W17: speedup over sequential.
pub const MERGE_SORT_SPEEDUP: Metric = kernel_metric(&MERGE_SORT, 1);
/// W17: speedup per worker.
pub const MERGE_SORT_EFFICIENCY: Metric = kernel_metric(&MERGE_SORT, 2);
/// W17: the ways, in [`WAY_IDS`] order.
pub const MERGE_SORT_WAYS: [Variant; 6] = ways(&MERGE_SORT);

/// W18.
pub const HASHING: Workload = Workload {
    id: "hashing",
    code: "W18",
    title: "hashing",
    what: "SHA-256 of many 64 KiB blocks, a block per unit: CPU-bound work of even cost.",
    chapter: Chapter::Compute,
};
/// W18: wall time (median run).
pub const HASHING_WALL_TIME: Metric = Metric {
    workload: &HASHING,
    id: "wall_time",
    unit: Unit::Ms,
    what: "Wall time of all the blocks (the median run), at each worker count.",
};
/// W18: CPU time the process spent (median run).
pub const HASHING_CPU_TIME: Metric = kernel_metric(&HASHING, 0);
/// W18: speedup over sequential.
pub const HASHING_SPEEDUP: Metric = kernel_metric(&HASHING, 1);
/// W18: speedup per worker.
pub const HASHING_EFFICIENCY: Metric = kernel_metric(&HASHING, 2);
/// W18: the ways, in [`WAY_IDS`] order.
pub const HASHING_WAYS: [Variant; 6] = ways(&HASHING);

/// W19.
pub const STALL: Workload = Workload {
    id: "blocking_stall",
    code: "W19",
    title: "the blocking pitfall",
    what: "A 1 ms heartbeat and light requests while other tasks make 50 ms blocking calls, inline or offloaded.",
    chapter: Chapter::Compute,
};
/// W19: how late the heartbeat ticks.
pub const STALL_HEARTBEAT: Metric = Metric {
    workload: &STALL,
    id: "heartbeat_lateness",
    unit: Unit::Ns,
    what: "How late each 1 ms heartbeat tick woke, past its period (a distribution).",
};
/// W19: the light requests' latency.
pub const STALL_REQUESTS: Metric = Metric {
    workload: &STALL,
    id: "request_latency",
    unit: Unit::Ns,
    what: "Each light request's latency, from when it was due to when its task ran (a distribution).",
};
/// W19: CPU loops, inline.
pub const STALL_INLINE_CPU: Variant = Variant { workload: &STALL, id: "inline_cpu" };
/// W19: sleeps, inline.
pub const STALL_INLINE_SLEEP: Variant = Variant { workload: &STALL, id: "inline_sleep" };
/// W19: CPU loops, offloaded.
pub const STALL_OFFLOADED_CPU: Variant = Variant { workload: &STALL, id: "offloaded_cpu" };
/// W19: sleeps, offloaded.
pub const STALL_OFFLOADED_SLEEP: Variant = Variant { workload: &STALL, id: "offloaded_sleep" };
/// W19: CPU loops, inline, on the model's single-threaded executor.
pub const STALL_LOCAL_INLINE_CPU: Variant = Variant { workload: &STALL, id: "local_inline_cpu" };
/// W19: CPU loops, offloaded, from the model's single-threaded executor.
pub const STALL_LOCAL_OFFLOADED_CPU: Variant = Variant { workload: &STALL, id: "local_offloaded_cpu" };

/// Every workload, in the order of the course.
pub const WORKLOADS: &[&Workload] = &[
    &WAITS,
    &SPAWN_JOIN,
    &PING_PONG,
    &IDLE,
    &GATHER,
    &CANCELLATION,
    &TIMEOUTS,
    &SCOPED,
    &STREAMS,
    &LOCKS,
    &SEMAPHORE,
    &CHANNELS,
    &HTTP_SERVER,
    &HTTP_CLIENT,
    &MANDELBROT,
    &MERGE_SORT,
    &HASHING,
    &STALL,
];

/// Every metric.
pub const METRICS: &[&Metric] = &[
    &WAITS_WALL_TIME,
    &WAITS_OVERSHOOT,
    &SPAWN_NS_PER_TASK,
    &PING_PONG_ROUND_TRIP,
    &IDLE_RSS,
    &IDLE_KERNEL,
    &IDLE_LARGEST_N,
    &GATHER_TASKS_PER_SECOND,
    &CANCEL_RELEASE,
    &TIMEOUT_LATENESS,
    &SCOPED_NS_PER_PAIR,
    &STREAM_ITEMS_PER_SECOND,
    &LOCK_INCREMENTS_PER_SECOND,
    &LOCK_LONGEST_WAIT,
    &SEMAPHORE_MOST_AT_ONCE,
    &SEMAPHORE_WALL_TIME,
    &SEMAPHORE_NS_PER_PERMIT,
    &CHANNEL_MESSAGES_PER_SECOND,
    &CHANNEL_NS_PER_MESSAGE,
    &HTTP_REQUESTS_PER_SECOND,
    &HTTP_LATENCY,
    &HTTP_LARGEST_CONNECTIONS,
    &HTTP_CPU_PER_THOUSAND,
    &HTTP_SLOW_REQUESTS_PER_SECOND,
    &HTTP_CLIENT_WALL_TIME,
    &MANDELBROT_WALL_TIME,
    &MANDELBROT_CPU_TIME,
    &MANDELBROT_SPEEDUP,
    &MANDELBROT_EFFICIENCY,
    &MERGE_SORT_WALL_TIME,
    &MERGE_SORT_CPU_TIME,
    &MERGE_SORT_SPEEDUP,
    &MERGE_SORT_EFFICIENCY,
    &HASHING_WALL_TIME,
    &HASHING_CPU_TIME,
    &HASHING_SPEEDUP,
    &HASHING_EFFICIENCY,
    &STALL_HEARTBEAT,
    &STALL_REQUESTS,
];

/// Every variant.
pub const VARIANTS: &[&Variant] = &[
    &GATHER_IN_ORDER,
    &GATHER_AS_COMPLETED,
    &LOCK_SHORT,
    &LOCK_WAITING,
    &CHANNEL_SPSC_1,
    &CHANNEL_SPSC_64,
    &CHANNEL_SPSC_UNBOUNDED,
    &CHANNEL_MPSC_1,
    &CHANNEL_MPSC_64,
    &CHANNEL_MPSC_UNBOUNDED,
    &CHANNEL_MPMC_1,
    &CHANNEL_MPMC_64,
    &CHANNEL_MPMC_UNBOUNDED,
    &MANDELBROT_WAYS[0],
    &MANDELBROT_WAYS[1],
    &MANDELBROT_WAYS[2],
    &MANDELBROT_WAYS[3],
    &MANDELBROT_WAYS[4],
    &MANDELBROT_WAYS[5],
    &MERGE_SORT_WAYS[0],
    &MERGE_SORT_WAYS[1],
    &MERGE_SORT_WAYS[2],
    &MERGE_SORT_WAYS[3],
    &MERGE_SORT_WAYS[4],
    &MERGE_SORT_WAYS[5],
    &HASHING_WAYS[0],
    &HASHING_WAYS[1],
    &HASHING_WAYS[2],
    &HASHING_WAYS[3],
    &HASHING_WAYS[4],
    &HASHING_WAYS[5],
    &STALL_INLINE_CPU,
    &STALL_INLINE_SLEEP,
    &STALL_OFFLOADED_CPU,
    &STALL_OFFLOADED_SLEEP,
    &STALL_LOCAL_INLINE_CPU,
    &STALL_LOCAL_OFFLOADED_CPU,
];

/// Every named size.
pub const ROLES: &[&Role] = &[
    &WAITS_SCALABILITY,
    &WAITS_SPEEDUP,
    &GATHER_HEADLINE,
    &TIMEOUTS_HEADLINE,
    &LOCKS_HEADLINE,
    &CHANNELS_HEADLINE,
    &HTTP_HEADLINE,
    &HTTP_SLOW_HEADLINE,
    &HTTP_LATENCY_HEADLINE,
    &HTTP_CLIENT_HEADLINE,
];

/// The workload with this id.
pub fn workload(id: &str) -> Option<&'static Workload> {
    WORKLOADS.iter().copied().find(|w| w.id == id)
}

/// The metric `metric` of workload `workload`.
pub fn metric(workload: &str, metric: &str) -> Option<&'static Metric> {
    METRICS.iter().copied().find(|m| m.workload.id == workload && m.id == metric)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ids are unique: two workloads, two metrics of one workload, two roles never share one.
    #[test]
    fn ids_are_unique() {
        let mut workloads: Vec<&str> = WORKLOADS.iter().map(|w| w.id).collect();
        workloads.sort_unstable();
        workloads.dedup();
        assert_eq!(workloads.len(), WORKLOADS.len());
        let mut metrics: Vec<(&str, &str)> = METRICS.iter().map(|m| (m.workload.id, m.id)).collect();
        metrics.sort_unstable();
        metrics.dedup();
        assert_eq!(metrics.len(), METRICS.len());
        let mut roles: Vec<&str> = ROLES.iter().map(|r| r.id).collect();
        roles.sort_unstable();
        roles.dedup();
        assert_eq!(roles.len(), ROLES.len());
    }

    /// Every metric, variant and role belongs to a listed workload, and every listed workload
    /// has a metric.
    #[test]
    fn everything_belongs_to_a_listed_workload() {
        for m in METRICS {
            assert!(WORKLOADS.contains(&m.workload), "{}", m.id);
        }
        for v in VARIANTS {
            assert!(WORKLOADS.contains(&v.workload), "{}", v.id);
        }
        for r in ROLES {
            assert!(WORKLOADS.contains(&r.workload), "{}", r.id);
        }
        for w in WORKLOADS {
            assert!(METRICS.iter().any(|m| m.workload.id == w.id), "{} has no metric", w.id);
        }
    }

    /// A metric is found by its workload's id and its own.
    #[test]
    fn metrics_are_found_by_id() {
        assert_eq!(metric("gather", "tasks_per_second"), Some(&GATHER_TASKS_PER_SECOND));
        assert_eq!(metric("gather", "no_such_metric"), None);
    }
}
