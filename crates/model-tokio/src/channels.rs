//! W12, channels and the pipeline: producer tasks send messages through one channel to
//! consumer tasks that sum them; the channel closes when the last producer is done.
//!
//! Two libraries. With one consumer, tokio's own [`mpsc`]. With several, [`async_channel`]:
//! tokio's `mpsc::Receiver` cannot be cloned (*single* consumer) and tokio has no MPMC
//! channel (its `broadcast` gives every message to every receiver, not each to one).
//! async-channel only uses wakers, so it runs on tokio as on any runtime.

use std::ops::Range;
use std::sync::Arc;

use tokio::sync::mpsc;
use workloads::channels::{Backlog, Capacity, Case, ChannelOutcome, Pipeline, PipelineOutcome, share};

/// Runs one case of the matrix: `case.producers` tasks send `0..messages` between them
/// through one channel of `case.capacity` to `case.consumers` tasks; returns what the
/// consumers received.
///
/// Stresses: hand-offs between tasks. With a capacity of 1 nearly every message parks one
/// side and wakes the other; with 64 or no bound, each side runs many messages per poll.
/// tokio suits it: a task waiting on a full or empty channel is a parked future, and on the
/// multi-thread runtime the woken task usually runs next on the same worker. Its own channel
/// serves one consumer only, hence async-channel for MPMC.
pub async fn channel(case: Case, messages: usize) -> ChannelOutcome {
    let (sender, receivers) = open(case.capacity, case.consumers);
    exchange(sender, receivers, case.producers, messages, None).await
}

/// The tutorial's pipeline: `pipeline.producers` tasks send `pipeline.items` items through a
/// queue of `pipeline.capacity` to `pipeline.consumers` tasks, and a [`Backlog`] shared by
/// all checks that the producers never run further ahead than the queue allows.
///
/// Stresses: back-pressure. A bounded channel is the queue: a send waits for room, so a
/// fast producer is held to the consumers' pace, as a parked task rather than a blocked
/// thread. Shutdown is the channel closing when the last sender drops, so no sentinel value
/// is needed and none can be miscounted. Several consumers, so async-channel, as for MPMC.
pub async fn pipeline(pipeline: Pipeline) -> PipelineOutcome {
    let backlog = Arc::new(Backlog::new());
    // Bounded: the bound is what holds the producers back.
    let (sender, receivers) = open(Capacity::Bounded(pipeline.capacity), pipeline.consumers);
    let delivered = exchange(sender, receivers, pipeline.producers, pipeline.items, Some(&backlog)).await;
    PipelineOutcome { delivered, most_ahead: backlog.most_ahead() }
}

/// Spawns one consumer task per receiver, then `producers` tasks that share `0..messages`
/// and send it through `sender`; joins them all and returns what the consumers received,
/// all together.
async fn exchange(
    sender: Sender,
    receivers: Vec<Receiver>,
    producers: usize,
    messages: usize,
    backlog: Option<&Arc<Backlog>>,
) -> ChannelOutcome {
    // Every producer and consumer is a spawned task: the future given to `block_on` does not
    // run on a worker thread, so a consumer there would make every hand-off a wake-up across
    // threads.
    let consuming: Vec<_> =
        receivers.into_iter().map(|receiver| tokio::spawn(consume(receiver, backlog.cloned()))).collect();
    let producing: Vec<_> = (0..producers)
        .map(|p| tokio::spawn(produce(sender.clone(), share(p, producers, messages), backlog.cloned())))
        .collect();
    // Drop the caller's own sender: the channel then closes when the last producer is done,
    // which ends the consumers' loops (with it alive, they would wait for more forever).
    drop(sender);
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
async fn produce(sender: Sender, messages: Range<usize>, backlog: Option<Arc<Backlog>>) {
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
async fn consume(mut receiver: Receiver, backlog: Option<Arc<Backlog>>) -> ChannelOutcome {
    let mut outcome = ChannelOutcome::default();
    // `None` only once every sender has dropped *and* the channel is empty, so no message
    // sent before the close is lost.
    while let Some(message) = receiver.recv().await {
        if let Some(backlog) = &backlog {
            backlog.received();
        }
        outcome.record(message);
    }
    outcome
}

/// A channel of `capacity` for `consumers` consumers: its sender, and one receiver for each
/// consumer. One consumer gets tokio's `mpsc`; several get async-channel, whose receiver
/// clones share one queue, so each message goes to exactly one of them.
fn open(capacity: Capacity, consumers: usize) -> (Sender, Vec<Receiver>) {
    match (consumers, capacity) {
        (1, Capacity::Bounded(capacity)) => {
            let (sender, receiver) = mpsc::channel(capacity);
            (Sender::Bounded(sender), vec![Receiver::Bounded(receiver)])
        }
        (1, Capacity::Unbounded) => {
            let (sender, receiver) = mpsc::unbounded_channel();
            (Sender::Unbounded(sender), vec![Receiver::Unbounded(receiver)])
        }
        (_, capacity) => {
            let (sender, receiver) = match capacity {
                Capacity::Bounded(capacity) => async_channel::bounded(capacity),
                Capacity::Unbounded => async_channel::unbounded(),
            };
            // Our own `receiver` drops on return: if every consumer stopped early, a
            // producer's `send` would then fail instead of waiting forever.
            (Sender::Shared(sender), (0..consumers).map(|_| Receiver::Shared(receiver.clone())).collect())
        }
    }
}

/// Every receiver is gone: a send can never be received.
struct Closed;

/// The sending half of whichever channel [`open`] chose: one face for three channel types,
/// so that `produce` is written once.
#[derive(Clone)]
enum Sender {
    /// tokio's bounded `mpsc`.
    Bounded(mpsc::Sender<usize>),
    /// tokio's unbounded `mpsc`.
    Unbounded(mpsc::UnboundedSender<usize>),
    /// async-channel's, bounded or not: one type for both.
    Shared(async_channel::Sender<usize>),
}

impl Sender {
    /// Sends `message`, waiting for room if the channel is bounded and full.
    async fn send(&self, message: usize) -> Result<(), Closed> {
        // A match per message: one predictable branch, next to a channel operation's atomics.
        match self {
            Sender::Bounded(sender) => sender.send(message).await.map_err(|_| Closed),
            // Unbounded: tokio's `send` never waits, so it is not even `async`.
            Sender::Unbounded(sender) => sender.send(message).map_err(|_| Closed),
            Sender::Shared(sender) => sender.send(message).await.map_err(|_| Closed),
        }
    }
}

/// The receiving half of whichever channel [`open`] chose, one per consumer.
enum Receiver {
    /// tokio's bounded `mpsc`.
    Bounded(mpsc::Receiver<usize>),
    /// tokio's unbounded `mpsc`.
    Unbounded(mpsc::UnboundedReceiver<usize>),
    /// A clone of async-channel's receiver.
    Shared(async_channel::Receiver<usize>),
}

impl Receiver {
    /// The next message, or `None` once the channel is closed and empty.
    async fn recv(&mut self) -> Option<usize> {
        match self {
            Receiver::Bounded(receiver) => receiver.recv().await,
            Receiver::Unbounded(receiver) => receiver.recv().await,
            // async-channel says "closed and empty" with an `Err`.
            Receiver::Shared(receiver) => receiver.recv().await.ok(),
        }
    }
}
