//! End-to-end: a small report written to a temporary directory, and provenance collected
//! where there is nothing to collect.

use std::fs;

use report::{Column, NamedSize, Part, Provenance, Record, Report, write_report};
use workloads::idle::IDLE_RSS;
use workloads::ping_pong::PING_PONG_ROUND_TRIP;
use workloads::spawn_join::SPAWN_NS_PER_TASK;
use workloads::waits::{WAITS_SPEEDUP, WAITS_WALL_TIME};

fn column(id: &str, name: &str) -> Column {
    Column {
        id: id.to_owned(),
        name: name.to_owned(),
        concurrency: format!("{name}'s model"),
        best_for: "tests".to_owned(),
        debugging: "a debugger".to_owned(),
        workers: 4,
        part: if id == "sequential" { Part::Baseline } else { Part::Compared },
    }
}

fn sample() -> Report {
    Report {
        provenance: Provenance {
            command: "cargo bench -- --quick".to_owned(),
            profile: "quick".to_owned(),
            notes: vec!["a note for the reader".to_owned()],
            ..Provenance::default()
        },
        columns: vec![column("sequential", "sequential"), column("tokio-ct", "tokio (current thread)")],
        sizes: vec![NamedSize::new(&WAITS_SPEEDUP, 10, "10 waits of 100 ms".to_owned())],
        records: vec![
            Record::value("sequential", &WAITS_WALL_TIME, Some(10), 1_003.0),
            Record::value("tokio-ct", &WAITS_WALL_TIME, Some(10), 101.0).with_ci(100.5, 101.6),
            Record::reason("sequential", &WAITS_WALL_TIME, Some(10_000), "would take 17 minutes"),
            Record::value("tokio-ct", &SPAWN_NS_PER_TASK, Some(10_000), 183.0),
            Record::value("tokio-ct", &PING_PONG_ROUND_TRIP, Some(10_000), 95.0),
            Record::value("tokio-ct", &IDLE_RSS, Some(100_000), 412.0),
            // A workload this version's catalogue does not know: still shown, in its own section.
            Record {
                workload: "echo_server".to_owned(),
                metric: "echoes_per_second".to_owned(),
                unit: "req/s".to_owned(),
                ..Record::value("tokio-ct", &SPAWN_NS_PER_TASK, Some(64), 51_234.0)
            },
        ],
        ..Report::default()
    }
}

/// `write_report` writes results.json that reads back to the same report, REPORT.md with
/// the table, the provenance and a section for every workload (an unknown one included),
/// and one non-empty SVG per chart it links.
#[test]
fn writes_json_markdown_and_charts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("target/report");
    let report = sample();
    write_report(&out, &report).unwrap();

    let json = fs::read_to_string(out.join("results.json")).unwrap();
    assert_eq!(serde_json::from_str::<Report>(&json).unwrap(), report);

    let md = fs::read_to_string(out.join("REPORT.md")).unwrap();
    assert!(md.starts_with("# "));
    assert!(md.contains(&report::render_table(&report)));
    assert!(md.contains("| **Speedup over sequential** (10 waits of 100 ms) | ×1.0 (baseline) | ×9.9 |"));
    assert!(md.contains("## How these numbers were made\n\n- Command: `cargo bench -- --quick`"));
    assert!(md.contains("- a note for the reader\n"));
    for workload in [
        &workloads::waits::WAITS,
        &workloads::spawn_join::SPAWN_JOIN,
        &workloads::ping_pong::PING_PONG,
        &workloads::idle::IDLE,
    ] {
        let heading =
            format!("\n## {}: {} (`{}`)\n\n{}\n", workload.code, workload.title, workload.id, workload.what);
        assert!(md.contains(&heading), "section for {}", workload.id);
    }
    assert!(md.contains("\n## echo_server\n"), "a workload the catalogue does not know keeps its section");
    assert!(md.contains("| tokio (current thread) | `wall_time` | 10 | 101 ms | 100 ms – 102 ms |  |"));
    assert!(md.contains("| sequential | `wall_time` | 10 000 |  |  | would take 17 minutes |"));
    assert!(md.contains("| `echoes_per_second` | 64 | 51234.00 req/s |"));

    for chart in ["memory.svg", "context_switch.svg", "spawn.svg", "waits.svg"] {
        assert!(md.contains(&format!("](charts/{chart})")), "{chart} is linked");
        let svg = fs::read_to_string(out.join("charts").join(chart)).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("tokio (current thread)"), "{chart}");
    }
}

/// A report without records still writes its files, and writes no chart.
#[test]
fn empty_report_writes_no_charts() {
    let dir = tempfile::tempdir().unwrap();
    write_report(dir.path(), &Report::default()).unwrap();
    assert!(dir.path().join("results.json").is_file());
    assert!(dir.path().join("REPORT.md").is_file());
    assert!(!dir.path().join("charts").exists());
}

/// Outside a git repository and without Cargo.lock, collecting provenance does not panic:
/// the missing facts read `unknown` or are empty, and the given ones are kept.
#[test]
fn collect_without_git_or_lock_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = Provenance::collect(dir.path(), 4, "cargo bench".to_owned(), "smoke");
    assert_eq!(p.commit, "unknown");
    assert!(p.crates.is_empty());
    assert!(p.notes.is_empty());
    assert_eq!((p.command.as_str(), p.profile.as_str(), p.workers), ("cargo bench", "smoke", 4));
    assert!(p.date.ends_with('Z') && p.date.len() == "2025-01-01T00:00:00Z".len(), "{}", p.date);
    assert!(!p.rustc.is_empty() && !p.cpu.is_empty());
}
