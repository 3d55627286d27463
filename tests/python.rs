//! The Python columns' own tests (`python/test_bench.py`, standard library only), run with
//! the machine's `python3` so that `cargo test --workspace` stays the one command that runs
//! every test. Where `python3` is missing or older than 3.9, the Python columns say so
//! instead of measuring, and this test says it skipped them.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// The suite takes about half a minute on 2 cores; past this it is killed and fails.
const LIMIT: Duration = Duration::from_secs(300);

/// The machine's Python, if it is 3.9 or later: its version line.
fn python() -> Option<String> {
    let out = Command::new("python3")
        .args(["-c", "import sys; print(sys.version_info >= (3, 9), sys.version.split()[0])"])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    text.strip_prefix("True ").map(str::to_owned)
}

#[test]
fn python_columns_pass_their_tests() {
    let Some(version) = python() else {
        eprintln!("python3 3.9 or later not found: the Python columns' tests are skipped");
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut child = Command::new("python3")
        .args([
            "-m",
            "unittest",
            "python/test_bench.py",
            "python/test_debugging.py",
            "python/test_solutions.py",
        ])
        .current_dir(root)
        .stdin(Stdio::null())
        .spawn()
        .expect("python3 starts");
    let status = match concurrency_models::child::wait_for(&mut child, LIMIT) {
        Ok(Some(status)) => status,
        Ok(None) => panic!("python/test_bench.py ran past {} s and was killed", LIMIT.as_secs()),
        Err(e) => panic!("{e}"),
    };
    assert!(
        status.success(),
        "python/test_bench.py failed on Python {version} ({status}): see its output above"
    );
}
