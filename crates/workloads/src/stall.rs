//! W19, *the blocking pitfall* (the tutorial's "Using Blocking Operations in Async Code"):
//! a heartbeat task ticks every [`Stall::tick`] and a stream of light requests arrives on a
//! schedule, while other tasks make blocking calls: a CPU loop or `std::thread::sleep`,
//! [`BLOCK_FOR`] each. Made inline, on the runtime's own threads, the calls stop everything
//! else that runtime would run; offloaded to a pool meant for blocking work, they do not.
//!
//! There are as many blocking tasks as the model has worker threads ([`Stall::blockers`]),
//! so on a multi-threaded runtime every worker is blocked at once, as happens under load;
//! one blocking task per worker is all it takes.

use std::time::{Duration, Instant};

use crate::catalogue::{Chapter, Ids, Metric, Unit, Variant, Workload};
use crate::profile::{Profile, Verdict};
use crate::spec::Spec;
use crate::{ModelInfo, WrongAnswer, catalogue};

// ---------------------------------------------------------------------------------------
// The ids: the workload, its figures, variants and named sizes, as records and the docs name them.

/// W19.
pub const STALL: Workload = Workload {
    id: "blocking_stall",
    code: "W19",
    title: "the blocking pitfall",
    what: "A heartbeat and light requests while other tasks make blocking calls, inline or offloaded.",
    chapter: Chapter::Compute,
};
/// W19: how late the heartbeat ticks.
pub const STALL_HEARTBEAT: Metric = Metric {
    workload: &STALL,
    id: "heartbeat_lateness",
    unit: Unit::Ns,
    what: "How late each heartbeat tick woke, past its period (a distribution).",
};
/// W19: the light requests' latency.
pub const STALL_REQUESTS: Metric = Metric {
    workload: &STALL,
    id: "request_latency",
    unit: Unit::Ns,
    what: "Each light request's latency, from when it was due to when its task ran (a distribution).",
};
/// W19: CPU loops, inline.
pub const STALL_INLINE_CPU: Variant = Variant { workload: &STALL, id: "inline_cpu" };
/// W19: sleeps, inline.
pub const STALL_INLINE_SLEEP: Variant = Variant { workload: &STALL, id: "inline_sleep" };
/// W19: CPU loops, offloaded.
pub const STALL_OFFLOADED_CPU: Variant = Variant { workload: &STALL, id: "offloaded_cpu" };
/// W19: sleeps, offloaded.
pub const STALL_OFFLOADED_SLEEP: Variant = Variant { workload: &STALL, id: "offloaded_sleep" };
/// W19: CPU loops, inline, on the model's single-threaded executor.
pub const STALL_LOCAL_INLINE_CPU: Variant = Variant { workload: &STALL, id: "local_inline_cpu" };
/// W19: CPU loops, offloaded, from the model's single-threaded executor.
pub const STALL_LOCAL_OFFLOADED_CPU: Variant = Variant { workload: &STALL, id: "local_offloaded_cpu" };

/// Everything this workload names, for the catalogue's index.
pub const IDS: Ids = Ids {
    workload: &STALL,
    metrics: &[&STALL_HEARTBEAT, &STALL_REQUESTS],
    variants: &[
        &STALL_INLINE_CPU,
        &STALL_INLINE_SLEEP,
        &STALL_OFFLOADED_CPU,
        &STALL_OFFLOADED_SLEEP,
        &STALL_LOCAL_INLINE_CPU,
        &STALL_LOCAL_OFFLOADED_CPU,
    ],
    roles: &[],
};

/// How long each blocking call takes.
pub const BLOCK_FOR: Duration = Duration::from_millis(50);

/// What a blocking call does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocker {
    /// A CPU loop ([`busy`]) for [`Stall::block_for`].
    Cpu,
    /// `std::thread::sleep` for [`Stall::block_for`]: a blocking I/O call looks the same.
    Sleep,
}

/// Where the blocking calls run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// In the task itself, on the runtime's worker thread: the pitfall.
    Inline,
    /// Handed to the runtime's pool for blocking work, the task awaiting the result: the fix.
    Offloaded,
}

/// One run of the pitfall.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stall {
    /// What the blocking calls do.
    pub blocker: Blocker,
    /// Where they run.
    pub placement: Placement,
    /// Run everything on the model's single-threaded executor (smol's `LocalExecutor`)
    /// instead of its multi-threaded one.
    pub local: bool,
    /// Tasks that make blocking calls: one per worker thread of the model.
    pub blockers: usize,
    /// Blocking calls each of those tasks makes, one after another, yielding in between.
    pub calls: usize,
    /// How long each call blocks.
    pub block_for: Duration,
    /// The heartbeat's ticks, and the light requests sent (one per tick).
    pub ticks: usize,
    /// The heartbeat's period, and the requests' spacing.
    pub tick: Duration,
    /// When the blocking tasks start, after the heartbeat.
    pub lead: Duration,
}

impl Stall {
    /// The run of `variant` (one of [`VARIANTS`]) for `model` in `profile`.
    pub fn of(profile: Profile, model: &ModelInfo, variant: &Variant) -> Self {
        let (_, blocker, placement, local) =
            VARIANTS.iter().find(|(v, ..)| v.id == variant.id).expect("a W19 variant");
        let stall = Stall::new(profile, *blocker, *placement, model.workers);
        if *local { stall.on_one_thread() } else { stall }
    }

    /// The run of `profile` for a model with `workers` worker threads.
    pub fn new(profile: Profile, blocker: Blocker, placement: Placement, workers: usize) -> Self {
        let ticks = match profile {
            Profile::Smoke => 100,
            Profile::Full | Profile::Quick | Profile::Test => 200,
        };
        Stall {
            blocker,
            placement,
            local: false,
            blockers: workers.max(1),
            calls: 4,
            block_for: BLOCK_FOR,
            ticks,
            tick: Duration::from_millis(1),
            lead: Duration::from_millis(20),
        }
    }

    /// The same run on the model's single-threaded executor (one blocking task).
    pub fn on_one_thread(self) -> Self {
        Stall { local: true, blockers: 1, ..self }
    }

    /// When light request `i` is due: `start` + (i + 1) ticks. Its latency counts from then,
    /// not from when it was actually sent, so a stalled sender cannot hide the stall
    /// (coordinated omission).
    pub fn request_due(&self, start: Instant, i: usize) -> Instant {
        start + self.tick * (i as u32 + 1)
    }

    /// The size as people read it, e.g. "4 calls of 50 ms on each of 2 workers".
    pub fn label(&self) -> String {
        format!(
            "{} calls of {} ms on each of {} worker{}, a {} heartbeat",
            self.calls,
            self.block_for.as_millis(),
            self.blockers,
            if self.blockers == 1 { "" } else { "s" },
            crate::text::duration(self.tick)
        )
    }
}

/// W19's variants, as they are measured and read: (variant, what blocks, where the call
/// runs, on a single-threaded executor).
pub const VARIANTS: [(&catalogue::Variant, Blocker, Placement, bool); 6] = [
    (&STALL_INLINE_CPU, Blocker::Cpu, Placement::Inline, false),
    (&STALL_INLINE_SLEEP, Blocker::Sleep, Placement::Inline, false),
    (&STALL_OFFLOADED_CPU, Blocker::Cpu, Placement::Offloaded, false),
    (&STALL_OFFLOADED_SLEEP, Blocker::Sleep, Placement::Offloaded, false),
    (&STALL_LOCAL_INLINE_CPU, Blocker::Cpu, Placement::Inline, true),
    (&STALL_LOCAL_OFFLOADED_CPU, Blocker::Cpu, Placement::Offloaded, true),
];

/// Makes one blocking call: a CPU loop or a sleep of `d`. Returns what the loop computed (0
/// for a sleep), so that the compiler cannot drop the loop.
pub fn block(blocker: Blocker, d: Duration) -> u64 {
    match blocker {
        Blocker::Cpu => busy(d),
        Blocker::Sleep => {
            std::thread::sleep(d);
            0
        }
    }
}

/// Computes for `d` without yielding: the CPU-bound call that blocks whatever thread runs it.
pub fn busy(d: Duration) -> u64 {
    let start = Instant::now();
    let mut x = 0u64;
    while start.elapsed() < d {
        for _ in 0..1_000 {
            x = crate::rng::mix(x);
        }
    }
    std::hint::black_box(x)
}

/// What a W19 run returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StallOutcome {
    /// How late each heartbeat tick woke, past its period.
    pub heartbeat: Vec<Duration>,
    /// Each light request's latency, from when it was due ([`Stall::request_due`]) to when
    /// its task ran.
    pub requests: Vec<Duration>,
    /// Blocking calls made.
    pub calls: usize,
}

/// Checks a W19 outcome: every tick, every request and every blocking call happened.
pub fn check(stall: &Stall, got: &StallOutcome) -> Result<(), WrongAnswer> {
    let want = (stall.ticks, stall.ticks, stall.blockers * stall.calls);
    let got = (got.heartbeat.len(), got.requests.len(), got.calls);
    crate::compare(STALL.id, &want, &got)
}

// ---------------------------------------------------------------------------------------
// What it declares: the sizes each model runs, and what the table reads.

/// W19's declarations ([`Spec`]).
pub struct Declared;

impl Spec for Declared {
    fn ids(&self) -> &'static Ids {
        &IDS
    }

    /// One blocking task per worker.
    fn sizes(&self, _profile: Profile, model: &ModelInfo) -> Vec<(usize, Verdict)> {
        vec![(model.workers, Ok(()))]
    }

    /// Every variant for every model (the plan leaves out those a model says it does not
    /// run, with its reason); a quick run measures the CPU loops only, which the table's
    /// row reads.
    fn points(&self, profile: Profile, model: &ModelInfo) -> Vec<(Option<&'static Variant>, usize, Verdict)> {
        let quick = profile == Profile::Quick;
        VARIANTS
            .iter()
            .filter(|(_, blocker, ..)| !quick || *blocker == Blocker::Cpu)
            .map(|(variant, ..)| (Some(*variant), Stall::of(profile, model, variant).blockers, Ok(())))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A CPU call lasts about as long as asked, and so does a sleep.
    #[test]
    fn blocking_calls_last_their_duration() {
        for blocker in [Blocker::Cpu, Blocker::Sleep] {
            let start = Instant::now();
            block(blocker, Duration::from_millis(5));
            let took = start.elapsed();
            assert!(took >= Duration::from_millis(5) && took < Duration::from_secs(2), "{took:?}");
        }
    }

    /// Requests are due one tick apart, the first one tick after the start.
    #[test]
    fn requests_are_due_each_tick() {
        let stall = Stall::new(Profile::Test, Blocker::Cpu, Placement::Inline, 2);
        let start = Instant::now();
        assert_eq!(stall.request_due(start, 0) - start, stall.tick);
        assert_eq!(stall.request_due(start, 9) - start, stall.tick * 10);
        assert_eq!(stall.on_one_thread().blockers, 1);
    }

    /// The check counts ticks, requests and calls.
    #[test]
    fn check_counts_everything() {
        let stall = Stall::new(Profile::Test, Blocker::Sleep, Placement::Offloaded, 2);
        let mut outcome = StallOutcome {
            heartbeat: vec![Duration::ZERO; stall.ticks],
            requests: vec![Duration::ZERO; stall.ticks],
            calls: 8,
        };
        check(&stall, &outcome).unwrap();
        outcome.calls = 7;
        assert!(check(&stall, &outcome).is_err());
    }
}
