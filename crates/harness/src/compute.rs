//! CPU-bound work (the docs' chapters 6, pitfalls, and 7): the CPU-bound kernels (W16–W18),
//! in child processes, and the blocking pitfall (W19), in this process.
//!
//! Kernels: each model runs each of its ways at each worker count of the sweep (1 up to the
//! core count), in a `kernels` child process per (model, worker count) so that every pool,
//! global ones included, starts with exactly that many threads ([`concurrency_models::kernels`]). The
//! figures: the median run's wall time, the CPU time the child spent in that run, and the
//! speedup and efficiency against the sequential model's wall time in the same run of the
//! harness. The expected checksums are computed once, here, and handed to each child.

use std::time::Duration;

use criterion::Criterion;
use report::{Record, Trial};
use workloads::cpu::{self, Way};
use workloads::spec::Spec;
use workloads::stall::{self, Blocker, Placement, Stall};
use workloads::{Profile, text};

use super::latency::{distribution_of, mean_ns};
use super::plan::{self, ModelPoints, Point};
use super::registry::Registration;
use super::rounds::Round;
use super::{Context, Measured};
use concurrency_models::kernels::{self, ChildJob, Input, Kernel, KernelReport};
use concurrency_models::models::ModelId;

/// W16–W18: one registration per kernel.
#[derive(Debug)]
pub struct Kernels {
    kernel: Kernel,
    /// The expected checksum, computed once per run, before the first round.
    expected: Option<Option<u64>>,
    /// The sequential baseline's wall time in each round (milliseconds), when the filter
    /// left the sequential model out: speedups still need it.
    baseline: Vec<f64>,
}

impl Kernels {
    /// The registration of `kernel`.
    pub fn new(kernel: Kernel) -> Self {
        Kernels { kernel, expected: None, baseline: Vec::new() }
    }
}

/// One child process of a round: a model at a worker count, the points it measures.
struct Job<'p> {
    model: ModelId,
    workers: usize,
    points: Vec<&'p Point>,
}

impl Registration for Kernels {
    fn spec(&self) -> &'static dyn Spec {
        self.kernel.spec()
    }

    fn notes(&self, profile: Profile) -> Vec<String> {
        let kernel = self.kernel;
        let mut notes = vec![format!(
            "{} ({}): {}; one run per way, worker count and round, each model and worker count in a `kernels` \
             process of its own, whose CPU time (getrusage, every thread) is the CPU figure; the speedup \
             divides the sequential model's median wall time by the model's.",
            kernel.workload().code,
            kernel.workload().title,
            size_label(kernel, profile),
        )];
        if kernel == Kernel::Mandelbrot {
            notes.push(format!(
                "Offloaded ways compute on a pool of as many threads as the workers: a rayon pool for tokio \
                 (tokio's documented advice for CPU-bound work), and the `blocking` crate's pool for smol and \
                 async-std, sized by {}=workers in each child.",
                kernels::BLOCKING_THREADS_ENV
            ));
        }
        notes
    }

    fn measure(
        &mut self,
        ctx: &Context,
        _criterion: &mut Criterion,
        plan: &[ModelPoints],
        round: Round,
    ) -> Measured {
        let kernel = self.kernel;
        let size = kernel.size(ctx.profile);
        let expected = *self.expected.get_or_insert_with(|| {
            let input = Input::new(kernel, size);
            println!("{}: {}; computing the expected answer", kernel.id(), input.label());
            input.expected()
        });
        ctx.watchdog.beat();

        // This round's child processes, in the round's order; the sequential baseline among
        // them even when the filter left it out, so that every speedup compares figures of
        // the same machine and moments.
        let mut jobs = Vec::new();
        for selected in plan.iter().filter(|s| !s.points.is_empty()) {
            let mut counts: Vec<usize> = selected.points.iter().map(|p| p.n).collect();
            counts.sort_unstable();
            counts.dedup();
            for workers in counts {
                let points = selected.points.iter().filter(|p| p.n == workers).collect();
                jobs.push(Job { model: ctx.models[selected.model].id, workers, points });
            }
        }
        // The baseline is whichever model declares it is ([`workloads::Role::Baseline`]).
        if let Some(baseline) = ctx.baseline()
            && !jobs.iter().any(|j| j.model == baseline.id)
        {
            jobs.push(Job { model: baseline.id, workers: 1, points: Vec::new() });
        }
        round.shuffle(kernel.id(), &mut jobs);

        let mut measured = Measured::default();
        for job in jobs {
            let ways: Vec<Way> = if job.points.is_empty() {
                vec![Way::OneThread]
            } else {
                job.points.iter().filter_map(|p| Way::from_id(p.variant.map_or("", |v| v.id))).collect()
            };
            let child = ChildJob {
                kernel,
                model: job.model,
                workers: job.workers,
                ways: &ways,
                size,
                runs: cpu::RUNS_PER_ROUND,
                expected,
            };
            let report = kernels::run_child(&ctx.kernels_exe, &child);
            ctx.watchdog.beat();
            let id = job.model.as_str();
            match report {
                Ok(report) if job.points.is_empty() => {
                    // The baseline alone: kept for the speedups, not recorded as a figure.
                    if let Some(result) = report.results.first() {
                        assert!(
                            result.wrong.is_none(),
                            "{}/{id}: {}",
                            kernel.id(),
                            result.wrong.as_deref().unwrap_or("")
                        );
                        if let Some((wall, _)) = result.median() {
                            self.baseline.push(wall.as_secs_f64() * 1e3);
                        }
                    }
                }
                Ok(report) => measured.records.extend(records(kernel, id, &job.points, &report)),
                Err(failure) => {
                    eprintln!("{}/{id}/{}: {failure}", kernel.id(), job.workers);
                    for point in job.points {
                        measured.records.extend(plan::reasons(self, id, point, &failure));
                    }
                }
            }
        }
        measured
    }

    /// Speedup and efficiency of every wall time: the sequential model's median wall time
    /// (of this run's rounds) over the model's, for the figure and for each round.
    fn derive(&self, ctx: &Context, figures: &[Record]) -> Vec<Record> {
        let [wall_metric, _, speedup_metric, efficiency_metric] = self.kernel.metrics();
        let Some(sequential) = ctx.baseline().map(|e| e.info.id) else {
            return Vec::new();
        };
        let baseline = figures
            .iter()
            .find(|r| r.model == sequential && r.is(wall_metric, None) && r.value.is_some())
            .and_then(|r| r.value)
            .or_else(|| report::median(&self.baseline));
        let Some(baseline) = baseline.filter(|b| *b > 0.0) else {
            return Vec::new();
        };
        let mut derived = Vec::new();
        // The Rust models' wall times only: a Python column's kernel runs a smaller image,
        // and its speedup is over Python's own one-thread time (`python::derive`).
        for wall in figures.iter().filter(|r| r.is(wall_metric, None) && !super::python::is_python(&r.model))
        {
            let (Some(value), Some(workers)) = (wall.value, wall.n) else {
                continue;
            };
            let ratio = |ms: f64| if ms > 0.0 { baseline / ms } else { 0.0 };
            let speedup = Record {
                metric: speedup_metric.id.to_owned(),
                unit: speedup_metric.unit.symbol().to_owned(),
                value: Some(ratio(value)),
                ci: None,
                dist: None,
                reason: None,
                rounds: wall.rounds.iter().map(|t| Trial { value: ratio(t.value), dist: None }).collect(),
                ..wall.clone()
            };
            let per_worker = |x: f64| x / workers as f64;
            let efficiency = Record {
                metric: efficiency_metric.id.to_owned(),
                unit: efficiency_metric.unit.symbol().to_owned(),
                value: speedup.value.map(per_worker),
                rounds: speedup
                    .rounds
                    .iter()
                    .map(|t| Trial { value: per_worker(t.value), dist: None })
                    .collect(),
                ..speedup.clone()
            };
            derived.push(speedup);
            derived.push(efficiency);
        }
        derived
    }
}

/// The size of `kernel` in `profile`, as people read it, without building its input.
fn size_label(kernel: Kernel, profile: Profile) -> String {
    let size = kernel.size(profile);
    match kernel {
        Kernel::Mandelbrot => workloads::mandelbrot::Mandelbrot::new(profile).label(),
        Kernel::MergeSort => workloads::merge_sort::label(size),
        Kernel::Hashing => workloads::hashing::label(size),
    }
}

/// The records of one child's report: per way, wall and CPU time; or the model's reason. A
/// wrong answer stops the run: it has no figure.
fn records(kernel: Kernel, model: &str, points: &[&Point], report: &KernelReport) -> Vec<Record> {
    let [wall_metric, cpu_metric, speedup_metric, _] = kernel.metrics();
    let mut records = Vec::new();
    for (point, result) in points.iter().zip(&report.results) {
        if let Some(wrong) = &result.wrong {
            panic!("{}: {wrong}", point.id);
        }
        let Some((wall, cpu_time)) = result.median() else {
            let reason = result.skipped.clone().unwrap_or_else(|| "no run finished".to_owned());
            records.push(point.reason(model, wall_metric, reason.clone()));
            records.push(point.reason(model, speedup_metric, reason));
            continue;
        };
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        records.push(point.record(model, wall_metric, ms(wall)));
        records.push(point.record(model, cpu_metric, ms(cpu_time)));
        println!("{}: {} wall, {} CPU", point.id, text::duration(wall), text::duration(cpu_time));
    }
    records
}

/// W19, the blocking pitfall, in this process.
#[derive(Debug)]
pub struct BlockingStall;

impl Registration for BlockingStall {
    fn spec(&self) -> &'static dyn Spec {
        &workloads::stall::Declared
    }

    fn notes(&self, profile: Profile) -> Vec<String> {
        let stall = Stall::new(profile, Blocker::Cpu, Placement::Inline, 1);
        vec![format!(
            "{}: a heartbeat sleeps {} {} times and light requests are due every {}, while one task per worker \
             makes {} blocking calls of {} each (a CPU loop, or std::thread::sleep), starting after {}; one \
             run per variant and round.",
            workloads::stall::STALL.code,
            text::duration(stall.tick),
            stall.ticks,
            text::duration(stall.tick),
            stall.calls,
            text::duration(stall::BLOCK_FOR),
            text::duration(stall.lead),
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
            let variant = point.variant.expect("every W19 point has a variant");
            let stall = Stall::of(ctx.profile, &entry.info, variant);
            let outcome = match entry.model.blocking_stall(&stall) {
                Ok(outcome) => outcome,
                Err(not_run) => {
                    measured.records.extend(plan::reasons(self, id, point, &not_run.to_string()));
                    continue;
                }
            };
            ctx.watchdog.beat();
            stall::check(&stall, &outcome).unwrap_or_else(|wrong| panic!("{}: {wrong}", point.id));
            for (metric, samples) in [
                (&workloads::stall::STALL_HEARTBEAT, &outcome.heartbeat),
                (&workloads::stall::STALL_REQUESTS, &outcome.requests),
            ] {
                let dist = distribution_of(samples);
                measured.records.push(point.record(id, metric, mean_ns(samples)).with_dist(dist));
            }
            let heartbeat = distribution_of(&outcome.heartbeat);
            println!(
                "{}: heartbeat lateness p50 {}, p99 {}, max {}",
                point.id,
                text::duration(Duration::from_nanos(heartbeat.p50 as u64)),
                text::duration(Duration::from_nanos(heartbeat.p99 as u64)),
                text::duration(Duration::from_nanos(heartbeat.max as u64)),
            );
        }
        measured
    }
}
