//! `kernels`: runs one CPU-bound kernel on one model, each of its ways (or the ones named),
//! and prints the wall and CPU time of each. The benchmark harness starts it once per model
//! and worker count; it can also be run by hand:
//!
//! ```text
//! cargo run --release --bin kernels -- --kernel mandelbrot --model rayon --workers 2
//! cargo run --release --bin kernels -- --kernel merge-sort --model tokio --way offloaded --size 1000000
//! ```
//!
//! Exit codes: 0 every way ran and gave the right answer; 1 a wrong answer; 2 bad arguments.

use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use concurrency_models::cli;
use concurrency_models::kernels::{self, Input, Kernel, KernelReport};
use concurrency_models::models::ModelId;
use workloads::Profile;
use workloads::cpu::{self, Way};
use workloads::text::duration;

/// The largest input a run may ask for, per kernel, so that a typo cannot ask for a
/// terabyte: 16 384² pixels, 200 million numbers (1.6 GB), 16 384 blocks (1 GiB).
const LARGEST: [(Kernel, usize); 3] =
    [(Kernel::Mandelbrot, 16_384), (Kernel::MergeSort, 200_000_000), (Kernel::Hashing, 16_384)];

/// Which sizes to use when `--size` is not given.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum Sizes {
    /// What `cargo bench` measures.
    Full,
    /// What `cargo bench -- --quick` measures.
    Quick,
    /// What `cargo bench -- --test` runs.
    Smoke,
}

/// Run one CPU-bound kernel on one model and print the wall and CPU time of each way.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The kernel.
    #[arg(long, value_enum)]
    kernel: Kernel,
    /// The model.
    #[arg(long, value_enum)]
    model: ModelId,
    /// Threads that compute [default: BENCH_WORKERS, else the core count].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1024))]
    workers: Option<u64>,
    /// The ways to run, comma-separated [default: each of the model's ways].
    #[arg(long, value_name = "WAY", value_delimiter = ',', value_parser = parse_way)]
    way: Vec<Way>,
    /// Input size: pixels per side, numbers to sort, or 64 KiB blocks [default: the profile's].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    size: Option<u64>,
    /// The sizes used without `--size`.
    #[arg(long, value_enum, default_value = "full")]
    profile: Sizes,
    /// Runs per way; the figure is the median run [default: 1].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100))]
    runs: Option<u64>,
    /// The expected checksum, when the caller computed it already.
    #[arg(long, hide = true)]
    expect: Option<u64>,
    /// Print one JSON line instead of text.
    #[arg(long)]
    json: bool,
}

fn parse_way(text: &str) -> Result<Way, String> {
    Way::from_id(text).ok_or_else(|| {
        let ways: Vec<&str> = Way::ALL.iter().map(|w| w.id()).collect();
        format!("unknown way {text:?}; the ways are {}", ways.join(", "))
    })
}

fn main() -> ExitCode {
    let args: Args = match cli::parse(None) {
        Ok(args) => args,
        Err(code) => return code,
    };
    let workers = match cli::workers(args.workers) {
        Ok(n) => n,
        Err(code) => return code,
    };
    match run(args, workers) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            cli::bad_input()
        }
    }
}

fn run(args: Args, workers: usize) -> Result<ExitCode, String> {
    let profile = match args.profile {
        Sizes::Full => Profile::Full,
        Sizes::Quick => Profile::Quick,
        Sizes::Smoke => Profile::Smoke,
    };
    let size = args.size.map_or_else(|| args.kernel.size(profile), |n| n as usize);
    let largest = LARGEST.iter().find(|(k, _)| *k == args.kernel).map_or(usize::MAX, |(_, n)| *n);
    if size > largest {
        return Err(format!("--size {size} is too large for {}: at most {largest}", args.kernel.id()));
    }
    let model = args.model.build(workers)?;
    let info = model.info();
    let own: Vec<&str> = info.cpu_ways().iter().map(|w| w.id()).collect();
    let ways = if args.way.is_empty() { info.cpu_ways().to_vec() } else { args.way.clone() };
    if let Some(way) = ways.iter().find(|w| !info.cpu_ways().contains(w)) {
        return Err(format!(
            "{} does not run CPU work the {way} way; its ways are {}",
            info.id,
            own.join(", ")
        ));
    }
    let runs = args.runs.map_or(cpu::RUNS_PER_ROUND, |n| n as usize);

    let input = Input::new(args.kernel, size);
    let expected = args.expect.or_else(|| input.expected());
    let results = kernels::measure(model.as_ref(), &input, &ways, runs, expected);
    let wrong = results.iter().any(|r| r.wrong.is_some());
    let report = KernelReport {
        kernel: args.kernel.id().to_owned(),
        model: info.id.to_owned(),
        workers,
        label: input.label(),
        results,
    };
    if args.json {
        println!("{}", serde_json::to_string(&report).map_err(|e| e.to_string())?);
    } else {
        println!("{} on {}, {} worker(s), {}:", report.kernel, report.model, workers, report.label);
        for result in &report.results {
            match (&result.skipped, &result.wrong, result.median()) {
                (Some(reason), _, _) => println!("  {:14} skipped: {reason}", result.way),
                (_, Some(wrong), _) => println!("  {:14} WRONG: {wrong}", result.way),
                (_, _, Some((wall, cpu))) => println!(
                    "  {:14} {} wall, {} CPU (median of {})",
                    result.way,
                    duration(wall),
                    duration(cpu),
                    result.wall_ns.len()
                ),
                _ => println!("  {:14} no run", result.way),
            }
        }
    }
    Ok(if wrong { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
