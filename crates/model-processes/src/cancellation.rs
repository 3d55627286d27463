//! W6, cancellation: a worker process holds a resource and is stopped by a signal. Unlike a
//! thread, a process *can* be stopped from outside, and there are two ways:
//!
//! - `SIGKILL`: the kernel ends the process on the spot. It closes its files and releases
//!   its locks, but none of the worker's own clean-up runs: a temporary file stays on disk,
//!   a half-written output stays half-written, a peer is never told goodbye.
//! - `SIGTERM`: a request the worker handles. Its handler wakes the work, which stops, runs
//!   its clean-up (here: dropping the resource's guard) and exits. This is the tutorial's
//!   `except CancelledError: cleanup; raise`, and what a systems programmer sends first:
//!   `kill`'s default, systemd's and `docker stop`'s first signal.
//!
//! So the model sends `SIGTERM`, and keeps `SIGKILL` for a worker that has not released
//! within [`KILL_AFTER`] (as systemd and `docker stop` do after their grace period); a
//! worker that needs it fails the run. The resource is an exclusive lock on a file
//! (`flock`), which the parent can watch from outside: it waits to take the lock itself,
//! and the kernel wakes it the moment the worker lets go.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{ExitCode, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use workloads::NotRun;
use workloads::cancellation::{self, CancelOutcome, Mechanism, hold_for};

use crate::worker::{self, Role, Worker};

/// The worker roles this module's child code runs.
pub(crate) const ROLES: &[Role] = &[(HOLD, hold_main)];

/// The worker: `cancellation-hold FILE` locks `FILE`, says `holding`, and works until
/// `SIGTERM`.
const HOLD: &str = "cancellation-hold";

/// How long a worker has to release its resource after `SIGTERM` before the parent sends
/// `SIGKILL` (and fails the run): far longer than a release takes, short enough that a
/// broken handler fails a test instead of hanging it.
pub const KILL_AFTER: Duration = Duration::from_secs(5);

/// `trials` times, one after another: start a worker that locks a file and works, let it
/// hold the lock for `hold`, send it `SIGTERM`, wait until the parent can take the lock,
/// and reap the worker. Returns the time from each signal to the release.
///
/// Stresses: signal delivery and two wake-ups. The kernel runs the worker's handler (which
/// writes one byte into a socket), the worker's work wakes on that byte and closes the
/// file, and closing the file releases the lock and wakes the parent, which was waiting to
/// take it. Nothing polls: the latency is the kernel's, not a check interval's. Each trial
/// also pays a process start (about a millisecond) outside the measured interval.
///
/// # Errors
/// The OS refused a process or a file, a worker died before holding its lock, ended badly,
/// or did not release within [`KILL_AFTER`] of the request.
pub fn cancellation(trials: usize, hold: Duration) -> Result<CancelOutcome, NotRun> {
    let dir = RunDir::new(workloads::cancellation::CANCELLATION.id)?;
    let path = dir.path().join("resource.lock");
    // The parent's own handle on the file. The lock belongs to an open file, so this handle
    // and the worker's compete for it like two processes' would.
    let observer = File::create(&path).map_err(|e| file_failed("create", &path, &e))?;
    let mut latencies = Vec::with_capacity(trials);
    for trial in 0..trials {
        latencies.push(cancel_one(&path, &observer, hold_for(hold, trial))?);
    }
    // After the run, nobody holds the lock: the parent can take it at once.
    let live_after = match observer.try_lock() {
        Ok(()) => {
            observer.unlock().map_err(|e| file_failed("unlock", &path, &e))?;
            0
        }
        Err(fs::TryLockError::WouldBlock) => 1,
        Err(fs::TryLockError::Error(e)) => return Err(file_failed("lock", &path, &e)),
    };
    Ok(CancelOutcome {
        trials,
        // `cancel_one` returns only after reaping its worker.
        joined: latencies.len(),
        latencies,
        live_after,
        mechanism: Mechanism::Signal,
    })
}

/// One trial: start the worker, signal it once it has held its lock for `hold`, take the
/// lock once it lets go, reap it, and return the time from the signal to the release.
fn cancel_one(path: &Path, observer: &File, hold: Duration) -> Result<Duration, NotRun> {
    let mut command = worker::command(HOLD, [path])?;
    command.stdin(Stdio::null());
    let mut worker = Worker::start(command)?;
    // Cancel only once the lock is held: a request that came before the acquire would
    // measure nothing.
    let said = worker.read_line()?;
    if said != "holding" {
        return Err(NotRun::failed(format!("worker {} said {said:?}, not \"holding\"", worker.pid())));
    }
    let pid = Pid::from_raw(i32::try_from(worker.pid()).map_err(|_| NotRun::failed("a pid out of range"))?);

    let (latency, killed) = thread::scope(|scope| {
        // The fallback: a watchdog that sends SIGKILL if the release has not come in time.
        // The kernel then releases the lock, so the wait below ends either way. The worker
        // is reaped only after the watchdog is done, so its pid cannot be reused meanwhile.
        // `stop` lives inside this closure: any way out of it ends the watchdog at once.
        let (stop, stopped) = mpsc::channel::<()>();
        let watchdog = thread::Builder::new()
            .spawn_scoped(scope, move || match stopped.recv_timeout(KILL_AFTER) {
                Err(RecvTimeoutError::Timeout) => kill(pid, Signal::SIGKILL).is_ok(),
                Ok(()) | Err(RecvTimeoutError::Disconnected) => false,
            })
            .map_err(|e| NotRun::failed(format!("the OS refused a thread: {e}")))?;

        thread::sleep(hold);
        let requested = Instant::now();
        kill(pid, Signal::SIGTERM).map_err(|e| NotRun::failed(format!("cannot signal worker {pid}: {e}")))?;
        // Blocks until the worker's lock is gone: the kernel wakes this call when it is.
        observer.lock().map_err(|e| file_failed("lock", path, &e))?;
        let released = Instant::now();
        observer.unlock().map_err(|e| file_failed("unlock", path, &e))?;
        drop(stop);
        let killed = watchdog.join().unwrap_or(false);
        Ok::<_, NotRun>((released.saturating_duration_since(requested), killed))
    })?;

    if killed {
        return Err(NotRun::failed(format!(
            "worker {pid} did not release its lock within {} s of SIGTERM and was killed",
            KILL_AFTER.as_secs()
        )));
    }
    // The reap is what makes the cancellation complete: after it, nothing of the task runs.
    let status = worker.wait()?;
    if !status.success() {
        return Err(NotRun::failed(format!("worker {pid} ended with {status} after SIGTERM")));
    }
    Ok(latency)
}

/// The child: `cancellation-hold FILE`.
fn hold_main(args: &[String]) -> ExitCode {
    let path: PathBuf = match worker::arg(args, 0, "lock file") {
        Ok(path) => path,
        Err(why) => return worker::bad_args(HOLD, &why),
    };
    match hold_until_terminated(&path) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {} {HOLD}: {e}", worker::PROGRAM);
            ExitCode::FAILURE
        }
    }
}

/// The task: take the lock on `path`, say so, then work until `SIGTERM` (or until
/// [`cancellation::WORK`] has passed, far longer than any run).
fn hold_until_terminated(path: &Path) -> io::Result<()> {
    // The handler first: a SIGTERM that came before it would end the worker by the default
    // action, with no clean-up of its own.
    let mut termination = Termination::install()?;
    let resource = OpenOptions::new().read(true).write(true).open(path)?;
    // An exclusive lock: blocks while anyone else holds one.
    resource.lock()?;
    let mut out = io::stdout().lock();
    writeln!(out, "holding")?;
    out.flush()?;
    termination.work_until_terminated(cancellation::WORK)?;
    // Returning drops `resource`: closing the file releases its lock. The process then
    // exits normally, with status 0: a handled request, not a crash.
    Ok(())
}

/// `SIGTERM`, turned into something the worker's work can wait on: the self-pipe trick.
/// signal-hook's handler writes one byte into one end of a socket pair (writing is among the
/// few things a signal handler may do), and the work waits to read it from the other end.
/// Installing it replaces `SIGTERM`'s default action (ending the process) for good.
pub(crate) struct Termination {
    wake: UnixStream,
}

impl Termination {
    /// Installs the handler.
    pub(crate) fn install() -> io::Result<Termination> {
        let (wake, notify) = UnixStream::pair()?;
        signal_hook::low_level::pipe::register(signal_hook::consts::SIGTERM, notify)?;
        Ok(Termination { wake })
    }

    /// The work: a wait of `work`, which `SIGTERM` ends early, as a cancellation ends an
    /// `await`. Returns whether it was ended by the signal.
    pub(crate) fn work_until_terminated(&mut self, work: Duration) -> io::Result<bool> {
        let end = Instant::now() + work;
        loop {
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(false);
            }
            self.wake.set_read_timeout(Some(left))?;
            match self.wake.read(&mut [0_u8]) {
                Ok(1) => return Ok(true),
                Ok(_) => return Err(io::Error::other("the signal's socket closed")),
                // The signal interrupted the read itself (a socket with a timeout is not
                // restarted): its byte is there now, read it on the next turn.
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                // The timeout: the loop checks whether the work is over.
                Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {}
                Err(e) => return Err(e),
            }
        }
    }
}

/// A folder of one run's own files in the temporary folder, removed with everything in it
/// when dropped.
pub(crate) struct RunDir {
    path: PathBuf,
}

impl RunDir {
    /// A new, empty folder whose name says what it is for, this process and the run.
    pub(crate) fn new(what: &str) -> Result<RunDir, NotRun> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let run = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("model-processes-{what}-{}-{run}", std::process::id()));
        // A folder left by an earlier process with the same pid would be stale: replace it.
        let _ = fs::remove_dir_all(&path);
        fs::create_dir(&path).map_err(|e| file_failed("create", &path, &e))?;
        Ok(RunDir { path })
    }

    /// Where it is.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for RunDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}

/// A file operation failed, as a one-line reason.
pub(crate) fn file_failed(doing: &str, path: &Path, e: &io::Error) -> NotRun {
    NotRun::failed(format!("cannot {doing} {}: {e}", path.display()))
}
