//! W12, channels and the pipeline: producer tasks send messages through one channel to
//! consumer tasks that sum them; the channel closes when the last producer is done.

use std::ops::Range;
use std::sync::Arc;

use workloads::channels::{Backlog, Capacity, Case, ChannelOutcome, Pipeline, PipelineOutcome, share};

use crate::mpmc::{self as channel, Receiver, Receivers, Sender};

/// Runs one case of the matrix: `case.producers` tasks send `0..messages` between them
/// through one channel of `case.capacity` to `case.consumers` tasks; returns what the
/// consumers received.
///
/// Stresses: hand-offs between tasks. With a capacity of 1 nearly every message parks one
/// side and wakes the other; with 64 or no bound, each side runs many messages per poll.
/// Async suits it: a task waiting on a full or empty channel is a parked future, and
/// tokio has no multi-consumer channel, so [`crate::mpmc`] gives every case one face over
/// tokio's own `mpsc` (one consumer) and `async-channel` (several).
pub async fn channel(case: Case, messages: usize) -> ChannelOutcome {
    let (sender, receiver) = match case.capacity {
        Capacity::Bounded(capacity) => channel::bounded(capacity, case.consumers),
        Capacity::Unbounded => channel::unbounded(case.consumers),
    };
    exchange(sender, receiver, case.producers, case.consumers, messages, None).await
}

/// The tutorial's pipeline: `pipeline.producers` tasks send `pipeline.items` items through a
/// queue of `pipeline.capacity` to `pipeline.consumers` tasks, and a [`Backlog`] shared by
/// all checks that the producers never run further ahead than the queue allows.
///
/// Stresses: back-pressure. A bounded channel is the queue: a send waits for room, so a
/// fast producer is held to the consumers' pace. Shutdown is the channel closing when the
/// last sender drops, so no sentinel value is needed and none can be miscounted.
pub async fn pipeline(pipeline: Pipeline) -> PipelineOutcome {
    let backlog = Arc::new(Backlog::new());
    // Bounded: the bound is what holds the producers back.
    let (sender, receiver) = channel::bounded(pipeline.capacity, pipeline.consumers);
    let delivered =
        exchange(sender, receiver, pipeline.producers, pipeline.consumers, pipeline.items, Some(&backlog))
            .await;
    PipelineOutcome { delivered, most_ahead: backlog.most_ahead() }
}

/// Spawns `consumers` tasks on `receiver`, then `producers` tasks that share `0..messages`
/// and send it through `sender`; joins them all and returns what the consumers received,
/// all together.
async fn exchange(
    sender: Sender<usize>,
    mut receiver: Receivers<usize>,
    producers: usize,
    consumers: usize,
    messages: usize,
    backlog: Option<&Arc<Backlog>>,
) -> ChannelOutcome {
    // Each consumer gets its own receiver, from `take`; every message goes to exactly one of
    // them.
    let consuming: Vec<_> =
        (0..consumers).map(|_| tokio::spawn(consume(receiver.take(), backlog.cloned()))).collect();
    // Only the consumers receive now: if they all died, a producer's `send` would fail
    // instead of waiting forever.
    drop(receiver);
    let producing: Vec<_> = (0..producers)
        .map(|p| tokio::spawn(produce(sender.clone(), share(p, producers, messages), backlog.cloned())))
        .collect();
    // Drop the caller's own sender: the channel then closes when the last producer is done,
    // which ends the consumers' loops.
    drop(sender);
    // Join every task: a tokio `JoinHandle` yields `Err` if its task panicked.
    for producer in producing {
        producer.await.expect("a producer panicked");
    }
    let mut delivered = ChannelOutcome::default();
    for consumer in consuming {
        delivered = delivered.merge(consumer.await.expect("a consumer panicked"));
    }
    delivered
}

/// A producer: send its share of the messages, in order, waiting for room; returning drops
/// `sender`.
async fn produce(sender: Sender<usize>, messages: Range<usize>, backlog: Option<Arc<Backlog>>) {
    for message in messages {
        // Err means every consumer is gone: nobody wants the rest (and the count will say so).
        if sender.send(message).await.is_err() {
            break;
        }
        if let Some(backlog) = &backlog {
            backlog.sent();
        }
    }
}

/// A consumer: receive until the channel is closed and empty, summing what arrives.
async fn consume(mut receiver: Receiver<usize>, backlog: Option<Arc<Backlog>>) -> ChannelOutcome {
    let mut outcome = ChannelOutcome::default();
    // `recv` fails only once every sender has dropped *and* the channel is empty, so no
    // message sent before the close is lost.
    while let Ok(message) = receiver.recv().await {
        if let Some(backlog) = &backlog {
            backlog.received();
        }
        outcome.record(message);
    }
    outcome
}
