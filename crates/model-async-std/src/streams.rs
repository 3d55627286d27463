//! W9, streams (async generators): a producer yields N items, one hand-off each, and the
//! consumer sums them.

use std::pin::pin;

use async_std::channel::{self, Sender};
use async_std::stream::StreamExt;
use async_std::task;
use workloads::streams::{BUFFER, StreamOutcome, item};

/// Runs a producer task that yields `n` items into a channel, and a consumer task that
/// reads them as a `Stream` and sums them.
///
/// Stresses: wake-ups, one or two per item. With a buffer of [`BUFFER`] the producer runs
/// at most one item ahead, as a generator does, so the two sides take turns. Async suits
/// it: a channel's receiver is a `Stream`, the closest thing Rust has to `async for`.
pub async fn stream(n: usize) -> StreamOutcome {
    let (items_out, items) = channel::bounded(BUFFER);
    let producer = task::spawn(produce(n, items_out));
    // The consumer is a task too, as in `ping_pong`: both sides hand off inside the runtime,
    // as they would in a program built on it. Consuming in the calling thread (the one
    // blocked in `block_on`) would cost an OS wake-up of that thread per item, about eight
    // times the runtime's own hand-off: the figure would measure the harness, not the model.
    let consumer = task::spawn(async move {
        // A waiting receiver holds a listener that must not move, so `next` wants the
        // stream pinned; `pin!` pins it here, inside the task, at no cost.
        let mut items = pin!(items);
        let mut outcome = StreamOutcome::default();
        // `next` returns `None` once the producer has dropped its sender: the end of the
        // stream.
        while let Some(item) = items.next().await {
            outcome.record(item);
        }
        outcome
    });
    producer.await;
    consumer.await
}

/// The generator: send each item, waiting for room; returning drops the sender, which ends
/// the consumer's stream.
async fn produce(n: usize, items_out: Sender<u64>) {
    for i in 0..n {
        // Err means the consumer is gone: nobody wants the rest.
        if items_out.send(item(i)).await.is_err() {
            break;
        }
    }
}
