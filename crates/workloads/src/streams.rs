//! W9, *streams* (the tutorial's async iterators and generators): a producer yields N
//! items, one hand-off each, and the consumer sums them. An async generator suspends at
//! every item until the consumer asks for the next; the Rust equivalents are a `Stream`
//! fed by a producer task through a channel of capacity [`BUFFER`], and for threads an
//! iterator over a channel.

use crate::catalogue::{Chapter, Ids, Metric, Placement, Unit, Variant, Workload};
use crate::profile::{Profile, Verdict};
use crate::spec::Spec;
use crate::{ModelInfo, WrongAnswer, rng};

// ---------------------------------------------------------------------------------------
// The ids: the workload, its figures, variants and named sizes, as records and the docs name them.

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

/// Everything this workload names, for the catalogue's index.
pub const IDS: Ids =
    Ids { workload: &STREAMS, metrics: &[&STREAM_ITEMS_PER_SECOND], variants: &[], roles: &[] };

/// The channel between producer and consumer holds one item: the producer is at most one
/// item ahead, as a generator is.
pub const BUFFER: usize = 1;

/// Items per run, in `profile`.
pub fn items(profile: Profile) -> usize {
    match profile {
        Profile::Full => 100_000,
        Profile::Quick => 20_000,
        Profile::Smoke | Profile::Test => 10_000,
    }
}

/// Item `i` of the stream: a seeded input, so a lost or repeated item changes the sum.
pub fn item(i: usize) -> u64 {
    rng::input(i as u64)
}

/// What a W9 run returns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StreamOutcome {
    /// Items consumed.
    pub items: usize,
    /// Wrapping sum of the items.
    pub sum: u64,
}

impl StreamOutcome {
    /// Adds one consumed item.
    pub fn record(&mut self, item: u64) {
        self.items += 1;
        self.sum = self.sum.wrapping_add(item);
    }

    /// Combines two partial outcomes (for consumers that sum in parallel, like rayon).
    pub fn merge(self, other: Self) -> Self {
        StreamOutcome { items: self.items + other.items, sum: self.sum.wrapping_add(other.sum) }
    }
}

/// The answer for `n` items.
pub fn expected(n: usize) -> StreamOutcome {
    let mut want = StreamOutcome::default();
    (0..n).for_each(|i| want.record(item(i)));
    want
}

/// Checks a W9 outcome against a precomputed [`expected`] answer.
pub fn check(want: &StreamOutcome, got: &StreamOutcome) -> Result<(), WrongAnswer> {
    crate::compare(STREAMS.id, want, got)
}

// ---------------------------------------------------------------------------------------
// What it declares: the sizes each model runs, and what the table reads.

/// W9's declarations ([`Spec`]).
pub struct Declared;

impl Spec for Declared {
    fn ids(&self) -> &'static Ids {
        &IDS
    }

    fn sizes(&self, profile: Profile, _model: &ModelInfo) -> Vec<(usize, Verdict)> {
        vec![(items(profile), Ok(()))]
    }

    /// Every item is a hand-off from the producer to the consumer.
    fn placements(&self, _: Profile, _: Option<&'static Variant>, _: usize) -> &'static [Placement] {
        &Placement::ALL
    }
}
