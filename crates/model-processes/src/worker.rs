//! The worker processes: how the model finds its worker program, starts a worker, talks to
//! it and makes sure none outlives the call that started it.
//!
//! A worker is the workspace's `process-worker` binary, started with a *role* (which
//! workload's child code to run) and its arguments: `process-worker ROLE ARGS...`. The
//! model finds it beside the running program, as the harness finds `serve` and `kernels`
//! (or one folder up: cargo puts test and bench executables in `deps/`), or where the
//! `PROCESS_WORKER` environment variable says.
//!
//! Why a program of its own and not `fork`: after `fork` a child of a multi-threaded
//! process (every process that has started a runtime, a test harness, criterion) may only
//! call async-signal-safe functions until it `exec`s: no allocation, no locks. Python's
//! `multiprocessing` moved off plain `fork` for the same reason (its default is `spawn` on
//! macOS and Windows, `forkserver` from Python 3.14 on Linux). Starting a fresh program
//! costs an `exec` and the dynamic loader, which is the figure the spawn row shows.
//!
//! No orphans: [`Worker`] kills and reaps its process when dropped, whatever path the
//! caller takes out (an error, a panic), and every worker asks the kernel to kill it if the
//! thread that started it dies ([`child_main`] sets `PR_SET_PDEATHSIG`). That second rule
//! means a worker must be started by a thread that outlives it: the calling thread, not a
//! short-lived helper.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitCode, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use workloads::NotRun;

/// The worker program's file name.
pub const PROGRAM: &str = "process-worker";

/// The environment variable that names the worker program, overriding the search.
pub const ENV: &str = "PROCESS_WORKER";

/// The worker program, once found or set: one per process, like a global runtime's settings.
static FOUND: OnceLock<Result<PathBuf, String>> = OnceLock::new();

/// Where the worker program is, found once per process.
///
/// # Errors
/// It is not beside the running program nor one folder up, and `PROCESS_WORKER` does not
/// name it: the message says where it looked and how to build it.
pub fn program() -> Result<&'static Path, String> {
    FOUND.get_or_init(find).as_ref().map(PathBuf::as_path).map_err(Clone::clone)
}

/// Makes `path` this process's worker program, in place of the search (a program that wraps
/// the real one, say, to see what the model does when a worker dies). Only before the first
/// worker starts: once found or set, the program stays.
///
/// # Errors
/// The program was already found or set: the one in use.
pub fn use_program(path: PathBuf) -> Result<(), String> {
    FOUND.set(Ok(path)).map_err(|_| match program() {
        Ok(path) => format!("the worker program is already {}", path.display()),
        Err(why) => format!("the worker program was already looked for: {why}"),
    })
}

fn find() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os(ENV) {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!("{ENV}={} names no file", path.display()))
        };
    }
    let exe = std::env::current_exe().map_err(|e| format!("cannot tell where this program is: {e}"))?;
    let dir = exe.parent().unwrap_or(Path::new("."));
    let mut looked = Vec::new();
    for candidate in [Some(dir), dir.parent()].into_iter().flatten().map(|d| d.join(PROGRAM)) {
        if candidate.is_file() {
            return Ok(candidate);
        }
        looked.push(candidate.display().to_string());
    }
    Err(format!(
        "the worker program {PROGRAM} is not built (looked at {}); `cargo build --release --bins` builds it, \
         or set {ENV} to its path",
        looked.join(" and ")
    ))
}

/// The command that starts a worker in `role` with `args`, its three streams piped or
/// closed as the caller sets them (stdin and stdout piped, stderr inherited, by default).
///
/// # Errors
/// The worker program cannot be found ([`program`]).
pub fn command<I, S>(role: &str, args: I) -> Result<Command, NotRun>
where
    I: IntoIterator<Item = S>,
    S: Into<OsString>,
{
    let program = program().map_err(NotRun::failed)?;
    let mut command = Command::new(program);
    command.arg(role).args(args.into_iter().map(Into::into));
    command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::inherit());
    Ok(command)
}

/// A running worker process, killed and reaped when dropped: no worker outlives the value
/// that started it.
#[derive(Debug)]
pub struct Worker {
    child: Child,
    /// Its standard input, while the parent still holds it (`None` once closed or taken).
    pub stdin: Option<ChildStdin>,
    /// Its standard output, buffered, while the parent holds it.
    pub stdout: Option<BufReader<ChildStdout>>,
}

impl Worker {
    /// Starts `command` (from [`command`]).
    ///
    /// # Errors
    /// The OS refused the process (too many processes, out of memory), with the reason.
    pub fn start(mut command: Command) -> Result<Worker, NotRun> {
        let mut child = command.spawn().map_err(|e| refused(&e))?;
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().map(BufReader::new);
        Ok(Worker { child, stdin, stdout })
    }

    /// Starts a worker in `role` with `args`, stdin and stdout piped.
    ///
    /// # Errors
    /// As [`command`] and [`Worker::start`].
    pub fn spawn<I, S>(role: &str, args: I) -> Result<Worker, NotRun>
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        Worker::start(command(role, args)?)
    }

    /// The worker's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends one line (a newline is added) and flushes it.
    ///
    /// # Errors
    /// The worker closed its end (it died), with the reason.
    pub fn send_line(&mut self, line: &str) -> Result<(), NotRun> {
        let stdin = self.stdin.as_mut().ok_or_else(|| NotRun::failed("the worker's stdin is closed"))?;
        writeln!(stdin, "{line}").and_then(|()| stdin.flush()).map_err(|e| self.died("writing to", &e))
    }

    /// Reads one line from the worker (without its newline).
    ///
    /// # Errors
    /// The worker closed its output or died before writing a whole line.
    pub fn read_line(&mut self) -> Result<String, NotRun> {
        let stdout = self.stdout.as_mut().ok_or_else(|| NotRun::failed("the worker's stdout is closed"))?;
        let mut line = String::new();
        match stdout.read_line(&mut line) {
            Ok(0) => Err(self.gone()),
            Ok(_) => {
                if line.ends_with('\n') {
                    line.pop();
                }
                Ok(line)
            }
            Err(e) => Err(self.died("reading from", &e)),
        }
    }

    /// Closes the worker's stdin: end of input, the usual way to tell a worker to finish.
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Waits up to `limit` for the worker to exit, and says how it ended.
    ///
    /// # Errors
    /// It exited with a failure or a signal, or ran past `limit` (it is then killed): a
    /// worker that dies mid-task is reported, never waited for forever.
    pub fn join(mut self, limit: Duration) -> Result<(), NotRun> {
        self.stdin = None;
        let started = Instant::now();
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) if status.success() => return Ok(()),
                Ok(Some(status)) => {
                    return Err(NotRun::failed(format!("worker {} ended with {status}", self.child.id())));
                }
                Ok(None) if started.elapsed() >= limit => {
                    return Err(NotRun::failed(format!(
                        "worker {} did not finish within {} s and was killed",
                        self.child.id(),
                        limit.as_secs_f64()
                    )));
                }
                Ok(None) => std::thread::sleep(Duration::from_micros(200)),
                Err(e) => return Err(NotRun::failed(format!("cannot wait for a worker: {e}"))),
            }
        }
    }

    /// Blocks until the worker exits, and returns how it ended (no time limit: for callers
    /// that bound the wait otherwise, e.g. by a pipe the worker answers on).
    ///
    /// # Errors
    /// The OS could not wait for it.
    pub fn wait(&mut self) -> Result<std::process::ExitStatus, NotRun> {
        self.stdin = None;
        self.child.wait().map_err(|e| NotRun::failed(format!("cannot wait for a worker: {e}")))
    }

    /// The underlying child, for what this type does not wrap (a signal, a pipe of its own).
    pub fn child(&mut self) -> &mut Child {
        &mut self.child
    }

    /// Why a pipe to the worker failed: it died (with its exit status, if it has one).
    fn died(&mut self, doing: &str, e: &std::io::Error) -> NotRun {
        match self.child.try_wait() {
            Ok(Some(status)) => NotRun::failed(format!("worker {} died ({status})", self.child.id())),
            _ => NotRun::failed(format!("{doing} worker {} failed: {e}", self.child.id())),
        }
    }

    /// The worker's output ended early: it died, or quit before answering.
    fn gone(&mut self) -> NotRun {
        // Its exit status, if it has one by now.
        let _ = self.child.try_wait();
        std::thread::sleep(Duration::from_millis(5));
        match self.child.try_wait() {
            Ok(Some(status)) => {
                NotRun::failed(format!("worker {} died mid-task ({status})", self.child.id()))
            }
            _ => NotRun::failed(format!("worker {} closed its output before answering", self.child.id())),
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // Already reaped: nothing to do. Otherwise kill and reap, so that neither an orphan
        // nor a zombie is left behind.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Waits for every worker to exit, failing at the first that exits with a failure or a
/// signal, or when `limit` has passed.
///
/// Why not wait for them one by one: a job that dies holding a token takes the token with it,
/// and the others may then sleep in `read` for ever (W11's jobs, W12's consumers); waiting on one of those would hang. Here
/// the dead one is seen at once, and the caller's [`Worker`]s, dropped on the way out, kill
/// and reap the rest.
///
/// # Errors
/// A worker failed, or `limit` passed first.
pub fn wait_all(workers: &mut [Worker], limit: Duration) -> Result<(), NotRun> {
    let started = Instant::now();
    let mut running: Vec<&mut Worker> = workers.iter_mut().collect();
    // Short naps at first, so that a quick run is not made slow by the waiting, then longer.
    let mut nap = Duration::from_micros(20);
    while !running.is_empty() {
        let mut i = 0;
        while i < running.len() {
            let worker = &mut running[i];
            match worker.child().try_wait() {
                Ok(Some(status)) if status.success() => {
                    running.swap_remove(i);
                }
                Ok(Some(status)) => {
                    return Err(NotRun::failed(format!("worker {} ended with {status}", worker.pid())));
                }
                Ok(None) => i += 1,
                Err(e) => return Err(NotRun::failed(format!("cannot wait for a worker: {e}"))),
            }
        }
        if running.is_empty() {
            break;
        }
        if started.elapsed() >= limit {
            return Err(NotRun::failed(format!(
                "{} workers did not finish within {} s and were killed",
                running.len(),
                limit.as_secs_f64()
            )));
        }
        std::thread::sleep(nap);
        nap = (nap * 2).min(Duration::from_millis(1));
    }
    Ok(())
}

/// The OS refused a process, as a one-line reason for the table.
pub fn refused(e: &std::io::Error) -> NotRun {
    NotRun::failed(format!("the OS refused a process: {e}"))
}

/// The worker program's `main`: sets the death signal, then runs `ROLE`'s child code with
/// the remaining arguments. A bad role or argument exits 2 with the reason on stderr.
pub fn child_main() -> ExitCode {
    // Killed with the thread that started it: a parent that dies (or is killed) mid-run
    // leaves no worker behind.
    if let Err(e) = nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGKILL) {
        eprintln!("error: cannot set the worker's death signal: {e}");
        return ExitCode::FAILURE;
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((role, rest)) = args.split_first() else {
        eprintln!(
            "error: usage: {PROGRAM} ROLE [ARGS...]; it is started by the processes model, not by hand"
        );
        return ExitCode::from(2);
    };
    match crate::roles().iter().find(|(name, _)| name == role) {
        Some((_, run)) => run(rest),
        None => {
            let known: Vec<&str> = crate::roles().iter().map(|(name, _)| *name).collect();
            eprintln!("error: unknown role {role:?}; the roles are {}", known.join(", "));
            ExitCode::from(2)
        }
    }
}

/// Parses argument `index` of a role as a `T`, or says which argument was wrong.
///
/// # Errors
/// The argument is missing or does not parse.
pub fn arg<T: std::str::FromStr>(args: &[String], index: usize, what: &str) -> Result<T, String> {
    let text = args.get(index).ok_or_else(|| format!("missing argument {index} ({what})"))?;
    text.parse().map_err(|_| format!("argument {index} ({what}) is {text:?}, which does not parse"))
}

/// Exits a role with the error, the way every role reports a bad argument: 2, and why.
pub fn bad_args(role: &str, why: &str) -> ExitCode {
    eprintln!("error: {PROGRAM} {role}: {why}");
    ExitCode::from(2)
}

/// A role of the worker program: its name on the command line, and its child code, given the
/// arguments after the name.
pub type Role = (&'static str, fn(&[String]) -> ExitCode);
