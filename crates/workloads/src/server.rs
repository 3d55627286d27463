//! W13, the HTTP server under load: the steps a load generator runs against every model's
//! server, and their sizes per profile. The protocol the servers speak is [`crate::http`]'s.

use crate::catalogue::{Chapter, Ids, Metric, Role, Unit, Workload};
use crate::profile::{Profile, Verdict};
use crate::spec::{Named, Spec};
use crate::{ModelInfo, text};
use std::time::Duration;

// ---------------------------------------------------------------------------------------
// The ids: the workload, its figures, variants and named sizes, as records and the docs name them.

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

/// Everything this workload names, for the catalogue's index.
pub const IDS: Ids = Ids {
    workload: &HTTP_SERVER,
    metrics: &[
        &HTTP_REQUESTS_PER_SECOND,
        &HTTP_LATENCY,
        &HTTP_LARGEST_CONNECTIONS,
        &HTTP_CPU_PER_THOUSAND,
        &HTTP_SLOW_REQUESTS_PER_SECOND,
    ],
    variants: &[],
    roles: &[&HTTP_HEADLINE, &HTTP_SLOW_HEADLINE, &HTTP_LATENCY_HEADLINE],
};

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
    /// because a p99 over a short window is set by whether a pause of the machine fell in it.
    /// Longer windows do not make it steady on a 2-core virtual machine: over 2 s, one
    /// server's rounds still ranged from 0.3 to 4.7 ms within one run; the rounds' median,
    /// over 5 rounds, is the figure.
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
    /// Each step's warm-up; a closed-loop step of many connections gets longer
    /// ([`LoadSizes::warmup_for`]).
    pub warmup: Duration,
    /// Each step's measurement window.
    pub window: Duration,
    /// The window of the headline step (closed loop at `headline` connections), which the
    /// table's row and the open-loop rates read: longer, for a steadier figure.
    pub headline_window: Duration,
}

/// The warm-up a closed-loop step gives each of its connections, at the least: the time
/// a server takes to accept a burst of connections (see [`LoadSizes::warmup_for`]).
pub const WARMUP_PER_CONNECTION: Duration = Duration::from_micros(200);

impl LoadSizes {
    /// The warm-up of a closed-loop step of `connections`: [`Self::warmup`], or
    /// [`WARMUP_PER_CONNECTION`] for each connection where that is longer (a second for 5 000).
    ///
    /// The generator opens every connection at once, and the server accepts them one by one
    /// between answering the first ones. A connection still waiting to be accepted when the
    /// window opens, or whose connect the kernel dropped because the listen queue was full
    /// (it tries again after a second), gets no answer in the window and counts as starved.
    /// After 0.2 s of warm-up, one server starved from none to 665 of 5 000 connections from
    /// one step to the next on 2 cores, so the row "Connections served" read 5 000 in one run
    /// and 1 000 in the next; after a second, it starved none in every step tried, and a
    /// server that starves connections once all are open does so in every step.
    pub fn warmup_for(&self, connections: usize) -> Duration {
        self.warmup.max(WARMUP_PER_CONNECTION * u32::try_from(connections).unwrap_or(u32::MAX))
    }

    /// The sizes of `profile`. The windows are short (0.3 s per step after 0.2 s of warm-up,
    /// a second for the headline step and one and a half for the table's latency step (30 000
    /// requests at 20 000/s: its p99 moves with the host's state, not with more of them), a fifth of a
    /// second in a smoke run): on loopback a server's rate settles within a few hundred
    /// milliseconds, and every step runs once in each round of the run.
    pub fn new(profile: crate::Profile) -> Self {
        use crate::Profile;
        let cpu_window = match profile {
            Profile::Full => Duration::from_millis(1_500),
            Profile::Quick => Duration::from_millis(400),
            Profile::Smoke | Profile::Test => Duration::from_millis(200),
        };
        let (connections, rates, latency_headline, slow_connections, warmup, window) = match profile {
            Profile::Full => (
                // No step at 10: between 1 and 100 it told nothing the two do not.
                vec![1, 100, 1_000, 5_000],
                vec![5_000.0, 20_000.0, 50_000.0, 100_000.0],
                20_000.0,
                // The table's step. At 1 000, every server that held the connections
                // answered the same 6 667/s (each connection's waits of 100 ms, two to a
                // window of 0.3 s): it told none apart.
                vec![5_000],
                Duration::from_millis(200),
                Duration::from_millis(300),
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
            Profile::Full => {
                (Duration::from_secs(1), Duration::from_millis(300), Duration::from_millis(1_500))
            }
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

// ---------------------------------------------------------------------------------------
// What it declares: the sizes each model runs, and what the table reads.

/// W13's declarations ([`Spec`]).
pub struct Declared;

impl Spec for Declared {
    fn ids(&self) -> &'static Ids {
        &IDS
    }

    /// Tail latencies and CPU time per request move most between rounds: the steps the
    /// table reads get more rounds in a full run.
    fn extra_rounds(&self) -> usize {
        crate::spec::NOISY
    }

    fn sizes(&self, profile: Profile, _model: &ModelInfo) -> Vec<(usize, Verdict)> {
        LoadSizes::new(profile).connections.into_iter().map(|c| (c, Ok(()))).collect()
    }

    fn named_sizes(&self, profile: Profile) -> Vec<Named> {
        let sizes = LoadSizes::new(profile);
        let slow = *sizes.slow_connections.last().expect("a waiting step");
        let rate = sizes.latency_headline;
        vec![
            Named::new(&HTTP_HEADLINE, sizes.headline, format!("{} connections", sizes.headline)),
            Named::new(
                &HTTP_SLOW_HEADLINE,
                slow,
                format!("{} connections", text::group_thousands(slow as u64)),
            ),
            Named::new(
                &HTTP_LATENCY_HEADLINE,
                rate as usize,
                format!(
                    "{} requests/s over {} connections",
                    text::group_thousands(rate as u64),
                    sizes.headline
                ),
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_connections_get_a_longer_warmup() {
        let sizes = LoadSizes::new(Profile::Full);
        // Up to a thousand connections, the step's own warm-up; past it, 0.2 ms for each.
        assert_eq!(sizes.warmup_for(1), sizes.warmup);
        assert_eq!(sizes.warmup_for(1_000), sizes.warmup);
        assert_eq!(sizes.warmup_for(5_000), Duration::from_secs(1));
        // The ladder's largest step is among those lengthened.
        let most = *sizes.connections.iter().max().unwrap();
        assert!(sizes.warmup_for(most) > sizes.warmup);
        // No count is too large to give a warm-up.
        assert!(sizes.warmup_for(usize::MAX) >= Duration::from_secs(3_600));
    }
}
