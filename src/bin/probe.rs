//! `probe`: holds N idle tasks of one model in this process and prints its memory as one
//! JSON line. The benchmark harness starts it once per size; it can also be run by hand:
//!
//! ```text
//! cargo run --release --bin probe -- --model tokio --tasks 100000
//! ```
//!
//! Exit codes: 0 all N tasks held; 3 a limit stopped the spawning (the line says which);
//! 2 bad arguments; 1 the measurement itself failed.

use std::process::ExitCode;

use clap::Parser;
use concurrency_models::cli;
use concurrency_models::models::ModelId;
use concurrency_models::probe::{self, EXIT_LIMIT};

/// Hold N idle tasks (or threads) of one model alive and report the process's memory.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The model to measure.
    #[arg(long, value_enum)]
    model: ModelId,
    /// How many tasks to hold alive at once.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    tasks: u64,
    /// Worker threads for multi-threaded runtimes [default: BENCH_WORKERS, else the core count].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1024))]
    workers: Option<u64>,
}

fn main() -> ExitCode {
    // clap's message names the bad or missing argument; the hint adds every valid value, so
    // that one reading is enough to fix the command.
    let hint = || {
        let models: Vec<&str> = ModelId::ALL.iter().map(|m| m.as_str()).collect();
        format!("valid values: --model {}; --tasks 1 to 10000000; --workers 1 to 1024", models.join("|"))
    };
    let args: Args = match cli::parse(Some(&hint)) {
        Ok(args) => args,
        Err(code) => return code,
    };
    let workers = match cli::workers(args.workers) {
        Ok(n) => n,
        Err(code) => return code,
    };
    let model = match args.model.build(workers) {
        Ok(model) => model,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    match probe::measure(model.as_ref(), args.tasks as usize) {
        Ok(report) => {
            println!("{}", serde_json::to_string(&report).expect("a report serializes"));
            if report.error.is_some() { ExitCode::from(EXIT_LIMIT as u8) } else { ExitCode::SUCCESS }
        }
        Err(e) => {
            eprintln!("error: the measurement failed: {e}");
            ExitCode::FAILURE
        }
    }
}
