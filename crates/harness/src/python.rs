//! The Python columns: the tutorial's own three models (asyncio, threading and
//! multiprocessing) measured beside the Rust ones, so that a reader sees which of the
//! tutorial's words hold in Python and what changes in Rust.
//!
//! The scripts are in `python/` (standard library only): `python3 python/bench.py WORKLOAD
//! MODEL --n N --repeat R` runs one workload in one interpreter, checks every run's answer
//! against the same expected values as the Rust models, and prints one JSON line. The run
//! reads that line through the same child-process path as the probe
//! ([`concurrency_models::child`]): the interpreter's start-up is outside the figure, a
//! script that fails or answers wrong gives its cell the error, and one that hangs is
//! killed at its time limit. The points are measured in every round of the run, in a new
//! random order each round, like the Rust models.
//!
//! Sizes are Python's own where the Rust sizes would not fit the budget: a cell names its N.
//! `BENCH_PYTHON` chooses the interpreter (default `python3`), or `off` leaves the Python
//! columns out. Where Python is missing or older than 3.9, every Python cell says so and
//! nothing fails.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde::Deserialize;
use workloads::Profile;
use workloads::cancellation::{CANCEL_RELEASE, CANCELLATION};
use workloads::catalogue::{Metric, Placement, Variant, Workload};
use workloads::channels::{CHANNEL_MESSAGES_PER_SECOND, CHANNEL_MPMC_64, CHANNELS};
use workloads::cpu::Way;
use workloads::gather::{GATHER, GATHER_AS_COMPLETED, GATHER_TASKS_PER_SECOND};
use workloads::idle::{IDLE, IDLE_LARGEST_N, IDLE_PSS, IDLE_RSS};
use workloads::locks::{LOCK_INCREMENTS_PER_SECOND, LOCK_LONGEST_WAIT, LOCK_SHORT, LOCKS};
use workloads::mandelbrot::{MANDELBROT, MANDELBROT_SPEEDUP, MANDELBROT_WALL_TIME, MANDELBROT_WAYS};
use workloads::ping_pong::{PING_PONG, PING_PONG_ROUND_TRIP};
use workloads::semaphore::{SEMAPHORE, SEMAPHORE_MOST_AT_ONCE, SEMAPHORE_WALL_TIME};
use workloads::server::{HTTP_REQUESTS_PER_SECOND, HTTP_SERVER, LoadSizes};
use workloads::spawn_join::{SPAWN_JOIN, SPAWN_NS_PER_TASK};
use workloads::stall::{STALL, STALL_HEARTBEAT, STALL_INLINE_SLEEP, STALL_OFFLOADED_SLEEP, STALL_REQUESTS};
use workloads::timeouts::{TIMEOUT_LATENESS, TIMEOUTS};
use workloads::waits::{WAITS, WAITS_GC_TIME, WAITS_WALL_TIME};

use concurrency_models::serve::ServeChild;
use report::html::{PYTHON_NOTE, PYTHON_NOTE_RUNNING};
use report::{Column, Part, Record, Trial};

use super::latency::{distribution_of, mean_ns};
use super::rounds::Round;
use super::{Context, Measured, plan};

/// The environment variable that chooses the interpreter: unset for `python3` on the path,
/// a program name or path, or `off` for no Python columns.
pub const ENV: &str = "BENCH_PYTHON";

/// The oldest Python the scripts support.
const OLDEST: (u32, u32) = (3, 9);

/// The most one script may take; past it, it is killed and its cell says so.
const LIMIT: Duration = Duration::from_secs(120);

/// One of the tutorial's models, as a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PyModel {
    /// The column's id in the report.
    pub id: &'static str,
    /// The model's name for `python/bench.py`.
    pub script: &'static str,
    /// The column's heading.
    pub name: &'static str,
    /// How it runs tasks.
    pub concurrency: &'static str,
}

/// The three Python columns, in the tutorial's order.
pub const MODELS: [PyModel; 3] = [
    PyModel {
        id: "py-asyncio",
        script: "asyncio",
        name: "Python asyncio",
        concurrency: "Cooperative coroutines (await) on one event loop, one thread",
    },
    PyModel {
        id: "py-threading",
        script: "threading",
        name: "Python threading",
        concurrency: "Preemptive OS threads, one interpreter lock (the GIL) between them",
    },
    PyModel {
        id: "py-multiprocessing",
        script: "multiprocessing",
        name: "Python multiprocessing",
        concurrency: "OS processes, each with its own interpreter; pickled messages over pipes",
    },
];

/// How a figure is read from the script's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Read {
    /// The median run's wall time, in milliseconds.
    WallMs,
    /// The median run's wall time divided by N, in nanoseconds.
    NsPerUnit,
    /// Resident bytes per idle task, from the answer's memory reading.
    Rss,
    /// Proportional bytes per idle task, from the answer's memory reading.
    Pss,
    /// A rate: the named parameter of the run (`n`, `messages`, `increments`) over the
    /// median run's wall time, per second.
    PerSecond(&'static str),
    /// Durations in nanoseconds, the named field of the median run's answer: their mean is
    /// the figure, their percentiles its distribution (as the Rust models' latencies).
    Samples(&'static str),
    /// A number, the named field of the median run's answer.
    Count(&'static str),
    /// W4's largest N held: the tasks that started (the answer's `started`), and what
    /// stopped the next one (its `error`), or that the size asked for was reached.
    Held,
    /// The median run's time in the cyclic garbage collector, in milliseconds (its `gc`).
    GcMs,
    /// Requests per second, measured by the load generator against the script's server
    /// (`bench.py http_server`), not read from an answer.
    Served,
}

/// One thing the Python columns measure.
#[derive(Debug, Clone)]
pub struct PyPoint {
    /// Which column.
    pub model: PyModel,
    /// The workload.
    pub workload: &'static Workload,
    /// The figures one run gives, each with how it is read.
    figures: Vec<(&'static Metric, Read)>,
    /// The size given to the script (`--n`; for a CPU kernel and the blocking pitfall, the
    /// worker count, given as `--workers`), the variant given to it, where its threads may
    /// run, and the benchmark id, as for a Rust model.
    pub point: plan::Point,
    /// More options for the script (a smaller image in a smoke run).
    extra: &'static [&'static str],
}

/// The Python interpreter the run uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interpreter {
    /// The program.
    pub program: PathBuf,
    /// e.g. `3.11.7`.
    pub version: String,
    /// e.g. `CPython`.
    pub implementation: String,
    /// Whether the global interpreter lock is on.
    pub gil: bool,
    /// The executable the program resolves to (a version manager's shim names another).
    pub executable: String,
    /// How the interpreter's core is linked: `shared` (a libpython*.so, whose calls go
    /// through a table: slower) or `in the executable`.
    pub libpython: String,
}

impl Interpreter {
    /// The interpreter in words, for the report.
    pub fn words(&self) -> String {
        format!(
            "{} {} ({}, that is {}, libpython {}, the GIL {})",
            self.implementation,
            self.version,
            self.program.display(),
            self.executable,
            self.libpython,
            if self.gil { "on" } else { "off: a free-threaded build" }
        )
    }
}

/// What the run does about Python.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Python {
    /// `BENCH_PYTHON=off`: no Python columns.
    Off,
    /// No usable interpreter: every Python cell says why.
    Missing(String),
    /// This interpreter runs the scripts.
    Found(Interpreter),
}

/// What the interpreter says about itself.
#[derive(Debug, Deserialize)]
struct About {
    version: String,
    major: u32,
    minor: u32,
    implementation: String,
    gil: bool,
    #[serde(default)]
    executable: String,
    #[serde(default)]
    libpython: String,
}

impl Python {
    /// Reads [`ENV`] and asks the interpreter it names for its version.
    ///
    /// # Errors
    /// [`ENV`] is set but empty.
    pub fn from_env() -> Result<Python, String> {
        match std::env::var(ENV) {
            Ok(text) if text.trim() == "off" => Ok(Python::Off),
            Ok(text) if text.trim().is_empty() => Err(format!(
                "{ENV}={text:?}: expected `off` or a Python interpreter (a program name or path)"
            )),
            Ok(text) => Ok(Python::find(Path::new(text.trim()))),
            Err(_) => Ok(Python::find(Path::new("python3"))),
        }
    }

    /// Asks `program` for its version; [`Python::Missing`] with the reason when it cannot
    /// run or is older than [`OLDEST`].
    pub fn find(program: &Path) -> Python {
        // What bench.py's `python_info` says, in a line any Python 3 runs (an old one must
        // still say its version): libpython is shared when a libpython*.so is mapped.
        const ASK: &str = "import json, os, platform, sys; print(json.dumps({'version': platform.python_version(), \
            'major': sys.version_info[0], 'minor': sys.version_info[1], \
            'implementation': platform.python_implementation(), \
            'gil': sys._is_gil_enabled() if hasattr(sys, '_is_gil_enabled') else True, \
            'executable': os.path.realpath(sys.executable), \
            'libpython': ('shared' if 'libpython' in open('/proc/self/maps').read() else 'in the executable') \
                if os.path.exists('/proc/self/maps') else 'unknown'}))";
        let output = Command::new(program).args(["-c", ASK]).output();
        let about = match output {
            Err(e) => return Python::Missing(format!("{} could not be started: {e}", program.display())),
            Ok(out) if !out.status.success() => {
                return Python::Missing(format!("{} failed: {}", program.display(), out.status));
            }
            Ok(out) => serde_json::from_slice::<About>(&out.stdout),
        };
        match about {
            Err(e) => Python::Missing(format!("{} did not say its version: {e}", program.display())),
            Ok(about) if (about.major, about.minor) < OLDEST => Python::Missing(format!(
                "{} is Python {}, older than {}.{}",
                program.display(),
                about.version,
                OLDEST.0,
                OLDEST.1
            )),
            Ok(about) => Python::Found(Interpreter {
                program: program.to_owned(),
                version: about.version,
                implementation: about.implementation,
                gil: about.gil,
                executable: about.executable,
                libpython: about.libpython,
            }),
        }
    }

    /// The report's columns for the Python models (none when off).
    pub fn columns(&self, workers: usize) -> Vec<Column> {
        if *self == Python::Off {
            return Vec::new();
        }
        MODELS
            .iter()
            .map(|m| Column {
                id: m.id.to_owned(),
                name: m.name.to_owned(),
                concurrency: m.concurrency.to_owned(),
                best_for: String::new(),
                debugging: String::new(),
                workers: if m.script == "asyncio" { 1 } else { workers },
                part: Part::Python,
            })
            .collect()
    }

    /// The note for the report's provenance.
    pub fn note(&self) -> String {
        match self {
            Python::Off => format!("{PYTHON_NOTE}off ({ENV}=off)."),
            Python::Missing(why) => format!("{PYTHON_NOTE}not measured: {why}."),
            Python::Found(interpreter) => format!(
                "{PYTHON_NOTE}{}{PYTHON_NOTE_RUNNING}python/bench.py (standard library only); each figure is the median of \
                 its rounds, each round one interpreter that makes the runs and checks every answer; the \
                 interpreter's start is not timed. Sizes are Python's own where the Rust ones would not fit the \
                 run: each cell names its N.",
                interpreter.words()
            ),
        }
    }
}

/// The sizes of the Python points in `profile`: (W1 multiprocessing, W2, W2
/// multiprocessing, W3 round trips, W4 asyncio, W4 threading, W4 multiprocessing). W1's other
/// models run the size of the table's "Scalability" row.
fn sizes(profile: Profile) -> [usize; 7] {
    match profile {
        Profile::Full => [100, 10_000, 500, 10_000, 100_000, 1_000, 100],
        Profile::Quick => [20, 2_000, 100, 2_000, 10_000, 500, 20],
        Profile::Smoke | Profile::Test => [4, 100, 10, 200, 100, 10, 4],
    }
}

/// The sizes of the chapters' workloads in `profile`, per model (asyncio, threading,
/// multiprocessing): W5's tasks, W6's trials, W7's operations, W10's workers, W11's jobs
/// and W12's producers. A process per task or per worker costs milliseconds to start, so
/// multiprocessing's are smaller; the channel and lock sizes are the Rust table's.
fn chapter_sizes(profile: Profile) -> [[usize; 3]; 6] {
    let channels = workloads::channels::HEADLINE_PRODUCERS;
    match profile {
        Profile::Full => {
            [[10_000, 1_000, 100], [200, 200, 50], [10_000, 1_000, 100], [16, 16, 16], [64; 3], [channels; 3]]
        }
        Profile::Quick => {
            [[1_000, 100, 20], [50, 50, 20], [1_000, 100, 20], [16, 16, 8], [64; 3], [channels; 3]]
        }
        Profile::Smoke | Profile::Test => [[20, 20, 4], [10, 10, 4], [20, 20, 4], [4, 4, 2], [8; 3], [2; 3]],
    }
}

/// Every point the Python columns measure in `profile` with `workers` workers per pool.
pub fn points(profile: Profile, workers: usize) -> Vec<PyPoint> {
    let [waits_mp, spawn, spawn_mp, trips, idle_async, idle_threads, idle_mp] = sizes(profile);
    // W1 at the size of the table's "Scalability" row, so that the figures sit side by side.
    let waits = workloads::waits::sizes(profile).scalability;
    let point = |model: PyModel,
                 workload: &'static Workload,
                 figures: &[(&'static Metric, Read)],
                 n: usize,
                 variant: Option<&'static Variant>,
                 placement: Option<Placement>| {
        let id = plan::id(workload, model.id, variant, placement, n);
        let extra: &[&str] = match profile {
            Profile::Smoke | Profile::Test if workload.id == MANDELBROT.id => {
                &["--width", "40", "--height", "40"]
            }
            // Half the script's default area (140 × 140 against 200 × 200): about 0.9 s on one
            // thread, plenty beside the pools' start-up, and five ways a round.
            Profile::Full if workload.id == MANDELBROT.id => &["--width", "140", "--height", "140"],
            Profile::Smoke | Profile::Test if workload.id == STALL.id => {
                &["--ticks", "20", "--calls", "2", "--block-ms", "10"]
            }
            Profile::Smoke | Profile::Test if workload.id == CHANNELS.id => &["--messages", "2000"],
            Profile::Smoke | Profile::Test if workload.id == LOCKS.id => &["--increments", "2000"],
            // A quarter of the script's default: the GIL makes 16 threads' increments slow
            // (1.8 s for 256 000), and the figure is a rate.
            _ if workload.id == LOCKS.id => &["--increments", "64000"],
            _ => &[],
        };
        PyPoint {
            model,
            workload,
            figures: figures.to_vec(),
            point: plan::Point { n, variant, placement, id },
            extra,
        }
    };
    let [asyncio, threading, multiprocessing] = MODELS;
    let mut points = Vec::new();
    for (model, waits_n, spawn_n, idle_n) in [
        (asyncio, waits, spawn, idle_async),
        (threading, waits, spawn, idle_threads),
        (multiprocessing, waits_mp, spawn_mp, idle_mp),
    ] {
        points.push(point(model, &WAITS, WAITS_FIGURES, waits_n, None, None));
        points.push(point(model, &SPAWN_JOIN, &[(&SPAWN_NS_PER_TASK, Read::NsPerUnit)], spawn_n, None, None));
        let one_core = Some(Placement::OneCore);
        points.push(point(
            model,
            &PING_PONG,
            &[(&PING_PONG_ROUND_TRIP, Read::NsPerUnit)],
            trips,
            None,
            one_core,
        ));
        // Memory per idle task, and the largest N held: as many as the size asked for (each
        // model's is far below its limits), or fewer, and what stopped the next. A search
        // for the limit itself does not fit the run: past the sizes here, a run of asyncio
        // at 1 000 000 tasks took 33 s, threading at 20 000 threads 46 s (and held them all),
        // multiprocessing at 1 000 processes 13 s.
        let idle = [(&IDLE_RSS, Read::Rss), (&IDLE_PSS, Read::Pss), (&IDLE_LARGEST_N, Read::Held)];
        points.push(point(model, &IDLE, &idle, idle_n, None, None));
    }
    // The tutorial's own measure_performance: one gather of 100 000 `asyncio.sleep`
    // coroutines (asyncio only; the figure at N = 100 000 is that code's).
    if profile == Profile::Full {
        points.push(PyPoint {
            extra: &["--variant", "measure_performance"],
            ..point(asyncio, &WAITS, WAITS_FIGURES, MEASURE_PERFORMANCE_N, None, None)
        });
    }
    // The chapters' workloads, each model at its own size (the cell names it).
    let [gather, cancel, timeouts, lock_workers, jobs, producers] = chapter_sizes(profile);
    for (i, model) in MODELS.into_iter().enumerate() {
        // As-completed, the variant the table's row reads.
        let rate = [(&GATHER_TASKS_PER_SECOND, Read::PerSecond("n"))];
        points.push(point(model, &GATHER, &rate, gather[i], Some(&GATHER_AS_COMPLETED), None));
        let release = [(&CANCEL_RELEASE, Read::Samples("latencies_ns"))];
        points.push(point(model, &CANCELLATION, &release, cancel[i], None, None));
        let lateness = [(&TIMEOUT_LATENESS, Read::Samples("lateness_ns"))];
        points.push(point(model, &TIMEOUTS, &lateness, timeouts[i], None, None));
        let lock = [
            (&LOCK_INCREMENTS_PER_SECOND, Read::PerSecond("increments")),
            (&LOCK_LONGEST_WAIT, Read::Samples("longest_waits_ns")),
        ];
        points.push(point(model, &LOCKS, &lock, lock_workers[i], Some(&LOCK_SHORT), None));
        // The script names the most at once as the metric does.
        let semaphore = [
            (&SEMAPHORE_MOST_AT_ONCE, Read::Count(SEMAPHORE_MOST_AT_ONCE.id)),
            (&SEMAPHORE_WALL_TIME, Read::WallMs),
        ];
        points.push(point(model, &SEMAPHORE, &semaphore, jobs[i], None, None));
        let channel = [(&CHANNEL_MESSAGES_PER_SECOND, Read::PerSecond("messages"))];
        points.push(point(model, &CHANNELS, &channel, producers[i], Some(&CHANNEL_MPMC_64), None));
        // The web server (asyncio streams, `ThreadingHTTPServer` with keep-alive, pre-forked
        // processes) under the table's closed-loop step: N is its connections.
        let served = [(&HTTP_REQUESTS_PER_SECOND, Read::Served)];
        points.push(point(model, &HTTP_SERVER, &served, LoadSizes::new(profile).headline, None, None));
    }
    // The blocking pitfall: a blocking sleep inline, and (asyncio) handed to an executor,
    // `run_in_executor`; the figures are the heartbeat's lateness and the light requests'.
    // (A process that sleeps blocks only itself, as a thread does: threading stands for both.)
    let stall =
        [(&STALL_HEARTBEAT, Read::Samples("heartbeat_ns")), (&STALL_REQUESTS, Read::Samples("requests_ns"))];
    for (model, variant) in
        [(asyncio, &STALL_INLINE_SLEEP), (asyncio, &STALL_OFFLOADED_SLEEP), (threading, &STALL_INLINE_SLEEP)]
    {
        points.push(point(model, &STALL, &stall, workers, Some(variant), None));
    }
    // The CPU-bound kernel: each model's ways, and one thread, the Python baseline. The
    // one-thread way runs the same code under every model (no task, no pool), so it is
    // measured once, under threading, and every Python speedup divides by it.
    for (model, ways) in [
        (asyncio, &[Way::Inline, Way::Offloaded][..]),
        (threading, &[BASELINE_WAY, Way::WorkQueue][..]),
        (multiprocessing, &[Way::WorkQueue][..]),
    ] {
        for way in ways {
            let variant = Some(&MANDELBROT_WAYS[way.index()]);
            points.push(point(
                model,
                &MANDELBROT,
                &[(&MANDELBROT_WALL_TIME, Read::WallMs)],
                workers,
                variant,
                None,
            ));
        }
    }
    points
}

/// Whether `model` is one of the Python columns: their CPU figures are divided by Python's
/// own one-thread time ([`derive`]), never by the Rust sequential model's, whose image is
/// larger.
pub fn is_python(model: &str) -> bool {
    MODELS.iter().any(|m| m.id == model)
}

/// The Python kernel's baseline: one thread, no task, no pool (measured under threading).
const BASELINE_WAY: Way = Way::OneThread;

/// W1's figures in Python: the wall time, and how much of it the cyclic garbage collector
/// took (a full collection visits every live task: half of `measure_performance`'s time).
const WAITS_FIGURES: &[(&Metric, Read)] = &[(&WAITS_WALL_TIME, Read::WallMs), (&WAITS_GC_TIME, Read::GcMs)];

/// The size of the tutorial's `measure_performance` example: 100 000 sleeps of 100 ms.
const MEASURE_PERFORMANCE_N: usize = 100_000;

/// The script's one line.
#[derive(Debug, Deserialize)]
struct Answer {
    #[serde(default)]
    runs: Vec<Run>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    cannot: Option<String>,
    #[serde(default)]
    memory: Option<Memory>,
    /// The options the run was made with, defaults included.
    #[serde(default)]
    params: serde_json::Value,
}

#[derive(Debug, Deserialize)]
struct Run {
    elapsed_ns: u64,
    /// The run's answer, checked by the script: counts, and durations in nanoseconds.
    #[serde(default)]
    answer: serde_json::Value,
    /// The run's time in the cyclic garbage collector (`ns`) and its collections per
    /// generation (`collections`), from `gc.callbacks`.
    #[serde(default)]
    gc: serde_json::Value,
}

#[derive(Debug, Deserialize)]
struct Memory {
    rss_bytes_per_task: f64,
    pss_bytes_per_task: f64,
}

/// The Python root of the workspace.
fn script() -> PathBuf {
    super::workspace_root().join("python").join("bench.py")
}

impl PyPoint {
    /// The script's arguments for this point: one run per round (the rounds give the median
    /// and the spread, as for the Rust models).
    fn args(&self, workers: usize) -> Vec<String> {
        let mut args = vec![
            script().display().to_string(),
            self.workload.id.to_owned(),
            self.model.script.to_owned(),
            "--repeat".to_owned(),
            "1".to_owned(),
            "--workers".to_owned(),
            workers.to_string(),
        ];
        // The kernel's and the blocking pitfall's N is the worker count, given above.
        if self.workload.id != MANDELBROT.id && self.workload.id != STALL.id {
            args.extend(["--n".to_owned(), self.point.n.to_string()]);
        }
        if let Some(variant) = self.point.variant {
            args.extend(["--variant".to_owned(), variant.id.to_owned()]);
        }
        args.extend(self.extra.iter().map(|a| (*a).to_owned()));
        args
    }

    /// No figure at this point, and why (every figure the point gives).
    fn reasons(&self, why: &str) -> Vec<Record> {
        self.figures.iter().map(|(metric, _)| self.point.reason(self.model.id, metric, why)).collect()
    }

    /// The figures of one answer, or the reasons there are none.
    fn read_answer(&self, answer: Result<Answer, String>) -> Vec<Record> {
        let answer = match answer {
            Err(why) => return self.reasons(&format!("failed: {why}")),
            Ok(answer) => answer,
        };
        if let Some(why) = answer.cannot {
            return self.reasons(&why);
        }
        if let Some(error) = answer.error {
            return self.reasons(&error);
        }
        let times: Vec<f64> = answer.runs.iter().map(|r| r.elapsed_ns as f64).collect();
        // The median run: its time, and its answer for the figures read from it.
        let median = report::median(&times)
            .and_then(|ns| Some((ns, answer.runs.iter().find(|r| r.elapsed_ns as f64 == ns)?)));
        self.figures
            .iter()
            .map(|&(metric, read)| {
                let record = |value: f64| self.point.record(self.model.id, metric, value);
                let figure = match (read, median) {
                    (Read::Served, _) => None,
                    (Read::Rss, _) => answer.memory.as_ref().map(|m| record(m.rss_bytes_per_task)),
                    (Read::Pss, _) => answer.memory.as_ref().map(|m| record(m.pss_bytes_per_task)),
                    (_, None) => None,
                    (Read::WallMs, Some((ns, _))) => Some(record(ns / 1e6)),
                    (Read::GcMs, Some((_, run))) => run.gc["ns"].as_f64().map(|ns| record(ns / 1e6)),
                    (Read::NsPerUnit, Some((ns, _))) => Some(record(ns / self.point.n.max(1) as f64)),
                    (Read::PerSecond(key), Some((ns, _))) => {
                        answer.params[key].as_f64().filter(|_| ns > 0.0).map(|units| record(units * 1e9 / ns))
                    }
                    (Read::Count(key), Some((_, run))) => run.answer[key].as_f64().map(record),
                    (Read::Held, Some((_, run))) => run.answer["started"].as_f64().map(|held| {
                        // As the Rust models' figure: no N, the count is the figure.
                        let note = match run.answer["error"].as_str() {
                            Some(why) => format!("past it: {why}"),
                            None => "largest size tried; no limit reached".to_owned(),
                        };
                        Record::value(self.model.id, metric, None, held).with_note(note)
                    }),
                    (Read::Samples(key), Some((_, run))) => run.answer[key].as_array().and_then(|list| {
                        let samples: Vec<Duration> = list
                            .iter()
                            .map(|v| v.as_u64().map(Duration::from_nanos))
                            .collect::<Option<_>>()?;
                        (!samples.is_empty())
                            .then(|| record(mean_ns(&samples)).with_dist(distribution_of(&samples)))
                    }),
                };
                figure.unwrap_or_else(|| {
                    let what = match read {
                        Read::Rss | Read::Pss => "no memory reading".to_owned(),
                        Read::Served => "no answer: its server is measured by the load generator".to_owned(),
                        _ if median.is_none() => "no runs".to_owned(),
                        Read::PerSecond(key) => format!("no parameter {key}"),
                        Read::Count(key) | Read::Samples(key) => format!("no {key} in its answer"),
                        Read::Held => "no started in its answer".to_owned(),
                        Read::GcMs => "no garbage collector's time".to_owned(),
                        Read::WallMs | Read::NsPerUnit => "no runs".to_owned(),
                    };
                    self.point.reason(self.model.id, metric, format!("failed: the script gave {what}"))
                })
            })
            .collect()
    }
}

/// Runs `point` once with `python`, bounded by [`LIMIT`].
fn measure_point(python: &Interpreter, point: &PyPoint, workers: usize) -> Vec<Record> {
    let placed = match concurrency_models::placement::apply(point.point.placement) {
        Ok(placed) => placed,
        Err(e) => return point.reasons(&format!("failed: {e}")),
    };
    // The interpreter inherits the placement from this thread when it starts; this process's
    // threads are freed again right after.
    let answer = concurrency_models::child::run_json_with_env::<Answer>(
        &python.program,
        &point.args(workers),
        &[("PYTHONDONTWRITEBYTECODE", "1".to_owned())],
        &[0, 1],
        LIMIT,
    );
    drop(placed);
    point.read_answer(answer)
}

/// W13 in a Python column: the script's server (`bench.py http_server MODEL`), started
/// afresh for the step as the Rust servers are in each round, under the closed-loop step
/// the table's requests-per-second row reads ([`super::network::headline_step`]); then
/// stopped with SIGTERM, and every connection must have closed.
fn measure_server(ctx: &Context, python: &Interpreter, point: &PyPoint) -> Vec<Record> {
    let mut command = Command::new(&python.program);
    command
        .arg(script())
        .args([HTTP_SERVER.id, point.model.script, "--port", "0", "--workers"])
        .arg(ctx.workers.to_string())
        .env("PYTHONDONTWRITEBYTECODE", "1");
    let child = match ServeChild::spawn(command, point.model.id) {
        Ok(child) => child,
        Err(why) => return point.reasons(&format!("failed: {why}")),
    };
    let measured = super::network::headline_step(ctx, &child, point.model.id);
    let stopped = child.stop(Duration::from_secs(30));
    match (measured, stopped) {
        (Ok(record), Ok(report)) if report.open == 0 => vec![record],
        (Ok(_), Ok(report)) => {
            point.reasons(&format!("failed: {} connections still open after shutdown", report.open))
        }
        (Err(why), _) | (_, Err(why)) => point.reasons(&format!("failed: {why}")),
    }
}

/// Measures the selected Python points once each, in this round's order.
pub fn measure(ctx: &Context, python: &Python, selected: &[PyPoint], round: Round) -> Measured {
    let mut points: Vec<&PyPoint> = selected.iter().collect();
    round.shuffle("python", &mut points);
    let mut records = Vec::new();
    for point in points {
        ctx.watchdog.beat();
        match python {
            Python::Off => {}
            Python::Missing(why) => {
                if round.index == 0 {
                    records.extend(point.reasons(&format!("not run: {why}")));
                }
            }
            Python::Found(interpreter) => {
                let started = std::time::Instant::now();
                if point.workload.id == HTTP_SERVER.id {
                    records.extend(measure_server(ctx, interpreter, point));
                } else {
                    records.extend(measure_point(interpreter, point, ctx.workers));
                }
                println!("{}: {:.1} s", point.point.id, started.elapsed().as_secs_f64());
            }
        }
    }
    Measured { records, notes: Vec::new() }
}

/// The speedups of the Python kernel: the one-thread way's median (measured under
/// threading: the same code under every model) divided by each other way's, round by round.
pub fn derive(figures: &[Record]) -> Vec<Record> {
    let [_, threading, _] = MODELS;
    let walls = || figures.iter().filter(|r| r.is(&MANDELBROT_WALL_TIME, None) && is_python(&r.model));
    let Some(baseline) = walls()
        .find(|r| r.model == threading.id && r.variant.as_deref() == Some(BASELINE_WAY.id()))
        .and_then(|r| r.value)
        .filter(|v| *v > 0.0)
    else {
        return Vec::new();
    };
    walls()
        .filter(|r| r.variant.as_deref() != Some(BASELINE_WAY.id()))
        .filter_map(|wall| {
            let value = wall.value.filter(|v| *v > 0.0)?;
            Some(Record {
                metric: MANDELBROT_SPEEDUP.id.to_owned(),
                unit: MANDELBROT_SPEEDUP.unit.symbol().to_owned(),
                value: Some(baseline / value),
                ci: None,
                dist: None,
                reason: None,
                rounds: wall
                    .rounds
                    .iter()
                    .filter(|t| t.value > 0.0)
                    .map(|t| Trial { value: baseline / t.value, dist: None })
                    .collect(),
                ..wall.clone()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(read: Read) -> PyPoint {
        points(Profile::Test, 2).into_iter().find(|p| p.figures[0].1 == read).unwrap()
    }

    #[test]
    fn every_model_has_the_tutorial_rows_and_the_chapters_workloads() {
        let points = points(Profile::Full, 2);
        for model in MODELS {
            for metric in [
                &WAITS_WALL_TIME,
                &SPAWN_NS_PER_TASK,
                &PING_PONG_ROUND_TRIP,
                &IDLE_RSS,
                &IDLE_PSS,
                &GATHER_TASKS_PER_SECOND,
                &CANCEL_RELEASE,
                &TIMEOUT_LATENESS,
                &LOCK_INCREMENTS_PER_SECOND,
                &LOCK_LONGEST_WAIT,
                &SEMAPHORE_MOST_AT_ONCE,
                &CHANNEL_MESSAGES_PER_SECOND,
                &MANDELBROT_WALL_TIME,
            ] {
                assert!(
                    points
                        .iter()
                        .any(|p| p.model == model && p.figures.iter().any(|(m, _)| m.id == metric.id)),
                    "{} has no {}",
                    model.id,
                    metric.id
                );
            }
        }
        // The blocking pitfall: asyncio's sleep inline and handed to an executor, and a thread's.
        let stalls: Vec<(&str, Option<&str>)> = points
            .iter()
            .filter(|p| p.workload.id == STALL.id)
            .map(|p| (p.model.id, p.point.variant.map(|v| v.id)))
            .collect();
        assert_eq!(
            stalls,
            [
                ("py-asyncio", Some(STALL_INLINE_SLEEP.id)),
                ("py-asyncio", Some(STALL_OFFLOADED_SLEEP.id)),
                ("py-threading", Some(STALL_INLINE_SLEEP.id))
            ]
        );
        let ids: std::collections::HashSet<&str> = points.iter().map(|p| p.point.id.as_str()).collect();
        assert_eq!(ids.len(), points.len(), "every id is unique");
        let ping = format!("{}/py-threading/{}/10000", PING_PONG.id, Placement::OneCore.id());
        let kernel = format!("{}/py-multiprocessing/{}/2", MANDELBROT.id, Way::WorkQueue.id());
        assert!(ids.contains(ping.as_str()) && ids.contains(kernel.as_str()), "{ids:?}");
    }

    #[test]
    fn an_answer_becomes_its_figures_and_a_failure_its_reason() {
        let waits = point(Read::WallMs);
        let answer = |json: &str| serde_json::from_str::<Answer>(json).map_err(|e| e.to_string());
        let good = waits.read_answer(answer(
            r#"{"runs": [{"elapsed_ns": 3000000}, {"elapsed_ns": 1000000}, {"elapsed_ns": 2000000}]}"#,
        ));
        assert_eq!(good.len(), 2);
        assert_eq!(good[0].value, Some(2.0), "the median run, in ms");
        assert_eq!(good[0].model, waits.model.id);
        // An older script's runs without the collector's time: that figure says so.
        assert_eq!(good[1].metric, WAITS_GC_TIME.id);
        assert_eq!(good[1].reason.as_deref(), Some("failed: the script gave no garbage collector's time"));
        // The collector's time is the median run's, not the largest.
        let collected = waits.read_answer(answer(
            r#"{"runs": [{"elapsed_ns": 3000000, "gc": {"ns": 900000, "collections": [9, 1, 1]}},
                         {"elapsed_ns": 2000000, "gc": {"ns": 500000, "collections": [5, 0, 1]}},
                         {"elapsed_ns": 1000000, "gc": {"ns": 100000, "collections": [1, 0, 0]}}]}"#,
        ));
        assert_eq!(collected.iter().map(|r| r.value).collect::<Vec<_>>(), [Some(2.0), Some(0.5)]);

        let wrong =
            waits.read_answer(answer(r#"{"runs": [], "error": "wrong answer: 99 of 100 tasks joined"}"#));
        assert_eq!(wrong[0].value, None);
        assert_eq!(wrong[0].reason.as_deref(), Some("wrong answer: 99 of 100 tasks joined"));

        let crashed = waits.read_answer(Err("killed after 120 s without an answer".into()));
        assert!(crashed[0].reason.as_deref().unwrap().starts_with("failed: killed after"), "{crashed:?}");

        let memory = point(Read::Rss);
        let reading = format!(
            r#"{{"runs": [{{"elapsed_ns": 5}}], "memory": {{"{}": 1500, "{}": 1400}}}}"#,
            IDLE_RSS.id, IDLE_PSS.id
        );
        let both = memory.read_answer(answer(&reading));
        assert_eq!(
            both.iter().map(|r| (r.metric.as_str(), r.value)).collect::<Vec<_>>(),
            [(IDLE_RSS.id, Some(1500.0)), (IDLE_PSS.id, Some(1400.0)), (IDLE_LARGEST_N.id, None)]
        );
        assert_eq!(both[2].reason.as_deref(), Some("failed: the script gave no started in its answer"));
        // The largest N held: as many as asked for, or fewer and what stopped the next.
        let all = memory.read_answer(answer(
            r#"{"runs": [{"elapsed_ns": 5, "answer": {"started": 1000, "error": null}}]}"#,
        ));
        let all = all.iter().find(|r| r.metric == IDLE_LARGEST_N.id).unwrap();
        assert_eq!((all.value, all.n), (Some(1000.0), None));
        // A figure's note rides in its reason.
        assert_eq!(all.reason.as_deref(), Some("largest size tried; no limit reached"));
        let stopped = memory.read_answer(answer(
            r#"{"runs": [{"elapsed_ns": 5, "answer": {"started": 812, "error": "thread 813 refused: can't start new thread"}}]}"#,
        ));
        let stopped = stopped.iter().find(|r| r.metric == IDLE_LARGEST_N.id).unwrap();
        assert_eq!(stopped.value, Some(812.0));
        assert_eq!(stopped.reason.as_deref(), Some("past it: thread 813 refused: can't start new thread"));
        // The web server's figure comes from the load generator, never from an answer.
        let served = point(Read::Served);
        assert_eq!(served.workload.id, HTTP_SERVER.id);
        let read = served.read_answer(answer(r#"{"runs": [{"elapsed_ns": 5}]}"#));
        assert!(read[0].reason.as_deref().unwrap().contains("measured by the load generator"), "{read:?}");
        let per_unit = point(Read::NsPerUnit);
        let ns = per_unit.read_answer(answer(r#"{"runs": [{"elapsed_ns": 1000000}]}"#));
        assert_eq!(ns[0].value, Some(1e6 / per_unit.point.n as f64));

        // W10: a rate over a parameter of the run, and the workers' longest waits as a
        // distribution, both from the median run (2 ms: the other runs' waits are not read).
        let lock = point(Read::PerSecond("increments"));
        let read = lock.read_answer(answer(
            r#"{"params": {"increments": 4000, "n": 4},
                "runs": [{"elapsed_ns": 1000000, "answer": {"longest_waits_ns": [1, 1, 1, 1]}},
                         {"elapsed_ns": 2000000, "answer": {"longest_waits_ns": [1000, 2000, 3000, 4000]}},
                         {"elapsed_ns": 3000000, "answer": {"longest_waits_ns": [9, 9, 9, 9]}}]}"#,
        ));
        assert_eq!(read[0].value, Some(2_000_000.0), "4 000 increments in 2 ms");
        assert_eq!(read[1].value, Some(2500.0), "the mean of the median run's waits");
        let dist = read[1].dist.expect("a distribution");
        assert_eq!(dist.count, 4);
        assert!((3_990.0..=4_010.0).contains(&dist.max), "{dist:?}");
        // A field the answer lacks is a reason, not a zero.
        let missing =
            lock.read_answer(answer(r#"{"params": {}, "runs": [{"elapsed_ns": 5, "answer": {}}]}"#));
        assert_eq!(missing[0].reason.as_deref(), Some("failed: the script gave no parameter increments"));
        assert_eq!(
            missing[1].reason.as_deref(),
            Some("failed: the script gave no longest_waits_ns in its answer")
        );
        let most = point(Read::Count(SEMAPHORE_MOST_AT_ONCE.id));
        let json = format!(
            r#"{{"runs": [{{"elapsed_ns": 80000000, "answer": {{"{}": 8}}}}]}}"#,
            SEMAPHORE_MOST_AT_ONCE.id
        );
        let read = most.read_answer(answer(&json));
        assert_eq!((read[0].value, read[1].value), (Some(8.0), Some(80.0)));
    }

    #[test]
    fn speedup_is_one_thread_over_each_way() {
        let wall = |model: &str, way: Way, ms: f64| {
            Record::value(model, &MANDELBROT_WALL_TIME, Some(2), ms)
                .with_variant(Some(&MANDELBROT_WAYS[way.index()]))
        };
        let figures = vec![
            wall("py-threading", Way::OneThread, 1000.0),
            wall("py-threading", Way::WorkQueue, 1000.0 / 0.9),
            wall("py-multiprocessing", Way::WorkQueue, 550.0),
            // A Rust model's figure is not a Python one's.
            wall("threads", Way::WorkQueue, 500.0),
        ];
        let derived = derive(&figures);
        let speedup = |model: &str| derived.iter().find(|r| r.model == model).and_then(|r| r.value).unwrap();
        assert!((speedup("py-threading") - 0.9).abs() < 1e-9);
        assert!((speedup("py-multiprocessing") - 1000.0 / 550.0).abs() < 1e-9);
        assert!(
            derived
                .iter()
                .all(|r| r.metric == MANDELBROT_SPEEDUP.id
                    && r.variant.as_deref() == Some(Way::WorkQueue.id()))
        );
    }

    /// The report's page reads the interpreter back out of the note the run writes.
    #[test]
    fn the_page_reads_the_interpreter_from_the_note() {
        let interpreter = Interpreter {
            program: PathBuf::from("python3"),
            version: "3.11.7".into(),
            implementation: "CPython".into(),
            gil: true,
            executable: "/usr/bin/python3.11".into(),
            libpython: "in the executable".into(),
        };
        let provenance = |note: String| report::Provenance { notes: vec![note], ..Default::default() };
        let found = provenance(Python::Found(interpreter.clone()).note());
        assert_eq!(report::html::python_words(&found), Some(interpreter.words()));
        let off = provenance(Python::Off.note());
        assert!(report::html::python_words(&off).is_some_and(|w| w.starts_with("off")));
    }

    #[test]
    fn a_missing_interpreter_is_a_reason_not_a_failure() {
        let missing = Python::find(Path::new("/nonexistent/python3"));
        assert!(
            matches!(&missing, Python::Missing(why) if why.contains("could not be started")),
            "{missing:?}"
        );
        assert!(missing.note().contains("not measured"));
        assert_eq!(missing.columns(2).len(), 3, "the columns stay, with the reason in every cell");
        assert!(Python::Off.columns(2).is_empty());
    }

    /// A script that answers wrong, or dies, gives its cell the error; the run goes on.
    #[test]
    fn a_failing_script_becomes_its_cells_reason() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let fake = |name: &str, body: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
            Interpreter {
                program: path,
                version: "3.11.0".into(),
                implementation: "CPython".into(),
                gil: true,
                executable: "/usr/bin/python3.11".into(),
                libpython: "in the executable".into(),
            }
        };
        let waits = point(Read::WallMs);
        let wrong =
            fake("wrong", r#"echo '{"runs": [], "error": "wrong answer: 99 of 100 tasks joined"}'; exit 1"#);
        let records = measure_point(&wrong, &waits, 2);
        assert_eq!(records[0].reason.as_deref(), Some("wrong answer: 99 of 100 tasks joined"), "{records:?}");

        let raised = fake(
            "raised",
            "echo 'Traceback (most recent call last):' >&2; echo 'ZeroDivisionError: division by zero' >&2; exit 3",
        );
        let records = measure_point(&raised, &waits, 2);
        let why = records[0].reason.as_deref().unwrap();
        assert!(why.starts_with("failed: ") && why.contains("ZeroDivisionError"), "{why}");
        assert_eq!(records[0].value, None);

        let fine = fake("fine", r#"echo '{"runs": [{"elapsed_ns": 150000000}]}'"#);
        assert_eq!(measure_point(&fine, &waits, 2)[0].value, Some(150.0));
    }
}
