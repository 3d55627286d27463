//! Collecting and rendering [`Provenance`]: where and how the numbers were made.
//!
//! A benchmark figure means little without the machine, compiler and crate versions behind
//! it. Every fact here is best effort: a missing file or command gives `unknown`, never a
//! panic, because a report with a gap is better than no report.

use std::path::Path;
use std::process::Command;
use std::time::SystemTime;

use crate::Provenance;

/// The crates under comparison whose resolved versions the report lists, in this order.
pub const COMPARED_CRATES: [&str; 9] = [
    "tokio",
    "async-std",
    "async-global-executor",
    "smol",
    "async-executor",
    "async-io",
    "rayon",
    "crossbeam",
    "criterion",
];

/// What a fact says when it could not be found out.
const UNKNOWN: &str = "unknown";

impl Provenance {
    /// Collects the facts of this run. `notes` starts empty; the harness appends to it.
    pub fn collect(workspace_root: &Path, workers: usize, command: String, profile: &str) -> Provenance {
        let lock = std::fs::read_to_string(workspace_root.join("Cargo.lock")).unwrap_or_default();
        Provenance {
            command,
            date: humantime::format_rfc3339_seconds(SystemTime::now()).to_string(),
            commit: git_commit(workspace_root).unwrap_or_else(|| UNKNOWN.to_owned()),
            rustc: run("rustc", &["-V"]).unwrap_or_else(|| UNKNOWN.to_owned()),
            cpu: cpu_model().unwrap_or_else(|| UNKNOWN.to_owned()),
            // Zero only if the OS cannot tell, which the report then shows as is.
            cores: std::thread::available_parallelism().map_or(0, |n| n.get()),
            workers,
            profile: profile.to_owned(),
            crates: locked_versions(&lock, &COMPARED_CRATES),
            idle: String::new(),
            steal: None,
            notes: Vec::new(),
            step_seconds: Default::default(),
        }
    }
}

/// Renders provenance as a short Markdown bullet list for REPORT.md.
pub fn render_provenance(p: &Provenance) -> String {
    let crates = if p.crates.is_empty() {
        UNKNOWN.to_owned()
    } else {
        let versions: Vec<String> = p.crates.iter().map(|(name, v)| format!("{name} {v}")).collect();
        versions.join(", ")
    };
    let mut out = format!(
        "- Command: `{}`\n- Date: {}\n- Commit: `{}`\n- Compiler: {}\n- CPU: {}\n\
         - Cores: {}\n- Worker threads per runtime or pool: {}\n- Profile: {}\n- Crates: {}\n",
        p.command, p.date, p.commit, p.rustc, p.cpu, p.cores, p.workers, p.profile, crates
    );
    if !p.idle.is_empty() {
        out += &format!("- Idle cores: {}\n", p.stamp().idle_words());
    }
    if let Some(steal) = p.steal {
        out += &format!("- Host steal time during the run: {}\n", steal_words(steal));
    }
    for note in &p.notes {
        out += &format!("- {note}\n");
    }
    out
}

/// A share of CPU time the host took, in words: `0.4% of the CPU time`.
pub fn steal_words(share: f64) -> String {
    format!("{:.1}% of the CPU time", share * 100.0)
}

/// Runs a command and returns its trimmed standard output, if it ran, succeeded and said something.
fn run(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    let stdout = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    (output.status.success() && !stdout.is_empty()).then_some(stdout)
}

/// The short commit hash, with `-dirty` when the working tree has uncommitted changes:
/// numbers from a dirty tree cannot be reproduced from the commit alone.
fn git_commit(root: &Path) -> Option<String> {
    let root = root.to_str()?;
    let commit = run("git", &["-C", root, "rev-parse", "--short=12", "HEAD"])?;
    let dirty = run("git", &["-C", root, "status", "--porcelain"]).is_some();
    Some(if dirty { commit + "-dirty" } else { commit })
}

/// The first `model name` line of `/proc/cpuinfo` (Linux on x86; elsewhere `None`).
fn cpu_model() -> Option<String> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    cpuinfo
        .lines()
        .find(|line| line.starts_with("model name"))
        .and_then(|line| line.split_once(':'))
        .map(|(_, name)| name.trim().to_owned())
}

/// The versions `Cargo.lock` resolved for `names`, in the order of `names`.
///
/// A lock file is a list of `[[package]]` tables whose `name` line comes before its
/// `version` line, so reading line by line is enough; no TOML parser needed. A crate locked
/// at two versions (say async-io 1 and 2) is listed twice.
fn locked_versions(lock: &str, names: &[&str]) -> Vec<(String, String)> {
    let mut locked = Vec::new();
    let mut name = None;
    for line in lock.lines().map(str::trim) {
        if line == "[[package]]" {
            name = None;
        } else if let Some(value) = quoted_value(line, "name") {
            name = Some(value);
        } else if let Some(version) = quoted_value(line, "version")
            && let Some(name) = name.take()
        {
            locked.push((name, version));
        }
    }
    names.iter().flat_map(|want| locked.iter().filter(move |(name, _)| name == want).cloned()).collect()
}

/// `key = "value"` → `value`.
fn quoted_value(line: &str, key: &str) -> Option<String> {
    let value = line.strip_prefix(key)?.trim_start().strip_prefix('=')?.trim();
    Some(value.strip_prefix('"')?.strip_suffix('"')?.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Versions come from `[[package]]` entries, in the requested order, and a crate locked
    /// twice is listed twice; keys that merely start with `name` are not confused with it.
    #[test]
    fn reads_versions_from_a_lock_file() {
        let lock = r#"
version = 4

[[package]]
name = "async-io"
version = "1.13.0"

[[package]]
name = "async-io"
version = "2.4.0"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "rayon"
version = "1.12.0"

[[package]]
name = "tokio"
version = "1.54.1"
dependencies = [
 "pin-project-lite",
]
"#;
        let versions = locked_versions(lock, &["tokio", "smol", "async-io", "rayon"]);
        let expected =
            [("tokio", "1.54.1"), ("async-io", "1.13.0"), ("async-io", "2.4.0"), ("rayon", "1.12.0")];
        assert_eq!(versions, expected.map(|(n, v)| (n.to_owned(), v.to_owned())));
    }

    /// Every fact is on its own bullet, and each note becomes one more bullet.
    #[test]
    fn renders_provenance_as_bullets() {
        let p = Provenance {
            command: "cargo bench -- --quick".to_owned(),
            crates: vec![
                ("tokio".to_owned(), "1.54.1".to_owned()),
                ("rayon".to_owned(), "1.12.0".to_owned()),
            ],
            notes: vec!["ulimit -u was 4096".to_owned()],
            ..Provenance::default()
        };
        let text = render_provenance(&p);
        assert!(text.contains("- Command: `cargo bench -- --quick`\n"));
        assert!(text.contains("- Crates: tokio 1.54.1, rayon 1.12.0\n"));
        assert!(text.ends_with("- ulimit -u was 4096\n"));
        assert!(!text.contains("Idle cores") && !text.contains("steal"), "not recorded: not shown");
        let awake = render_provenance(&Provenance { idle: "awake".into(), steal: Some(0.0123), ..p });
        assert!(awake.contains("- Idle cores: kept awake\n"), "{awake}");
        assert!(awake.contains("- Host steal time during the run: 1.2% of the CPU time\n"), "{awake}");
        assert!(text.lines().all(|l| l.starts_with("- ")));
    }
}
