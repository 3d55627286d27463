//! W4's measurement, in a child process per size.
//!
//! Why a child process: memory is a property of the whole process, so each size needs a
//! fresh one (bytes per task = (RSS(N) − RSS(1)) / N, two processes); and starting threads
//! until the OS refuses can make the standard library abort the process (see
//! `model_threads::idle`), which must end one measurement, not the harness.
//!
//! - Child side: [`measure`], called by the `probe` binary, runs the workload and returns a
//!   [`ProbeReport`], which the binary prints as one JSON line.
//! - Parent side: [`run_child`] starts the binary through the harness's child-process shape
//!   ([`child::run_json`]), which bounds it in time and reads the line;
//!   [`find_limit`] searches for the largest number of threads (or worker processes) a
//!   process can hold.

use std::io;
use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use workloads::Model;

use crate::child;
use crate::memory::Snapshot;
use crate::models::ModelId;

/// Exit code of the `probe` binary when a limit stopped the spawning (the report is still
/// printed, with `error` set).
pub const EXIT_LIMIT: i32 = 3;

/// What one probe run measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbeReport {
    /// Model id.
    pub model: String,
    /// Tasks asked for.
    pub requested: usize,
    /// Tasks that started and waited.
    pub started: usize,
    /// Tasks joined after the gate opened.
    pub joined: usize,
    /// Why spawning stopped short of `requested`, if it did.
    pub error: Option<String>,
    /// Why the model holds no waiting tasks at all, if it cannot.
    pub skipped: Option<String>,
    /// Memory before the first task was spawned.
    pub before: Snapshot,
    /// Memory with every task alive and waiting.
    pub at_peak: Snapshot,
    /// `MALLOC_ARENA_MAX` as set for the probe (glibc gives threads their own arenas).
    pub malloc_arena_max: Option<String>,
}

/// Runs W4 in this process with `n` tasks and reads memory before and at the peak.
///
/// # Errors
/// `/proc` could not be read, or the outcome was wrong (tasks lost or joined twice).
pub fn measure(model: &dyn Model, n: usize) -> io::Result<ProbeReport> {
    let before = Snapshot::now()?;
    let mut at_peak = Ok(before);
    let result = model.idle_tasks(n, &mut |_peak| at_peak = Snapshot::now());
    let mut report = ProbeReport {
        model: model.info().id.to_owned(),
        requested: n,
        started: 0,
        joined: 0,
        error: None,
        skipped: None,
        before,
        at_peak: at_peak?,
        malloc_arena_max: std::env::var("MALLOC_ARENA_MAX").ok(),
    };
    match result {
        Ok(outcome) => {
            workloads::idle::check(&outcome).map_err(io::Error::other)?;
            report.started = outcome.started;
            report.joined = outcome.joined;
            report.error = outcome.error;
        }
        Err(skip) => report.skipped = Some(skip.to_string()),
    }
    Ok(report)
}

/// Starts `probe --model MODEL --tasks N --workers W` and returns its report.
///
/// # Errors
/// As [`child::run_json`]: the child ran past `timeout`, died (the abort past the thread
/// limit), exited with an error, or printed no report.
pub fn run_child(
    exe: &Path,
    model: ModelId,
    n: usize,
    workers: usize,
    timeout: Duration,
) -> Result<ProbeReport, String> {
    run_child_counting(exe, model, n, workers, timeout).0
}

/// As [`run_child`], and the most threads the child was seen to have while it ran (from
/// `/proc/PID/status`, every 10 ms): for a child that aborted past the thread limit, about
/// how many it had started when it died, which no report says.
pub fn run_child_counting(
    exe: &Path,
    model: ModelId,
    n: usize,
    workers: usize,
    timeout: Duration,
) -> (Result<ProbeReport, String>, usize) {
    let args = ["--model", model.as_str(), "--tasks", &n.to_string(), "--workers", &workers.to_string()];
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let mut most = 0;
    let mut watch = |pid: u32| most = most.max(threads_of(pid).unwrap_or(0));
    let report = child::run_json_watched(exe, &args, &[], &[0, EXIT_LIMIT], timeout, &mut watch);
    (report, most)
}

/// The threads of process `pid` now, from the `Threads:` line of `/proc/PID/status`.
fn threads_of(pid: u32) -> Option<usize> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|line| line.strip_prefix("Threads:")?.trim().parse().ok())
}

/// The largest number of tasks (threads, or worker processes) one process held, and what
/// happened past it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit {
    /// The largest count that started, waited and joined cleanly.
    pub largest: usize,
    /// "past it: " and what happened one step further (the OS's refusal, the abort), or
    /// that no limit was reached below the ceiling.
    pub past_it: String,
    /// Probe runs the search took.
    pub probes: usize,
}

/// Searches for the largest number of tasks `model` can hold in one process (threads, or
/// worker processes it started), between `known_good` (a count already seen to work) and
/// `ceiling`, to within 1%.
///
/// A run past the limit either reports the refusal cleanly (then its `started` *is* the
/// answer) or aborts; in that case a bisection narrows the answer down with fresh processes.
pub fn find_limit(
    exe: &Path,
    model: ModelId,
    workers: usize,
    known_good: usize,
    ceiling: usize,
    timeout: Duration,
) -> Limit {
    let run = |n: usize| run_child(exe, model, n, workers, timeout);
    let mut probes = 1;
    let (first, most) = run_child_counting(exe, model, ceiling, workers, timeout);
    let first_failure = match first {
        Ok(report) if report.error.is_none() => {
            return Limit { largest: ceiling, past_it: format!("no limit reached below {ceiling}"), probes };
        }
        // The OS refused a thread and the process survived to say so.
        Ok(report) => return refused(report, probes),
        Err(failure) => failure,
    };
    let (mut good, mut bad) = (known_good, ceiling);
    // A child that aborted was seen with `most` threads shortly before it died: the limit
    // is near. Bracket it there (a few percent each side, each side tried once), so that the
    // search takes a few probes of the limit's size and not ten from `known_good` to
    // `ceiling`, each starting thousands of threads.
    // One probe at `n`: held (the limit is above), aborted (below), or refused cleanly,
    // which is the answer.
    let mut probe = |n: usize, good: &mut usize, bad: &mut usize| -> Option<Limit> {
        probes += 1;
        match run(n) {
            Ok(report) if report.error.is_none() => *good = n,
            Ok(report) => return Some(refused(report, probes)),
            Err(_) => *bad = n,
        }
        None
    };
    if most > known_good {
        let (low, high) = (most - most / 50, (most + most / 50 + 64).min(ceiling));
        for n in [high, low] {
            if n <= good || n >= bad {
                continue;
            }
            if let Some(limit) = probe(n, &mut good, &mut bad) {
                return limit;
            }
            // `high` held: the limit is above the bracket; the bisection goes on from there.
            if good == high {
                break;
            }
        }
    }
    while bad - good > good / 100 {
        let middle = good + (bad - good) / 2;
        if let Some(limit) = probe(middle, &mut good, &mut bad) {
            return limit;
        }
    }
    Limit { largest: good, past_it: format!("past it: {bad} tasks: {first_failure}"), probes }
}

/// The answer of a probe the OS refused cleanly: its `started` is the largest count held.
fn refused(report: ProbeReport, probes: usize) -> Limit {
    Limit {
        largest: report.started,
        past_it: format!("past it: {}", report.error.unwrap_or_default()),
        probes,
    }
}
