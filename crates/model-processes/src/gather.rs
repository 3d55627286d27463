//! W5, gather and as-completed: one worker process per task, each sleeping its own duration
//! and then writing its value as one line on its own pipe. The two differ only in how the
//! parent reads the values back: pipe after pipe in submission order, or through a channel
//! that one reader thread per pipe sends into as its worker answers.
//!
//! The tasks start together, behind a gate: the parent starts every process, waits until
//! each says `ready` (it is running, and blocked reading its standard input), then sends
//! each a `go` line. Without the gate the tasks would start a process start apart (a
//! millisecond or two, far more on a loaded machine, where a new process waits for a CPU
//! to run its loader), so the order they finish in would be that of their starts mixed
//! with that of their durations. Behind it, every task is a sleeping process that one
//! write wakes, as every thread of the threads model is a sleeping thread. The wall time
//! counts every process start either way.

use std::io::{self, BufRead, Write};
use std::process::{ChildStdout, ExitCode};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use workloads::NotRun;
use workloads::gather::{GatherOutcome, task_value};

use crate::worker::{self, Role, Worker};

/// The worker roles this module's child code runs.
pub(crate) const ROLES: &[Role] = &[(TASK, task_main)];

/// One task: `gather-task INDEX WAIT_NS` says `ready`, waits for `go`, waits its duration,
/// then writes its value as one line.
const TASK: &str = "gather-task";

/// The stack of a thread that only reads one line from a pipe: far less than the default
/// 2 MiB, so a thousand of them stay light.
const READER_STACK: usize = 64 * 1024;

/// Starts one process per entry of `durations`, lets them go together, then reads each
/// one's answer from its own pipe in submission order, so the values come back in that
/// order whatever order the processes finished in (`asyncio.gather`, or
/// `multiprocessing`'s `Pool.map`).
///
/// Stresses: process creation (a `fork`-like clone, an `exec`, the loader: a millisecond
/// or two each, against tens of microseconds for a thread) and the kernel's timers.
/// Reading in order costs nothing extra: a pipe keeps a finished worker's answer until it
/// is read, as a finished thread keeps its result until joined, so the parent waits only
/// for the slowest worker. Processes suit this when each task is worth far more than a
/// millisecond of start-up, or must be isolated.
///
/// # Errors
/// The OS refused a process, or a worker died before answering; the workers already started
/// are killed and reaped first.
pub fn gather(durations: &[Duration]) -> Result<GatherOutcome, NotRun> {
    // An early `?` drops `workers`: every guard kills and reaps its process.
    let mut workers = start_at_gate(durations)?;
    go(&mut workers)?;
    let mut values = Vec::with_capacity(workers.len());
    for worker in &mut workers {
        let line = worker.read_line()?;
        values.push(line.parse().map_err(|_| not_a_number(worker.pid(), &line))?);
    }
    for worker in &mut workers {
        reap(worker)?;
    }
    Ok(GatherOutcome { values })
}

/// Starts the same processes, but hands each value back as soon as its worker answers
/// (`asyncio.as_completed`, or `Pool.imap_unordered`): channel fan-in, one reader thread
/// per worker blocked on its pipe, each sending into one channel as its line arrives.
///
/// Stresses: the same as [`gather`], plus a thread per worker in the parent (a pipe read
/// blocks, and a blocked read must have a thread of its own; `poll` over every pipe would
/// do with one) and two wake-ups per value: the worker's `write` wakes its reader, whose
/// `send` wakes the caller. The tasks start together at the gate, so the order is decided
/// by the kernel's timers: the order of the durations, up to their jitter.
///
/// # Errors
/// As [`gather`].
pub fn as_completed(durations: &[Duration]) -> Result<GatherOutcome, NotRun> {
    let (done, finished) = mpsc::channel();
    thread::scope(|scope| {
        // The workers belong to this closure: any way out of it drops them, which kills
        // them, which ends every reader's read, so the scope's join cannot hang.
        let mut workers = start_at_gate(durations)?;
        for worker in &mut workers {
            let pipe = worker.stdout.take().ok_or_else(|| NotRun::failed("a worker has no output"))?;
            let (pid, done) = (worker.pid(), done.clone());
            thread::Builder::new()
                .stack_size(READER_STACK)
                .spawn_scoped(scope, move || {
                    // The caller holds the receiver until every reader is done.
                    let _ = done.send(read_answer(pid, pipe));
                })
                .map_err(|e| NotRun::failed(format!("the OS refused a reader thread: {e}")))?;
        }
        // Drop the caller's own sender: the channel then closes when the last reader has
        // sent, which ends the loop below even if a worker died without answering.
        drop(done);
        // Every reader is waiting on its pipe before any task starts.
        go(&mut workers)?;
        // Arrival order is completion order: the values come out as the readers sent them.
        let values = finished.iter().collect::<Result<Vec<u64>, NotRun>>()?;
        for worker in &mut workers {
            reap(worker)?;
        }
        Ok(GatherOutcome { values })
    })
}

/// Starts one worker per task and waits until each says it is ready: running, and blocked
/// on its standard input until [`go`].
fn start_at_gate(durations: &[Duration]) -> Result<Vec<Worker>, NotRun> {
    let mut workers = Vec::with_capacity(durations.len());
    for (index, &wait) in durations.iter().enumerate() {
        let command = worker::command(TASK, [index.to_string(), wait.as_nanos().to_string()])?;
        workers.push(Worker::start(command)?);
    }
    for worker in &mut workers {
        let said = worker.read_line()?;
        if said != "ready" {
            return Err(NotRun::failed(format!("worker {} said {said:?}, not \"ready\"", worker.pid())));
        }
    }
    Ok(workers)
}

/// Opens the gate: tells every worker to begin, one line each (microseconds apart).
fn go(workers: &mut [Worker]) -> Result<(), NotRun> {
    for worker in workers.iter_mut() {
        worker.send_line("go")?;
        // The worker needs nothing more: its end of input.
        worker.close_stdin();
    }
    Ok(())
}

/// A reader thread's work: the one line worker `pid` answers on `pipe`.
fn read_answer(pid: u32, pipe: io::BufReader<ChildStdout>) -> Result<u64, NotRun> {
    let mut pipe = pipe;
    let mut line = String::new();
    match pipe.read_line(&mut line) {
        // The end of the pipe with no line: the worker exited, or died, without answering.
        Ok(0) => Err(NotRun::failed(format!("worker {pid} ended without answering"))),
        Ok(_) => line.trim_end().parse().map_err(|_| not_a_number(pid, &line)),
        Err(e) => Err(NotRun::failed(format!("reading worker {pid} failed: {e}"))),
    }
}

/// A worker answered something other than a number.
fn not_a_number(pid: u32, line: &str) -> NotRun {
    NotRun::failed(format!("worker {pid} answered {:?}, not a number", line.trim_end()))
}

/// Waits for a worker that has answered to exit, and checks that it ended well. It has
/// nothing left to do but exit, so the wait is short.
fn reap(worker: &mut Worker) -> Result<(), NotRun> {
    let status = worker.wait()?;
    if status.success() {
        Ok(())
    } else {
        Err(NotRun::failed(format!("worker {} ended with {status}", worker.pid())))
    }
}

/// The child: say `ready`, wait for `go`, wait its duration, then write the task's value as
/// one line. Blocking is fine here: the process has nothing else to do, and the kernel runs
/// the others meanwhile.
fn task_main(args: &[String]) -> ExitCode {
    let parsed =
        (|| Ok::<_, String>((worker::arg(args, 0, "index")?, worker::arg(args, 1, "wait in ns")?)))();
    let (index, wait_ns): (usize, u64) = match parsed {
        Ok(parsed) => parsed,
        Err(why) => return worker::bad_args(TASK, &why),
    };
    let mut out = io::stdout().lock();
    if writeln!(out, "ready").and_then(|()| out.flush()).is_err() {
        // The parent is gone: nobody wants the value.
        return ExitCode::FAILURE;
    }
    let mut gate = String::new();
    match io::stdin().lock().read_line(&mut gate) {
        Ok(_) if gate.trim_end() == "go" => {}
        // The end of input before `go`: the parent gave up.
        _ => return ExitCode::FAILURE,
    }
    thread::sleep(Duration::from_nanos(wait_ns));
    match writeln!(out, "{}", task_value(index)).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}
