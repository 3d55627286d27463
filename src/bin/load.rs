//! `load`: the load generator. Offers one step of load to an HTTP server and prints what
//! it measured. The benchmark harness runs it against each model's `serve`; it can also be
//! run by hand:
//!
//! ```text
//! cargo run --release --bin load -- --addr 127.0.0.1:8080 --connections 100
//! cargo run --release --bin load -- --addr 127.0.0.1:8080 --connections 100 --rate 20000
//! ```
//!
//! Exit codes: 0 measured; 1 the server was lost during the step (every connection ended
//! early, the server gone: the report is still printed, its rate over the part of the
//! window measured, and an `error:` line on stderr says when it stopped answering), or the
//! generator could not start; 2 bad arguments, or nothing listening at the address.

use std::net::{SocketAddr, TcpStream};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use concurrency_models::cli;
use concurrency_models::load::{self, Load, Mode};

/// Offer HTTP load to a server, closed loop (the next request when the previous is
/// answered) or open loop (`--rate` requests per second, latency counted from when each
/// was due), and report requests per second and latency percentiles.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The server's address, e.g. 127.0.0.1:8080.
    #[arg(long)]
    addr: SocketAddr,
    /// The path to request.
    #[arg(long, default_value = "/")]
    path: String,
    /// Keep-alive connections.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    connections: u64,
    /// Open loop at this many requests per second in all [default: closed loop].
    #[arg(long, value_parser = parse_rate)]
    rate: Option<f64>,
    /// The measurement window, in milliseconds.
    #[arg(long, default_value_t = 2_000, value_parser = clap::value_parser!(u64).range(1..=3_600_000))]
    duration_ms: u64,
    /// The warm-up before the window, in milliseconds.
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u64).range(0..=600_000))]
    warmup_ms: u64,
    /// How long one request may take before it counts as an error, in milliseconds.
    #[arg(long, default_value_t = 5_000, value_parser = clap::value_parser!(u64).range(1..=600_000))]
    timeout_ms: u64,
    /// Keep the generator on these cores, e.g. 6-7 (the harness keeps it apart from the server).
    #[arg(long, value_name = "LIST", value_parser = load::parse_core_list)]
    cpus: Option<load::Cores>,
    /// Threads of the generator, each driving its share of the connections.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..=64))]
    threads: u64,
    /// Print one JSON line instead of text.
    #[arg(long)]
    json: bool,
}

fn parse_rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(rate) if rate.is_finite() && rate > 0.0 && rate <= 10_000_000.0 => Ok(rate),
        _ => Err(format!("{text:?} is not a rate: give requests per second, above 0 and at most 10 000 000")),
    }
}

fn main() -> ExitCode {
    let args: Args = match cli::parse(None) {
        Ok(args) => args,
        Err(code) => return code,
    };
    if let Some(cores) = &args.cpus
        && let Err(e) = load::pin_to(&cores.0)
    {
        eprintln!("error: {e}");
        return cli::bad_input();
    }
    // Pointed at nothing: say so, rather than report a run of connection errors.
    if let Err(e) = TcpStream::connect_timeout(&args.addr, Duration::from_secs(2)) {
        eprintln!("error: nothing answers at {}: {e}", args.addr);
        return cli::bad_input();
    }
    let limit = load::raise_open_files();
    // Leave room for the process's own files (the runtime, stdio).
    let room = limit.saturating_sub(64).max(1);
    let (connections, capped) = if args.connections > room {
        let why =
            format!("{} connections capped at {room} by the open-file limit ({limit})", args.connections);
        eprintln!("warning: {why}");
        (room, Some(why))
    } else {
        (args.connections, None)
    };
    let step = Load {
        addr: args.addr,
        path: args.path,
        connections: connections as usize,
        mode: args.rate.map_or(Mode::Closed, |rate| Mode::Open { rate }),
        warmup: Duration::from_millis(args.warmup_ms),
        duration: Duration::from_millis(args.duration_ms),
        timeout: Duration::from_millis(args.timeout_ms),
    };
    let mut report = match load::run(&step, args.threads as usize) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("error: the load generator could not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    report.capped = capped;
    if args.json {
        match serde_json::to_string(&report) {
            Ok(line) => println!("{line}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        println!(
            "{} connections ({} opened), {}: {:.0} requests/s over {:.1} s",
            report.connections,
            report.connected,
            match step.mode {
                Mode::Closed => "closed loop".to_owned(),
                Mode::Open { rate } => format!("open loop at {rate:.0}/s"),
            },
            report.requests_per_second,
            report.measured_s
        );
        println!(
            "latency: p50 {:.0} µs, p99 {:.0} µs, p99.9 {:.0} µs, max {:.0} µs",
            report.p50_us, report.p99_us, report.p999_us, report.max_us
        );
        if report.error_count() > 0 {
            println!("errors: {:?}, unanswered at the end: {}", report.errors, report.unanswered);
        }
    }
    // A lost server: the figures above cover only the time it answered; the step failed.
    if let Some(lost) = &report.lost {
        eprintln!(
            "error: the server stopped answering after {:.1} s of the {:.1} s window ({lost})",
            report.measured_s, report.window_s
        );
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
