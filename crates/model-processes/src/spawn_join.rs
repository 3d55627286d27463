//! W2, spawn and join: the cost of one process from its start to its reaped answer.
//!
//! Each task is a new process running the worker program: it computes its value, writes it
//! to its standard output as one line, and exits; the parent reads the line and reaps the
//! process. Hundreds of microseconds to milliseconds where a thread takes tens of
//! microseconds and an async task well under one: that is why programs that use processes
//! start a few workers once and hand them many tasks (Python's `multiprocessing.Pool`),
//! as W16–W18 do.
//!
//! Fewer tasks than for threads: `workloads::spawn_join::tasks_for` gives processes a
//! count that starts in about a second.

use std::io::Write;
use std::process::{ExitCode, Stdio};
use std::time::Duration;

use workloads::NotRun;
use workloads::spawn_join::{SpawnOutcome, task_value};

use crate::worker::{self, Role, Worker, arg, bad_args};

/// The worker role: compute task `i`'s value and print it.
const VALUE: &str = "spawn_join-value";

/// The worker roles this module's child code runs.
pub(crate) const ROLES: &[Role] = &[(VALUE, compute_value)];

/// How long a worker that has answered may take to exit before it counts as hung.
const EXIT_LIMIT: Duration = Duration::from_secs(10);

/// Starts `n` worker processes that each print [`task_value`] of their index, reads every
/// value, then reaps them all.
///
/// Stresses: the kernel and the loader. Each process is a `clone` (the standard library
/// uses `posix_spawn` where it can, which copies none of the parent's memory), an `exec` that maps a new
/// program, the dynamic loader, the runtime's start-up, and at the end an exit, the pipe's
/// last bytes and a `wait` to reap it.
///
/// # Errors
/// The OS refused a process (the processes already started are killed and reaped), or a
/// worker died before answering.
pub fn spawn_join(n: usize) -> Result<SpawnOutcome, NotRun> {
    let mut workers: Vec<Worker> = Vec::with_capacity(n);
    for i in 0..n {
        let mut command = worker::command(VALUE, [i.to_string()])?;
        // The worker reads nothing: no pipe to its stdin.
        command.stdin(Stdio::null());
        // On a refusal, `?` drops `workers`, which kills and reaps those already started.
        workers.push(Worker::start(command)?);
    }
    // The answers, in start order: each crosses a pipe as text and is parsed back.
    let mut outcome = SpawnOutcome::default();
    for worker in &mut workers {
        let line = worker.read_line()?;
        let value =
            line.parse().map_err(|_| NotRun::failed(format!("a worker answered {line:?}, not a value")))?;
        outcome.record(value);
    }
    // Joined means reaped: its exit status read, no zombie left.
    for worker in workers {
        worker.join(EXIT_LIMIT)?;
    }
    Ok(outcome)
}

/// One worker process: compute its value and print it.
fn compute_value(args: &[String]) -> ExitCode {
    let i = match arg::<usize>(args, 0, "task index") {
        Ok(i) => i,
        Err(why) => return bad_args(VALUE, &why),
    };
    match writeln!(std::io::stdout(), "{}", task_value(i)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}
