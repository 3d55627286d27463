//! W9, streams, on a pool: a producer thread hands items one at a time through a bounded
//! channel, and the pool consumes the channel with `par_bridge`, which turns any iterator
//! into a parallel one.

use std::io;
use std::sync::mpsc::{self, SyncSender};
use std::thread;

use rayon::prelude::*;
use workloads::streams::{BUFFER, StreamOutcome, item};

/// A producer thread sends `n` items into a channel of capacity [`BUFFER`]; the current
/// pool's workers take items from the channel as they come and sum them in parallel.
///
/// Stresses: the hand-off, twice over. `par_bridge` lets every worker pull from the
/// channel, but the items still come one at a time from one producer, and the workers take
/// turns at the channel behind a lock. What it buys is parallel *consumption*, which pays
/// only when each item takes real work to use; adding a number to a sum does not, so here
/// it costs more than one consumer would.
///
/// # Errors
/// The OS refused the producer thread.
pub fn stream(n: usize) -> io::Result<StreamOutcome> {
    // Bounded to BUFFER: the producer is at most one item ahead, as a generator is.
    let (sender, receiver) = mpsc::sync_channel(BUFFER);
    // The producer is a plain thread, not a pool job: it blocks on a full channel, and a
    // blocked job would take a worker away from the consumers (or all of them, with one).
    let producer = thread::Builder::new().name("producer".into()).spawn(move || produce(n, sender))?;
    let outcome = receiver
        .into_iter()
        .par_bridge()
        // Each worker sums the items it took into a partial outcome; `reduce` merges them.
        .fold(StreamOutcome::default, |mut outcome, item| {
            outcome.record(item);
            outcome
        })
        .reduce(StreamOutcome::default, StreamOutcome::merge);
    producer.join().expect("the producer panicked");
    Ok(outcome)
}

/// The producer: send items `0..n` in order; returning drops `sender`, which ends the
/// stream.
fn produce(n: usize, sender: SyncSender<u64>) {
    for i in 0..n {
        // An error means the consumer hung up: nobody wants the rest.
        if sender.send(item(i)).is_err() {
            break;
        }
    }
}
