//! The comparison table's rows: what each row shows, and how its cells read the records.
//! The presentation is the report's alone; the catalogue names the workloads and metrics
//! the rows read, and the model crates never see this file.

use workloads::cancellation::CANCEL_RELEASE;
use workloads::catalogue::*;
use workloads::channels::{CHANNEL_MESSAGES_PER_SECOND, CHANNEL_MPMC_64, CHANNELS_HEADLINE};
use workloads::client::{HTTP_CLIENT_HEADLINE, HTTP_CLIENT_WALL_TIME};
use workloads::gather::{GATHER_AS_COMPLETED, GATHER_HEADLINE, GATHER_TASKS_PER_SECOND};
use workloads::hashing::{HASHING_EFFICIENCY, HASHING_SPEEDUP};
use workloads::idle::{IDLE_KERNEL, IDLE_LARGEST_N, IDLE_PSS, IDLE_RSS};
use workloads::locks::{
    LOCK_INCREMENTS_PER_SECOND, LOCK_LONGEST_WAIT, LOCK_SHORT, LOCK_WAITING, LOCKS_HEADLINE,
};
use workloads::mandelbrot::{MANDELBROT_EFFICIENCY, MANDELBROT_SPEEDUP};
use workloads::merge_sort::{MERGE_SORT_EFFICIENCY, MERGE_SORT_SPEEDUP};
use workloads::ping_pong::PING_PONG_ROUND_TRIP;
use workloads::semaphore::SEMAPHORE_MOST_AT_ONCE;
use workloads::server::{
    HTTP_CPU_PER_THOUSAND, HTTP_HEADLINE, HTTP_LARGEST_CONNECTIONS, HTTP_LATENCY, HTTP_LATENCY_HEADLINE,
    HTTP_REQUESTS_PER_SECOND, HTTP_SLOW_HEADLINE, HTTP_SLOW_REQUESTS_PER_SECOND,
};
use workloads::spawn_join::SPAWN_NS_PER_TASK;
use workloads::stall::{STALL_HEARTBEAT, STALL_INLINE_CPU, STALL_OFFLOADED_CPU};
use workloads::streams::STREAM_ITEMS_PER_SECOND;
use workloads::timeouts::{TIMEOUT_LATENESS, TIMEOUTS_HEADLINE};
use workloads::waits::{WAITS_SCALABILITY, WAITS_SPEEDUP, WAITS_WALL_TIME};

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
        /// Only records measured under this placement (a workload measured under several).
        placement: Option<Placement>,
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
    /// The highest figure of a metric over all the model's variants, at the largest N (for
    /// the CPU kernels, N is the worker count: all cores), with the variant named.
    Best {
        /// The metric (larger is better).
        metric: &'static Metric,
    },
    /// [`Cell::Best`] of several metrics, side by side.
    Efficiency {
        /// The metrics, in the order the row's label names them.
        metrics: &'static [&'static Metric],
    },
    /// One statistic of a metric in two variants: before → after.
    Versus {
        /// The metric.
        metric: &'static Metric,
        /// The variant shown first (the problem).
        from: &'static Variant,
        /// The variant shown second (the fix).
        to: &'static Variant,
        /// Which statistic of each.
        stat: Stat,
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
    Cell::Figure { metric, variant: None, placement: None, at: At::Largest, stat: Stat::Value, note: false }
}

/// As [`largest`], of the records measured under one placement.
const fn placed(metric: &'static Metric, placement: Placement) -> Cell {
    Cell::Figure {
        metric,
        variant: None,
        placement: Some(placement),
        at: At::Largest,
        stat: Stat::Value,
        note: false,
    }
}

/// The rows of the comparison table, in order. They follow the table "Asyncio vs Threading
/// vs Multiprocessing" of the tutorial, then the figures of later chapters.
pub const ROWS: &[Row] = &[
    Row { aspect: "**Concurrency model**", cell: Cell::Words(Words::Concurrency) },
    Row {
        aspect: "**Memory usage** (bytes per idle task)",
        cell: Cell::Memory { rss: &IDLE_RSS, kernel: &IDLE_KERNEL },
    },
    Row {
        aspect: "**Memory usage, shared pages split** (PSS bytes per idle task, over the process and those it started)",
        cell: largest(&IDLE_PSS),
    },
    Row {
        aspect: "**Context switching** (ns per round trip, all threads on one core)",
        cell: placed(&PING_PONG_ROUND_TRIP, Placement::OneCore),
    },
    Row { aspect: "**Spawn cost** (ns per task)", cell: largest(&SPAWN_NS_PER_TASK) },
    Row { aspect: "**Scalability**: largest N held", cell: Cell::Held { metric: &IDLE_LARGEST_N } },
    Row {
        aspect: "**Scalability**: {size}",
        cell: Cell::Figure {
            metric: &WAITS_WALL_TIME,
            variant: None,
            placement: None,
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
            placement: None,
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
            placement: None,
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
            placement: None,
            at: At::Role(&TIMEOUTS_HEADLINE),
            stat: Stat::P99,
            note: true,
        },
    },
    Row {
        aspect: "**Stream throughput** (items per second, all threads on one core)",
        cell: placed(&STREAM_ITEMS_PER_SECOND, Placement::OneCore),
    },
    Row {
        aspect: "**Contended lock**, short section (increments per second, {size}, threads free on all cores)",
        cell: Cell::Figure {
            metric: &LOCK_INCREMENTS_PER_SECOND,
            variant: Some(&LOCK_SHORT),
            placement: Some(Placement::AllCores),
            at: At::Role(&LOCKS_HEADLINE),
            stat: Stat::Value,
            note: false,
        },
    },
    Row {
        aspect: "**Contended lock**, waiting inside (increments per second, {size}, threads free on all cores)",
        cell: Cell::Figure {
            metric: &LOCK_INCREMENTS_PER_SECOND,
            variant: Some(&LOCK_WAITING),
            placement: Some(Placement::AllCores),
            at: At::Role(&LOCKS_HEADLINE),
            stat: Stat::Value,
            note: false,
        },
    },
    Row {
        aspect: "**Lock fairness** (longest wait for the lock, 99th percentile over the workers, waiting inside, {size}, threads free on all cores)",
        cell: Cell::Figure {
            metric: &LOCK_LONGEST_WAIT,
            variant: Some(&LOCK_WAITING),
            placement: Some(Placement::AllCores),
            at: At::Role(&LOCKS_HEADLINE),
            // Not the single worst wait of the run: that is one sample, often a time slice
            // the host took, and moved up to 25 times between two runs; the third-worst of
            // 256 workers still shows a lock that starves some of them.
            stat: Stat::P99,
            note: false,
        },
    },
    Row {
        aspect: "**Semaphore accuracy** (most jobs at once, of K)",
        cell: Cell::Figure {
            metric: &SEMAPHORE_MOST_AT_ONCE,
            variant: None,
            placement: None,
            at: At::Largest,
            stat: Stat::Value,
            note: true,
        },
    },
    Row {
        aspect: "**Channel throughput** (messages per second, MPMC, capacity 64, {size}, threads free on all cores)",
        cell: Cell::Figure {
            metric: &CHANNEL_MESSAGES_PER_SECOND,
            variant: Some(&CHANNEL_MPMC_64),
            placement: Some(Placement::AllCores),
            at: At::Role(&CHANNELS_HEADLINE),
            stat: Stat::Value,
            note: false,
        },
    },
    Row {
        aspect: "**Scalability for I/O**: HTTP requests per second ({size})",
        cell: Cell::Figure {
            metric: &HTTP_REQUESTS_PER_SECOND,
            variant: None,
            placement: None,
            at: At::Role(&HTTP_HEADLINE),
            stat: Stat::Value,
            note: true,
        },
    },
    Row {
        aspect: "**HTTP latency** (p99, open loop, {size})",
        cell: Cell::Figure {
            metric: &HTTP_LATENCY,
            variant: None,
            placement: None,
            at: At::Role(&HTTP_LATENCY_HEADLINE),
            stat: Stat::P99,
            note: true,
        },
    },
    Row {
        aspect: "**Connections served** (largest count, every request answered)",
        cell: Cell::Held { metric: &HTTP_LARGEST_CONNECTIONS },
    },
    Row {
        aspect: "**Waiting on I/O**: requests per second, /slow?delay=100 ({size})",
        cell: Cell::Figure {
            metric: &HTTP_SLOW_REQUESTS_PER_SECOND,
            variant: None,
            placement: None,
            at: At::Role(&HTTP_SLOW_HEADLINE),
            stat: Stat::Value,
            note: false,
        },
    },
    Row {
        aspect: "**CPU per 1 000 requests** (server process, same fixed rate for all)",
        cell: Cell::Figure {
            metric: &HTTP_CPU_PER_THOUSAND,
            variant: None,
            placement: None,
            at: At::Largest,
            stat: Stat::Value,
            note: true,
        },
    },
    Row {
        aspect: "**HTTP client fan-out** ({size})",
        cell: Cell::Figure {
            metric: &HTTP_CLIENT_WALL_TIME,
            variant: None,
            placement: None,
            at: At::Role(&HTTP_CLIENT_HEADLINE),
            stat: Stat::Value,
            note: false,
        },
    },
    Row {
        aspect: "**CPU-bound speedup**, Mandelbrot (over sequential, all cores, best way)",
        cell: Cell::Best { metric: &MANDELBROT_SPEEDUP },
    },
    Row {
        aspect: "**CPU-bound speedup**, merge sort (over sequential, all cores, best way)",
        cell: Cell::Best { metric: &MERGE_SORT_SPEEDUP },
    },
    Row {
        aspect: "**CPU-bound speedup**, hashing (over sequential, all cores, best way)",
        cell: Cell::Best { metric: &HASHING_SPEEDUP },
    },
    Row {
        aspect: "**Parallel efficiency** (speedup ÷ workers, best way: Mandelbrot · sort · hashing)",
        cell: Cell::Efficiency {
            metrics: &[&MANDELBROT_EFFICIENCY, &MERGE_SORT_EFFICIENCY, &HASHING_EFFICIENCY],
        },
    },
    Row {
        aspect: "**Blocking stall** (heartbeat p99 lateness while blocking CPU calls run: inline → offloaded)",
        cell: Cell::Versus {
            metric: &STALL_HEARTBEAT,
            from: &STALL_INLINE_CPU,
            to: &STALL_OFFLOADED_CPU,
            stat: Stat::P99,
        },
    },
    Row { aspect: "**Best for**", cell: Cell::Words(Words::BestFor) },
    Row { aspect: "**Debugging**", cell: Cell::Words(Words::Debugging) },
];

#[cfg(test)]
mod tests {
    use super::*;

    /// A row with `{size}` reads a named size, and every metric a row reads is listed.
    #[test]
    fn rows_are_consistent() {
        for row in ROWS {
            let role = match row.cell {
                Cell::Figure { metric, at, .. } | Cell::Speedup { metric, at } => {
                    assert!(workloads::catalogue::metrics().any(|m| m == metric), "{}", row.aspect);
                    match at {
                        At::Role(role) => Some(role),
                        At::Largest => None,
                    }
                }
                _ => None,
            };
            assert_eq!(row.aspect.contains("{size}"), role.is_some(), "{}", row.aspect);
        }
    }
}
