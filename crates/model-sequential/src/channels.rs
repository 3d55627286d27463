//! W12, channels and the pipeline, without concurrency: the channel is a `VecDeque`, and
//! the producers and consumers take turns in one loop: the producers fill the queue up to
//! its capacity, then a consumer drains it. Nothing ever waits or wakes, so this is the
//! cost of the queue alone.

use std::collections::VecDeque;
use std::hint::black_box;
use std::ops::Range;

use workloads::channels::{Backlog, Capacity, Case, ChannelOutcome, Pipeline, PipelineOutcome, share};

/// Moves `0..messages` from `case.producers` producers through one queue of
/// `case.capacity` to `case.consumers` consumers, which sum what they receive, all on the
/// calling thread.
///
/// Stresses: nothing but memory: a push and a pop per message, in a buffer that stays in
/// the cache. The shape of the case changes only whose turn it is; the difference between
/// this and any other model's channel is the price of its synchronization and wake-ups.
pub fn channel(case: Case, messages: usize) -> ChannelOutcome {
    // Unbounded: the producers send everything before the first consumer's turn.
    let capacity = match case.capacity {
        Capacity::Bounded(capacity) => capacity,
        Capacity::Unbounded => messages,
    };
    exchange(capacity, case.producers, case.consumers, messages, None)
}

/// The tutorial's pipeline, in turns: `pipeline.producers` producers send `pipeline.items`
/// items through a queue of `pipeline.capacity` to `pipeline.consumers` consumers, noting
/// each send and receive in a [`Backlog`]. The run ends when every share is sent and the
/// queue is empty: with no other task, there is nobody to tell that the channel closed.
///
/// Stresses: nothing, as [`channel`]. The producers are never more than `capacity` items
/// ahead: a producer's turn ends when the queue is full, which is back-pressure in its
/// plainest form.
pub fn pipeline(pipeline: Pipeline) -> PipelineOutcome {
    let backlog = Backlog::new();
    let delivered =
        exchange(pipeline.capacity, pipeline.producers, pipeline.consumers, pipeline.items, Some(&backlog));
    PipelineOutcome { delivered, most_ahead: backlog.most_ahead() }
}

/// Takes turns until every message is delivered: all producers in order send what fits in
/// the queue, then the next consumer (in rotation) takes everything in it.
fn exchange(
    capacity: usize,
    producers: usize,
    consumers: usize,
    messages: usize,
    backlog: Option<&Backlog>,
) -> ChannelOutcome {
    let mut queue = VecDeque::with_capacity(capacity);
    // What each producer has still to send.
    let mut unsent: Vec<Range<usize>> = (0..producers).map(|p| share(p, producers, messages)).collect();
    let mut received = vec![ChannelOutcome::default(); consumers];
    for turn in 0.. {
        for messages in &mut unsent {
            produce(&mut queue, capacity, messages, backlog);
        }
        // The producers' turns left the queue empty only if they had nothing left to send.
        if queue.is_empty() {
            break;
        }
        consume(&mut queue, &mut received[turn % consumers], backlog);
    }
    received.into_iter().fold(ChannelOutcome::default(), ChannelOutcome::merge)
}

/// A producer's turn: send from `messages` until the queue holds `capacity` or nothing is
/// left to send.
fn produce(
    queue: &mut VecDeque<usize>,
    capacity: usize,
    messages: &mut Range<usize>,
    backlog: Option<&Backlog>,
) {
    while queue.len() < capacity {
        let Some(message) = messages.next() else { break };
        // `black_box` keeps the compiler from seeing through the queue and summing the
        // messages directly: the pushes and pops are what this baseline measures.
        black_box(&mut *queue).push_back(message);
        if let Some(backlog) = backlog {
            backlog.sent();
        }
    }
}

/// A consumer's turn: receive until the queue is empty, summing what comes.
fn consume(queue: &mut VecDeque<usize>, received: &mut ChannelOutcome, backlog: Option<&Backlog>) {
    while let Some(message) = queue.pop_front() {
        if let Some(backlog) = backlog {
            backlog.received();
        }
        received.record(message);
    }
}
