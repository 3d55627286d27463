//! The timed-call shape: one whole workload run, timed by criterion, its answer checked.
//! Group = workload, function id = model (and variant), parameter = size, e.g.
//! `ping_pong/tokio-ct/10000`.
//!
//! [`Timed::measure`] does the same four things for every model: run the call once outside
//! the clock (a model that cannot run the workload says why, and a wrong answer stops the
//! run), time it with `iter_custom` around the model's own entry point (so runtime start-up
//! and criterion's async adapters stay out of the figure), check the answer after every
//! timed call, and read criterion's estimate back for the report. It does so once per round
//! of the run, with a window of a third of what one long measurement would take: the figure
//! is the median of the rounds ([`super::rounds`]), whose spread says more than criterion's
//! interval, which describes one stretch of time only.

use std::cell::Cell;
use std::fs;
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, SamplingMode};
use report::Record;
use workloads::catalogue::{Metric, Workload};
use workloads::spec::Spec;
use workloads::{Model, NotRun, Profile, WrongAnswer, text};

use super::plan::ModelPoints as Plan;
use super::plan::{ModelPoints, Point};
use super::registry::Registration;
use super::rounds::Round;
use super::{Context, Measured};

/// The mean time of one call, and how sure we are of it.
#[derive(Debug, Clone)]
pub struct Estimate {
    /// Mean nanoseconds per call.
    pub mean_ns: f64,
    /// criterion's 95% confidence interval of the mean, when it made one.
    pub ci_ns: Option<[f64; 2]>,
    /// How the mean was made, when not by criterion.
    pub how: Option<String>,
}

/// How a call's time becomes the figure.
#[derive(Debug, Clone, Copy)]
pub enum Per {
    /// Time per call divided by this (e.g. per task: n; in milliseconds: 1e6).
    Call(f64),
    /// This many events per call, as events per second.
    Rate(f64),
}

impl Per {
    /// Time per item when a call handles `n` items (tasks, round trips, scopes).
    pub fn per_item(n: usize) -> Per {
        Per::Call(n as f64)
    }

    /// Items per second when a call handles `n` items.
    pub fn rate(n: usize) -> Per {
        Per::Rate(n as f64)
    }

    /// The figure for `ns` nanoseconds per call.
    fn apply(self, ns: f64) -> f64 {
        match self {
            Per::Call(divisor) => ns / divisor,
            Per::Rate(events) => events * 1e9 / ns,
        }
    }
}

/// The warm-up and measurement window of a group in one round: full runs get `full` after a
/// fifth of a second of warm-up (enough for calls of microseconds to milliseconds, and a
/// second's less per five benchmarks in a run of a thousand), quick runs a fifth of a second
/// of calls timed directly, smoke runs criterion's single pass.
pub fn window(profile: Profile, full: Duration) -> (Duration, Duration) {
    match profile {
        Profile::Full => (Duration::from_millis(200), full),
        _ => (Duration::from_millis(100), Duration::from_millis(200)),
    }
}

/// One workload's group in progress.
pub struct Timed<'a, 'c> {
    ctx: &'a Context,
    group: BenchmarkGroup<'c, WallTime>,
    workload: &'static Workload,
    /// The group's measurement time, the floor of every benchmark's.
    measurement: Duration,
}

impl<'a, 'c> Timed<'a, 'c> {
    /// Opens the group of `workload`, measuring each benchmark for `full` per round in a full
    /// run.
    pub fn new(
        ctx: &'a Context,
        criterion: &'c mut Criterion,
        workload: &'static Workload,
        full: Duration,
    ) -> Self {
        let mut group = criterion.benchmark_group(workload.id);
        // Ten samples is criterion's minimum; our iterations are long (100 ms waits, 10 000
        // spawns or round trips), so ten samples give a tight interval already.
        group.sample_size(10);
        // The interval describes one round; ten thousand bootstrap resamples give it to a
        // fraction of a percent, at a tenth of the analysis time of criterion's default.
        group.nresamples(10_000);
        // Flat sampling: the same number of iterations in every sample, which suits iterations
        // of milliseconds to seconds (linear sampling would ask for 1 + 2 + ... + 10 = 55
        // iterations of a one-second sequential run).
        group.sampling_mode(SamplingMode::Flat);
        let (warm_up, measurement) = window(ctx.profile, full);
        group.warm_up_time(warm_up).measurement_time(measurement);
        Timed { ctx, group, workload, measurement }
    }

    /// Measures `call` (one whole run of `model` at `point`) and returns the record of
    /// `metric` (figure = time per call through `per`, or the model's reason) and the
    /// estimate, for figures derived from it. Panics on a wrong answer: a wrong result has
    /// no time.
    pub fn measure<T>(
        &mut self,
        metric: &'static Metric,
        per: Per,
        model: &str,
        point: &Point,
        call: impl Fn() -> Result<T, NotRun>,
        check: impl Fn(&T) -> Result<(), WrongAnswer>,
    ) -> (Record, Option<Estimate>) {
        match self.run(model, point, call, check) {
            Ok(e) => {
                let value = point.record(model, metric, per.apply(e.mean_ns));
                let record = match e.ci_ns {
                    // A rate's interval turns around: the longer time gives the lower rate.
                    Some([low, high]) => {
                        let (a, b) = (per.apply(low), per.apply(high));
                        value.with_ci(a.min(b), a.max(b))
                    }
                    None => value.with_note(e.how.clone().unwrap_or_default()),
                };
                (record, Some(e))
            }
            Err(not_run) => (point.reason(model, metric, not_run.to_string()), None),
        }
    }

    /// Measures every planned point of `plan` with one figure: `call(model, n)` timed as in
    /// [`Timed::measure`], its answer checked against `want(n)` (computed once per point,
    /// outside every clock) with `check`, the figure `metric` through `per(n)`. Returns one
    /// record per point: the figure, or the model's reason.
    pub fn measure_plan<T, W>(
        &mut self,
        plan: &[ModelPoints],
        (metric, per): (&'static Metric, fn(usize) -> Per),
        want: impl Fn(usize) -> W,
        call: impl Fn(&dyn Model, usize) -> Result<T, NotRun>,
        check: impl Fn(&W, &T) -> Result<(), WrongAnswer>,
    ) -> Vec<Record> {
        let mut records = Vec::new();
        let ctx = self.ctx;
        for (entry, point) in ctx.points(plan) {
            let n = point.n;
            let want = want(n);
            let run = || call(entry.model.as_ref(), n);
            let (record, _) =
                self.measure(metric, per(n), entry.info.id, point, run, |got| check(&want, got));
            records.push(record);
        }
        records
    }

    fn run<T>(
        &mut self,
        model: &str,
        point: &Point,
        call: impl Fn() -> Result<T, NotRun>,
        check: impl Fn(&T) -> Result<(), WrongAnswer>,
    ) -> Result<Estimate, NotRun> {
        let id = &point.id;
        let _placed = concurrency_models::placement::apply(point.placement)
            .map_err(|e| NotRun::failed(format!("placement: {e}")))?;
        // Once outside the clock: the model's reason if it cannot, a failure if it is wrong.
        let start = Instant::now();
        let answer = call()?;
        let once = start.elapsed();
        check(&answer).unwrap_or_else(|wrong| panic!("{id}: {wrong}"));
        let watchdog = &self.ctx.watchdog;
        watchdog.beat();
        let quick = self.ctx.profile == Profile::Quick;
        if quick || (self.ctx.profile == Profile::Full && once.mul_f64(10.0) > self.measurement) {
            // A quick run, or a call longer than a tenth of the window: criterion's warm-up,
            // ten samples of at least one call each, and analysis would stretch the window
            // (ten seconds for a one-second call) in every round. Time the calls directly for
            // the window instead; the rounds give the spread.
            let deadline = Instant::now() + self.measurement;
            let (mut total, mut calls) = (Duration::ZERO, 0u32);
            while calls == 0 || Instant::now() < deadline {
                let start = Instant::now();
                let answer =
                    call().unwrap_or_else(|not_run| panic!("{id}: stopped mid-measurement: {not_run}"));
                total += start.elapsed();
                check(&answer).unwrap_or_else(|wrong| panic!("{id}: {wrong}"));
                watchdog.beat();
                calls += 1;
            }
            println!("{id}: {} per call, mean of {calls} timed directly", text::duration(total / calls));
            return Ok(Estimate {
                mean_ns: total.as_nanos() as f64 / f64::from(calls),
                ci_ns: None,
                how: Some(if quick {
                    format!("mean of {calls} call(s) per round, timed directly (quick run)")
                } else {
                    format!(
                        "mean of {calls} call(s) per round, timed directly: each call is longer than a tenth of \
                         the window"
                    )
                }),
            });
        }

        // criterion's function id: the benchmark id between the workload and the size.
        let function = point
            .variant
            .map(|v| v.id)
            .into_iter()
            .chain(point.placement.map(|p| p.id()))
            .fold(model.to_owned(), |function, part| format!("{function}/{part}"));
        // criterion gives a benchmark id it has already measured in this process (the same
        // id in the next round) a folder of its own: `N_2`, `N_3`, ... after `N`.
        let seen = {
            let mut runs = self.ctx.criterion_runs.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let count = runs.entry(format!("{}/{function}/{}", self.workload.id, point.n)).or_insert(0);
            *count += 1;
            *count
        };
        let folder = if seen == 1 { point.n.to_string() } else { format!("{}_{seen}", point.n) };
        let since = SystemTime::now();
        let (total, calls) = (Cell::new(Duration::ZERO), Cell::new(0u64));
        self.group.bench_function(BenchmarkId::new(&function, point.n), |b| {
            b.iter_custom(|iters| {
                let mut elapsed = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    let answer =
                        call().unwrap_or_else(|not_run| panic!("{id}: stopped mid-measurement: {not_run}"));
                    elapsed += start.elapsed();
                    check(&answer).unwrap_or_else(|wrong| panic!("{id}: {wrong}"));
                    watchdog.beat();
                }
                total.set(total.get() + elapsed);
                calls.set(calls.get() + iters);
                elapsed
            });
        });
        // criterion's own estimate when it wrote one in this run; with `--test` it runs
        // each benchmark once and writes nothing, so fall back to our own mean.
        let smoke = self.ctx.profile == Profile::Smoke;
        Ok(read_estimate(self.workload.id, &function, &folder, since).unwrap_or_else(|| Estimate {
            mean_ns: total.get().as_nanos() as f64 / calls.get().max(1) as f64,
            ci_ns: None,
            how: Some(if smoke {
                "single pass (--test): not a statistical estimate".to_owned()
            } else {
                "criterion wrote no estimate: the mean of every timed call, warm-up included".to_owned()
            }),
        }))
    }

    /// Closes the group.
    pub fn finish(self) {
        self.group.finish();
    }
}

/// Runs `call` once under the point's placement, checks its answer (a wrong one panics) and
/// returns its time, or the model's reason if it cannot run it. For matrices of many cases
/// (W12's fifteen channel cases per model), where criterion's ten samples per case would not
/// fit the run's time budget: the figure is then the median of the run's rounds, one call
/// each (seventeen at the table's points in a full run, [`workloads::spec::SINGLE_CALLS`]).
pub fn once<T>(
    ctx: &Context,
    point: &Point,
    call: impl FnOnce() -> Result<T, NotRun>,
    check: impl FnOnce(&T) -> Result<(), WrongAnswer>,
) -> Result<Duration, NotRun> {
    let _placed = concurrency_models::placement::apply(point.placement)
        .map_err(|e| NotRun::failed(format!("placement: {e}")))?;
    let start = Instant::now();
    let answer = call()?;
    let time = start.elapsed();
    check(&answer).unwrap_or_else(|wrong| panic!("{}: {wrong}", point.id));
    ctx.watchdog.beat();
    Ok(time)
}

/// Where criterion writes its results: the same rule criterion follows.
fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return home.into();
    }
    super::target_dir().join("criterion")
}

/// criterion's mean for `group/function` in the size's `folder`, if this run wrote it (after
/// `since`). criterion turns the `/` of a function id into `_` in its folder names.
fn read_estimate(group: &str, function: &str, folder: &str, since: SystemTime) -> Option<Estimate> {
    let path =
        criterion_dir().join(group).join(function.replace('/', "_")).join(folder).join("new/estimates.json");
    let fresh = fs::metadata(&path).and_then(|m| m.modified()).is_ok_and(|modified| modified >= since);
    if !fresh {
        return None;
    }
    let json: serde_json::Value = serde_json::from_str(&fs::read_to_string(&path).ok()?).ok()?;
    let mean = &json["mean"];
    let interval = &mean["confidence_interval"];
    Some(Estimate {
        how: None,
        mean_ns: mean["point_estimate"].as_f64()?,
        ci_ns: Some([interval["lower_bound"].as_f64()?, interval["upper_bound"].as_f64()?]),
    })
}

/// The registration of a workload with one figure per point, each timed by criterion in a
/// window per round ([`Timed::measure_plan`]): W2, W3, W8 and W9 are this shape, given as
/// data.
pub struct PerPoint<W, T> {
    /// What the workload declares.
    pub spec: &'static dyn Spec,
    /// Its figure, and how a call's time becomes it.
    pub figure: (&'static Metric, fn(usize) -> Per),
    /// The expected answer at size n, computed once per point outside every clock.
    pub want: fn(usize) -> W,
    /// One run at size n.
    pub call: fn(&dyn Model, usize) -> Result<T, NotRun>,
    /// Checks an answer against the expected one.
    pub check: fn(&W, &T) -> Result<(), WrongAnswer>,
    /// The window of each point per round, in a full run.
    pub window: Duration,
    /// What the report says about how it was measured.
    pub notes: fn(&'static Workload, Profile) -> Vec<String>,
}

impl<W, T> Registration for PerPoint<W, T> {
    fn spec(&self) -> &'static dyn Spec {
        self.spec
    }

    fn notes(&self, profile: Profile) -> Vec<String> {
        (self.notes)(self.workload(), profile)
    }

    fn measure(&mut self, ctx: &Context, criterion: &mut Criterion, plan: &[Plan], _: Round) -> Measured {
        let mut timed = Timed::new(ctx, criterion, self.workload(), self.window);
        let records = timed.measure_plan(plan, self.figure, self.want, self.call, self.check);
        timed.finish();
        Measured { records, notes: Vec::new() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A time per call divides; a rate inverts.
    #[test]
    fn figures_from_times() {
        assert_eq!(Per::Call(1e6).apply(2e6), 2.0);
        assert_eq!(Per::Rate(10_000.0).apply(1e9), 10_000.0);
        assert_eq!(Per::Rate(10.0).apply(5e8), 20.0);
    }
}
