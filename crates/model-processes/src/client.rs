//! W15, the HTTP client fan-out: a worker process per URL, each making one blocking exchange
//! (connect, write the request, read until the server closes, all within the timeout, as the
//! threads model's fetch does) and printing what it got as one JSON line. All the fetches
//! overlap, since a process blocked on its socket costs only itself; the parent reads the
//! answers in URL order, as `asyncio.gather` returns them.
//!
//! Why a process per URL and not per chunk of URLs: a chunk would have to be fetched either
//! one URL after another inside its process (then the fetches no longer overlap) or with
//! threads inside it (then it is the threads model, with processes around it). A process per
//! URL is the tutorial's process-per-task design, and the fan-out's time shows what it
//! costs: every fetch pays an `exec` and a fresh program's start before it connects, about a
//! millisecond here, so 1 000 URLs spend a second or so just starting processes, where the
//! fetches themselves wait 50 ms.

use std::io::Write;
use std::net::SocketAddr;
use std::process::{ExitCode, Stdio};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use workloads::NotRun;
use workloads::client::fetch;
use workloads::http::{Fetched, Url};

use crate::worker::{self, Role, Worker, arg, bad_args};

/// The worker role: fetch one URL, print the answer.
const FETCH: &str = "client-fetch";

/// The worker roles this module's child code runs.
pub(crate) const ROLES: &[Role] = &[(FETCH, fetch_one)];

/// How long a worker that has answered may take to exit before it counts as hung.
const EXIT_LIMIT: Duration = Duration::from_secs(10);

/// One fetch's result as it crosses the pipe: a line of JSON.
#[derive(Debug, Serialize, Deserialize)]
enum Answer {
    /// The server answered: its status and the body's length.
    Fetched { status: u16, length: usize },
    /// The fetch failed: why, in the words every client uses.
    Failed(String),
}

/// Fetches every URL of `urls` at once, one process and one connection each, each within
/// `timeout`; returns one result per URL, in the order of `urls`.
///
/// Stresses: a process per fetch, as W1's waits: creation (an `exec` each), then N processes
/// asleep in the kernel until their answer arrives, each with a pipe back to the parent.
///
/// # Errors
/// A worker died before answering, answered something else, or did not exit; the others
/// are killed and reaped. (A process the OS refused fails its URL only, as a refused thread
/// does in the threads model.)
pub fn fetch_all(urls: &[Url], timeout: Duration) -> Result<Vec<Result<Fetched, String>>, NotRun> {
    let nanos = timeout.as_nanos().to_string();
    // Start every process before reading from any: reading each in turn as it starts would
    // fetch one URL after another.
    let mut workers: Vec<Result<Worker, String>> = Vec::with_capacity(urls.len());
    for url in urls {
        let mut command = worker::command(FETCH, [url.addr.to_string(), url.path.clone(), nanos.clone()])?;
        // The worker reads nothing: no pipe to its stdin, one file descriptor fewer per URL.
        command.stdin(Stdio::null());
        workers.push(Worker::start(command).map_err(|refused| refused.to_string()));
    }
    // Read in URL order: the total is the slowest fetch's time (plus the starts), and the
    // results come back in the order of `urls`.
    let mut results = Vec::with_capacity(urls.len());
    for worker in &mut workers {
        results.push(match worker {
            Ok(worker) => {
                let line = worker.read_line()?;
                match serde_json::from_str(&line) {
                    Ok(Answer::Fetched { status, length }) => Ok(Fetched { status, length }),
                    Ok(Answer::Failed(why)) => Err(why),
                    Err(_) => {
                        return Err(NotRun::failed(format!(
                            "a fetching worker answered {line:?}, not a result"
                        )));
                    }
                }
            }
            Err(refused) => Err(refused.clone()),
        });
    }
    // Reap them all (by now each has answered and is exiting): no zombie left behind.
    for worker in workers.into_iter().flatten() {
        worker.join(EXIT_LIMIT)?;
    }
    Ok(results)
}

/// One worker process: fetch the URL (address, path, timeout in ns), print the answer.
fn fetch_one(args: &[String]) -> ExitCode {
    let parsed = arg::<SocketAddr>(args, 0, "server address").and_then(|addr| {
        let path = arg::<String>(args, 1, "path")?;
        Ok((Url { addr, path }, arg::<u64>(args, 2, "timeout in ns")?))
    });
    let (url, nanos) = match parsed {
        Ok(parsed) => parsed,
        Err(why) => return bad_args(FETCH, &why),
    };
    let answer = match fetch(&url, Duration::from_nanos(nanos)) {
        Ok(Fetched { status, length }) => Answer::Fetched { status, length },
        Err(why) => Answer::Failed(why),
    };
    let Ok(line) = serde_json::to_string(&answer) else {
        return ExitCode::FAILURE;
    };
    // `println!` would panic if the parent had gone; a failed write is an exit status.
    match writeln!(std::io::stdout(), "{line}") {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}
