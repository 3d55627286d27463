//! The timed workloads (W1 to W3) as criterion benchmarks: group = workload, function id =
//! model, parameter = size, e.g. `ping_pong/tokio-ct/10000`.
//!
//! Every benchmark goes through [`Timed::run`], which does the same four things for every
//! model: run it once outside the clock (a model that cannot run the workload says why, and
//! a wrong answer stops the run), time it with `iter_custom` around the model's own entry
//! point (so runtime start-up and criterion's async adapters stay out of the figure), check
//! the answer after every timed call, and read criterion's estimate back for the report.

use std::cell::Cell;
use std::fs;
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, SamplingMode};
use report::Record;
use workloads::Profile;
use workloads::{Model, Skip, WrongAnswer, ping_pong, spawn_join, waits};

use super::Harness;

/// The mean time of one call, and how sure we are of it.
#[derive(Debug, Clone, Copy)]
pub struct Estimate {
    /// Mean nanoseconds per call.
    pub mean_ns: f64,
    /// criterion's 95% confidence interval of the mean, when it made one.
    pub ci_ns: Option<[f64; 2]>,
}

/// criterion's settings for one workload's group, by profile; returns the measurement time.
fn configure(group: &mut BenchmarkGroup<'_, WallTime>, profile: Profile) -> Duration {
    // Ten samples is criterion's minimum; our iterations are long (100 ms waits, 10 000
    // spawns or round trips), so ten samples give a tight interval already.
    group.sample_size(10);
    // Flat sampling: the same number of iterations in every sample, which suits iterations
    // of milliseconds to seconds (linear sampling would ask for 1 + 2 + ... + 10 = 55
    // iterations of a one-second sequential run).
    group.sampling_mode(SamplingMode::Flat);
    let (warm_up, measure) = match profile {
        Profile::Full => (Duration::from_millis(1_000), Duration::from_secs(3)),
        _ => (Duration::from_millis(200), Duration::from_millis(1_000)),
    };
    group.warm_up_time(warm_up).measurement_time(measure);
    measure
}

/// One workload's group in progress.
pub struct Timed<'h, 'c> {
    harness: &'h mut Harness,
    group: BenchmarkGroup<'c, WallTime>,
    name: &'static str,
    /// The profile's measurement time, the floor of every benchmark's.
    measurement: Duration,
}

impl<'h, 'c> Timed<'h, 'c> {
    /// Opens the group `name`.
    pub fn new(harness: &'h mut Harness, criterion: &'c mut Criterion, name: &'static str) -> Self {
        let mut group = criterion.benchmark_group(name);
        let measurement = configure(&mut group, harness.args.profile);
        Timed { harness, group, name, measurement }
    }

    /// Measures `call` (one whole workload run of `model` at size `n`) and returns its
    /// estimate; `Ok(None)` when the filter leaves it out, `Err` with the model's reason
    /// when it cannot run it. Panics on a wrong answer: a wrong result has no time.
    pub fn run<T>(
        &mut self,
        model: &dyn Model,
        n: usize,
        call: impl Fn() -> Result<T, Skip>,
        check: impl Fn(&T) -> Result<(), WrongAnswer>,
    ) -> Result<Option<Estimate>, Skip> {
        let model_id = model.info().id;
        let id = format!("{}/{model_id}/{n}", self.name);
        if !self.harness.args.selects(&id) {
            return Ok(None);
        }
        if self.harness.args.list {
            // criterion prints the id and runs nothing.
            self.group.bench_function(BenchmarkId::new(model_id, n), |b| b.iter(|| ()));
            return Ok(None);
        }
        // Once outside the clock: the model's reason if it cannot, a failure if it is wrong.
        let start = Instant::now();
        let answer = call()?;
        let once = start.elapsed();
        check(&answer).unwrap_or_else(|wrong| panic!("{id}: {wrong}"));
        self.harness.watchdog.beat();
        // Give criterion time for its ten samples of at least one call each (a one-second
        // sequential run needs ten seconds), so that it need not warn and stretch the run.
        self.group.measurement_time(self.measurement.max(once.mul_f64(12.0)));

        let since = SystemTime::now();
        let (total, calls) = (Cell::new(Duration::ZERO), Cell::new(0u64));
        let watchdog = &self.harness.watchdog;
        self.group.bench_function(BenchmarkId::new(model_id, n), |b| {
            b.iter_custom(|iters| {
                let mut elapsed = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    let answer =
                        call().unwrap_or_else(|skip| panic!("{id}: stopped mid-measurement: {skip}"));
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
        let estimate = read_estimate(self.name, model_id, n, since).unwrap_or_else(|| Estimate {
            mean_ns: total.get().as_nanos() as f64 / calls.get().max(1) as f64,
            ci_ns: None,
        });
        Ok(Some(estimate))
    }

    /// Adds a record to the report.
    pub fn record(&mut self, record: Record) {
        self.harness.records.push(record);
    }

    /// The profile in force.
    pub fn profile(&self) -> Profile {
        self.harness.args.profile
    }

    /// Closes the group.
    pub fn finish(self) {
        self.group.finish();
    }
}

/// Where criterion writes its results: the same rule criterion follows.
fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return home.into();
    }
    super::target_dir().join("criterion")
}

/// criterion's mean for `group/function/n`, if this run wrote it (after `since`).
fn read_estimate(group: &str, function: &str, n: usize, since: SystemTime) -> Option<Estimate> {
    let path = criterion_dir().join(group).join(function).join(n.to_string()).join("new/estimates.json");
    let fresh = fs::metadata(&path).and_then(|m| m.modified()).is_ok_and(|modified| modified >= since);
    if !fresh {
        return None;
    }
    let json: serde_json::Value = serde_json::from_str(&fs::read_to_string(&path).ok()?).ok()?;
    let mean = &json["mean"];
    let interval = &mean["confidence_interval"];
    Some(Estimate {
        mean_ns: mean["point_estimate"].as_f64()?,
        ci_ns: Some([interval["lower_bound"].as_f64()?, interval["upper_bound"].as_f64()?]),
    })
}

/// How one workload's estimate becomes a record: the metric, its unit, and the divisor
/// from "nanoseconds per call" (e.g. per task: n; in milliseconds: 1e6).
#[derive(Debug, Clone, Copy)]
pub struct Figure {
    /// Workload id, also the criterion group.
    pub workload: &'static str,
    /// Metric id.
    pub metric: &'static str,
    /// Unit of the record.
    pub unit: &'static str,
}

impl Timed<'_, '_> {
    /// Measures `call` like [`Timed::run`] and records the figure, `per_call / divisor`, or
    /// the model's reason; returns the estimate for figures derived from it.
    pub fn measure<T>(
        &mut self,
        figure: Figure,
        divisor: f64,
        model: &dyn Model,
        n: usize,
        call: impl Fn() -> Result<T, Skip>,
        check: impl Fn(&T) -> Result<(), WrongAnswer>,
    ) -> Option<Estimate> {
        let id = model.info().id;
        let size = Some(n as u64);
        match self.run(model, n, call, check) {
            Ok(Some(e)) => {
                let value =
                    Record::value(id, figure.workload, figure.metric, size, e.mean_ns / divisor, figure.unit);
                self.record(match e.ci_ns {
                    Some([low, high]) => value.with_ci(low / divisor, high / divisor),
                    None => value.with_note("single pass (--test): not a statistical estimate"),
                });
                Some(e)
            }
            Ok(None) => None,
            Err(skip) => {
                self.record(Record::reason(id, figure.workload, figure.metric, size, skip.to_string()));
                None
            }
        }
    }
}

const WAITS: Figure = Figure { workload: "concurrent_waits", metric: "wall_time", unit: "ms" };
const SPAWN: Figure = Figure { workload: "spawn_join", metric: "ns_per_task", unit: "ns" };
const PING_PONG: Figure = Figure { workload: "ping_pong", metric: "ns_per_round_trip", unit: "ns" };

/// W1: concurrent waits, at every size the model can do within the budget.
pub fn concurrent_waits(harness: &mut Harness, criterion: &mut Criterion) {
    let models = harness.models.clone();
    let mut timed = Timed::new(harness, criterion, WAITS.workload);
    let sizes = workloads::waits::sizes(timed.profile());
    for (_, model) in models.iter() {
        let info = model.info();
        for (n, verdict) in sizes.for_model(&info) {
            if let Err(reason) = verdict {
                if timed.harness.args.selects(&format!("{}/{}/{n}", WAITS.workload, info.id)) {
                    timed.record(Record::reason(
                        info.id,
                        WAITS.workload,
                        WAITS.metric,
                        Some(n as u64),
                        reason,
                    ));
                }
                continue;
            }
            let call = || model.concurrent_waits(n, sizes.wait);
            let Some(e) = timed.measure(WAITS, 1e6, model.as_ref(), n, call, |got| waits::check(n, got))
            else {
                continue;
            };
            // Overshoot: past the model's ideal (D when the waits overlap, N·D in sequence,
            // ⌈N/workers⌉·D on a pool), what the tasks themselves cost.
            let ideal = info.expected_wait_time(n, sizes.wait).as_secs_f64() * 1e3;
            let overshoot = e.mean_ns / 1e6 - ideal;
            timed.record(Record::value(
                info.id,
                WAITS.workload,
                "overshoot",
                Some(n as u64),
                overshoot,
                "ms",
            ));
        }
    }
    timed.finish();
}

/// W2: spawn and join.
pub fn spawn_join(harness: &mut Harness, criterion: &mut Criterion) {
    let models = harness.models.clone();
    let mut timed = Timed::new(harness, criterion, SPAWN.workload);
    let n = spawn_join::tasks(timed.profile());
    // Computed once, outside every clock.
    let want = spawn_join::expected(n);
    for (_, model) in models.iter() {
        let check = |got: &_| spawn_join::check(&want, got);
        timed.measure(SPAWN, n as f64, model.as_ref(), n, || model.spawn_join(n), check);
    }
    timed.finish();
}

/// W3: ping-pong.
pub fn ping_pong(harness: &mut Harness, criterion: &mut Criterion) {
    let models = harness.models.clone();
    let mut timed = Timed::new(harness, criterion, PING_PONG.workload);
    let rounds = ping_pong::rounds(timed.profile());
    for (_, model) in models.iter() {
        let check = |got: &_| ping_pong::check(rounds, got);
        timed.measure(PING_PONG, rounds as f64, model.as_ref(), rounds, || model.ping_pong(rounds), check);
    }
    timed.finish();
}
