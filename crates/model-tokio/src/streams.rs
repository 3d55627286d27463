//! W9, streams: a producer yields N items, one hand-off each, and the consumer sums them;
//! the Rust stand-in for an async generator and its `async for`.

use tokio::sync::mpsc;
use workloads::streams::{BUFFER, StreamOutcome, item};

/// A producer task sends `n` items through a bounded channel; a consumer task sums them
/// as they come.
///
/// Stresses: wake-ups. With room for [`BUFFER`] item, the producer is at most one item
/// ahead, as a generator is, so nearly every item parks one side and wakes the other. tokio
/// suits it: the cost per item is a channel hand-off and a task switch.
pub async fn stream(n: usize) -> StreamOutcome {
    // Bounded, so the producer waits for the consumer (back-pressure) instead of running
    // ahead and filling memory, as an unbounded channel would let it.
    let (tx, mut rx) = mpsc::channel(BUFFER);
    let producer = tokio::spawn(produce(n, tx));

    // The consumer is a task too, as in `ping_pong`: on the multi-thread runtime the
    // future given to `block_on` runs on the caller's thread, not on a worker, so consuming
    // here would make every hand-off a wake-up across threads (about 8 times slower on 2
    // cores). As tasks, the woken side usually runs next on the same worker.
    let consumer = tokio::spawn(async move {
        // `recv` returns `None` once the producer is done and its sender dropped: the end
        // of the stream. (`tokio_stream::wrappers::ReceiverStream` turns `rx` into a
        // `Stream` when a combinator API, `map`, `filter` and the like, is wanted.)
        let mut outcome = StreamOutcome::default();
        while let Some(item) = rx.recv().await {
            outcome.record(item);
        }
        outcome
    });
    producer.await.expect("the producer panicked");
    consumer.await.expect("the consumer panicked")
}

/// The producer: sends items `0..n`, waiting for room before each.
async fn produce(n: usize, tx: mpsc::Sender<u64>) {
    for i in 0..n {
        // Err means the consumer hung up: nobody wants the rest.
        if tx.send(item(i)).await.is_err() {
            break;
        }
    }
    // `tx` drops here, which ends the consumer's loop.
}
