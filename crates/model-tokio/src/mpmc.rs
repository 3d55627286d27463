//! One channel face for W12 over the two channels tokio programs use: tokio's own
//! [`mpsc`] when there is one consumer, [`async_channel`] when there are several.
//!
//! tokio has no multi-consumer channel: its `mpsc::Receiver` cannot be cloned (*single*
//! consumer), and its `broadcast` gives every message to every receiver, not each to one.
//! tokio's documentation points to async-channel for that case; it uses only wakers, so it
//! runs on tokio as on any runtime. This module keeps the choice out of `channels.rs`, which
//! then reads line for line like smol's and async-std's.

use tokio::sync::mpsc;

/// Every receiver is gone (on send), or every sender is gone and the channel is empty (on
/// receive).
#[derive(Debug)]
pub struct Closed;

/// A bounded channel of `capacity` for `consumers` consumers.
pub fn bounded<T>(capacity: usize, consumers: usize) -> (Sender<T>, Receivers<T>) {
    if consumers == 1 {
        let (sender, receiver) = mpsc::channel(capacity);
        (Sender::Bounded(sender), Receivers::One(Some(Receiver::Bounded(receiver))))
    } else {
        let (sender, receiver) = async_channel::bounded(capacity);
        (Sender::Shared(sender), Receivers::Shared(receiver))
    }
}

/// A channel with no bound for `consumers` consumers.
pub fn unbounded<T>(consumers: usize) -> (Sender<T>, Receivers<T>) {
    if consumers == 1 {
        let (sender, receiver) = mpsc::unbounded_channel();
        (Sender::Unbounded(sender), Receivers::One(Some(Receiver::Unbounded(receiver))))
    } else {
        let (sender, receiver) = async_channel::unbounded();
        (Sender::Shared(sender), Receivers::Shared(receiver))
    }
}

/// The sending half: one face for three channel types, so that a producer is written once.
pub enum Sender<T> {
    /// tokio's bounded `mpsc`.
    Bounded(mpsc::Sender<T>),
    /// tokio's unbounded `mpsc`.
    Unbounded(mpsc::UnboundedSender<T>),
    /// async-channel's, bounded or not: one type for both.
    Shared(async_channel::Sender<T>),
}

// By hand: a derive would ask for `T: Clone`, which a sender does not need.
impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        match self {
            Sender::Bounded(sender) => Sender::Bounded(sender.clone()),
            Sender::Unbounded(sender) => Sender::Unbounded(sender.clone()),
            Sender::Shared(sender) => Sender::Shared(sender.clone()),
        }
    }
}

impl<T> Sender<T> {
    /// Sends `message`, waiting for room if the channel is bounded and full.
    pub async fn send(&self, message: T) -> Result<(), Closed> {
        // A match per message: one predictable branch, next to a channel operation's atomics.
        match self {
            Sender::Bounded(sender) => sender.send(message).await.map_err(|_| Closed),
            // Unbounded: tokio's `send` never waits, so it is not even `async`.
            Sender::Unbounded(sender) => sender.send(message).map_err(|_| Closed),
            Sender::Shared(sender) => sender.send(message).await.map_err(|_| Closed),
        }
    }
}

/// The receiving side before the consumers take it: [`Receivers::take`] hands out one
/// [`Receiver`] per consumer, where async-channel would clone its receiver.
pub enum Receivers<T> {
    /// tokio's `mpsc` receiver, for the one consumer, until it takes it.
    One(Option<Receiver<T>>),
    /// async-channel's receiver; each consumer gets a clone, all sharing one queue.
    Shared(async_channel::Receiver<T>),
}

impl<T> Receivers<T> {
    /// The next consumer's receiver.
    ///
    /// # Panics
    /// A channel opened for one consumer is asked for a second receiver.
    pub fn take(&mut self) -> Receiver<T> {
        match self {
            Receivers::One(receiver) => {
                receiver.take().expect("a channel opened for one consumer has one receiver")
            }
            Receivers::Shared(receiver) => Receiver::Shared(receiver.clone()),
        }
    }
}

/// One consumer's receiving half.
pub enum Receiver<T> {
    /// tokio's bounded `mpsc`.
    Bounded(mpsc::Receiver<T>),
    /// tokio's unbounded `mpsc`.
    Unbounded(mpsc::UnboundedReceiver<T>),
    /// A clone of async-channel's receiver.
    Shared(async_channel::Receiver<T>),
}

impl<T> Receiver<T> {
    /// The next message, or `Err` once every sender has dropped and the channel is empty
    /// (async-channel's way of saying it; tokio's says `None`).
    pub async fn recv(&mut self) -> Result<T, Closed> {
        match self {
            Receiver::Bounded(receiver) => receiver.recv().await.ok_or(Closed),
            Receiver::Unbounded(receiver) => receiver.recv().await.ok_or(Closed),
            Receiver::Shared(receiver) => receiver.recv().await.map_err(|_| Closed),
        }
    }
}
