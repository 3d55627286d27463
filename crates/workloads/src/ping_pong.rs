//! W3, *ping-pong* (the tutorial's "context switching" row): two tasks pass a token back and
//! forth through a pair of channels R times. Each hop wakes the other side, so the time per
//! round trip is the price of two hand-offs between tasks (or threads).

use crate::catalogue::{Chapter, Ids, Metric, Placement, Unit, Variant, Workload};
use crate::profile::{Profile, Verdict};
use crate::spec::Spec;
use crate::{ModelInfo, WrongAnswer};

// ---------------------------------------------------------------------------------------
// The ids: the workload, its figures, variants and named sizes, as records and the docs name them.

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

/// Everything this workload names, for the catalogue's index.
pub const IDS: Ids =
    Ids { workload: &PING_PONG, metrics: &[&PING_PONG_ROUND_TRIP], variants: &[], roles: &[] };

/// Round trips per run, in `profile`.
pub fn rounds(profile: Profile) -> usize {
    match profile {
        Profile::Full | Profile::Quick => 10_000,
        Profile::Smoke => 1_000,
        Profile::Test => 2_000,
    }
}

/// What a W3 run returns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PingPongOutcome {
    /// Round trips completed.
    pub rounds: usize,
    /// The token after the last hop: each side adds one before passing it on.
    pub token: u64,
}

/// The answer after `rounds` round trips: two hops each.
pub fn expected(rounds: usize) -> PingPongOutcome {
    PingPongOutcome { rounds, token: 2 * rounds as u64 }
}

/// Checks a W3 outcome against [`expected`].
pub fn check(rounds: usize, got: &PingPongOutcome) -> Result<(), WrongAnswer> {
    crate::compare(PING_PONG.id, &expected(rounds), got)
}

// ---------------------------------------------------------------------------------------
// What it declares: the sizes each model runs, and what the table reads.

/// W3's declarations ([`Spec`]).
pub struct Declared;

impl Spec for Declared {
    fn ids(&self) -> &'static Ids {
        &IDS
    }

    /// A hand-off of a few hundred nanoseconds moves with the host: every model's round
    /// trip is slower in the same stretches of a run, so the median needs more of them.
    fn extra_rounds(&self) -> usize {
        crate::spec::NOISY
    }

    fn sizes(&self, profile: Profile, _model: &ModelInfo) -> Vec<(usize, Verdict)> {
        vec![(rounds(profile), Ok(()))]
    }

    /// A round trip is two hand-offs between threads: on one core, two context switches; on
    /// two, a spin or a wake-up across cores, whichever the scheduler gives.
    fn placements(&self, _: Profile, _: Option<&'static Variant>, _: usize) -> &'static [Placement] {
        &Placement::ALL
    }
}
