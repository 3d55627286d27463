//! The catalogue: every workload, metric, variant, named size and table row, named once.
//!
//! The harness records figures under these ids, the report finds them by these ids, the
//! docs generator checks its markers against them, and the tests look them up here. No other
//! file types a workload or metric id as a string (`tests/catalogue.rs` checks that), so a
//! renamed id cannot leave a stale copy behind, and a size changed in a workload's module
//! cannot silently empty a table cell: the table reads sizes from the records.
//!
//! Adding a workload touches this file twice: its [`Workload`] and [`Metric`]s (listed in
//! [`WORKLOADS`] and [`METRICS`]), and a [`Row`] in [`ROWS`] if the comparison table shows it.

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
    /// A chapter not written yet: its rows say "not yet measured".
    Planned,
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

impl Workload {
    /// Whether models implement it yet.
    pub fn is_written(&self) -> bool {
        self.chapter != Chapter::Planned
    }
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
// Planned: rows of the table that later chapters fill.

/// An HTTP server under load (planned).
pub const HTTP_SERVER: Workload = Workload {
    id: "http_server",
    code: "W13",
    title: "HTTP server",
    what: "A small HTTP server under an open-loop load generator (planned).",
    chapter: Chapter::Planned,
};
/// Requests per second the server sustains (planned).
pub const HTTP_REQUESTS_PER_SECOND: Metric = Metric {
    workload: &HTTP_SERVER,
    id: "requests_per_second",
    unit: Unit::PerSecond,
    what: "Requests per second served within the latency target (planned).",
};

/// CPU-bound kernels (planned).
pub const CPU_KERNELS: Workload = Workload {
    id: "cpu_kernels",
    code: "W16",
    title: "CPU kernels",
    what: "CPU-bound kernels on every core (planned).",
    chapter: Chapter::Planned,
};
/// Speedup over sequential on all cores (planned).
pub const CPU_SPEEDUP: Metric = Metric {
    workload: &CPU_KERNELS,
    id: "speedup",
    unit: Unit::Ratio,
    what: "Sequential time divided by the model's, on all cores (planned).",
};

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
    &CPU_KERNELS,
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
    &CPU_SPEEDUP,
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
];

/// Every named size.
pub const ROLES: &[&Role] = &[
    &WAITS_SCALABILITY,
    &WAITS_SPEEDUP,
    &GATHER_HEADLINE,
    &TIMEOUTS_HEADLINE,
    &LOCKS_HEADLINE,
    &CHANNELS_HEADLINE,
];

/// The workload with this id.
pub fn workload(id: &str) -> Option<&'static Workload> {
    WORKLOADS.iter().copied().find(|w| w.id == id)
}

/// The metric `metric` of workload `workload`.
pub fn metric(workload: &str, metric: &str) -> Option<&'static Metric> {
    METRICS.iter().copied().find(|m| m.workload.id == workload && m.id == metric)
}

// ---------------------------------------------------------------------------------------
// The comparison table.

/// A statistic of a figure: the value itself, or a percentile of its distribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stat {
    /// The record's value (a mean, for timed figures).
    Value,
    /// The median of the distribution.
    P50,
    /// The 99th percentile of the distribution.
    P99,
    /// The largest sample of the distribution.
    Max,
}

/// Which of a model's records a cell shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// The one at the largest N with a value.
    Largest,
    /// The one at a named size; when the model has none there, the largest N it has, and why
    /// the named size is missing.
    Role(&'static Role),
}

/// The words of a column that a row shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Words {
    /// How the model runs tasks.
    Concurrency,
    /// What it suits.
    BestFor,
    /// How debugging it goes.
    Debugging,
}

/// How a row fills its cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// The column's words.
    Words(Words),
    /// One figure of a metric (of one variant, if given).
    Figure {
        /// The metric.
        metric: &'static Metric,
        /// Only records of this variant.
        variant: Option<&'static Variant>,
        /// Which record.
        at: At,
        /// Which statistic of it.
        stat: Stat,
        /// Whether the record's note follows the figure (how it was measured, e.g. a check
        /// interval).
        note: bool,
    },
    /// The baseline's figure divided by the model's, at the same N.
    Speedup {
        /// The metric (a time: smaller is better).
        metric: &'static Metric,
        /// Which N.
        at: At,
    },
    /// Resident bytes per task at the largest N held, and the kernel's share when it matters.
    Memory {
        /// Resident bytes per task.
        rss: &'static Metric,
        /// The kernel's bytes per task.
        kernel: &'static Metric,
    },
    /// A count and what stopped it.
    Held {
        /// The count.
        metric: &'static Metric,
    },
}

/// One row of the comparison table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// The first cell. `{size}` is replaced by the label of the row's named size (e.g.
    /// "10 000 waits of 100 ms"), taken from the report.
    pub aspect: &'static str,
    /// How the other cells are filled.
    pub cell: Cell,
}

/// A figure at the largest N, its value, no note: the most common cell.
const fn largest(metric: &'static Metric) -> Cell {
    Cell::Figure { metric, variant: None, at: At::Largest, stat: Stat::Value, note: false }
}

/// The rows of the comparison table, in order. They follow the table "Asyncio vs Threading
/// vs Multiprocessing" of the tutorial, then the figures of later chapters.
pub const ROWS: &[Row] = &[
    Row { aspect: "**Concurrency model**", cell: Cell::Words(Words::Concurrency) },
    Row {
        aspect: "**Memory usage** (bytes per idle task)",
        cell: Cell::Memory { rss: &IDLE_RSS, kernel: &IDLE_KERNEL },
    },
    Row { aspect: "**Context switching** (ns per round trip)", cell: largest(&PING_PONG_ROUND_TRIP) },
    Row { aspect: "**Spawn cost** (ns per task)", cell: largest(&SPAWN_NS_PER_TASK) },
    Row { aspect: "**Scalability**: largest N held", cell: Cell::Held { metric: &IDLE_LARGEST_N } },
    Row {
        aspect: "**Scalability**: {size}",
        cell: Cell::Figure {
            metric: &WAITS_WALL_TIME,
            variant: None,
            at: At::Role(&WAITS_SCALABILITY),
            stat: Stat::Value,
            note: false,
        },
    },
    Row {
        aspect: "**Speedup over sequential** ({size})",
        cell: Cell::Speedup { metric: &WAITS_WALL_TIME, at: At::Role(&WAITS_SPEEDUP) },
    },
    Row {
        aspect: "**As-completed throughput** (tasks per second, {size})",
        cell: Cell::Figure {
            metric: &GATHER_TASKS_PER_SECOND,
            variant: Some(&GATHER_AS_COMPLETED),
            at: At::Role(&GATHER_HEADLINE),
            stat: Stat::Value,
            note: false,
        },
    },
    Row {
        aspect: "**Cancellation latency** (p99, cancel to resource released)",
        cell: Cell::Figure {
            metric: &CANCEL_RELEASE,
            variant: None,
            at: At::Largest,
            stat: Stat::P99,
            note: true,
        },
    },
    Row {
        aspect: "**Timeout lateness** (p99, {size})",
        cell: Cell::Figure {
            metric: &TIMEOUT_LATENESS,
            variant: None,
            at: At::Role(&TIMEOUTS_HEADLINE),
            stat: Stat::P99,
            note: true,
        },
    },
    Row { aspect: "**Stream throughput** (items per second)", cell: largest(&STREAM_ITEMS_PER_SECOND) },
    Row {
        aspect: "**Contended lock**, short section (increments per second, {size})",
        cell: Cell::Figure {
            metric: &LOCK_INCREMENTS_PER_SECOND,
            variant: Some(&LOCK_SHORT),
            at: At::Role(&LOCKS_HEADLINE),
            stat: Stat::Value,
            note: false,
        },
    },
    Row {
        aspect: "**Contended lock**, waiting inside (increments per second, {size})",
        cell: Cell::Figure {
            metric: &LOCK_INCREMENTS_PER_SECOND,
            variant: Some(&LOCK_WAITING),
            at: At::Role(&LOCKS_HEADLINE),
            stat: Stat::Value,
            note: false,
        },
    },
    Row {
        aspect: "**Lock fairness** (worst wait for the lock, waiting inside, {size})",
        cell: Cell::Figure {
            metric: &LOCK_LONGEST_WAIT,
            variant: Some(&LOCK_WAITING),
            at: At::Role(&LOCKS_HEADLINE),
            stat: Stat::Max,
            note: false,
        },
    },
    Row {
        aspect: "**Semaphore accuracy** (most jobs at once, of K)",
        cell: Cell::Figure {
            metric: &SEMAPHORE_MOST_AT_ONCE,
            variant: None,
            at: At::Largest,
            stat: Stat::Value,
            note: true,
        },
    },
    Row {
        aspect: "**Channel throughput** (messages per second, MPMC, capacity 64, {size})",
        cell: Cell::Figure {
            metric: &CHANNEL_MESSAGES_PER_SECOND,
            variant: Some(&CHANNEL_MPMC_64),
            at: At::Role(&CHANNELS_HEADLINE),
            stat: Stat::Value,
            note: false,
        },
    },
    Row {
        aspect: "**Scalability for I/O** (HTTP server, requests per second)",
        cell: largest(&HTTP_REQUESTS_PER_SECOND),
    },
    Row { aspect: "**CPU-bound speedup** (over sequential, all cores)", cell: largest(&CPU_SPEEDUP) },
    Row { aspect: "**Best for**", cell: Cell::Words(Words::BestFor) },
    Row { aspect: "**Debugging**", cell: Cell::Words(Words::Debugging) },
];

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

    /// A row with `{size}` reads a named size, and every metric a row reads is listed.
    #[test]
    fn rows_are_consistent() {
        for row in ROWS {
            let role = match row.cell {
                Cell::Figure { metric, at, .. } | Cell::Speedup { metric, at } => {
                    assert!(METRICS.contains(&metric), "{}", row.aspect);
                    match at {
                        At::Role(role) => Some(role),
                        At::Largest => None,
                    }
                }
                _ => None,
            };
            assert_eq!(row.aspect.contains("{size}"), role.is_some(), "{}", row.aspect);
        }
        assert_eq!(metric("gather", "tasks_per_second"), Some(&GATHER_TASKS_PER_SECOND));
    }
}
