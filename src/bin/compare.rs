//! `compare`: sets two saved runs side by side and says which figures moved, by how much,
//! and whether a move is larger than the runs' own noise (their rounds' spreads). It
//! measures nothing; it reads two `results.json` files:
//!
//! ```text
//! cargo run --bin compare -- old/results.json target/report/results.json
//! cargo run --bin compare -- old/results.json target/report/results.json --all
//! ```
//!
//! Exit codes: 0 compared; 2 bad arguments, or a file that cannot be read as a report.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use concurrency_models::cli;
use report::Report;
use report::compare::{compare, render};

/// Compare two saved runs (results.json) and print the comparison as Markdown.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The earlier run's results.json (A).
    a: PathBuf,
    /// The later run's results.json (B).
    b: PathBuf,
    /// Also list every compared figure, by workload, and every figure only one run has.
    #[arg(long)]
    all: bool,
}

fn main() -> ExitCode {
    let args: Args = match cli::parse(None) {
        Ok(args) => args,
        Err(code) => return code,
    };
    let (a, b) = match (read(&args.a), read(&args.b)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(message), _) | (_, Err(message)) => {
            eprintln!("error: {message}");
            return cli::bad_input();
        }
    };
    let mut comparison = compare(&a, &b);
    comparison.runs[0].source = Some(args.a.display().to_string());
    comparison.runs[1].source = Some(args.b.display().to_string());
    print!("{}", render(&comparison, args.all));
    ExitCode::SUCCESS
}

/// Reads one saved run, or says in one line which file failed and why.
fn read(path: &Path) -> Result<Report, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    // serde_json's message names the line and column, and the field a report lacks.
    serde_json::from_str(&text)
        .map_err(|e| format!("{} is not a saved run (results.json): {e}", path.display()))
}
