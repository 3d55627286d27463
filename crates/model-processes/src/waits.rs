//! W1, concurrent waits: N worker processes that each wait D, then report their index on
//! their standard output. All the waits overlap, so the whole run takes about D, plus the
//! time to start and reap N processes, which grows with N, and much faster than for threads:
//! every task here is a new program (an `exec`, the dynamic loader, a fresh heap). That start
//! cost is part of the figure on purpose: it is what a process per task costs.
//!
//! Fewer sizes than threads: 10 000 processes would take seconds just to start, over the
//! workload's budget per run, and would hold 10 000 pipes open at once
//! (`workloads::waits::Sizes::for_model` leaves that size out, with the reason).

use std::io::Write;
use std::process::{ExitCode, Stdio};
use std::time::Duration;

use workloads::NotRun;
use workloads::waits::WaitOutcome;

use crate::worker::{self, Role, Worker, arg, bad_args};

/// The worker role: wait, then print the index.
const SLEEP: &str = "waits-sleep";

/// The worker roles this module's child code runs.
pub(crate) const ROLES: &[Role] = &[(SLEEP, sleep_then_report)];

/// How long a worker that has answered may take to exit before it counts as hung.
const EXIT_LIMIT: Duration = Duration::from_secs(10);

/// Starts `n` worker processes that each wait `wait` and print their index, reads every
/// index, then reaps them all.
///
/// Stresses: process creation (a `clone`, an `exec`, the loader, the runtime's start-up)
/// and the kernel's scheduler. A sleeping process uses no CPU, but it holds its own
/// address space, page tables and kernel structures for the whole wait, and a pipe back to
/// the parent.
///
/// # Errors
/// The OS refused a process (too many processes or open files, no memory); the processes
/// already started are killed and reaped. A worker that died before answering.
pub fn concurrent_waits(n: usize, wait: Duration) -> Result<WaitOutcome, NotRun> {
    let nanos = wait.as_nanos().to_string();
    // Start every process before reading from any: waiting on each in turn would run them
    // in sequence (the tutorial's "Sequential Execution").
    let mut workers: Vec<Worker> = Vec::with_capacity(n);
    for index in 0..n {
        let mut command = worker::command(SLEEP, [index.to_string(), nanos.clone()])?;
        // The worker reads nothing: no pipe to its stdin, one file descriptor fewer per task.
        command.stdin(Stdio::null());
        // On a refusal, `?` drops `workers`, which kills and reaps those already started.
        workers.push(Worker::start(command)?);
    }
    // Read in start order, like `asyncio.gather`: the total is the slowest process's time.
    // A process shares no memory with us, so its result comes back as bytes on a pipe.
    let mut outcome = WaitOutcome::default();
    for worker in &mut workers {
        let line = worker.read_line()?;
        let index = line
            .parse()
            .map_err(|_| NotRun::failed(format!("a waiting worker answered {line:?}, not its index")))?;
        outcome.record(index);
    }
    // Reap them all (by now most have exited): no zombie left behind.
    for worker in workers {
        worker.join(EXIT_LIMIT)?;
    }
    Ok(outcome)
}

/// One worker process: wait, then print its index. Blocking is fine here: the kernel runs
/// the other processes meanwhile.
fn sleep_then_report(args: &[String]) -> ExitCode {
    let parsed = arg::<u64>(args, 0, "index").and_then(|i| Ok((i, arg::<u64>(args, 1, "wait in ns")?)));
    let (index, nanos) = match parsed {
        Ok(parsed) => parsed,
        Err(why) => return bad_args(SLEEP, &why),
    };
    std::thread::sleep(Duration::from_nanos(nanos));
    // `println!` would panic if the parent had gone; a failed write is an exit status.
    match writeln!(std::io::stdout(), "{index}") {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}
