//! W13, the HTTP server: pre-forked worker processes accepting on one listening socket, the
//! way Apache and nginx run. The parent holds the port; it starts `workers` processes and
//! hands each the same listening socket as its standard input. Every worker blocks in
//! `accept` on it, and the kernel gives each new connection to one of them: no process
//! hands connections out, and a crash in one worker loses only that worker's connections.
//!
//! Inside a worker, each connection gets a thread and blocking I/O, exactly as in the
//! threads model's server. Why not one connection per process: Apache's *prefork* serves one
//! connection per process, so it runs as many processes as it has connections (up to 256 by
//! default, started ahead and added under load); nginx runs one worker per core, each an
//! event loop over thousands of connections. This model starts one worker per core, as
//! nginx does, where one connection per process would serve two clients at a time; a thread
//! per connection in each worker is Apache's *worker* MPM: processes × threads.
//!
//! The cap on open connections ([`Connections`]) is the whole server's, and processes share
//! no memory. So a worker asks the parent for a place before serving a connection it has
//! accepted ("open", answered "yes", "full" or "stop"), and tells it when the connection
//! closes, with the number of requests answered on it ("closed N"): a round trip per
//! connection, a message per connection, none per request. The parent applies them to its
//! [`Connections`], which keeps the cap, the refusals and the counts the report reads.
//! Apache keeps these figures in a shared-memory "scoreboard"; here the messages are that
//! cost, made visible.
//!
//! The messages go over the worker's standard output, which is one end of a Unix socket pair
//! rather than a pipe: a socket carries both ways, so one descriptor holds the questions and
//! their answers (a child started by `std` without `unsafe` code inherits only its three
//! standard streams, and the listener already takes standard input).
//!
//! Stop: the parent shuts the listening socket down for reading. On Linux, on a listening
//! socket, that stops it listening, for every process that holds it, and wakes every
//! `accept` blocked on it with `EINVAL`: one call reaches every worker, with no signal
//! handler and no pipe per worker. Each worker then stops accepting, finishes its requests
//! in flight, closes its idle connections and exits. The parent reaps them all; `serve` returns when
//! every worker has exited and the listener is closed. A worker that dies while serving
//! ends the server, its exit status the reason; the workers run in a process group of their
//! own, so a Ctrl-C at the terminal reaches the parent only, which stops them gracefully.

use std::io::{BufRead, BufReader, ErrorKind, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::process::{ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use nix::sys::socket::{Shutdown, shutdown};
use workloads::NotRun;
use workloads::blocking;
use workloads::http::{self, Connections, Open, Stop};

use crate::worker::{self, Role, Worker, bad_args};

/// The worker role: accept on the listener given as standard input, serve, report.
const SERVE: &str = "server-worker";

/// The worker roles this module's child code runs.
pub(crate) const ROLES: &[Role] = &[(SERVE, worker_main)];

/// How long the parent waits for news from a worker before it looks at the stop signal
/// again (the stop's wake-up connection usually tells it sooner, through a worker).
const PARENT_TICK: Duration = Duration::from_millis(50);

/// How long the workers may take to exit after the stop: the longest `/slow` wait, a
/// request's idle deadline and a blocked write. Past it a worker counts as hung and is
/// killed.
const EXIT_LIMIT: Duration = Duration::from_secs(
    http::MAX_DELAY.as_secs() + http::IDLE_TIMEOUT.as_secs() + blocking::WRITE_TIMEOUT.as_secs(),
);

/// A worker's messages to the parent, and the parent's answers: one line each.
mod message {
    /// Worker: "I accepted a connection; may I serve it?"
    pub const OPEN: &str = "open";
    /// Parent: yes, it has a place under the cap.
    pub const YES: &str = "yes";
    /// Parent: no, the server is at its cap: answer 503 and close it.
    pub const FULL: &str = "full";
    /// Parent: the server is stopping: close it unanswered (the stop's own wake-up).
    pub const STOP: &str = "stop";
    /// Worker: a connection closed, after answering this many requests (`closed N`).
    pub const CLOSED: &str = "closed";
}

/// What a worker's reader thread tells the parent's waiting thread.
enum Event {
    /// A worker asked for a place after the stop: the stop has come.
    Stopping,
    /// The worker with this pid closed its end of the messages: it exited, or died.
    Ended(u32),
}

/// One pre-forked worker, from the parent's side: the process and the thread that reads
/// its messages.
struct Running {
    worker: Worker,
    reader: JoinHandle<()>,
}

/// Serves on `listener` with `workers` pre-forked worker processes until `stop` fires;
/// returns once every worker has exited and the listener is closed.
///
/// Stresses: process creation once, at the start (not per connection); then the kernel's
/// spreading of connections over the processes blocked in `accept`, a thread per connection
/// inside each, and a round trip to the parent per connection for its place under the cap.
///
/// # Errors
/// A worker could not be started, died while serving, or did not exit in time after the
/// stop; the others are stopped (or killed) and reaped first.
pub fn serve(
    listener: TcpListener,
    connections: &Arc<Connections>,
    stop: &Stop,
    workers: usize,
) -> Result<(), NotRun> {
    let (events, news) = mpsc::channel();
    let mut running = Vec::with_capacity(workers);
    for _ in 0..workers.max(1) {
        match start(&listener, connections, stop, &events) {
            Ok(worker) => running.push(worker),
            Err(why) => {
                // None has served yet: stop those started, then say why.
                let _ = finish(&listener, running);
                return Err(why);
            }
        }
    }
    // Only the reader threads hold senders now: when every one has ended, `recv` says so.
    drop(events);
    // Wait for the stop, or for a worker to end before it (it died).
    let died = loop {
        if stop.is_stopped() {
            break None;
        }
        match news.recv_timeout(PARENT_TICK) {
            Ok(Event::Stopping) | Err(mpsc::RecvTimeoutError::Timeout) => {}
            Ok(Event::Ended(pid)) => break Some(format!("server worker {pid} ended before the stop")),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                break Some("every server worker ended before the stop".into());
            }
        }
    };
    let reaped = finish(&listener, running);
    // Closed last, once no worker holds it either: the port is free when `serve` returns.
    drop(listener);
    match (died, reaped) {
        (_, Err(why)) => Err(why),
        (Some(why), Ok(())) => Err(NotRun::failed(why)),
        (None, Ok(())) => Ok(()),
    }
}

/// Starts one worker: the listener as its standard input, one end of a socket pair as its
/// standard output, and a thread that reads its messages.
fn start(
    listener: &TcpListener,
    connections: &Arc<Connections>,
    stop: &Stop,
    events: &mpsc::Sender<Event>,
) -> Result<Running, NotRun> {
    let failed = |what: &str, e: std::io::Error| NotRun::failed(format!("cannot {what} for a worker: {e}"));
    let (ours, theirs) = UnixStream::pair().map_err(|e| failed("make a socket pair", e))?;
    // A second descriptor for the same listening socket: the child inherits it as fd 0
    // and the parent's copy is closed once the child has started.
    let shared = listener.try_clone().map_err(|e| failed("share the listener", e))?;
    let mut command = worker::command(SERVE, std::iter::empty::<&str>())?;
    command
        .stdin(Stdio::from(OwnedFd::from(shared)))
        .stdout(Stdio::from(OwnedFd::from(theirs)))
        // Out of the terminal's process group: Ctrl-C stops the parent, which stops them.
        .process_group(0);
    let worker = Worker::start(command)?;
    let pid = worker.pid();
    let (connections, stop, events) = (Arc::clone(connections), stop.clone(), events.clone());
    let reader = thread::Builder::new()
        .name("server-worker-messages".into())
        .spawn(move || account(ours, &connections, &stop, &events, pid))
        .map_err(|e| failed("start a thread", e))?;
    Ok(Running { worker, reader })
}

/// Stops accepting, lets every worker finish and exit (killing one past [`EXIT_LIMIT`]),
/// then joins the reader threads; says whether every worker exited cleanly.
fn finish(listener: &TcpListener, running: Vec<Running>) -> Result<(), NotRun> {
    // One call for every worker at once: they all block in `accept` on this one socket.
    // It fails only if the socket is not listening any more, which is the goal anyway.
    let _ = shutdown(listener.as_raw_fd(), Shutdown::Read);
    let deadline = Instant::now() + EXIT_LIMIT;
    let mut outcome = Ok(());
    let mut readers = Vec::with_capacity(running.len());
    for Running { worker, reader } in running {
        let exited = worker.join(deadline.saturating_duration_since(Instant::now()));
        if outcome.is_ok() {
            outcome = exited;
        }
        readers.push(reader);
    }
    // Every worker is gone, so every worker's end of its socket is closed: each reader has
    // read to the end, or is about to.
    for reader in readers {
        if reader.join().is_err() {
            outcome = outcome.and(Err(NotRun::failed("a worker's message thread panicked")));
        }
    }
    outcome
}

/// The parent's side of one worker's messages: a place under the cap for each connection
/// it accepts, freed with the requests answered on it when it closes. Returns when the
/// worker's end closes (it exited or died): the places it still held are freed then.
fn account(
    messages: UnixStream,
    connections: &Arc<Connections>,
    stop: &Stop,
    events: &mpsc::Sender<Event>,
    pid: u32,
) {
    // The places of the worker's open connections. They are interchangeable: which one a
    // close frees does not matter, only how many are held.
    let mut places: Vec<Open> = Vec::new();
    if let Ok(mut answers) = messages.try_clone() {
        for line in BufReader::new(messages).lines() {
            let Ok(line) = line else { break };
            let (word, count) = line.split_once(' ').unwrap_or((&line, ""));
            match word {
                message::OPEN => {
                    let answer = if stop.is_stopped() {
                        let _ = events.send(Event::Stopping);
                        message::STOP
                    } else if let Some(place) = connections.open() {
                        places.push(place);
                        message::YES
                    } else {
                        // `open` counted the refusal, and logs it now and then.
                        message::FULL
                    };
                    // One write for the whole line: the worker waits for all of it.
                    if answers.write_all(format!("{answer}\n").as_bytes()).is_err() {
                        break;
                    }
                }
                message::CLOSED => {
                    if let Some(place) = places.pop() {
                        for _ in 0..count.parse::<usize>().unwrap_or(0) {
                            place.answered();
                        }
                    }
                }
                _ => eprintln!("server worker {pid} sent {line:?}, which is no message of the server's"),
            }
        }
    }
    drop(places);
    let _ = events.send(Event::Ended(pid));
}

// ---------------------------------------------------------------------------------------
// The worker process.

/// The worker's side of the messages: one writer shared by the accept loop and the
/// connection threads, each line written whole under the lock.
struct Reports {
    writer: Mutex<UnixStream>,
}

impl Reports {
    /// Sends one line (with its newline) in one write.
    fn send(&self, line: &str) -> std::io::Result<()> {
        self.writer.lock().unwrap_or_else(PoisonError::into_inner).write_all(format!("{line}\n").as_bytes())
    }
}

/// A connection's place under the server's cap, held by its thread: its drop tells the
/// parent the connection closed, and how many requests it answered.
struct Place {
    reports: Arc<Reports>,
    answered: usize,
}

impl Place {
    /// Counts one request answered on this connection (reported with the close).
    fn answered(&mut self) {
        self.answered += 1;
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        // A parent gone cannot be told; this worker is about to be killed with it anyway.
        let _ = self.reports.send(&format!("{} {}", message::CLOSED, self.answered));
    }
}

/// One worker process: accept on the listener (standard input) until it is shut down,
/// a thread per connection, each connection's place asked of the parent (standard output).
fn worker_main(args: &[String]) -> ExitCode {
    if !args.is_empty() {
        return bad_args(SERVE, "takes no arguments: the listener is its standard input");
    }
    // Safe Rust can turn a descriptor it holds into a socket: a duplicate of fd 0 becomes
    // the listener, a duplicate of fd 1 the messages' socket.
    let listener = std::io::stdin().as_fd().try_clone_to_owned().map(TcpListener::from);
    let messages = std::io::stdout().as_fd().try_clone_to_owned().map(UnixStream::from);
    let (listener, messages) = match (listener, messages) {
        (Ok(listener), Ok(messages)) if listener.local_addr().is_ok() => (listener, messages),
        _ => {
            return bad_args(SERVE, "its standard input must be a listening TCP socket, its output a socket");
        }
    };
    let (reports, mut answers) = match messages.try_clone() {
        Ok(writer) => (Arc::new(Reports { writer: Mutex::new(writer) }), BufReader::new(messages)),
        Err(e) => return bad_args(SERVE, &format!("cannot share its output: {e}")),
    };
    // Set once the listener is shut down: the connections close between requests.
    let stopping = Arc::new(AtomicBool::new(false));
    let mut threads: Vec<JoinHandle<()>> = Vec::new();
    let mut prune_at = 64;
    let mut spawn_failures = 0usize;
    let mut parent_gone = false;
    loop {
        let stream = match listener.accept() {
            Ok((stream, _peer)) => stream,
            // The parent shut the listener down: the stop.
            Err(e) if e.kind() == ErrorKind::InvalidInput => break,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(error) => {
                // At the open-file limit accept fails at once, again and again: pause, and
                // let the connection wait in the listen queue meanwhile.
                thread::sleep(http::accept_failed(&error));
                continue;
            }
        };
        // Responses are written whole: send them at once, do not wait to fill a packet.
        let _ = stream.set_nodelay(true);
        let mut answer = String::new();
        let asked = reports.send(message::OPEN).and_then(|()| answers.read_line(&mut answer));
        match (asked, answer.trim_end()) {
            (Ok(_), message::YES) => {}
            (Ok(_), message::FULL) => {
                refuse(stream);
                continue;
            }
            // The stop's own wake-up connection, or one just after it: closed.
            (Ok(_), message::STOP) => continue,
            // No answer: the parent is gone (it closed its end, or died).
            _ => {
                parent_gone = true;
                break;
            }
        }
        let place = Place { reports: Arc::clone(&reports), answered: 0 };
        let stopping = Arc::clone(&stopping);
        let spawned = thread::Builder::new()
            .name("http-connection".into())
            .spawn(move || connection(stream, place, &stopping));
        match spawned {
            Ok(handle) => threads.push(handle),
            Err(error) => {
                // The OS refused a thread: the closure, with the stream and its place, was
                // dropped, which closes the connection and tells the parent.
                spawn_failures += 1;
                if spawn_failures % 1_000 == 1 {
                    eprintln!(
                        "the OS refused a connection thread: {error} ({spawn_failures} refused so far in worker {})",
                        std::process::id()
                    );
                }
            }
        }
        if threads.len() >= prune_at {
            threads.retain(|thread| !thread.is_finished());
            prune_at = (threads.len() * 2).max(64);
        }
    }
    stopping.store(true, Ordering::Release);
    drop(listener);
    let mut panicked = false;
    for thread in threads {
        panicked |= thread.join().is_err();
    }
    if panicked {
        eprintln!("a connection thread panicked in server worker {}", std::process::id());
    }
    if parent_gone || panicked { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

/// A connection past the cap: the 503 response, then close. The response is a few hundred
/// bytes into a fresh socket's empty buffer, so the write does not block the accept loop.
fn refuse(mut stream: TcpStream) {
    let _ = stream.write_all(http::rejection(503));
}

/// One connection, on its own thread of a worker: the blocking loop every blocking server
/// shares ([`blocking::serve_connection`]). A `/slow` wait sleeps this thread only. The
/// thread owns `place`, the connection's place under the cap, and gives it back by
/// returning.
fn connection(stream: TcpStream, mut place: Place, stopping: &AtomicBool) {
    blocking::serve_connection(stream, || place.answered(), || stopping.load(Ordering::Acquire));
}
