//! W16–W18's measurement: one CPU-bound kernel, run by one model with a given number of
//! worker threads, each of the model's ways, timed by the wall clock and by the CPU time
//! the whole process spent.
//!
//! Each (model, worker count) runs in a process of its own (the `kernels` binary), for
//! three reasons: async-std's runtime and the `blocking` crate's pool (behind smol's
//! `unblock` and async-std's `spawn_blocking`) read their thread counts once per process,
//! so a sweep over worker counts needs a fresh process per count; the process's CPU time
//! (`getrusage`) then counts only the kernel's threads; and a limit hit in the child ends
//! that measurement, not the run. [`run_child`] is the parent's side.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::ValueEnum;
use serde::{Deserialize, Serialize};
use workloads::catalogue::{Metric, Variant, Workload};
use workloads::cpu::Way;
use workloads::hashing::{self, Blocks};
use workloads::mandelbrot::{self, Mandelbrot};
use workloads::merge_sort::{self, Fingerprint};
use workloads::{Model, NotRun, Profile, WrongAnswer};

use crate::child;
use crate::models::ModelId;

/// One child may run this long before it is killed and its figures reported as failed.
pub const CHILD_TIMEOUT: Duration = Duration::from_secs(300);

/// The environment variable the `blocking` crate reads its pool size from, once per
/// process: the parent sets it to the worker count, so smol's and async-std's offloaded
/// ways compute on as many threads as every other model.
pub const BLOCKING_THREADS_ENV: &str = "BLOCKING_MAX_THREADS";

/// The three CPU-bound kernels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kernel {
    /// W16: the Mandelbrot set, a row per unit (uneven units).
    Mandelbrot,
    /// W17: a merge sort, leaves then merges.
    MergeSort,
    /// W18: SHA-256 of 64 KiB blocks, a block per unit (even units).
    Hashing,
}

impl Kernel {
    /// Every kernel, in course order.
    pub const ALL: [Kernel; 3] = [Kernel::Mandelbrot, Kernel::MergeSort, Kernel::Hashing];

    /// What the kernel declares, from its module.
    pub fn spec(self) -> &'static workloads::cpu::Declared {
        match self {
            Kernel::Mandelbrot => &workloads::mandelbrot::DECLARED,
            Kernel::MergeSort => &workloads::merge_sort::DECLARED,
            Kernel::Hashing => &workloads::hashing::DECLARED,
        }
    }

    /// The kernel's workload in the catalogue.
    pub fn workload(self) -> &'static Workload {
        self.spec().ids.workload
    }

    /// The kernel's variant for `way`.
    pub fn variant(self, way: Way) -> &'static Variant {
        self.spec().variant(way)
    }

    /// Its figures: wall time, CPU time, speedup, efficiency.
    pub fn metrics(self) -> [&'static Metric; 4] {
        self.spec().metrics()
    }

    /// The size of `profile`: pixels per side, numbers, or blocks.
    pub fn size(self, profile: Profile) -> usize {
        match self {
            Kernel::Mandelbrot => Mandelbrot::new(profile).width,
            Kernel::MergeSort => merge_sort::len(profile),
            Kernel::Hashing => hashing::block_count(profile),
        }
    }

    /// The kernel's id on the command line and in results.
    pub fn id(self) -> &'static str {
        self.workload().id
    }
}

/// A kernel's input, built once and shared by every run.
pub enum Input {
    /// The image to draw.
    Mandelbrot(Arc<Mandelbrot>),
    /// The numbers to sort, and their fingerprint.
    MergeSort(Arc<[u64]>, Fingerprint),
    /// The blocks to hash.
    Hashing(Arc<Blocks>),
}

impl Input {
    /// The input of `kernel` at `size` (pixels per side, numbers, blocks).
    pub fn new(kernel: Kernel, size: usize) -> Input {
        match kernel {
            Kernel::Mandelbrot => {
                let iterations = Mandelbrot::new(Profile::Full).max_iterations;
                Input::Mandelbrot(Arc::new(Mandelbrot::with_size(size, iterations)))
            }
            Kernel::MergeSort => {
                let numbers: Arc<[u64]> = merge_sort::input(size).into();
                let fingerprint = merge_sort::fingerprint(&numbers);
                Input::MergeSort(numbers, fingerprint)
            }
            Kernel::Hashing => Input::Hashing(Arc::new(Blocks::new(size))),
        }
    }

    /// The size as people read it.
    pub fn label(&self) -> String {
        match self {
            Input::Mandelbrot(image) => image.label(),
            Input::MergeSort(numbers, _) => merge_sort::label(numbers.len()),
            Input::Hashing(blocks) => blocks.label(),
        }
    }

    /// The expected checksum, computed one unit after another (none for the sort, whose
    /// check is the order and the fingerprint).
    pub fn expected(&self) -> Option<u64> {
        match self {
            Input::Mandelbrot(image) => Some(image.expected()),
            Input::MergeSort(..) => None,
            Input::Hashing(blocks) => Some(blocks.expected()),
        }
    }

    /// Runs the kernel once on `model` the `way` way, and checks the answer against
    /// `expected`, or [`Input::expected`] when none is given (for the sort, against the
    /// input's fingerprint).
    pub fn run(
        &self,
        model: &dyn Model,
        way: Way,
        expected: Option<u64>,
    ) -> Result<Result<(), WrongAnswer>, NotRun> {
        // Without an expected answer, compute it here: a check never compares a result
        // with itself.
        Ok(match self {
            Input::Mandelbrot(image) => {
                let got = model.mandelbrot(image, way)?;
                mandelbrot::check(expected.unwrap_or_else(|| image.expected()), got)
            }
            Input::MergeSort(numbers, fingerprint) => {
                let sorted = model.merge_sort(numbers, way)?;
                merge_sort::check(fingerprint, &sorted)
            }
            Input::Hashing(blocks) => {
                let got = model.hash_blocks(blocks, way)?;
                hashing::check(expected.unwrap_or_else(|| blocks.expected()), got)
            }
        })
    }
}

/// What one way gave: every run's wall and CPU time, or why there is none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WayResult {
    /// The way's id.
    pub way: String,
    /// Each run's wall time, in nanoseconds.
    pub wall_ns: Vec<u64>,
    /// Each run's CPU time (user + system, every thread of the process), in nanoseconds.
    pub cpu_ns: Vec<u64>,
    /// The model's reason for not running this way.
    pub skipped: Option<String>,
    /// A wrong answer: the run has no figure.
    pub wrong: Option<String>,
}

impl WayResult {
    /// The median run's wall and CPU time (the CPU time of the run whose wall time is the
    /// median, so the two describe the same run).
    pub fn median(&self) -> Option<(Duration, Duration)> {
        let mut order: Vec<usize> = (0..self.wall_ns.len()).collect();
        order.sort_by_key(|&i| self.wall_ns[i]);
        let i = *order.get(order.len() / 2)?;
        Some((Duration::from_nanos(self.wall_ns[i]), Duration::from_nanos(self.cpu_ns[i])))
    }
}

/// What a child prints: one kernel, one model, one worker count, each way asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KernelReport {
    /// The kernel's id.
    pub kernel: String,
    /// The model's id.
    pub model: String,
    /// Threads that computed.
    pub workers: usize,
    /// The input's size, as people read it.
    pub label: String,
    /// One result per way, in the order asked.
    pub results: Vec<WayResult>,
}

/// Runs each of `ways` `runs` times on `model` and times every run. The first wrong answer
/// stops that way.
pub fn measure(
    model: &dyn Model,
    input: &Input,
    ways: &[Way],
    runs: usize,
    expected: Option<u64>,
) -> Vec<WayResult> {
    ways.iter()
        .map(|&way| {
            let mut result = WayResult { way: way.id().to_owned(), ..WayResult::default() };
            for _ in 0..runs.max(1) {
                let cpu_before = cpu_time();
                let start = Instant::now();
                let outcome = input.run(model, way, expected);
                let wall = start.elapsed();
                let cpu = cpu_time().saturating_sub(cpu_before);
                match outcome {
                    Err(not_run) => {
                        result.skipped = Some(not_run.to_string());
                        break;
                    }
                    Ok(Err(wrong)) => {
                        result.wrong = Some(wrong.to_string());
                        break;
                    }
                    Ok(Ok(())) => {
                        result.wall_ns.push(wall.as_nanos() as u64);
                        result.cpu_ns.push(cpu.as_nanos() as u64);
                    }
                }
            }
            result
        })
        .collect()
}

/// The CPU time this process has spent so far, user and system, all threads, and that of
/// the worker processes it has waited for (a model that computes in processes of its own
/// spends its CPU time there; every one is waited for before its run returns).
pub fn cpu_time() -> Duration {
    use nix::sys::resource::{UsageWho, getrusage};
    let spent = |who| match getrusage(who) {
        Ok(usage) => {
            let micros = |t: nix::sys::time::TimeVal| t.tv_sec() as u64 * 1_000_000 + t.tv_usec() as u64;
            Duration::from_micros(micros(usage.user_time()) + micros(usage.system_time()))
        }
        // getrusage cannot fail on Linux for these; a zero would show as "no CPU time".
        Err(_) => Duration::ZERO,
    };
    spent(UsageWho::RUSAGE_SELF) + spent(UsageWho::RUSAGE_CHILDREN)
}

/// What the parent asks a child to do.
pub struct ChildJob<'a> {
    /// The kernel.
    pub kernel: Kernel,
    /// The model.
    pub model: ModelId,
    /// Its worker count.
    pub workers: usize,
    /// The ways to run.
    pub ways: &'a [Way],
    /// The input's size.
    pub size: usize,
    /// Runs per way.
    pub runs: usize,
    /// The expected checksum, computed once by the parent.
    pub expected: Option<u64>,
}

/// Runs the `kernels` binary at `exe` for one job, bounded by [`CHILD_TIMEOUT`], with the
/// `blocking` pool sized to the job's worker count.
///
/// # Errors
/// As [`child::run_json`]: the child ran past its time, died, or printed no report.
pub fn run_child(exe: &Path, job: &ChildJob<'_>) -> Result<KernelReport, String> {
    let ways: Vec<&str> = job.ways.iter().map(|w| w.id()).collect();
    let mut args = vec![
        "--kernel".to_owned(),
        job.kernel.to_possible_value().expect("every kernel has a name").get_name().to_owned(),
        "--model".to_owned(),
        job.model.as_str().to_owned(),
        "--workers".to_owned(),
        job.workers.to_string(),
        "--way".to_owned(),
        ways.join(","),
        "--size".to_owned(),
        job.size.to_string(),
        "--runs".to_owned(),
        job.runs.to_string(),
        "--json".to_owned(),
    ];
    if let Some(expected) = job.expected {
        args.extend(["--expect".to_owned(), expected.to_string()]);
    }
    let env = [(BLOCKING_THREADS_ENV, job.workers.to_string())];
    child::run_json_with_env(exe, &args, &env, &[0], CHILD_TIMEOUT)
}
