//! Chapter 3's workloads, W10 to W12, registered with the harness: a lock-protected
//! counter, a semaphore, channels and the pipeline.

use std::time::Duration;

use criterion::Criterion;
use workloads::catalogue::Variant;
use workloads::channels::{self, Case};
use workloads::locks::{self, Section};
use workloads::spec::Spec;
use workloads::{Profile, semaphore, text};

use super::latency;
use super::plan::{self, ModelPoints};
use super::registry::Registration;
use super::rounds::Round;
use super::timing::{self, Per, Timed};
use super::{Context, Measured};

/// W11's permit churn, a criterion benchmark, is measured for this long per round in a full
/// run.
const WINDOW: Duration = Duration::from_millis(400);

/// The section a W10 variant measures.
fn section(variant: Option<&Variant>) -> Section {
    if variant == Some(&workloads::locks::LOCK_WAITING) { Section::Waiting } else { Section::Short }
}

/// W10, a lock-protected counter: increments per second, and each worker's longest wait.
pub struct Locks;

impl Registration for Locks {
    fn spec(&self) -> &'static dyn Spec {
        &workloads::locks::Declared
    }

    fn notes(&self, profile: Profile) -> Vec<String> {
        let sizes = locks::sizes(profile);
        let processes = locks::sizes(locks::PROCESSES_PROFILE);
        vec![format!(
            "{}: {} increments in all with a short section, {} with a waiting one, spread over the workers \
             ({} and {} for worker processes, whose every increment is a file lock, a read, a write and an \
             unlock); one run per round, whose longest waits (one per worker) are that round's fairness \
             distribution.",
            workloads::locks::LOCKS.code,
            text::group_thousands(sizes.short_increments as u64),
            text::group_thousands(sizes.waiting_increments as u64),
            text::group_thousands(processes.short_increments as u64),
            text::group_thousands(processes.waiting_increments as u64),
        )]
    }

    fn measure(
        &mut self,
        ctx: &Context,
        _criterion: &mut Criterion,
        plan: &[ModelPoints],
        _: Round,
    ) -> Measured {
        let mut measured = Measured::default();
        for (entry, point) in ctx.points(plan) {
            let id = entry.info.id;
            let sizes = locks::sizes_for(ctx.profile, &entry.info);
            let (workers, section) = (point.n, section(point.variant));
            let increments = sizes.per_worker(section, workers);
            // The run's time gives the throughput, and every worker's longest wait the
            // fairness distribution.
            let mut waits = Vec::new();
            let call = || entry.model.locked_counter(workers, increments, section);
            let check = |outcome: &workloads::locks::LockOutcome| {
                locks::check(workers, increments, outcome)?;
                waits = outcome.longest_waits.clone();
                Ok(())
            };
            let time = match timing::once(ctx, point, call, check) {
                Ok(time) => time,
                Err(not_run) => {
                    measured.records.extend(plan::reasons(self, id, point, &not_run.to_string()));
                    continue;
                }
            };
            let rate = (workers * increments) as f64 / time.as_secs_f64();
            measured.records.push(point.record(id, &workloads::locks::LOCK_INCREMENTS_PER_SECOND, rate));
            let dist = latency::distribution_of(&waits);
            let mean = latency::mean_ns(&waits);
            measured
                .records
                .push(point.record(id, &workloads::locks::LOCK_LONGEST_WAIT, mean).with_dist(dist));
            println!("{}: {rate:.0} increments/s, worst wait {:.0} ns", point.id, dist.max);
        }
        measured
    }
}

/// W11, a semaphore: the most jobs at once (and the wall time against the ideal), and the
/// cost of a contended permit.
pub struct Semaphore;

impl Registration for Semaphore {
    fn spec(&self) -> &'static dyn Spec {
        &workloads::semaphore::Declared
    }

    fn notes(&self, profile: Profile) -> Vec<String> {
        let s = semaphore::sizes(profile);
        vec![format!(
            "{}: {} jobs, {} permits, each job holds its permit for {}; the permit's cost is measured with {} \
             workers taking and giving back {} permits {} times each.",
            semaphore::SEMAPHORE.code,
            s.jobs,
            s.permits,
            text::duration(s.wait),
            s.churn_workers,
            s.churn_permits,
            text::group_thousands(s.churn_rounds as u64)
        )]
    }

    fn measure(
        &mut self,
        ctx: &Context,
        criterion: &mut Criterion,
        plan: &[ModelPoints],
        _: Round,
    ) -> Measured {
        let s = semaphore::sizes(ctx.profile);
        let mut measured = Measured::default();
        let mut churn = Vec::new();
        for (entry, point) in ctx.points(plan) {
            let id = entry.info.id;
            let call = || entry.model.semaphore(s.jobs, s.permits, s.wait);
            let check = |got: &semaphore::SemaphoreOutcome| semaphore::check(s.jobs, s.permits, got);
            match timing::once(ctx, point, call, check) {
                Ok(wall) => {
                    // The check has passed: the most at once is K.
                    let ms = wall.as_secs_f64() * 1e3;
                    let ideal = s.ideal().as_secs_f64() * 1e3;
                    let note = format!("of {}; {ms:.1} ms for an ideal ⌈N/K⌉·D of {ideal:.0} ms", s.permits);
                    let most = point.record(id, &semaphore::SEMAPHORE_MOST_AT_ONCE, s.permits as f64);
                    measured.records.push(most.with_note(note));
                    measured.records.push(point.record(id, &semaphore::SEMAPHORE_WALL_TIME, ms));
                    churn.push(entry);
                }
                Err(not_run) => measured.records.extend(plan::reasons(self, id, point, &not_run.to_string())),
            }
        }
        let mut timed = Timed::new(ctx, criterion, self.workload(), WINDOW);
        for entry in churn {
            let (workers, permits, rounds) = (s.churn_workers, s.churn_permits, s.churn_rounds);
            let point = plan::Point {
                n: workers,
                variant: None,
                placement: None,
                id: plan::id(self.workload(), entry.info.id, None, None, workers),
            };
            let call = || entry.model.permit_churn(workers, permits, rounds);
            let check = |got: &_| semaphore::check_churn(workers, permits, rounds, got);
            let per = Per::Call((workers * rounds) as f64);
            let (record, _) =
                timed.measure(&semaphore::SEMAPHORE_NS_PER_PERMIT, per, entry.info.id, &point, call, check);
            measured.records.push(record);
        }
        timed.finish();
        measured
    }
}

/// W12, channels: messages per second and nanoseconds per message for every case of the
/// matrix, the median of a few runs each.
pub struct Channels;

impl Registration for Channels {
    fn spec(&self) -> &'static dyn Spec {
        &workloads::channels::Declared
    }

    fn notes(&self, profile: Profile) -> Vec<String> {
        vec![format!(
            "{}: {} messages per case (worker processes: at most {}, and {} at capacity 1, where every message \
             wakes a sleeping process twice); one run per case and round (fifteen cases per model: criterion's \
             ten samples each would not fit the run's time budget).",
            workloads::channels::CHANNELS.code,
            text::group_thousands(channels::messages(profile) as u64),
            text::group_thousands(channels::PROCESSES_MAX_MESSAGES as u64),
            text::group_thousands(channels::PROCESSES_MAX_MESSAGES_CAPACITY_1 as u64),
        )]
    }

    fn measure(
        &mut self,
        ctx: &Context,
        _criterion: &mut Criterion,
        plan: &[ModelPoints],
        _: Round,
    ) -> Measured {
        let mut measured = Measured::default();
        for (entry, point) in ctx.points(plan) {
            let id = entry.info.id;
            let case: Case = point
                .variant
                .and_then(|v| Case::find(v, point.n))
                .expect("the plan holds only the matrix's cases");
            let messages = channels::messages_for(ctx.profile, &entry.info, &case);
            let call = || entry.model.channel(case, messages);
            match timing::once(ctx, point, call, |got| channels::check(messages, got)) {
                Ok(time) => {
                    let ns = time.as_nanos() as f64;
                    let rate = messages as f64 * 1e9 / ns;
                    measured.records.push(point.record(
                        id,
                        &workloads::channels::CHANNEL_MESSAGES_PER_SECOND,
                        rate,
                    ));
                    let per = ns / messages as f64;
                    measured.records.push(point.record(
                        id,
                        &workloads::channels::CHANNEL_NS_PER_MESSAGE,
                        per,
                    ));
                    println!("{}: {:.0} ns per message", point.id, ns / messages as f64);
                }
                Err(not_run) => measured.records.extend(plan::reasons(self, id, point, &not_run.to_string())),
            }
        }
        measured
    }
}
