//! W8, scoped resources: acquire, work, release, on every path, in a worker process, with
//! the parent checking from outside that nothing was left behind.
//!
//! A process's memory, open files and locks die with it: the kernel releases them on any
//! exit, even `SIGKILL`. So the resource here is one the kernel does *not* clean up: a
//! file the scope creates on disk (a lock file, a scratch file, a socket path), which only
//! the worker's own code can remove. Inside the worker the idiom is the threads' one: a
//! guard whose `Drop` removes the file, so Rust removes it on every way out of a scope
//! (a normal end, an early return by `?`), plus an explicit `close` on the normal end,
//! where a failed clean-up can be reported. After the run the parent counts the files left
//! in the run's folder: any left is a resource leaked across the process boundary.
//!
//! As in the threads model, the success and error paths run inline, one scope after another
//! in one worker (the parent pays one process start for the lot); the cancelled path needs
//! a canceller outside the scope, so each cancelled scope is a worker of its own, cancelled
//! by `SIGTERM` as in W6 ([`crate::cancellation`]).

use std::fs::{self, File};
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{ExitCode, Stdio};
use std::sync::Arc;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use serde::{Deserialize, Serialize};
use workloads::NotRun;
use workloads::cancellation::WORK;
use workloads::resource::{Ledger, Resource};
use workloads::scoped::{ScopeOutcome, ScopePath};

use crate::cancellation::{KILL_AFTER, RunDir, Termination, file_failed};
use crate::worker::{self, Role, Worker};

/// The worker roles this module's child code runs.
pub(crate) const ROLES: &[Role] = &[(RUN, run_main), (CANCEL, cancel_main)];

/// `scoped-run DIR N PATH`: `N` scopes in a row, on the success or error path, in `DIR`.
const RUN: &str = "scoped-run";

/// `scoped-cancel DIR INDEX`: one scope that works until `SIGTERM` cancels it.
const CANCEL: &str = "scoped-cancel";

/// What a worker tells the parent at its end: its scopes and its ledger's counts, as one
/// JSON line.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
struct Report {
    succeeded: usize,
    failed: usize,
    cancelled: usize,
    acquired: usize,
    closed: usize,
    dropped: usize,
}

impl Report {
    /// The counts of two workers together.
    fn add(self, other: Report) -> Report {
        Report {
            succeeded: self.succeeded + other.succeeded,
            failed: self.failed + other.failed,
            cancelled: self.cancelled + other.cancelled,
            acquired: self.acquired + other.acquired,
            closed: self.closed + other.closed,
            dropped: self.dropped + other.dropped,
        }
    }
}

/// Why a scope's work ended early; the scope passes it on after releasing.
#[derive(Debug)]
enum WorkError {
    /// The work failed.
    Failed,
    /// The work was ended by `SIGTERM`.
    Cancelled,
}

/// Runs `n` scopes one after another, each creating a file, doing the work of `path` and
/// removing the file; then counts the files left behind.
///
/// Stresses: on the success and error paths, one process start for the whole run, then
/// per scope a file created and removed (two system calls and the file system's work:
/// microseconds, where the threads' in-memory guard takes nanoseconds). On the cancelled
/// path, a process start, a signal and a reap per scope.
///
/// # Errors
/// The OS refused a process or a file, or a worker died or answered nonsense.
pub fn scoped_resources(n: usize, path: ScopePath) -> Result<ScopeOutcome, NotRun> {
    let dir = RunDir::new("scoped")?;
    let report = match path {
        ScopePath::Success | ScopePath::Error => run_inline(dir.path(), n, path)?,
        ScopePath::Cancelled => {
            let mut total = Report::default();
            for index in 0..n {
                total = total.add(cancel_mid_work(dir.path(), index)?);
            }
            total
        }
    };
    // The parent's own check, across the boundary: every file a scope made is gone.
    let live_after = fs::read_dir(dir.path()).map_err(|e| file_failed("list", dir.path(), &e))?.count();
    Ok(ScopeOutcome {
        scopes: n,
        succeeded: report.succeeded,
        failed: report.failed,
        cancelled: report.cancelled,
        acquired: report.acquired,
        closed: report.closed,
        dropped: report.dropped,
        live_after,
    })
}

/// The success and error paths: one worker runs the `n` scopes and reports.
fn run_inline(dir: &Path, n: usize, path: ScopePath) -> Result<Report, NotRun> {
    let name = if path == ScopePath::Success { "success" } else { "error" };
    let args = [dir.as_os_str().to_owned(), n.to_string().into(), name.into()];
    let mut command = worker::command(RUN, args)?;
    command.stdin(Stdio::null());
    let mut worker = Worker::start(command)?;
    let report = read_report(&mut worker)?;
    reap(&mut worker)?;
    Ok(report)
}

/// One cancelled scope: start its worker, send `SIGTERM` once it holds the resource
/// (mid-work, as a user's Ctrl-C would), and read what it reports.
fn cancel_mid_work(dir: &Path, index: usize) -> Result<Report, NotRun> {
    let mut command = worker::command(CANCEL, [dir.as_os_str().to_owned(), index.to_string().into()])?;
    command.stdin(Stdio::null());
    let mut worker = Worker::start(command)?;
    let said = worker.read_line()?;
    if said != "holding" {
        return Err(NotRun::failed(format!("worker {} said {said:?}, not \"holding\"", worker.pid())));
    }
    let id = worker.pid();
    let pid = Pid::from_raw(i32::try_from(id).map_err(|_| NotRun::failed("a pid out of range"))?);
    kill(pid, Signal::SIGTERM).map_err(|e| NotRun::failed(format!("cannot signal worker {pid}: {e}")))?;
    // Its report waits in the pipe while the parent waits for it to exit, at most
    // KILL_AFTER: a worker that ignores the request is killed, and the run fails.
    let mut output = worker.stdout.take().ok_or_else(|| NotRun::failed("the worker has no output"))?;
    worker.join(KILL_AFTER)?;
    let mut line = String::new();
    output.read_line(&mut line).map_err(|e| NotRun::failed(format!("reading worker {pid} failed: {e}")))?;
    parse_report(id, line.trim_end())
}

/// A worker's last line, its [`Report`].
fn read_report(worker: &mut Worker) -> Result<Report, NotRun> {
    let line = worker.read_line()?;
    parse_report(worker.pid(), &line)
}

/// Worker `pid`'s report, from its JSON line.
fn parse_report(pid: u32, line: &str) -> Result<Report, NotRun> {
    serde_json::from_str(line).map_err(|e| NotRun::failed(format!("worker {pid} reported {line:?}: {e}")))
}

/// Waits for a worker that has reported to exit, and checks that it ended well.
fn reap(worker: &mut Worker) -> Result<(), NotRun> {
    let status = worker.wait()?;
    if status.success() {
        Ok(())
    } else {
        Err(NotRun::failed(format!("worker {} ended with {status}", worker.pid())))
    }
}

// ---------------------------------------------------------------------------------------
// The child side.

/// The resource: a file the scope creates, counted in the worker's ledger while it exists.
struct ScratchFile {
    path: PathBuf,
    /// The ledger's guard; `None` once [`ScratchFile::close`] has released it.
    guard: Option<Resource>,
}

impl ScratchFile {
    /// Creates the file (it must not exist: two scopes never share one).
    fn create(ledger: &Arc<Ledger>, path: PathBuf) -> io::Result<ScratchFile> {
        // The handle closes at once; the file stays until removed.
        File::create_new(&path)?;
        Ok(ScratchFile { path, guard: Some(ledger.acquire()) })
    }

    /// Removes the file explicitly: the end of a `with` block on the normal path, where a
    /// clean-up that fails can say so.
    fn close(mut self) -> io::Result<()> {
        fs::remove_file(&self.path)?;
        if let Some(guard) = self.guard.take() {
            guard.close();
        }
        Ok(())
    }
}

impl Drop for ScratchFile {
    /// Removes the file on every other way out: an error, a cancellation.
    fn drop(&mut self) {
        if self.guard.is_some() {
            let _ = fs::remove_file(&self.path);
        }
        // `guard` is dropped after this: the ledger counts the release as a drop.
    }
}

/// One scope: create the resource, tell the parent (`held`), work, remove it.
fn with_resource(
    ledger: &Arc<Ledger>,
    file: PathBuf,
    work: impl FnOnce() -> Result<(), WorkError>,
    held: impl FnOnce() -> io::Result<()>,
) -> io::Result<Result<(), WorkError>> {
    let resource = ScratchFile::create(ledger, file)?;
    held()?;
    // On an error, returning here drops the guard, whose `Drop` removes the file on the way
    // out: no `finally` needed. (The outer `?`s are the worker's own failures, a file it
    // could not create or remove; they leave by the same `Drop`.)
    if let Err(e) = work() {
        return Ok(Err(e));
    }
    // The normal end: release explicitly.
    resource.close()?;
    Ok(Ok(()))
}

/// The child `scoped-run DIR N PATH`.
fn run_main(args: &[String]) -> ExitCode {
    let parsed = (|| {
        let dir: PathBuf = worker::arg(args, 0, "folder")?;
        let n: usize = worker::arg(args, 1, "scopes")?;
        let fails = match worker::arg::<String>(args, 2, "path")?.as_str() {
            "success" => false,
            "error" => true,
            other => return Err(format!("path {other:?} is neither success nor error")),
        };
        Ok((dir, n, fails))
    })();
    let (dir, n, fails) = match parsed {
        Ok(parsed) => parsed,
        Err(why) => return worker::bad_args(RUN, &why),
    };
    let ledger = Ledger::new();
    let mut report = Report::default();
    for index in 0..n {
        let work = || if fails { Err(WorkError::Failed) } else { Ok(()) };
        match with_resource(&ledger, dir.join(format!("scope-{index}")), work, || Ok(())) {
            Ok(ended) => count(&mut report, &ended),
            Err(e) => return child_failed(RUN, &e),
        }
    }
    finish(RUN, report, &ledger)
}

/// The child `scoped-cancel DIR INDEX`: one scope, whose work waits until `SIGTERM`.
fn cancel_main(args: &[String]) -> ExitCode {
    let parsed = (|| {
        Ok::<_, String>((worker::arg::<PathBuf>(args, 0, "folder")?, worker::arg::<usize>(args, 1, "index")?))
    })();
    let (dir, index) = match parsed {
        Ok(parsed) => parsed,
        Err(why) => return worker::bad_args(CANCEL, &why),
    };
    // The handler first, before the resource exists: a SIGTERM with no handler would end
    // the worker by the default action and leave the file on disk.
    let mut termination = match Termination::install() {
        Ok(termination) => termination,
        Err(e) => return child_failed(CANCEL, &e),
    };
    let ledger = Ledger::new();
    let work = || match termination.work_until_terminated(WORK) {
        Ok(true) => Err(WorkError::Cancelled),
        // The whole work passed without a request: far longer than any run.
        Ok(false) => Ok(()),
        Err(_) => Err(WorkError::Failed),
    };
    let held = || {
        let mut out = io::stdout().lock();
        writeln!(out, "holding")?;
        out.flush()
    };
    let mut report = Report::default();
    match with_resource(&ledger, dir.join(format!("scope-{index}")), work, held) {
        Ok(ended) => count(&mut report, &ended),
        Err(e) => return child_failed(CANCEL, &e),
    }
    finish(CANCEL, report, &ledger)
}

/// Counts how one scope ended.
fn count(report: &mut Report, ended: &Result<(), WorkError>) {
    match ended {
        Ok(()) => report.succeeded += 1,
        Err(WorkError::Failed) => report.failed += 1,
        Err(WorkError::Cancelled) => report.cancelled += 1,
    }
}

/// Writes the worker's report, its ledger's counts added, as its last line.
fn finish(role: &str, report: Report, ledger: &Ledger) -> ExitCode {
    let report =
        Report { acquired: ledger.acquired(), closed: ledger.closed(), dropped: ledger.dropped(), ..report };
    let line = serde_json::to_string(&report).unwrap_or_default();
    let mut out = io::stdout().lock();
    match writeln!(out, "{line}").and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => child_failed(role, &e),
    }
}

/// A worker's own failure: the reason on stderr, status 1.
fn child_failed(role: &str, e: &io::Error) -> ExitCode {
    eprintln!("error: {} {role}: {e}", worker::PROGRAM);
    ExitCode::FAILURE
}
