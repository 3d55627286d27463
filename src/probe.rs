//! W4's measurement, in a child process per size.
//!
//! Why a child process: memory is a property of the whole process, so each size needs a
//! fresh one (bytes per task = (RSS(N) − RSS(1)) / N, two processes); and starting threads
//! until the OS refuses can make the standard library abort the process (see
//! `model_threads::idle`), which must end one measurement, not the harness.
//!
//! - Child side: [`measure`], called by the `probe` binary, runs the workload and returns a
//!   [`ProbeReport`], which the binary prints as one JSON line.
//! - Parent side: [`run_child`] starts the binary, bounds it in time and reads the line;
//!   [`find_thread_limit`] searches for the largest thread count a process can hold.

use std::io::{self, Read};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use workloads::Model;

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
/// The child ran past `timeout` (it is killed), died (a signal, such as the abort past the
/// thread limit), exited with an error, or printed no report; the message says which, with
/// the first line of what it printed on stderr.
pub fn run_child(
    exe: &Path,
    model: ModelId,
    n: usize,
    workers: usize,
    timeout: Duration,
) -> Result<ProbeReport, String> {
    let mut child = Command::new(exe)
        .args(["--model", model.as_str(), "--tasks", &n.to_string(), "--workers", &workers.to_string()])
        // A backtrace per aborting thread would bury the one line we keep.
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start {}: {e}", exe.display()))?;

    // Read both pipes on their own threads while we wait: a child that fills a pipe nobody
    // reads would block forever.
    let out = read_to_end(child.stdout.take().expect("piped"));
    let err = read_to_end(child.stderr.take().expect("piped"));

    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Ok(status),
            Ok(None) if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break Err(format!("killed after {} s without an answer", timeout.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => break Err(format!("could not wait for the probe: {e}")),
        }
    };
    let out = out.join().unwrap_or_default();
    let err = err.join().unwrap_or_default();
    let status = status?;

    let report = out.lines().rev().find_map(|line| serde_json::from_str::<ProbeReport>(line).ok());
    match (status.code(), report) {
        (Some(0 | EXIT_LIMIT), Some(report)) => Ok(report),
        (_, _) => Err(describe_failure(status, &err)),
    }
}

/// Reads a pipe to its end on a thread of its own, as text.
fn read_to_end(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    })
}

/// One line on how a child ended badly: the exit code or signal, and its first complaint.
fn describe_failure(status: ExitStatus, stderr: &str) -> String {
    use std::os::unix::process::ExitStatusExt;
    let how = match (status.code(), status.signal()) {
        (Some(code), _) => format!("probe exited with code {code}"),
        (None, Some(6)) => "probe aborted (SIGABRT)".to_owned(),
        (None, Some(9)) => "probe killed (SIGKILL, out of memory?)".to_owned(),
        (None, Some(signal)) => format!("probe died by signal {signal}"),
        (None, None) => "probe ended without a status".to_owned(),
    };
    // The most telling line: a panic message, else the last non-empty line.
    let lines: Vec<&str> = stderr.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let panic_at = lines.iter().position(|l| l.contains("panicked at"));
    let why = match panic_at {
        Some(i) => lines.get(i + 1).copied(),
        None => lines.last().copied(),
    };
    match why {
        Some(why) => format!("{how}: {why}"),
        None => how,
    }
}

/// The largest number of threads one process held, and what happened past it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadLimit {
    /// The largest count that started, waited and joined cleanly.
    pub largest: usize,
    /// "past it: " and what happened one step further (the OS's refusal, the abort), or
    /// that no limit was reached below the ceiling.
    pub past_it: String,
    /// Probe runs the search took.
    pub probes: usize,
}

/// Searches for the largest thread count a process can hold, between `known_good` (a count
/// already seen to work) and `ceiling`, to within 0.5%.
///
/// A run past the limit either reports the refusal cleanly (then its `started` *is* the
/// answer) or aborts; in that case a bisection narrows the answer down with fresh processes.
pub fn find_thread_limit(
    exe: &Path,
    workers: usize,
    known_good: usize,
    ceiling: usize,
    timeout: Duration,
) -> ThreadLimit {
    let run = |n: usize| run_child(exe, ModelId::Threads, n, workers, timeout);
    let mut probes = 1;
    let first_failure = match run(ceiling) {
        Ok(report) if report.error.is_none() => {
            return ThreadLimit {
                largest: ceiling,
                past_it: format!("no limit reached below {ceiling}"),
                probes,
            };
        }
        Ok(report) => {
            // The OS refused a thread and the process survived to say so.
            let past_it = format!("past it: {}", report.error.unwrap_or_default());
            return ThreadLimit { largest: report.started, past_it, probes };
        }
        Err(failure) => failure,
    };
    let (mut good, mut bad) = (known_good, ceiling);
    while bad - good > good / 200 {
        let middle = good + (bad - good) / 2;
        probes += 1;
        match run(middle) {
            Ok(report) if report.error.is_none() => good = middle,
            Ok(report) => {
                let past_it = format!("past it: {}", report.error.unwrap_or_default());
                return ThreadLimit { largest: report.started, past_it, probes };
            }
            Err(_) => bad = middle,
        }
    }
    ThreadLimit { largest: good, past_it: format!("past it: {bad} threads: {first_failure}"), probes }
}
