//! `render-report`: writes REPORT.md, report.html and the charts again from a saved
//! `results.json`, without measuring anything. For a committed run after a change to the
//! report's layout:
//!
//! ```text
//! cargo run --bin render-report -- results/results.json results/
//! ```
//!
//! It prints the paths of REPORT.md and report.html, one per line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use concurrency_models::cli;

/// Render REPORT.md, report.html, results.json and the charts from a saved results.json.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The results.json of a run.
    results: PathBuf,
    /// The folder to write into (created if missing).
    out: PathBuf,
}

fn main() -> ExitCode {
    let args: Args = match cli::parse(None) {
        Ok(args) => args,
        Err(code) => return code,
    };
    let report: report::Report = match std::fs::read_to_string(&args.results)
        .map_err(|e| e.to_string())
        .and_then(|text| serde_json::from_str(&text).map_err(|e| e.to_string()))
    {
        Ok(report) => report,
        Err(e) => {
            eprintln!("error: {}: {e}", args.results.display());
            return cli::bad_input();
        }
    };
    match report::write_report(&args.out, &report) {
        Ok(()) => {
            println!("{}", args.out.join("REPORT.md").display());
            println!("{}", args.out.join(report::html::FILE).display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: could not write {}: {e}", args.out.display());
            ExitCode::FAILURE
        }
    }
}
