//! Chapter 2's workloads, W5 to W9, registered with the harness: gather and as-completed,
//! cancellation, timeouts, scoped resources, streams.

use std::time::Duration;

use criterion::Criterion;
use workloads::catalogue::Workload;
use workloads::gather::Expect;
use workloads::scoped::{ScopeOutcome, ScopePath};
use workloads::spec::Spec;
use workloads::streams::StreamOutcome;
use workloads::{Profile, cancellation, gather, scoped, streams, text, timeouts};

use super::latency::{self, Samples, Target};
use super::plan::ModelPoints;
use super::registry::Registration;
use super::rounds::Round;
use super::timing::{Per, PerPoint, Timed};
use super::{Context, Measured};

/// Chapter 2's timed benchmarks (W5, W8, W9) are measured for this long each, per round, in
/// a full run: their intervals stay within a few percent, and the whole run within its
/// budget.
const WINDOW: Duration = Duration::from_millis(400);

/// The note on a shortened window, for the report.
fn window_note(workload: &'static Workload, profile: Profile) -> Vec<String> {
    match profile {
        Profile::Full => vec![format!(
            "{} ({}) is measured for {} per benchmark and round (chapter 1's for {}), to keep the whole run within its time budget.",
            workload.code,
            workload.id,
            text::duration(WINDOW),
            text::duration(super::tasks::WINDOW)
        )],
        _ => Vec::new(),
    }
}

/// W5, gather and as-completed: tasks per second through each, at every size the model can
/// do within the budget.
pub struct Gather;

impl Registration for Gather {
    fn spec(&self) -> &'static dyn Spec {
        &workloads::gather::Declared
    }

    fn notes(&self, profile: Profile) -> Vec<String> {
        window_note(self.workload(), profile)
    }

    fn measure(
        &mut self,
        ctx: &Context,
        criterion: &mut Criterion,
        plan: &[ModelPoints],
        _: Round,
    ) -> Measured {
        let sizes = gather::sizes(ctx.profile);
        let mut timed = Timed::new(ctx, criterion, self.workload(), WINDOW);
        let mut measured = Measured::default();
        for (entry, point) in ctx.points(plan) {
            let n = point.n;
            // Inputs and the expected answer, once, outside every clock.
            let durations = gather::durations(n, sizes.spread);
            let want = gather::expected_gather(n);
            let expect = Expect::for_model(&entry.info, sizes.order_tolerance);
            let metric = &gather::GATHER_TASKS_PER_SECOND;
            let per = Per::Rate(n as f64);
            let (record, _) = if point.variant == Some(&gather::GATHER_AS_COMPLETED) {
                let call = || entry.model.as_completed(&durations);
                let check = |got: &_| gather::check_as_completed(&durations, got, expect);
                timed.measure(metric, per, entry.info.id, point, call, check)
            } else {
                let call = || entry.model.gather(&durations);
                let check = |got: &_| gather::check_gather(&want, got);
                timed.measure(metric, per, entry.info.id, point, call, check)
            };
            measured.records.push(record);
        }
        timed.finish();
        measured
    }
}

/// W6, cancellation: the distribution of cancel-to-release times.
pub struct Cancellation;

impl Registration for Cancellation {
    fn spec(&self) -> &'static dyn Spec {
        &workloads::cancellation::Declared
    }

    fn notes(&self, profile: Profile) -> Vec<String> {
        let sizes = cancellation::sizes(profile);
        vec![format!(
            "{}: each task holds its resource for {} before the cancel request; a model that cannot cancel from \
             outside checks a token every {}.",
            cancellation::CANCELLATION.code,
            text::duration(sizes.hold),
            text::duration(cancellation::CHECK_INTERVAL)
        )]
    }

    fn measure(
        &mut self,
        ctx: &Context,
        _criterion: &mut Criterion,
        plan: &[ModelPoints],
        _: Round,
    ) -> Measured {
        let sizes = cancellation::sizes(ctx.profile);
        let mut measured = Measured::default();
        for (entry, point) in ctx.points(plan) {
            let trials = point.n;
            let target = Target { metric: &cancellation::CANCEL_RELEASE, model: entry.info.id, point };
            let record = latency::measure(
                ctx,
                target,
                || entry.model.cancellation(trials, sizes.hold),
                |got| cancellation::check(trials, got),
                |outcome| Samples { samples: outcome.latencies, note: Some(outcome.mechanism.describe()) },
            );
            measured.records.push(record);
        }
        measured
    }
}

/// W7, timeouts: the distribution of how late each timeout fired.
pub struct Timeouts;

impl Registration for Timeouts {
    fn spec(&self) -> &'static dyn Spec {
        &workloads::timeouts::Declared
    }

    fn notes(&self, profile: Profile) -> Vec<String> {
        let sizes = timeouts::sizes(profile);
        vec![format!(
            "{}: deadlines of {}, work of {}; each size is run once per round and every timeout is one sample.",
            timeouts::TIMEOUTS.code,
            text::duration(sizes.deadline),
            text::duration(sizes.work),
        )]
    }

    fn measure(
        &mut self,
        ctx: &Context,
        _criterion: &mut Criterion,
        plan: &[ModelPoints],
        _: Round,
    ) -> Measured {
        let sizes = timeouts::sizes(ctx.profile);
        let mut measured = Measured::default();
        for (entry, point) in ctx.points(plan) {
            let n = point.n;
            let target = Target { metric: &timeouts::TIMEOUT_LATENESS, model: entry.info.id, point };
            let record = latency::measure(
                ctx,
                target,
                || entry.model.timeouts(n, sizes.deadline, sizes.work),
                |got| timeouts::check(n, got),
                |outcome| Samples { samples: outcome.lateness, note: None },
            );
            measured.records.push(record);
        }
        measured
    }
}

/// W8, scoped resources: the cost of one acquire–release pair on the success path.
pub fn scoped() -> PerPoint<usize, ScopeOutcome> {
    PerPoint {
        spec: &scoped::Declared,
        figure: (&scoped::SCOPED_NS_PER_PAIR, Per::per_item),
        want: |n| n,
        call: |model, n| model.scoped_resources(n, ScopePath::Success),
        check: |&n, got| scoped::check(n, ScopePath::Success, got),
        window: WINDOW,
        notes: window_note,
    }
}

/// W9, streams: items per second through a producer–consumer stream.
pub fn streams() -> PerPoint<StreamOutcome, StreamOutcome> {
    PerPoint {
        spec: &streams::Declared,
        figure: (&streams::STREAM_ITEMS_PER_SECOND, Per::rate),
        // The expected answer, once per size, outside every clock.
        want: streams::expected,
        call: |model, n| model.stream(n),
        check: streams::check,
        window: WINDOW,
        notes: window_note,
    }
}
