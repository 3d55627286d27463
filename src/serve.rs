//! W13's server side: the `serve` binary's parts, and the parent's side that runs it as a
//! child process, stops it and reads what it did.
//!
//! Every model serves through [`workloads::Network::serve`]; the model that declares a
//! reference (tokio, for hyper) also serves it, through
//! [`workloads::Network::serve_reference`]: the same endpoints through a real HTTP stack.

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use workloads::NotRun;
use workloads::http::{Connections, ServeOutcome, Stop};
use workloads::server::HTTP_SERVER;

use crate::models::ModelId;

/// The listen backlog: connections the kernel completes and queues before the server
/// accepts them. `std`'s `TcpListener::bind` asks for 128, which a burst of thousands of
/// connections overflows (the client then waits a second to retry); the kernel caps it at
/// `net.core.somaxconn` (4 096 by default).
pub const BACKLOG: i32 = 4_096;

/// What serves: a model, or the reference server a model hosts (hyper, on tokio's
/// multi-thread runtime).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    /// One of the models.
    Model(ModelId),
    /// The reference server the model declares ([`workloads::ModelInfo::reference`]).
    Reference(ModelId),
}

impl Server {
    /// Every server: the models in table order, then the references they host.
    pub fn all() -> Vec<Server> {
        let hosts = ModelId::ALL.into_iter().filter(|id| id.reference(&HTTP_SERVER).is_some());
        ModelId::ALL.into_iter().map(Server::Model).chain(hosts.map(Server::Reference)).collect()
    }

    /// The id, as on the command line: the model's, or the reference's own (`hyper`).
    pub fn id(self) -> &'static str {
        match self {
            Server::Model(model) => model.as_str(),
            Server::Reference(host) => host.reference(&HTTP_SERVER).map_or("(no reference)", |r| r.id),
        }
    }

    /// The server with this id.
    pub fn from_id(id: &str) -> Option<Server> {
        Server::all().into_iter().find(|s| s.id() == id)
    }
}

/// A listener on `addr` with a backlog of [`BACKLOG`], in blocking mode (each model
/// converts it to its runtime's own).
///
/// # Errors
/// The address is in use, or not ours to bind.
pub fn listen(addr: SocketAddr) -> std::io::Result<TcpListener> {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    // A server restarted at once may reuse its port while old connections linger in
    // TIME_WAIT; a port another server listens on is still refused.
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(BACKLOG)?;
    Ok(socket.into())
}

/// Lowers this process's open-file soft limit to `n` (to see what a server does when it
/// reaches it); returns the limit in force.
pub fn limit_open_files(n: u64) -> u64 {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    let hard = getrlimit(Resource::RLIMIT_NOFILE).map_or(n, |(_, hard)| hard);
    match setrlimit(Resource::RLIMIT_NOFILE, n.min(hard), hard) {
        Ok(()) => n.min(hard),
        Err(_) => getrlimit(Resource::RLIMIT_NOFILE).map_or(0, |(soft, _)| soft),
    }
}

/// Calls `stop.stop()` on the first SIGINT (Ctrl-C) or SIGTERM, from a thread of its own.
/// The receiver it returns gets a message each time that call has returned.
///
/// `stop()` ends with a connection to the server's own listener (it wakes a model blocked
/// in `accept`), and the server may return before that connection is closed. Whoever
/// counts the sockets left behind waits for the message first, or would count it.
///
/// # Errors
/// The signal handlers could not be installed.
pub fn stop_on_signals(stop: &Stop) -> std::io::Result<std::sync::mpsc::Receiver<()>> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])?;
    let stop = stop.clone();
    let (stopped, receiver) = std::sync::mpsc::channel();
    std::thread::Builder::new().name("signals".into()).spawn(move || {
        // The thread lives as long as the process and keeps its handlers (and their
        // sockets) open; a second signal finds the server already stopping.
        for _ in signals.forever() {
            eprintln!("stopping: finishing the requests in flight");
            stop.stop();
            let _ = stopped.send(());
        }
    })?;
    Ok(receiver)
}

/// A server, built and ready: its runtime's threads are running.
pub struct Built {
    /// The model that serves, or hosts the reference.
    model: Box<dyn workloads::Model>,
    /// Whether it serves its reference server instead of its own.
    reference: bool,
}

impl Built {
    /// Builds `server` with `workers` worker threads.
    ///
    /// # Errors
    /// The runtime could not start.
    pub fn new(server: Server, workers: usize) -> Result<Built, String> {
        Ok(match server {
            Server::Model(id) => Built { model: id.build(workers)?, reference: false },
            Server::Reference(host) => Built { model: host.build(workers)?, reference: true },
        })
    }

    /// Why it cannot serve at all, if its model says so ([`workloads::ModelInfo::cannot`],
    /// or no [`workloads::ModelInfo::reference`] to serve); [`Built::serve`] then returns
    /// [`ServeError::CannotServe`] at once.
    pub fn cannot_serve(&self) -> Option<String> {
        let info = self.model.info();
        if self.reference {
            info.reference(&HTTP_SERVER).is_none().then(|| format!("{} hosts no reference server", info.id))
        } else {
            info.cannot_run(&HTTP_SERVER, None).map(str::to_owned)
        }
    }

    /// Serves on `listener` until `stop`, then returns once every connection is closed.
    ///
    /// # Errors
    /// [`ServeError::CannotServe`]: the model has no server (a pool of CPU workers), with
    /// its reason; [`ServeError::Failed`]: the server started and failed.
    pub fn serve(
        &self,
        listener: TcpListener,
        connections: &Arc<Connections>,
        stop: &Stop,
    ) -> Result<(), ServeError> {
        if let Some(why) = self.cannot_serve() {
            return Err(ServeError::CannotServe(why));
        }
        let served = if self.reference {
            self.model.serve_reference(listener, connections, stop)
        } else {
            self.model.serve(listener, connections, stop)
        };
        served.map_err(|not_run| match not_run {
            // Asked although undeclared: the model's own contract is broken, a failure.
            NotRun::Cannot => ServeError::Failed(format!("{not_run}, though its ModelInfo does not say so")),
            NotRun::Failed(why) => ServeError::Failed(why),
        })
    }
}

/// Why [`Built::serve`] did not serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServeError {
    /// The model cannot serve at all (it has no I/O of its own): asking it to is bad input.
    CannotServe(String),
    /// The server started and failed at run time (its runtime or listener failed).
    Failed(String),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::CannotServe(reason) | ServeError::Failed(reason) => f.write_str(reason),
        }
    }
}

impl std::error::Error for ServeError {}

/// What the `serve` binary prints when it has shut down: what it served, and what it left
/// behind: its threads and sockets once it listened, and again after it stopped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
// A server that does not count its threads and sockets (the Python ones) leaves them 0.
#[serde(default)]
pub struct ServeReport {
    /// Connections accepted.
    pub accepted: usize,
    /// Connections refused at the cap.
    pub refused: usize,
    /// Requests answered.
    pub requests: usize,
    /// Connections still open at the end (0 after a clean shutdown).
    pub open: usize,
    /// Threads of the process, listening, before any connection.
    pub threads_before: usize,
    /// Threads after the server returned.
    pub threads_after: usize,
    /// Open sockets, listening (the listener among them), before any connection.
    pub sockets_before: usize,
    /// Open sockets after the server returned: one fewer, the listener, when none leaked.
    pub sockets_after: usize,
}

impl ServeReport {
    /// The report of a server that did `outcome`, with its (threads, sockets) before and after.
    pub fn new(outcome: ServeOutcome, before: (usize, usize), after: (usize, usize)) -> Self {
        ServeReport {
            accepted: outcome.accepted,
            refused: outcome.refused,
            requests: outcome.requests,
            open: outcome.open,
            threads_before: before.0,
            threads_after: after.0,
            sockets_before: before.1,
            sockets_after: after.1,
        }
    }
}

/// This process's threads and open sockets, from `/proc/self`.
pub fn threads_and_sockets() -> (usize, usize) {
    let threads = std::fs::read_dir("/proc/self/task").map_or(0, |entries| entries.count());
    let sockets = std::fs::read_dir("/proc/self/fd").map_or(0, |entries| {
        entries
            .filter_map(Result::ok)
            .filter(|e| {
                std::fs::read_link(e.path())
                    .is_ok_and(|target| target.to_string_lossy().starts_with("socket:"))
            })
            .count()
    });
    (threads, sockets)
}

/// A `serve` child process, for the harness and the tests.
pub struct ServeChild {
    child: Child,
    stdout: BufReader<ChildStdout>,
    /// The last line the child wrote on stderr (its reason, when it fails).
    last_error: Arc<std::sync::Mutex<String>>,
    /// Where it listens.
    pub addr: SocketAddr,
}

impl ServeChild {
    /// Starts `exe --model ID --port 0 --workers N` plus `extra` arguments, and waits (up to
    /// 30 s) for the line that says where it listens.
    ///
    /// # Errors
    /// The child could not start, or exited or said nothing before listening.
    pub fn start(exe: &Path, server: Server, workers: usize, extra: &[&str]) -> Result<ServeChild, String> {
        let mut command = Command::new(exe);
        command.args(["--model", server.id(), "--port", "0", "--workers", &workers.to_string()]).args(extra);
        Self::spawn(command, server.id())
    }

    /// Starts `command`, a server of any language that prints "listening on ADDR" as its
    /// first line on stdout, serves until SIGTERM, and then prints a [`ServeReport`] as its
    /// last line (or a JSON object with the report under `served`, as `python/bench.py`
    /// does); waits (up to 30 s) for the first line. `id` marks its stderr lines.
    ///
    /// # Errors
    /// The child could not start, or exited or said nothing before listening.
    pub fn spawn(mut command: Command, id: &'static str) -> Result<ServeChild, String> {
        let program = command.get_program().to_string_lossy().into_owned();
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("could not start {program}: {e}"))?;
        // Its stderr is passed on, each line marked with the server's id, and the last line
        // kept: it says why, when the child fails.
        let last_error = Arc::new(std::sync::Mutex::new(String::new()));
        let stderr = BufReader::new(child.stderr.take().expect("piped"));
        let kept = Arc::clone(&last_error);
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                eprintln!("  [serve {id}] {line}");
                *kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = line;
            }
        });
        let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
        let mut line = String::new();
        // The first line is "listening on ADDR (...)"; a child that dies first ends the read.
        let addr = match stdout.read_line(&mut line) {
            Ok(n) if n > 0 => {
                // "listening on ADDR", and after ADDR a space and more, or the line's end.
                line.strip_prefix("listening on ")
                    .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
            }
            _ => None,
        };
        match addr {
            Some(addr) => Ok(ServeChild { child, stdout, last_error, addr }),
            None => {
                let _ = child.kill();
                let status = child.wait().map_or_else(|e| e.to_string(), |s| s.to_string());
                // Give the stderr thread a moment to read the child's last words.
                std::thread::sleep(Duration::from_millis(50));
                let said = last_error.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
                let said = said.strip_prefix("error: ").unwrap_or(&said).to_owned();
                Err(if said.is_empty() { format!("{id} did not start listening ({status})") } else { said })
            }
        }
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The CPU time the child has spent so far (user and system, every thread), from
    /// `/proc/PID/stat`, in clock ticks of 10 ms.
    pub fn cpu_time(&self) -> Option<Duration> {
        // The server's own, and its worker processes' if it serves from several (their
        // CPU time is the server's as much as its threads' is).
        let ticks = |pid: u32| -> Option<u64> {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // The command name, field 2, may hold spaces: count fields after its closing ')'.
            let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
            Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
        };
        let mut tree = crate::tree::process_tree(self.pid()).into_iter();
        let own = ticks(tree.next()?)?;
        // A worker that exits between the listing and the read no longer counts.
        let total = own + tree.filter_map(ticks).sum::<u64>();
        Some(Duration::from_millis(total * 10))
    }

    /// Sends SIGTERM and waits up to `timeout` for a graceful exit; returns what it printed.
    /// Past the timeout it is killed.
    ///
    /// # Errors
    /// It did not exit in time, exited with an error, or printed no report.
    pub fn stop(mut self, timeout: Duration) -> Result<ServeReport, String> {
        use nix::sys::signal::{Signal, kill};
        use nix::unistd::Pid;
        let _ = kill(Pid::from_raw(self.child.id() as i32), Signal::SIGTERM);
        let status = match crate::child::wait_for(&mut self.child, timeout) {
            Ok(Some(status)) => status,
            Ok(None) => return Err(format!("did not shut down within {} s of SIGTERM", timeout.as_secs())),
            Err(e) => return Err(e),
        };
        let mut rest = String::new();
        let _ = std::io::Read::read_to_string(&mut self.stdout, &mut rest);
        let report = rest.lines().rev().find_map(|l| {
            let line: serde_json::Value = serde_json::from_str(l).ok()?;
            let report = line.get("served").unwrap_or(&line);
            serde_json::from_value::<ServeReport>(report.clone()).ok()
        });
        match (status.success(), report) {
            (true, Some(report)) => Ok(report),
            (_, report) => {
                let said = self.last_error.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
                Err(format!("the server exited with {status} ({said}); its report: {report:?}"))
            }
        }
    }
}

impl Drop for ServeChild {
    fn drop(&mut self) {
        // A child left running would hold its port and threads past the test or run.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every server has its own id, the reference is found by the id its model declares,
    /// and a model that declares no reference cannot be asked to serve one.
    #[test]
    fn servers_and_references() {
        let ids: Vec<&str> = Server::all().iter().map(|s| s.id()).collect();
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "{ids:?}");
        let reference = model_tokio::hyper_server::REFERENCE.id;
        assert_eq!(Server::from_id(reference), Some(Server::Reference(ModelId::Tokio)));
        let smol = Built::new(Server::Reference(ModelId::Smol), 1).expect("smol starts");
        assert!(smol.cannot_serve().is_some_and(|why| why.contains("no reference")));
        let tokio = Built::new(Server::Reference(ModelId::Tokio), 1).expect("tokio starts");
        assert_eq!(tokio.cannot_serve(), None);
    }
}
