//! `serve`: the tutorial's web server ([`workloads::http`]'s endpoints) in one model, until
//! Ctrl-C or SIGTERM, then a graceful shutdown: requests in flight finish, the rest close.
//!
//! ```text
//! cargo run --release --bin serve -- --model tokio --port 8080
//! curl 'http://127.0.0.1:8080/?name=Alice'
//! wrk -t2 -c100 -d10s http://127.0.0.1:8080/
//! ```
//!
//! `--model` takes every model id, and `hyper`: the same endpoints served by hyper on
//! tokio, the production HTTP stack the minimal protocol core is compared with. On start it
//! prints `listening on ADDR`; on shutdown, one JSON line of what it did.
//!
//! Exit codes:
//! - 0: it served and shut down cleanly;
//! - 1: it failed at run time: the runtime did not start, the port could not be bound
//!   (in use, or not ours), the signal handlers could not be installed, the server failed
//!   while serving, or connections were left open at shutdown;
//! - 2: bad input: a bad argument (an unknown model, a port out of range, a bad core list
//!   or worker count), or a model that cannot serve (`rayon`: a pool of CPU workers has no
//!   I/O of its own; it is asked once the port is bound, so on a port in use it exits 1).

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use concurrency_models::cli;
use concurrency_models::serve::{self, Built, ServeError, ServeReport, Server};
use workloads::http::{self, Connections, Stop};

/// Serve the tutorial's endpoints (/, /?name=..., /slow?delay=MS, /json) until Ctrl-C or SIGTERM.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The model that serves, or `hyper` (hyper on tokio, the reference).
    #[arg(long, value_parser = parse_server)]
    model: Server,
    /// The port on 127.0.0.1; 0 picks a free one (the address is printed).
    #[arg(long, value_parser = clap::value_parser!(u16))]
    port: u16,
    /// Worker threads [default: BENCH_WORKERS, else the core count].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1024))]
    workers: Option<u64>,
    /// The most connections open at once; more are answered 503 and closed.
    #[arg(long, default_value_t = http::MAX_CONNECTIONS as u64, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    max_connections: u64,
    /// Keep the server on these cores, e.g. 0-5 (the harness keeps it apart from the load).
    #[arg(long, value_name = "LIST", value_parser = concurrency_models::load::parse_core_list)]
    cpus: Option<concurrency_models::load::Cores>,
    /// Lower the open-file limit to this (to see what the server does when it is reached).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(16..))]
    open_files: Option<u64>,
}

fn parse_server(text: &str) -> Result<Server, String> {
    Server::from_id(text).ok_or_else(|| {
        let ids: Vec<&str> = Server::all().iter().map(|s| s.id()).collect();
        format!("unknown model {text:?}; the models are {}", ids.join(", "))
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
    if let Some(cores) = &args.cpus
        && let Err(e) = concurrency_models::load::pin_to(&cores.0)
    {
        eprintln!("error: {e}");
        return cli::bad_input();
    }
    let files = match args.open_files {
        Some(n) => serve::limit_open_files(n),
        None => concurrency_models::load::raise_open_files(),
    };
    let built = match Built::new(args.model, workers) {
        Ok(built) => built,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    let listener = match serve::listen(addr) {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("error: cannot listen on {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let local = listener.local_addr().unwrap_or(addr);
    let connections = Connections::new(args.max_connections as usize);
    let stop = Stop::new(local);
    let stop_returned = match serve::stop_on_signals(&stop) {
        Ok(returned) => returned,
        Err(e) => {
            eprintln!("error: cannot handle signals: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(why) = built.cannot_serve() {
        // It says why at once, rather than listen for connections it will never serve.
        eprintln!("error: {} cannot serve: {why}", args.model.id());
        return cli::bad_input();
    }
    let before = serve::threads_and_sockets();
    println!("listening on {local} ({} with {workers} workers, {files} open files allowed)", args.model.id());
    // Whoever reads the address above must see it now, not when the buffer fills.
    let _ = std::io::Write::flush(&mut std::io::stdout());
    match built.serve(listener, &connections, &stop) {
        Ok(()) => {
            // The signal's wake-up connection may still be open: count once it is closed
            // (its connect gives up after a second).
            let _ = stop_returned.recv_timeout(Duration::from_secs(2));
            let report = ServeReport::new(connections.outcome(), before, serve::threads_and_sockets());
            eprintln!(
                "shut down: {} connections, {} requests, {} refused",
                report.accepted, report.requests, report.refused
            );
            println!("{}", serde_json::to_string(&report).unwrap_or_default());
            if report.open == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
        }
        Err(ServeError::CannotServe(why)) => {
            eprintln!("error: {} cannot serve: {why}", args.model.id());
            cli::bad_input()
        }
        Err(ServeError::Failed(why)) => {
            eprintln!("error: {} failed while serving: {why}", args.model.id());
            ExitCode::FAILURE
        }
    }
}
