//! W13, the HTTP server under load: the steps a load generator runs against every model's
//! server, and their sizes per profile. The protocol the servers speak is [`crate::http`]'s.

use std::time::Duration;

/// The load steps of W13 in one profile.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadSizes {
    /// Closed loop: the connection counts (C).
    pub connections: Vec<usize>,
    /// The connection count of the headline row (requests per second).
    pub headline: usize,
    /// Open loop: the offered rates (requests per second), the same for every server, over
    /// `headline` connections: a ladder from light load to past most servers' peak.
    pub rates: Vec<f64>,
    /// The rate of the ladder that the table's latency row reads: well under every
    /// server's peak here, so that the row compares servers that are not overloaded.
    pub latency_headline: f64,
    /// Each open-loop step's window but the table's: long enough for a tail percentile of
    /// thousands of samples.
    pub latency_window: Duration,
    /// The window of the step at `latency_headline`, which the table's row reads: longer,
    /// because a p99 over one second is set by whether a pause of the machine fell in it
    /// (between 0.3 and 10 ms from one round to the next); over several seconds the pauses
    /// average out.
    pub latency_headline_window: Duration,
    /// The one fixed rate (requests per second) at which every server's CPU is measured,
    /// over `cpu_connections` connections.
    pub cpu_rate: f64,
    /// Connections for the CPU step.
    pub cpu_connections: usize,
    /// The CPU step's window: the kernel counts a process's CPU time in ticks of 10 ms, so
    /// the step must answer thousands of requests for a per-request figure to be exact.
    pub cpu_window: Duration,
    /// `/slow?delay=` this many milliseconds, closed loop, at `slow_connections`.
    pub slow_delay_ms: u64,
    /// The connection counts of the waiting step.
    pub slow_connections: Vec<usize>,
    /// Each step's warm-up.
    pub warmup: Duration,
    /// Each step's measurement window.
    pub window: Duration,
    /// The window of the headline step (closed loop at `headline` connections), which the
    /// table's row and the open-loop rates read: longer, for a steadier figure.
    pub headline_window: Duration,
}

impl LoadSizes {
    /// The sizes of `profile`. The windows are short (half a second per step, a second for
    /// the headline step, a fifth of a second in a smoke run): on loopback a server's rate
    /// settles within a few hundred milliseconds, and every step runs once in each round of
    /// the run.
    pub fn new(profile: crate::Profile) -> Self {
        use crate::Profile;
        let cpu_window = match profile {
            Profile::Full => Duration::from_millis(1_500),
            Profile::Quick => Duration::from_millis(400),
            Profile::Smoke | Profile::Test => Duration::from_millis(200),
        };
        let (connections, rates, latency_headline, slow_connections, warmup, window) = match profile {
            Profile::Full => (
                vec![1, 10, 100, 1_000, 5_000],
                vec![5_000.0, 20_000.0, 50_000.0, 100_000.0],
                20_000.0,
                vec![1_000, 5_000],
                Duration::from_millis(300),
                Duration::from_millis(500),
            ),
            Profile::Quick => (
                vec![1, 100],
                vec![20_000.0],
                20_000.0,
                vec![1_000],
                Duration::from_millis(100),
                Duration::from_millis(300),
            ),
            Profile::Smoke | Profile::Test => (
                vec![1, 10],
                vec![2_000.0],
                2_000.0,
                vec![10],
                Duration::from_millis(100),
                Duration::from_millis(200),
            ),
        };
        let (headline_window, latency_window, latency_headline_window) = match profile {
            Profile::Full => (Duration::from_secs(1), Duration::from_millis(500), Duration::from_secs(3)),
            _ => (window, window, window),
        };
        LoadSizes {
            connections,
            headline: if profile == Profile::Full || profile == Profile::Quick { 100 } else { 10 },
            rates,
            latency_headline,
            latency_window,
            latency_headline_window,
            cpu_rate: 5_000.0,
            cpu_connections: 10,
            cpu_window,
            slow_delay_ms: 100,
            slow_connections,
            warmup,
            window,
            headline_window,
        }
    }
}
