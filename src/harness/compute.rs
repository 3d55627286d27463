//! Chapter 4: the CPU-bound kernels (W16–W18), in child processes, and the blocking pitfall
//! (W19), in this process.
//!
//! Kernels: each model runs each of its ways at each worker count of the sweep (1 up to the
//! core count), in a `kernels` child process per (model, worker count) so that every pool,
//! global ones included, starts with exactly that many threads ([`crate::kernels`]). The
//! figures: the median run's wall time, the CPU time the child spent in that run, and the
//! speedup and efficiency against the sequential model's wall time in the same run of the
//! harness. The expected checksums are computed once, here, and handed to each child.

use std::time::Duration;

use criterion::Criterion;
use report::Record;
use workloads::catalogue::{self, Metric, Variant, Workload};
use workloads::cpu::{self, Way};
use workloads::profile::Verdict;
use workloads::stall::{self, Blocker, Placement, Stall};
use workloads::{Kind, ModelInfo, Profile, text};

use super::latency::distribution_of;
use super::plan::{self, ModelPoints, Point};
use super::registry::Registration;
use super::{Context, Measured};
use crate::kernels::{self, ChildJob, Input, Kernel, KernelReport, WayResult};
use crate::models::ModelId;

/// W16–W18: one registration per kernel.
#[derive(Debug)]
pub struct Kernels(pub Kernel);

/// The worker counts `model` is measured at in `profile`: the sweep (or, quick, all the
/// cores) for a model that has workers to count, one for the sequential baseline.
fn worker_counts(profile: Profile, model: &ModelInfo) -> Vec<usize> {
    if model.kind == Kind::Sequential {
        return vec![1];
    }
    cpu::worker_counts(profile, workloads::workers::worker_threads().unwrap_or(1))
}

impl Registration for Kernels {
    fn workload(&self) -> &'static Workload {
        self.0.workload()
    }

    fn sizes(&self, profile: Profile, model: &ModelInfo) -> Vec<(usize, Verdict)> {
        worker_counts(profile, model).into_iter().map(|n| (n, Ok(()))).collect()
    }

    /// Every way of the model at every worker count; the size of a point is its worker count.
    fn points(&self, profile: Profile, model: &ModelInfo) -> Vec<(Option<&'static Variant>, usize, Verdict)> {
        let mut points = Vec::new();
        for &way in model.cpu_ways() {
            for (n, verdict) in self.sizes(profile, model) {
                points.push((Some(self.0.variant(way)), n, verdict));
            }
        }
        points
    }

    fn figures(&self) -> &'static [&'static Metric] {
        match self.0 {
            Kernel::Mandelbrot => &[&catalogue::MANDELBROT_WALL_TIME, &catalogue::MANDELBROT_SPEEDUP],
            Kernel::MergeSort => &[&catalogue::MERGE_SORT_WALL_TIME, &catalogue::MERGE_SORT_SPEEDUP],
            Kernel::Hashing => &[&catalogue::HASHING_WALL_TIME, &catalogue::HASHING_SPEEDUP],
        }
    }

    fn notes(&self, profile: Profile) -> Vec<String> {
        let kernel = self.0;
        let mut notes = vec![format!(
            "{} ({}): {}; the figure is the median of {} run(s) per way on all the cores, and {} run(s) at \
             each smaller worker count of the sweep; each model and worker count in a `kernels` process of \
             its own, whose CPU time (getrusage, every thread) is the CPU figure.",
            kernel.workload().code,
            kernel.workload().title,
            size_label(kernel, profile),
            cpu::runs(profile, 2, 2),
            cpu::runs(profile, 1, 2),
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

    fn measure(&mut self, ctx: &Context, _criterion: &mut Criterion, plan: &[ModelPoints]) -> Measured {
        let kernel = self.0;
        let size = kernel.size(ctx.profile);
        let input = Input::new(kernel, size);
        println!("{}: {}; computing the expected answer", kernel.id(), input.label());
        let expected = input.expected();
        drop(input);
        ctx.watchdog.beat();

        let job = |model: ModelId, workers: usize, ways: &[Way]| {
            let runs = cpu::runs(ctx.profile, workers, ctx.workers);
            let job = ChildJob { kernel, model, workers, ways, size, runs, expected };
            let report = kernels::run_child(&ctx.kernels_exe, &job);
            ctx.watchdog.beat();
            report
        };

        // The baseline: the sequential model's wall time, measured in this run even when the
        // filter left it out, so that every speedup compares figures of the same machine
        // and moment. When the sequential model is selected, its own figure is the baseline.
        let sequential =
            plan.iter().find(|s| ctx.models[s.model].id == ModelId::Sequential && !s.points.is_empty());
        let mut baseline = None;
        let mut measured = Measured::default();
        if sequential.is_none() {
            baseline = job(ModelId::Sequential, 1, &[Way::OneThread]).ok().and_then(|report| {
                let result = report.results.first()?;
                assert!(
                    result.wrong.is_none(),
                    "{}/sequential: {}",
                    kernel.id(),
                    result.wrong.as_deref().unwrap_or("")
                );
                result.median().map(|(wall, _)| wall)
            });
        }
        // The sequential model first, so that its figure is the others' baseline.
        let order = sequential
            .into_iter()
            .chain(plan.iter().filter(|s| ctx.models[s.model].id != ModelId::Sequential));
        for selected in order.filter(|s| !s.points.is_empty()) {
            let entry = &ctx.models[selected.model];
            let mut counts: Vec<usize> = selected.points.iter().map(|p| p.n).collect();
            counts.sort_unstable();
            counts.dedup();
            for workers in counts {
                let points: Vec<&Point> = selected.points.iter().filter(|p| p.n == workers).collect();
                let ways: Vec<Way> =
                    points.iter().filter_map(|p| Way::from_id(p.variant.map_or("", |v| v.id))).collect();
                match job(entry.id, workers, &ways) {
                    Ok(report) => {
                        if entry.id == ModelId::Sequential {
                            baseline =
                                report.results.first().and_then(WayResult::median).map(|(wall, _)| wall);
                        }
                        measured.records.extend(records(kernel, entry.info.id, &points, &report, baseline));
                    }
                    Err(failure) => {
                        eprintln!("{}/{}/{workers}: {failure}", kernel.id(), entry.info.id);
                        for point in points {
                            measured.records.extend(plan::reasons(self, entry.info.id, point, &failure));
                        }
                    }
                }
            }
        }
        if baseline.is_none() {
            measured
                .notes
                .push(format!("{}: the sequential baseline failed; no speedup was computed.", kernel.id()));
        }
        measured
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

/// The records of one child's report: per way, wall and CPU time, speedup and efficiency;
/// or the model's reason. A wrong answer stops the run: it has no figure.
fn records(
    kernel: Kernel,
    model: &str,
    points: &[&Point],
    report: &KernelReport,
    baseline: Option<Duration>,
) -> Vec<Record> {
    let [wall_metric, cpu_metric, speedup_metric, efficiency_metric] = kernel.metrics();
    let mut records = Vec::new();
    for (point, result) in points.iter().zip(&report.results) {
        let n = Some(point.n as u64);
        if let Some(wrong) = &result.wrong {
            panic!("{}: {wrong}", point.id);
        }
        let Some((wall, cpu_time)) = result.median() else {
            let reason = result.skipped.clone().unwrap_or_else(|| "no run finished".to_owned());
            records.push(Record::reason(model, wall_metric, n, reason.clone()).with_variant(point.variant));
            records.push(Record::reason(model, speedup_metric, n, reason).with_variant(point.variant));
            continue;
        };
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let runs = format!("median of {}", result.wall_ns.len());
        records
            .push(Record::value(model, wall_metric, n, ms(wall)).with_variant(point.variant).with_note(runs));
        records.push(Record::value(model, cpu_metric, n, ms(cpu_time)).with_variant(point.variant));
        if let Some(baseline) = baseline {
            let speedup = baseline.as_secs_f64() / wall.as_secs_f64();
            records.push(Record::value(model, speedup_metric, n, speedup).with_variant(point.variant));
            records.push(
                Record::value(model, efficiency_metric, n, speedup / point.n as f64)
                    .with_variant(point.variant),
            );
        }
        println!(
            "{}: {} wall, {} CPU{}",
            point.id,
            text::duration(wall),
            text::duration(cpu_time),
            baseline.map_or(String::new(), |b| format!(", ×{:.2}", b.as_secs_f64() / wall.as_secs_f64()))
        );
    }
    records
}

/// W19, the blocking pitfall, in this process.
#[derive(Debug)]
pub struct BlockingStall;

/// The W19 variants: (variant, what blocks, where, on the single-threaded executor).
const STALL_VARIANTS: [(&Variant, Blocker, Placement, bool); 6] = [
    (&catalogue::STALL_INLINE_CPU, Blocker::Cpu, Placement::Inline, false),
    (&catalogue::STALL_INLINE_SLEEP, Blocker::Sleep, Placement::Inline, false),
    (&catalogue::STALL_OFFLOADED_CPU, Blocker::Cpu, Placement::Offloaded, false),
    (&catalogue::STALL_OFFLOADED_SLEEP, Blocker::Sleep, Placement::Offloaded, false),
    (&catalogue::STALL_LOCAL_INLINE_CPU, Blocker::Cpu, Placement::Inline, true),
    (&catalogue::STALL_LOCAL_OFFLOADED_CPU, Blocker::Cpu, Placement::Offloaded, true),
];

/// The run of one W19 point.
fn stall_of(profile: Profile, model: &ModelInfo, variant: &Variant) -> Stall {
    let (_, blocker, placement, local) =
        STALL_VARIANTS.iter().find(|(v, ..)| v.id == variant.id).expect("a W19 variant");
    let stall = Stall::new(profile, *blocker, *placement, model.workers);
    if *local { stall.on_one_thread() } else { stall }
}

impl Registration for BlockingStall {
    fn workload(&self) -> &'static Workload {
        &catalogue::STALL
    }

    fn sizes(&self, _profile: Profile, model: &ModelInfo) -> Vec<(usize, Verdict)> {
        vec![(model.workers, Ok(()))]
    }

    /// Async runtimes run every variant; threads run the four that are not about a
    /// single-threaded executor; the others one, whose record is their reason.
    fn points(&self, profile: Profile, model: &ModelInfo) -> Vec<(Option<&'static Variant>, usize, Verdict)> {
        let variants: &[_] = match model.kind {
            Kind::Async => &STALL_VARIANTS,
            Kind::Threads => &STALL_VARIANTS[..4],
            Kind::Sequential | Kind::Pool => &STALL_VARIANTS[..1],
        };
        // A quick run measures the CPU loops only: the table's row reads them.
        let quick = profile == Profile::Quick;
        variants
            .iter()
            .filter(|(_, blocker, ..)| !quick || *blocker == Blocker::Cpu)
            .map(|(variant, ..)| {
                let stall = stall_of(profile, model, variant);
                (Some(*variant), stall.blockers, Ok(()))
            })
            .collect()
    }

    fn figures(&self) -> &'static [&'static Metric] {
        &[&catalogue::STALL_HEARTBEAT, &catalogue::STALL_REQUESTS]
    }

    fn notes(&self, profile: Profile) -> Vec<String> {
        let stall = Stall::new(profile, Blocker::Cpu, Placement::Inline, 1);
        vec![format!(
            "{}: a heartbeat sleeps {} {} times and light requests are due every {}, while one task per worker \
             makes {} blocking calls of {} each (a CPU loop, or std::thread::sleep), starting after {}; one \
             run per variant.",
            catalogue::STALL.code,
            text::duration(stall.tick),
            stall.ticks,
            text::duration(stall.tick),
            stall.calls,
            text::duration(stall::BLOCK_FOR),
            text::duration(stall.lead),
        )]
    }

    fn measure(&mut self, ctx: &Context, _criterion: &mut Criterion, plan: &[ModelPoints]) -> Measured {
        let mut measured = Measured::default();
        for selected in plan.iter().filter(|s| !s.points.is_empty()) {
            let entry = &ctx.models[selected.model];
            let id = entry.info.id;
            for point in &selected.points {
                let variant = point.variant.expect("every W19 point has a variant");
                let stall = stall_of(ctx.profile, &entry.info, variant);
                let outcome = match entry.model.blocking_stall(&stall) {
                    Ok(outcome) => outcome,
                    Err(skip) => {
                        measured.records.extend(plan::reasons(self, id, point, &skip.to_string()));
                        continue;
                    }
                };
                ctx.watchdog.beat();
                stall::check(&stall, &outcome).unwrap_or_else(|wrong| panic!("{}: {wrong}", point.id));
                let n = Some(point.n as u64);
                for (metric, samples) in [
                    (&catalogue::STALL_HEARTBEAT, &outcome.heartbeat),
                    (&catalogue::STALL_REQUESTS, &outcome.requests),
                ] {
                    let dist = distribution_of(samples);
                    let mean = samples.iter().map(Duration::as_nanos).sum::<u128>() as f64
                        / samples.len().max(1) as f64;
                    measured
                        .records
                        .push(Record::value(id, metric, n, mean).with_dist(dist).with_variant(point.variant));
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
        }
        measured
    }
}
