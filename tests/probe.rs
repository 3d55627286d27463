//! The `probe` binary: W4 in a child process, its answers, its limits and its errors.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use concurrency_models::models::ModelId;
use concurrency_models::probe::{find_limit, run_child};

const PROBE: &str = env!("CARGO_BIN_EXE_probe");
const TIMEOUT: Duration = Duration::from_secs(60);

fn workers() -> usize {
    workloads::workers::worker_threads().expect("valid BENCH_WORKERS")
}

/// For every model that holds waiting tasks, the probe reports exactly N started and N
/// joined, and a resident set that grew while they waited.
#[test]
fn reports_a_count_equal_to_n() {
    for model in [ModelId::Threads, ModelId::Tokio, ModelId::TokioCt, ModelId::AsyncStd, ModelId::Smol] {
        let n = if model == ModelId::Threads { 200 } else { 5_000 };
        let report = run_child(Path::new(PROBE), model, n, workers(), TIMEOUT).unwrap();
        assert_eq!((report.started, report.joined, &report.error), (n, n, &None), "{model}");
        assert!(report.at_peak.peak_rss_kib > report.before.rss_kib, "{model}: {report:?}");
    }
}

/// Models that cannot hold waiting tasks say so in the report instead of a count.
#[test]
fn reports_why_a_model_holds_none() {
    for model in [ModelId::Sequential, ModelId::Rayon] {
        let report = run_child(Path::new(PROBE), model, 10, workers(), TIMEOUT).unwrap();
        assert_eq!(report.started, 0);
        assert!(report.skipped.as_deref().is_some_and(|why| !why.is_empty()), "{model}: {report:?}");
    }
}

/// Bad input exits with code 2 and a message that lists the valid values.
#[test]
fn bad_input_exits_2_with_the_valid_values() {
    let cases: [&[&str]; 5] = [
        &["--model", "goroutines", "--tasks", "10"],
        &["--model", "tokio", "--tasks", "0"],
        &["--model", "tokio", "--tasks", "99999999999"],
        &["--model", "tokio"],
        &["--tasks", "10"],
    ];
    for args in cases {
        let output = Command::new(PROBE).args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("sequential|threads|rayon|tokio|tokio-ct|async-std|smol"),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains("--tasks 1 to 10000000"), "{args:?}: {stderr}");
    }
}

/// Asking for more threads than a process can hold ends that probe (the standard library
/// may abort it), never the caller: the search reports the largest count that worked and
/// what happened past it.
#[test]
fn the_thread_limit_is_found_and_survived() {
    let limit = find_limit(Path::new(PROBE), ModelId::Threads, workers(), 1_000, 100_000, TIMEOUT);
    assert!((1_000..=100_000).contains(&limit.largest), "{limit:?}");
    // Here the limit is near 16 000 threads; a machine that allows more says so.
    let explained = limit.past_it.starts_with("past it: ") || limit.past_it.starts_with("no limit reached");
    assert!(explained, "{limit:?}");
    assert!(limit.probes >= 2, "{limit:?}");
    // The child that died past the limit was seen with nearly as many threads: the search
    // brackets the limit there, a few probes, not a bisection from 1 000 to 100 000 (13).
    assert!(limit.probes <= 8, "{limit:?}");
    eprintln!("{limit:?}");
}

/// The processes model's search runs the same way: below its limit (the open files of the
/// parent, about 10 000 processes here), a small ceiling is held and said to be no limit.
#[test]
fn the_process_search_holds_a_small_ceiling() {
    let limit = find_limit(Path::new(PROBE), ModelId::Processes, workers(), 20, 200, TIMEOUT);
    assert_eq!(limit.largest, 200, "{limit:?}");
    assert!(limit.past_it.starts_with("no limit reached below 200"), "{limit:?}");
}
