//! W12, *channels and the pipeline* (the tutorial's `asyncio.Queue`).
//!
//! The matrix: producers send M messages in all through one channel to consumers that sum
//! them, for every [`Case`]: one producer and one consumer (SPSC), many producers and one
//! consumer (MPSC), many of each (MPMC), each with a channel of capacity 1, 64, or
//! unbounded. These are the cases channel libraries' own benchmark suites use, so the
//! figures can be read beside theirs. Every message must arrive exactly once (count and
//! checksum).
//!
//! The pipeline: the tutorial's producer–consumer queue, P producers and C consumers over a
//! queue of Q, shut down by closing the channel rather than by a sentinel value. A
//! [`Backlog`] checks back-pressure: producers are never more than Q (plus the items the
//! consumers hold) ahead of the consumers.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::catalogue::{Chapter, Ids, Metric, Placement, Role, Unit, Variant, Workload};
use crate::profile::{Profile, Verdict};
use crate::spec::{Named, Spec};
use crate::{Kind, ModelInfo, WrongAnswer};

// ---------------------------------------------------------------------------------------
// The ids: the workload, its figures, variants and named sizes, as records and the docs name them.

/// W12.
pub const CHANNELS: Workload = Workload {
    id: "channels",
    code: "W12",
    title: "channels",
    what: "Producers send M messages through one channel to consumers: SPSC, MPSC, MPMC × capacity 1, 64, unbounded.",
    chapter: Chapter::Sharing,
};
/// W12: messages per second.
pub const CHANNEL_MESSAGES_PER_SECOND: Metric = Metric {
    workload: &CHANNELS,
    id: "messages_per_second",
    unit: Unit::PerSecond,
    what: "Messages delivered per second, all producers and consumers together.",
};
/// W12: nanoseconds per message.
pub const CHANNEL_NS_PER_MESSAGE: Metric = Metric {
    workload: &CHANNELS,
    id: "ns_per_message",
    unit: Unit::Ns,
    what: "Wall time per message delivered.",
};
/// W12: one producer, one consumer, capacity 1.
pub const CHANNEL_SPSC_1: Variant = Variant { workload: &CHANNELS, id: "spsc_1" };
/// W12: one producer, one consumer, capacity 64.
pub const CHANNEL_SPSC_64: Variant = Variant { workload: &CHANNELS, id: "spsc_64" };
/// W12: one producer, one consumer, unbounded.
pub const CHANNEL_SPSC_UNBOUNDED: Variant = Variant { workload: &CHANNELS, id: "spsc_unbounded" };
/// W12: N producers, one consumer, capacity 1.
pub const CHANNEL_MPSC_1: Variant = Variant { workload: &CHANNELS, id: "mpsc_1" };
/// W12: N producers, one consumer, capacity 64.
pub const CHANNEL_MPSC_64: Variant = Variant { workload: &CHANNELS, id: "mpsc_64" };
/// W12: N producers, one consumer, unbounded.
pub const CHANNEL_MPSC_UNBOUNDED: Variant = Variant { workload: &CHANNELS, id: "mpsc_unbounded" };
/// W12: N producers, N consumers, capacity 1.
pub const CHANNEL_MPMC_1: Variant = Variant { workload: &CHANNELS, id: "mpmc_1" };
/// W12: N producers, N consumers, capacity 64.
pub const CHANNEL_MPMC_64: Variant = Variant { workload: &CHANNELS, id: "mpmc_64" };
/// W12: N producers, N consumers, unbounded.
pub const CHANNEL_MPMC_UNBOUNDED: Variant = Variant { workload: &CHANNELS, id: "mpmc_unbounded" };
/// W12: the size (producers) of the "Channel throughput" row.
pub const CHANNELS_HEADLINE: Role = Role { workload: &CHANNELS, id: "channels_headline" };

/// The case the table shows: MPMC over a channel of 64, this many producers and as many
/// consumers.
pub const HEADLINE_PRODUCERS: usize = 4;

/// Everything this workload names, for the catalogue's index.
pub const IDS: Ids = Ids {
    workload: &CHANNELS,
    metrics: &[&CHANNEL_MESSAGES_PER_SECOND, &CHANNEL_NS_PER_MESSAGE],
    variants: &[
        &CHANNEL_SPSC_1,
        &CHANNEL_SPSC_64,
        &CHANNEL_SPSC_UNBOUNDED,
        &CHANNEL_MPSC_1,
        &CHANNEL_MPSC_64,
        &CHANNEL_MPSC_UNBOUNDED,
        &CHANNEL_MPMC_1,
        &CHANNEL_MPMC_64,
        &CHANNEL_MPMC_UNBOUNDED,
    ],
    roles: &[&CHANNELS_HEADLINE],
};

/// Who sends and who receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One producer, one consumer.
    Spsc,
    /// Several producers, one consumer.
    Mpsc,
    /// Several producers, several consumers (as many as producers).
    Mpmc,
}

/// How many messages the channel holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capacity {
    /// At most this many (1: every send waits for the receiver to make room).
    Bounded(usize),
    /// No bound: a send never waits.
    Unbounded,
}

/// One case of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Case {
    /// Who sends and who receives.
    pub shape: Shape,
    /// The channel's capacity.
    pub capacity: Capacity,
    /// Producer tasks.
    pub producers: usize,
    /// Consumer tasks.
    pub consumers: usize,
}

/// The capacities of the matrix.
pub const CAPACITIES: [Capacity; 3] = [Capacity::Bounded(1), Capacity::Bounded(64), Capacity::Unbounded];

/// Every case of the matrix: SPSC; MPSC with 4 and 16 producers; MPMC with 4 and 16 of each;
/// each at every capacity.
pub fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for capacity in CAPACITIES {
        let case = |shape, producers, consumers| Case { shape, capacity, producers, consumers };
        cases.push(case(Shape::Spsc, 1, 1));
        cases.extend([4, 16].map(|p| case(Shape::Mpsc, p, 1)));
        cases.extend([4, 16].map(|p| case(Shape::Mpmc, p, p)));
    }
    cases
}

impl Case {
    /// The case's variant in the catalogue: its shape and capacity (the producer count is
    /// the record's N).
    pub fn variant(&self) -> &'static Variant {
        use Capacity::*;
        use Shape::*;
        match (self.shape, self.capacity) {
            (Spsc, Bounded(1)) => &CHANNEL_SPSC_1,
            (Spsc, Bounded(_)) => &CHANNEL_SPSC_64,
            (Spsc, Unbounded) => &CHANNEL_SPSC_UNBOUNDED,
            (Mpsc, Bounded(1)) => &CHANNEL_MPSC_1,
            (Mpsc, Bounded(_)) => &CHANNEL_MPSC_64,
            (Mpsc, Unbounded) => &CHANNEL_MPSC_UNBOUNDED,
            (Mpmc, Bounded(1)) => &CHANNEL_MPMC_1,
            (Mpmc, Bounded(_)) => &CHANNEL_MPMC_64,
            (Mpmc, Unbounded) => &CHANNEL_MPMC_UNBOUNDED,
        }
    }

    /// The case whose variant is `variant` with `producers` producers, if the matrix has it.
    pub fn find(variant: &Variant, producers: usize) -> Option<Case> {
        cases().into_iter().find(|c| c.variant().id == variant.id && c.producers == producers)
    }
}

/// Messages per case, in `profile`.
pub fn messages(profile: Profile) -> usize {
    match profile {
        Profile::Full => 500_000,
        Profile::Quick => 100_000,
        Profile::Smoke | Profile::Test => 20_000,
    }
}

/// The most messages per case worker processes send ([`messages_for`]).
pub const PROCESSES_MAX_MESSAGES: usize = 100_000;

/// The most messages worker processes send through a channel of capacity 1, where every
/// message costs two wake-ups of a sleeping process (tens of microseconds each).
pub const PROCESSES_MAX_MESSAGES_CAPACITY_1: usize = 10_000;

/// Messages per `case` in `profile` for `model`: what [`messages`] gives, except that worker
/// processes send at most [`PROCESSES_MAX_MESSAGES`] (a full run's 500 000 would take
/// seconds per case), and [`PROCESSES_MAX_MESSAGES_CAPACITY_1`] at capacity 1.
pub fn messages_for(profile: Profile, model: &ModelInfo, case: &Case) -> usize {
    match (model.kind, case.capacity) {
        (Kind::Processes, Capacity::Bounded(1)) => messages(profile).min(PROCESSES_MAX_MESSAGES_CAPACITY_1),
        (Kind::Processes, _) => messages(profile).min(PROCESSES_MAX_MESSAGES),
        (Kind::Sequential | Kind::Pool | Kind::Threads | Kind::Async, _) => messages(profile),
    }
}

/// The messages producer `p` of `producers` sends: an even share of `0..messages`, in order.
pub fn share(p: usize, producers: usize, messages: usize) -> std::ops::Range<usize> {
    let (start, end) = (messages * p / producers, messages * (p + 1) / producers);
    start..end
}

/// What a W12 run returns: what the consumers received, all together.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChannelOutcome {
    /// Messages received.
    pub received: usize,
    /// Wrapping sum of the messages received.
    pub sum: u64,
}

impl ChannelOutcome {
    /// Adds one received message.
    pub fn record(&mut self, message: usize) {
        self.received += 1;
        self.sum = self.sum.wrapping_add(message as u64);
    }

    /// Combines the outcomes of two consumers.
    pub fn merge(self, other: Self) -> Self {
        ChannelOutcome { received: self.received + other.received, sum: self.sum.wrapping_add(other.sum) }
    }
}

/// The answer for `messages` messages: each of `0..messages` once.
pub fn expected(messages: usize) -> ChannelOutcome {
    let m = messages as u64;
    ChannelOutcome { received: messages, sum: m * m.saturating_sub(1) / 2 }
}

/// Checks a W12 outcome: every message exactly once.
pub fn check(messages: usize, got: &ChannelOutcome) -> Result<(), WrongAnswer> {
    crate::compare(CHANNELS.id, &expected(messages), got)
}

/// The pipeline's shape in tests: producers, consumers, queue capacity, items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pipeline {
    /// Producer tasks.
    pub producers: usize,
    /// Consumer tasks.
    pub consumers: usize,
    /// The queue's capacity.
    pub capacity: usize,
    /// Items in all.
    pub items: usize,
}

/// The pipeline the conformance tests run.
pub const PIPELINE: Pipeline = Pipeline { producers: 4, consumers: 2, capacity: 4, items: 10_000 };

/// Counts items sent and received in a pipeline, and the most the producers were ever ahead.
/// Producers call [`Backlog::sent`] right after each send returns; consumers call
/// [`Backlog::received`] right after each receive.
#[derive(Debug, Default)]
pub struct Backlog {
    sent: AtomicUsize,
    received: AtomicUsize,
    most_ahead: AtomicUsize,
}

impl Backlog {
    /// A backlog at zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// One more item sent.
    pub fn sent(&self) {
        let sent = self.sent.fetch_add(1, Ordering::SeqCst) + 1;
        let ahead = sent.saturating_sub(self.received.load(Ordering::SeqCst));
        self.most_ahead.fetch_max(ahead, Ordering::SeqCst);
    }

    /// One more item received.
    pub fn received(&self) {
        self.received.fetch_add(1, Ordering::SeqCst);
    }

    /// The most items sent and not yet received at any moment.
    pub fn most_ahead(&self) -> usize {
        self.most_ahead.load(Ordering::SeqCst)
    }
}

/// What a pipeline run returns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PipelineOutcome {
    /// What the consumers received.
    pub delivered: ChannelOutcome,
    /// [`Backlog::most_ahead`].
    pub most_ahead: usize,
}

/// Checks a pipeline outcome: every item once, and the producers never further ahead than
/// the queue holds plus one item in each consumer's hands.
pub fn check_pipeline(pipeline: Pipeline, got: &PipelineOutcome) -> Result<(), WrongAnswer> {
    check(pipeline.items, &got.delivered)?;
    let bound = pipeline.capacity + pipeline.consumers;
    if got.most_ahead > bound {
        return Err(WrongAnswer {
            workload: CHANNELS.id,
            detail: format!(
                "producers got {} items ahead of the consumers; a queue of {} allows {bound} at most",
                got.most_ahead, pipeline.capacity
            ),
        });
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// What it declares: the sizes each model runs, and what the table reads.

/// W12's declarations ([`Spec`]).
pub struct Declared;

impl Spec for Declared {
    fn ids(&self) -> &'static Ids {
        &IDS
    }

    fn extra_rounds(&self) -> usize {
        crate::spec::SINGLE_CALLS
    }

    /// Every producer count of the cases.
    fn sizes(&self, _profile: Profile, _model: &ModelInfo) -> Vec<(usize, Verdict)> {
        let mut producers: Vec<usize> = cases().iter().map(|c| c.producers).collect();
        producers.sort_unstable();
        producers.dedup();
        producers.into_iter().map(|n| (n, Ok(()))).collect()
    }

    /// The fifteen cases: a variant (shape and capacity) at its producer counts.
    fn points(
        &self,
        _profile: Profile,
        _model: &ModelInfo,
    ) -> Vec<(Option<&'static Variant>, usize, Verdict)> {
        cases().into_iter().map(|case| (Some(case.variant()), case.producers, Ok(()))).collect()
    }

    /// Hand-offs between threads change with where they run: both placements for the case
    /// the table shows.
    fn placements(&self, _: Profile, variant: Option<&'static Variant>, n: usize) -> &'static [Placement] {
        Placement::both_at_headline(variant == Some(&CHANNEL_MPMC_64) && n == HEADLINE_PRODUCERS)
    }

    fn named_sizes(&self, _profile: Profile) -> Vec<Named> {
        let label = format!("{HEADLINE_PRODUCERS} producers, {HEADLINE_PRODUCERS} consumers");
        vec![Named::new(&CHANNELS_HEADLINE, HEADLINE_PRODUCERS, label)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fifteen cases, each found again from its variant and producer count; shares cover
    /// every message once.
    #[test]
    fn the_matrix() {
        let cases = cases();
        assert_eq!(cases.len(), 15);
        for case in &cases {
            assert_eq!(Case::find(case.variant(), case.producers), Some(*case));
        }
        let shares: usize = (0..16).map(|p| share(p, 16, 1_000).len()).sum();
        assert_eq!(shares, 1_000);
        let mut all = ChannelOutcome::default();
        (0..100).for_each(|m| all.record(m));
        assert_eq!(all, expected(100));
    }

    /// Worker processes send at most 100 000 messages per case, 10 000 at capacity 1; every
    /// other model the profile's count.
    #[test]
    fn messages_per_model() {
        use crate::profile::tests::info;
        let (threads, processes) = (info(Kind::Threads, 2), info(Kind::Processes, 2));
        for case in cases() {
            assert_eq!(messages_for(Profile::Full, &threads, &case), messages(Profile::Full));
            let want = if case.capacity == Capacity::Bounded(1) { 10_000 } else { 100_000 };
            assert_eq!(messages_for(Profile::Full, &processes, &case), want, "{case:?}");
            assert_eq!(messages_for(Profile::Test, &processes, &case), messages(Profile::Test).min(want));
        }
    }
}
