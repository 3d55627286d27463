//! W12, channels and the pipeline on threads: crossbeam's channels, which are
//! multi-producer *and* multi-consumer (std's `mpsc` has one receiver), with producers and
//! consumers as threads. A thread that finds the channel full (or empty) spins briefly,
//! then sleeps in the kernel until the other side makes room (or sends).

use std::io;
use std::ops::Range;
use std::thread;

use crossbeam::channel::{self, Receiver, Sender};
use workloads::channels::{Backlog, Capacity, Case, ChannelOutcome, Pipeline, PipelineOutcome, share};

/// Sends `0..messages` from `case.producers` threads through one crossbeam channel of
/// `case.capacity` to `case.consumers` threads, which sum what they receive.
///
/// Stresses: the channel's hand-off between threads. Unbounded or 64 deep, a send rarely
/// waits and the threads mostly pay for the channel's atomics and cache misses; with a
/// capacity of 1, nearly every message makes one side sleep and the other wake it, a
/// kernel round trip per message. Threads suit a channel between threads that do real
/// work per message; for tiny messages the wake-ups dominate.
///
/// # Errors
/// The OS refused a thread; the threads already started are joined first.
pub fn channel(case: Case, messages: usize) -> io::Result<ChannelOutcome> {
    let (sender, receiver) = match case.capacity {
        Capacity::Bounded(capacity) => channel::bounded(capacity),
        Capacity::Unbounded => channel::unbounded(),
    };
    exchange(sender, receiver, case.producers, case.consumers, messages, None)
}

/// The tutorial's pipeline: `pipeline.producers` threads send `pipeline.items` items
/// through a channel bounded to `pipeline.capacity` to `pipeline.consumers` threads,
/// noting each send and receive in a [`Backlog`]; the channel closes when the last
/// producer is done, which ends the consumers (no sentinel).
///
/// Stresses: back-pressure: a producer that gets `capacity` items ahead blocks in `send`
/// until a consumer takes one. For threads this is the natural shape of a work queue.
///
/// # Errors
/// The OS refused a thread; the threads already started are joined first.
pub fn pipeline(pipeline: Pipeline) -> io::Result<PipelineOutcome> {
    let backlog = Backlog::new();
    // Bounded: the bound is what holds the producers back.
    let (sender, receiver) = channel::bounded(pipeline.capacity);
    let delivered =
        exchange(sender, receiver, pipeline.producers, pipeline.consumers, pipeline.items, Some(&backlog))?;
    Ok(PipelineOutcome { delivered, most_ahead: backlog.most_ahead() })
}

/// Starts `consumers` threads on `receiver`, then `producers` threads that share
/// `0..messages` and send it through `sender`; returns what the consumers received, all
/// together.
fn exchange(
    sender: Sender<usize>,
    receiver: Receiver<usize>,
    producers: usize,
    consumers: usize,
    messages: usize,
    backlog: Option<&Backlog>,
) -> io::Result<ChannelOutcome> {
    // `move`: the scope's closure owns both ends, so they drop when it returns, even when
    // `?` leaves early; the scope then joins the threads already started, and they can end
    // because their channel closes.
    thread::scope(move |scope| {
        let mut handles = Vec::with_capacity(consumers);
        for _ in 0..consumers {
            // Each consumer gets its own clone of the receiver; every message goes to
            // exactly one of them.
            let receiver = receiver.clone();
            // `Builder::spawn_scoped` returns the OS's refusal as an error; `spawn` would panic.
            handles.push(thread::Builder::new().spawn_scoped(scope, move || consume(receiver, backlog))?);
        }
        // Only the consumers receive now: if they all died, a producer's `send` would fail
        // instead of blocking forever.
        drop(receiver);
        for p in 0..producers {
            let sender = sender.clone();
            thread::Builder::new()
                .spawn_scoped(scope, move || produce(sender, share(p, producers, messages), backlog))?;
        }
        // Drop the caller's own sender: the channel then closes when the last producer is
        // done, which ends the consumers' loops.
        drop(sender);
        // The producers need no join of their own: the scope joins them before it returns.
        let received = handles.into_iter().map(|h| h.join().expect("a consumer panicked"));
        Ok(received.fold(ChannelOutcome::default(), ChannelOutcome::merge))
    })
}

/// A producer: send its share of the messages, in order; returning drops `sender`.
fn produce(sender: Sender<usize>, messages: Range<usize>, backlog: Option<&Backlog>) {
    for message in messages {
        // An error means every consumer hung up: nobody wants the rest.
        if sender.send(message).is_err() {
            break;
        }
        if let Some(backlog) = backlog {
            backlog.sent();
        }
    }
}

/// A consumer: receive until the channel is closed and empty, summing what comes.
fn consume(receiver: Receiver<usize>, backlog: Option<&Backlog>) -> ChannelOutcome {
    let mut outcome = ChannelOutcome::default();
    // `iter` blocks for the next message and ends once every sender is gone and the
    // channel is drained.
    for message in receiver.iter() {
        if let Some(backlog) = backlog {
            backlog.received();
        }
        outcome.record(message);
    }
    outcome
}
