//! W7, timeouts: one worker process per operation, waited for with a deadline; at the
//! deadline the parent kills it. With threads, a timeout only ends the *waiting* (the work
//! goes on unless it checks a token); a process can be ended from outside, so here the
//! timeout ends the work too: `SIGKILL`, then the reap, and nothing of the operation is left
//! running. This is `subprocess.run(..., timeout=...)`, which kills the child when the
//! timeout expires, and `multiprocessing`'s `p.join(timeout)` followed by `p.kill()`.
//!
//! The work's resource is the process itself: a worker holds it while it runs, closes it
//! by exiting normally when its work reaches its end, and loses it when killed (the kernel
//! frees a dead process's memory, files and locks).

use std::process::{ExitCode, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use workloads::NotRun;
use workloads::timeouts::{GRACE, TimeoutOutcome};

use crate::worker::{self, Role, Worker};

/// The worker roles this module's child code runs.
pub(crate) const ROLES: &[Role] = &[(WORK, work_main)];

/// The work: `timeouts-work WORK_NS` works (sleeps) that long, then exits normally.
const WORK: &str = "timeouts-work";

/// One operation, once its deadline has come: how late the waiter saw it, and the worker,
/// killed (or already ended), not yet reaped.
struct Due {
    /// How late the waiter saw the timeout, or `None` when the work ended first.
    lateness: Option<Duration>,
    worker: Worker,
}

/// Starts `n` worker processes, one after another as fast as the OS allows; each runs work
/// that takes `work`, and the parent gives each a deadline of `deadline` from its start.
/// A waiter thread kills each worker at its deadline. Returns how late each timeout was
/// seen, and how many workers finished their work, counted once `work` (plus [`GRACE`]) has
/// passed since the start, from the exit status of every worker, reaped.
///
/// Stresses: process creation and the parent's timer. One thread waits for every
/// deadline: they come in the order the workers started (the deadline is the same for
/// all), so it sleeps until the first, kills that worker, then sleeps until the next, like
/// a runtime's timer queue. It only sends the signal: the reap waits until the end, since
/// a killed process must still be scheduled to die, and a waiter that waited for each one
/// would fall behind its deadlines. Starting a process takes a millisecond or two, so the
/// operations do not all start at once: the thousandth starts a second or two after the
/// first. Processes suit timeouts on work that may hang for good (a stuck driver, a
/// runaway computation), which only a kill can stop.
///
/// # Errors
/// The OS refused a process or a thread, or a worker ended in an unexpected way; every
/// worker started is killed and reaped first.
pub fn timeouts(n: usize, deadline: Duration, work: Duration) -> Result<TimeoutOutcome, NotRun> {
    let run_start = Instant::now();
    let dues = thread::scope(|scope| {
        // The spawner (this thread, which outlives every worker) hands each worker and its
        // deadline to the waiter as soon as it has started.
        let (started, to_wait) = mpsc::channel::<(Instant, Worker)>();
        let waiter = thread::Builder::new()
            .name("deadlines".into())
            .spawn_scoped(scope, move || {
                // The first failure ends the waiter; dropping the channel then kills and
                // reaps the workers still in it, and stops the spawner.
                to_wait.into_iter().map(|(due, w)| kill_at(due, w)).collect::<Result<Vec<_>, _>>()
            })
            .map_err(|e| NotRun::failed(format!("the OS refused a thread: {e}")))?;
        let spawned = start_all(n, deadline, work, &started);
        // Closing the channel lets the waiter end once it has dealt with every worker,
        // whether or not all of them started.
        drop(started);
        let dues = waiter.join().unwrap_or_else(|_| Err(NotRun::failed("the waiter panicked")));
        // The waiter's failure first: the spawner's is then only "the waiter stopped".
        let dues = dues?;
        spawned.map(|()| dues)
    })?;

    // Work left running would finish `work` after the start: wait past that before counting.
    thread::sleep((run_start + work + GRACE).saturating_duration_since(Instant::now()));
    let mut lateness = Vec::with_capacity(n);
    let mut finished_work = 0;
    for Due { lateness: late, mut worker } in dues {
        // The reap: every worker was killed or had ended, so this wait is short; once it
        // returns, nothing of the operation runs. A normal exit means the work reached its
        // end, before the kill or without one.
        let status = worker.wait()?;
        finished_work += usize::from(status.success());
        match late {
            Some(late) => lateness.push(late),
            None if !status.success() => {
                return Err(NotRun::failed(format!(
                    "worker {} ended with {status} before its deadline",
                    worker.pid()
                )));
            }
            None => {}
        }
    }
    Ok(TimeoutOutcome {
        ops: n,
        timed_out: lateness.len(),
        finished_work,
        // Every worker was reaped above: a reaped process runs nothing.
        live_after: 0,
        lateness,
    })
}

/// Starts `n` workers, handing each to the waiter with its deadline.
fn start_all(
    n: usize,
    deadline: Duration,
    work: Duration,
    started: &mpsc::Sender<(Instant, Worker)>,
) -> Result<(), NotRun> {
    for _ in 0..n {
        let mut command = worker::command(WORK, [work.as_nanos().to_string()])?;
        // The worker needs no pipe: its exit status says how it ended.
        command.stdin(Stdio::null()).stdout(Stdio::null());
        // The operation starts when the parent asks for the process: its start-up is part
        // of the time the deadline allows, as a coroutine's first steps are for `wait_for`.
        let start = Instant::now();
        let worker = Worker::start(command)?;
        started.send((start + deadline, worker)).map_err(|_| NotRun::failed("the waiter stopped"))?;
    }
    Ok(())
}

/// The waiter's part for one worker: sleep until its deadline; if it is still working,
/// note how late that is and kill it.
fn kill_at(due: Instant, mut worker: Worker) -> Result<Due, NotRun> {
    thread::sleep(due.saturating_duration_since(Instant::now()));
    let late = Instant::now().saturating_duration_since(due);
    let still_working = worker
        .child()
        .try_wait()
        .map_err(|e| NotRun::failed(format!("cannot wait for a worker: {e}")))?
        .is_none();
    if still_working {
        // SIGKILL: the work cannot ignore it, and the kernel frees what the process held.
        // It stops the work, not just the waiting.
        worker.child().kill().map_err(|e| NotRun::failed(format!("cannot kill a worker: {e}")))?;
    }
    Ok(Due { lateness: still_working.then_some(late), worker })
}

/// The child: `timeouts-work WORK_NS`, work that takes that long (a sleep standing in for a
/// call that answers late), then a normal exit: the work reached its end.
fn work_main(args: &[String]) -> ExitCode {
    match worker::arg::<u64>(args, 0, "work in ns") {
        Ok(ns) => {
            thread::sleep(Duration::from_nanos(ns));
            ExitCode::SUCCESS
        }
        Err(why) => worker::bad_args(WORK, &why),
    }
}
