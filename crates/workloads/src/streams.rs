//! W9, *streams* (the tutorial's async iterators and generators): a producer yields N
//! items, one hand-off each, and the consumer sums them. An async generator suspends at
//! every item until the consumer asks for the next; the Rust equivalents are a `Stream`
//! fed by a producer task through a channel of capacity [`BUFFER`], and for threads an
//! iterator over a channel.

use crate::profile::Profile;
use crate::{WrongAnswer, catalogue, rng};

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
    crate::compare(catalogue::STREAMS.id, want, got)
}
