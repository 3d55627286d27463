//! The `compare` binary: two saved runs in, the comparison out; a file that is missing or
//! not a run gives one line naming it, and exit code 2.

use std::process::Command;

const COMPARE: &str = env!("CARGO_BIN_EXE_compare");
const RUN_A: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/crates/report/tests/fixtures/run-a.json");
const RUN_B: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/crates/report/tests/fixtures/run-b.json");

/// Two saved runs: exit 0, and the summary, the swap and both file names in the output.
#[test]
fn compares_two_saved_runs() {
    let output = Command::new(COMPARE).args([RUN_A, RUN_B]).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("## Summary"), "{stdout}");
    assert!(stdout.contains("| All figures | 11 | 8 | 10 | 0 | 1 | 4 | 1 | 1 |"), "{stdout}");
    assert!(stdout.contains("Context switching: threads and tokio swap"));
    assert!(stdout.contains(&format!("| File | `{RUN_A}` | `{RUN_B}` |")));
    assert!(!stdout.contains("## Every figure"));

    let all = Command::new(COMPARE).args([RUN_A, RUN_B, "--all"]).output().unwrap();
    assert_eq!(all.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&all.stdout).contains("## Every figure, by workload"));
}

/// A missing file: exit 2, one line that names it.
#[test]
fn a_missing_file_exits_2_and_names_it() {
    let missing = concat!(env!("CARGO_MANIFEST_DIR"), "/no-such-dir/results.json");
    let output = Command::new(COMPARE).args([RUN_A, missing]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with("error: cannot read ") && stderr.contains(missing), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(output.stdout.is_empty());
}

/// JSON that is not a run, and text that is not JSON: exit 2, one line naming the file.
#[test]
fn a_file_that_is_not_a_run_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [("other.json", r#"{"name": "not a report"}"#), ("broken.json", "{ not json")] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let output = Command::new(COMPARE).arg(&path).arg(RUN_B).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(&format!("error: {} is not a saved run", path.display())), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
}
