//! W4, idle processes: N worker processes alive and blocked, to see what one waiting
//! process costs.
//!
//! Each worker writes one byte to say it has started, then blocks reading its standard
//! input; the parent closes every worker's stdin to let them go, as the threads model drops
//! its gate. A process holds far more than a thread: its own copy of the program's writable
//! data, its own heap and stack, page tables, file table and a kernel stack; the program's
//! code is shared between them (page cache), which is why the probe reads the whole
//! process tree's proportional set size (PSS) beside its resident set (RSS).
//!
//! The limits: the OS's count of processes and threads (`ulimit -u`, `kernel.pid_max`,
//! `kernel.threads-max`), and the parent's open files (two pipes per worker). Past either,
//! starting the next process fails, and the run stops there and says why.

use std::io::{Read, Write};
use std::process::ExitCode;
use std::time::Duration;

use workloads::NotRun;
use workloads::idle::{IdleOutcome, Peak};

use crate::worker::{self, Role, Worker};

/// The worker role: say "ready", then wait for the end of input.
const WAIT: &str = "idle-wait";

/// The worker roles this module's child code runs.
pub(crate) const ROLES: &[Role] = &[(WAIT, wait_for_stdin)];

/// The byte a worker writes once it runs: "ready".
const READY: u8 = b'r';

/// How long a released worker may take to exit.
const EXIT_LIMIT: Duration = Duration::from_secs(10);

/// Starts up to `n` worker processes that each block on their stdin; once every one has
/// said it is ready (or the OS refused one), calls `at_peak`, then closes their stdins and
/// reaps them.
///
/// Stresses: memory, per process: the private pages each one touches (its heap, stack,
/// the program's relocated data), page tables and kernel structures, on top of the code
/// that all of them share.
///
/// # Errors
/// The worker program cannot be found, or a released worker did not exit cleanly. A
/// refused process is not an error: the run stops there and the outcome says why.
pub fn idle_tasks(n: usize, at_peak: &mut dyn FnMut(&Peak)) -> Result<IdleOutcome, NotRun> {
    let mut outcome = IdleOutcome { requested: n, ..IdleOutcome::default() };
    let mut workers: Vec<Worker> = Vec::with_capacity(n);
    for _ in 0..n {
        match Worker::start(worker::command(WAIT, std::iter::empty::<String>())?) {
            Ok(worker) => workers.push(worker),
            Err(refused) => {
                outcome.error = Some(format!("process {}: {refused}", workers.len() + 1));
                break;
            }
        }
    }
    // Wait until every started process is running and about to block: its "ready" byte.
    // One that died first (no memory to load it, say) also stops the run there; it and
    // those after it are killed and reaped.
    let mut ready = 0;
    for worker in &mut workers {
        let mut byte = [0u8; 1];
        let said = worker.stdout.as_mut().map(|out| out.read_exact(&mut byte));
        if !matches!(said, Some(Ok(()))) || byte[0] != READY {
            let status = worker.child().try_wait().ok().flatten();
            let how = status.map_or_else(|| "no \"ready\" byte".to_owned(), |s| format!("{s}"));
            outcome.error.get_or_insert(format!("process {} failed before it was ready ({how})", ready + 1));
            break;
        }
        ready += 1;
    }
    workers.truncate(ready);
    outcome.started = ready;
    at_peak(&Peak { started: outcome.started, error: outcome.error.clone() });

    // Release them all at once (end of input for each), then reap: closing and joining
    // one at a time would wait for each exit in turn.
    workers.iter_mut().for_each(Worker::close_stdin);
    for worker in workers {
        worker.join(EXIT_LIMIT)?;
        outcome.joined += 1;
    }
    Ok(outcome)
}

/// One idle worker process: say it is ready, then block reading its stdin until the parent
/// closes it.
fn wait_for_stdin(_args: &[String]) -> ExitCode {
    let mut output = std::io::stdout();
    if output.write_all(&[READY]).and_then(|()| output.flush()).is_err() {
        return ExitCode::FAILURE;
    }
    // Blocked in `read`, using no CPU, until end of input (or a stray byte, which is read
    // and ignored).
    let mut input = std::io::stdin().lock();
    let mut buffer = [0u8; 64];
    loop {
        match input.read(&mut buffer) {
            Ok(0) => return ExitCode::SUCCESS,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return ExitCode::FAILURE,
        }
    }
}
