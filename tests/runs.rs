//! Whole runs of the harness, into a temporary report folder: what a user's earlier
//! measurements become after a filtered run, and after a filter that matches nothing.

use std::fs;
use std::path::Path;

use criterion::Criterion;
use harness::{self, EXIT_BAD_INPUT, EXIT_OK, args::Args};
use report::rows::Stat;
use report::{Column, Part, Provenance, Record, Report, Stamp, write_report};
use workloads::catalogue::Placement;
use workloads::ping_pong::{PING_PONG, PING_PONG_ROUND_TRIP};
use workloads::spawn_join::SPAWN_NS_PER_TASK;
use workloads::waits::WAITS_WALL_TIME;

const PROBE: &str = env!("CARGO_BIN_EXE_probe");

/// One whole run at a time: a run pins every thread of its process to one core while it
/// measures a hand-off, and the worker count of another run starting meanwhile would read
/// that one core.
static ONE_RUN_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The id of one quick benchmark: the sequential model's ping-pong, on one core.
fn ping_pong_id() -> String {
    format!("{}/sequential/{}/10000", PING_PONG.id, Placement::OneCore.id())
}

/// Runs the harness with `args` into `dir`, alone in this process.
fn run(list: &[&str], dir: &Path) -> u8 {
    let _alone = ONE_RUN_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    harness::run(args(list), Path::new(PROBE), dir, Criterion::default())
}

/// A report as an earlier full run would have left it, at another commit.
fn earlier_run(dir: &Path) -> Report {
    let provenance = Provenance {
        command: "cargo bench".to_owned(),
        date: "2026-01-01T00:00:00Z".to_owned(),
        commit: "0123456789ab".to_owned(),
        profile: "full".to_owned(),
        ..Provenance::default()
    };
    // Another machine's run (a stamp that names none): its figures are not comparable as
    // they are with this machine's.
    let stamp = Some(Stamp {
        date: provenance.date.clone(),
        commit: provenance.commit.clone(),
        profile: "quick".into(),
        workers: 2,
        machine: String::new(),
        idle: String::new(),
    });
    let records = vec![
        Record { measured: stamp.clone(), ..Record::value("tokio", &WAITS_WALL_TIME, Some(10), 101.0) },
        Record { measured: stamp.clone(), ..Record::value("tokio", &SPAWN_NS_PER_TASK, Some(10_000), 300.0) },
        Record {
            measured: stamp,
            ..Record::value("sequential", &PING_PONG_ROUND_TRIP, Some(10_000), 9.0)
                .with_placement(Some(Placement::OneCore))
        },
    ];
    let column = |id: &str| Column {
        id: id.to_owned(),
        name: id.to_owned(),
        concurrency: String::new(),
        best_for: String::new(),
        debugging: String::new(),
        workers: 2,
        part: if id == "sequential" { Part::Baseline } else { Part::Compared },
    };
    let report = Report {
        provenance,
        columns: vec![column("sequential"), column("tokio")],
        records,
        ..Report::default()
    };
    write_report(dir, &report).unwrap();
    report
}

fn args(list: &[&str]) -> Args {
    Args::parse(list.iter().map(|s| s.to_string())).unwrap()
}

/// After a full run, a run filtered to one benchmark replaces that figure only: every other
/// figure stays, with the date and commit of the run that measured it, and the table marks
/// it as older, and as measured under other conditions (another machine) than the new one.
#[test]
fn a_filtered_run_keeps_every_other_figure() {
    let dir = tempfile::tempdir().unwrap();
    let before = earlier_run(dir.path());
    let code = run(&["--quick", "--exact", &ping_pong_id()], dir.path());
    assert_eq!(code, EXIT_OK);

    let after: Report =
        serde_json::from_str(&fs::read_to_string(dir.path().join("results.json")).unwrap()).unwrap();
    for old in &before.records[..2] {
        assert!(after.records.contains(old), "kept as it was: {old:?}");
    }
    let ping = after
        .record_at("sequential", &PING_PONG_ROUND_TRIP, None, Some(Placement::OneCore), 10_000)
        .expect("measured again");
    assert_ne!(ping.value, Some(9.0));
    // A quick run measures in one round: a figure, and no spread to show.
    assert!(ping.rounds.len() <= 1, "a quick run measures in one round: {ping:?}");
    assert!(ping.spread(Stat::Value).is_none(), "{ping:?}");
    assert!(after.is_other_conditions(&after.records[0]) && !after.is_other_conditions(ping));
    assert_ne!(ping.measured, before.records[2].measured, "stamped with the new run");
    // The run says how its cores idled (kept awake where it may write the kernel's latency
    // request, by default elsewhere), stamps its figures with it, and says how much CPU time
    // the host took.
    assert!(matches!(after.provenance.idle.as_str(), "awake" | "default"), "{:?}", after.provenance);
    assert_eq!(ping.measured.as_ref().unwrap().idle, after.provenance.idle);
    assert!(after.provenance.steal.is_some_and(|s| (0.0..=1.0).contains(&s)), "{:?}", after.provenance);
    assert!(!after.is_older(ping) && after.is_older(&after.records[0]));
    assert_eq!(after.earlier_runs.len(), 1);
    assert_eq!(after.earlier_runs[0].commit, before.provenance.commit);

    let md = fs::read_to_string(dir.path().join("REPORT.md")).unwrap();
    let spawn_row = md.lines().find(|l| l.starts_with("| **Spawn cost**")).unwrap();
    assert!(spawn_row.contains("| 300 ns † ‡ |"), "{spawn_row}");
    assert!(md.contains("‡ measured under other conditions than the latest run (quick profile"), "{md}");
    assert!(md.contains("### Earlier runs"));
}

/// A filter that matches no benchmark id is bad input: exit code 2, and the report is left
/// exactly as it was.
#[test]
fn a_filter_that_matches_nothing_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    earlier_run(dir.path());
    let read = |name: &str| fs::read(dir.path().join(name)).unwrap();
    let (json, md) = (read("results.json"), read("REPORT.md"));
    let code = run(&["nomatch"], dir.path());
    assert_eq!(code, EXIT_BAD_INPUT);
    assert_eq!(read("results.json"), json);
    assert_eq!(read("REPORT.md"), md);
}

/// `--list` prints the ids and measures nothing: the report is left as it was.
#[test]
fn listing_measures_nothing() {
    let dir = tempfile::tempdir().unwrap();
    earlier_run(dir.path());
    let before = fs::read(dir.path().join("results.json")).unwrap();
    let code = run(&["--list"], dir.path());
    assert_eq!(code, EXIT_OK);
    assert_eq!(fs::read(dir.path().join("results.json")).unwrap(), before);
}

/// A full run measures a criterion benchmark once per round (five for W3's one-core
/// placement), and every round reads
/// criterion's own estimate (criterion files a benchmark id it has already measured in this
/// process under a folder of its own, which the harness follows): each round's figure comes
/// with criterion's interval, never with a mean of its own.
#[test]
fn every_round_reads_criterions_estimate() {
    let dir = tempfile::tempdir().unwrap();
    let started = std::time::SystemTime::now();
    let code = run(&["--exact", &ping_pong_id()], dir.path());
    assert_eq!(code, EXIT_OK);
    // criterion wrote an estimate for each round, in the folders it chose.
    let function = harness::target_dir()
        .join("criterion")
        .join(PING_PONG_ROUND_TRIP.workload.id)
        .join(format!("sequential_{}", Placement::OneCore.id()));
    // Five rounds: W3 is noisy ([`workloads::spec::NOISY`] extra rounds, at the table's
    // placement, pinned to one core).
    let rounds = 3 + workloads::spec::NOISY;
    let folders = std::iter::once("10000".to_owned()).chain((2..=rounds).map(|r| format!("10000_{r}")));
    for folder in folders {
        let estimates = function.join(folder).join("new/estimates.json");
        let written = fs::metadata(&estimates).and_then(|m| m.modified());
        assert!(written.is_ok_and(|t| t >= started), "{} not written by this run", estimates.display());
    }
    let after: Report =
        serde_json::from_str(&fs::read_to_string(dir.path().join("results.json")).unwrap()).unwrap();
    let ping = after
        .record_at("sequential", &PING_PONG_ROUND_TRIP, None, Some(Placement::OneCore), 10_000)
        .expect("measured");
    assert_eq!(ping.rounds.len(), rounds, "{ping:?}");
    assert!(ping.ci.is_some() && ping.reason.is_none(), "criterion's estimate, no note: {ping:?}");
}

/// A Python column's CPU speedup is over Python's own one-thread time, never over the Rust
/// sequential model's (whose image is larger): one speedup per Python way, and no Rust
/// speedup or efficiency derived from a Python wall time.
#[test]
fn python_speedups_are_over_python_alone() {
    use workloads::cpu::Way;
    use workloads::mandelbrot::{MANDELBROT_EFFICIENCY, MANDELBROT_SPEEDUP, MANDELBROT_WALL_TIME};
    let dir = tempfile::tempdir().unwrap();
    let filter = format!("{}/(sequential|py-)", MANDELBROT_WALL_TIME.workload.id);
    let code = run(&["--test", &filter], dir.path());
    assert_eq!(code, EXIT_OK);
    let report: Report =
        serde_json::from_str(&fs::read_to_string(dir.path().join("results.json")).unwrap()).unwrap();
    let python = |r: &&Record| r.model.starts_with("py-") && r.workload == MANDELBROT_WALL_TIME.workload.id;
    let baseline = report
        .records
        .iter()
        .filter(python)
        .find(|r| r.metric == MANDELBROT_WALL_TIME.id && r.variant.as_deref() == Some(Way::OneThread.id()))
        .and_then(|r| r.value);
    let Some(baseline) = baseline else {
        eprintln!("no Python one-thread figure (no python3 here?): nothing to check");
        return;
    };
    let speedups: Vec<&Record> =
        report.records.iter().filter(python).filter(|r| r.metric == MANDELBROT_SPEEDUP.id).collect();
    assert!(!speedups.is_empty(), "{:?}", report.records);
    for speedup in &speedups {
        let wall = report
            .records
            .iter()
            .filter(python)
            .find(|r| {
                r.metric == MANDELBROT_WALL_TIME.id
                    && r.model == speedup.model
                    && r.variant == speedup.variant
            })
            .and_then(|r| r.value)
            .expect("a speedup has its wall time");
        let expected = baseline / wall;
        assert!((speedup.value.unwrap() - expected).abs() < 1e-9 * expected, "{speedup:?}: not {expected}");
        let twins =
            speedups.iter().filter(|s| s.model == speedup.model && s.variant == speedup.variant).count();
        assert_eq!(twins, 1, "one speedup per Python way: {speedups:?}");
    }
    assert!(!report.records.iter().filter(python).any(|r| r.metric == MANDELBROT_EFFICIENCY.id));
}
