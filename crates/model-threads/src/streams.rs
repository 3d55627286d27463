//! W9, streams: a producer thread hands items one at a time to the consumer through a
//! bounded channel. The channel's receiver is an iterator, so the consumer reads the stream
//! like any other sequence: a thread's generator.

use std::io;
use std::thread;

use crossbeam::channel::{self, Sender};
use workloads::streams::{BUFFER, StreamOutcome, item};

/// A producer thread sends `n` items into a channel of capacity [`BUFFER`]; the calling
/// thread, the consumer, iterates over the channel and sums them.
///
/// Stresses: the hand-off between two threads. With a buffer of one item, producer and
/// consumer take turns: each waits for the other (spinning briefly, then sleeping in the
/// kernel), so every item can cost a wake-up and a switch, as in W3. Threads suit a
/// stream whose items take real work to make or use; for a cheap item, the hand-off is
/// most of the cost.
///
/// # Errors
/// The OS refused the producer thread.
pub fn stream(n: usize) -> io::Result<StreamOutcome> {
    // Bounded to BUFFER: the producer is at most one item ahead, as a generator is, and a
    // slow consumer holds back a fast producer instead of letting items pile up.
    let (sender, receiver) = channel::bounded(BUFFER);
    let producer = thread::Builder::new().name("producer".into()).spawn(move || produce(n, sender))?;
    let mut outcome = StreamOutcome::default();
    // `iter` ends when the producer drops its sender, at the end of the stream.
    for item in receiver.iter() {
        outcome.record(item);
    }
    producer.join().expect("the producer panicked");
    Ok(outcome)
}

/// The producer: send items `0..n` in order; returning drops `sender`, which ends the
/// stream.
fn produce(n: usize, sender: Sender<u64>) {
    for i in 0..n {
        // An error means the consumer hung up: nobody wants the rest.
        if sender.send(item(i)).is_err() {
            break;
        }
    }
}
