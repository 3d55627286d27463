//! W9, streams, without concurrency: the producer is an iterator, a generator with no
//! hand-off at all, and the consumer folds it. The baseline that shows what a hand-off
//! between tasks costs.

use std::hint::black_box;

use workloads::streams::{StreamOutcome, item};

/// Sums the `n` items of the producer (an iterator) as it yields them.
///
/// Stresses: nothing but the items themselves: each `next` is a plain (inlined) call, with
/// no channel, no lock and no wake-up. The difference between this and any other model's
/// stream is the price of its hand-off.
pub fn stream(n: usize) -> StreamOutcome {
    let mut outcome = StreamOutcome::default();
    for item in produce(n) {
        // `black_box`: one item at a time, as written, not a loop the compiler vectorizes.
        outcome.record(black_box(item));
    }
    outcome
}

/// The producer: items `0..n`, made one at a time as the consumer asks for them (an
/// iterator is lazy, as a generator is).
fn produce(n: usize) -> impl Iterator<Item = u64> {
    (0..n).map(item)
}
