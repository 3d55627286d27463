//! The worker pool the CPU kernels (W16–W18) share: `workers` processes of one role, each
//! answering requests over its own two pipes, and the two ways of handing them work.
//!
//! **A request** is one text line (its words say what to compute), then the data it needs,
//! raw ([`Part`]): the sort's numbers as 8 little-endian bytes each, no text to format or
//! parse. **A reply** is one line, `VALUE COUNT`, then `COUNT` numbers the same way. The
//! bytes are copied into the kernel by one process and out again by the other: the cost of
//! moving data between processes, which threads sharing memory do not pay.
//!
//! **One feeder per worker.** In the parent, each worker has a thread of its own (scoped,
//! as the threads model's workers) that sends it a request, reads its reply, and asks for
//! the next unit: a fixed one (static chunks) or the next index of one shared counter (the
//! work queue, the same queue as the threads model's, only the unit is computed in another
//! process). The feeders copy the data into the pipes side by side, so no worker waits for
//! another's data to be written, and none blocks on a full pipe of answers. The standard
//! library cannot wait on several pipes from one thread (it has no `poll`), and
//! `multiprocessing.Pool` too runs threads in the parent to feed its workers and collect
//! their results.
//!
//! **No orphans, no hang.** The workers are started by the calling thread (which outlives
//! them, for the death signal, see [`crate::worker`]); dropping the pool kills and reaps
//! them, whatever path the caller leaves by. A worker that dies ends its pipes, so its
//! feeder fails at once; the calling thread then kills the others, and it does the same if
//! the whole run passes [`RUN_LIMIT`].

use std::io::{self, BufRead, BufWriter, Read, Write};
use std::process::ExitCode;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use workloads::NotRun;

use crate::worker::Worker;

/// The longest a kernel may run before the parent kills its workers and reports it (a
/// worker that dies is noticed at once, by its pipes; this bounds one that hangs). Under
/// the harness's own limit on a kernel child, so that this reason is the one shown.
pub const RUN_LIMIT: Duration = Duration::from_secs(240);

/// How long a worker may take to exit once its input is closed.
pub const EXIT_LIMIT: Duration = Duration::from_secs(10);

/// Bytes per write when numbers are copied into a pipe: a pipe holds 64 KiB, so each
/// write fills it once.
const PIECE: usize = 64 * 1024;

/// What one request asks a worker: a line of words, and the data that follows it.
#[derive(Debug)]
pub struct Request<'a> {
    /// The words, without the newline.
    pub line: String,
    /// The data sent after the line, in order.
    pub parts: Vec<Part<'a>>,
}

impl Request<'_> {
    /// A request that is just its line.
    pub fn line(line: String) -> Request<'static> {
        Request { line, parts: Vec::new() }
    }
}

/// Data sent after a request's line, straight from the caller's memory.
#[derive(Debug, Clone, Copy)]
pub enum Part<'a> {
    /// Numbers, 8 little-endian bytes each.
    Numbers(&'a [u64]),
    /// Bytes, as they are.
    Bytes(&'a [u8]),
}

/// What a worker answers: a number, and for the sort the numbers of a run.
#[derive(Debug, Default)]
pub struct Reply {
    /// A sum, or 0.
    pub value: u64,
    /// A sorted run, or none.
    pub numbers: Vec<u64>,
}

/// Worker processes of one role.
#[derive(Debug)]
pub struct Pool {
    workers: Vec<Worker>,
}

impl Pool {
    /// Starts `count` workers (at least one) in `role`.
    ///
    /// # Errors
    /// The OS refused a process; those already started are killed.
    pub fn start(role: &str, count: usize) -> Result<Pool, NotRun> {
        let mut pool = Pool { workers: Vec::with_capacity(count.max(1)) };
        for _ in 0..count.max(1) {
            // On the calling thread: the worker's death signal follows this thread.
            pool.workers.push(Worker::spawn(role, std::iter::empty::<String>())?);
        }
        Ok(pool)
    }

    /// Static chunks: request `t` to worker `t`, each decided before any is sent (no more
    /// requests than workers); returns the replies in request order.
    ///
    /// # Errors
    /// More requests than workers, a worker died, or the run passed [`RUN_LIMIT`].
    pub fn scatter<'a>(
        &mut self,
        requests: impl IntoIterator<Item = Request<'a>>,
    ) -> Result<Vec<Reply>, NotRun> {
        let requests: Vec<Request<'a>> = requests.into_iter().collect();
        if requests.len() > self.workers.len() {
            return Err(NotRun::failed("more fixed chunks than worker processes"));
        }
        let units = requests.len();
        // Each feeder's one unit, taken once.
        let feeders = requests.into_iter().enumerate().map(|(t, request)| {
            let mut mine = Some((t, request));
            move || mine.take()
        });
        self.feed(units, feeders.collect())
    }

    /// The work queue: units `0..units`, each worker's feeder taking the next index from
    /// one shared counter as soon as its worker has answered the one before; returns the
    /// replies in unit order, whichever worker computed each.
    ///
    /// # Errors
    /// A worker died, or the run passed [`RUN_LIMIT`].
    pub fn queue<'a>(
        &mut self,
        units: usize,
        request: impl Fn(usize) -> Request<'a> + Sync,
    ) -> Result<Vec<Reply>, NotRun> {
        // The queue: the index of the next unit nobody has taken yet.
        let next = AtomicUsize::new(0);
        let (next, request) = (&next, &request);
        let feeders = (0..self.workers.len()).map(|_| {
            move || {
                // `Relaxed` is enough: `fetch_add` still hands every index out exactly
                // once, and the replies reach the caller through the joins.
                let i = next.fetch_add(1, Ordering::Relaxed);
                (i < units).then(|| (i, request(i)))
            }
        });
        self.feed(units, feeders.collect())
    }

    /// Runs one feeder thread per worker, for as many workers as `takes` has entries:
    /// each asks its `take` for its worker's next unit and request, sends it, reads the
    /// reply, until `take` has none; returns the replies in unit order (`units` of them).
    fn feed<'a, T>(&mut self, units: usize, takes: Vec<T>) -> Result<Vec<Reply>, NotRun>
    where
        T: FnMut() -> Option<(usize, Request<'a>)> + Send,
    {
        // Set when a feeder fails, so that the others stop taking units.
        let stop = AtomicBool::new(false);
        let stop = &stop;
        // Each feeder says when it ends, and whether it failed, so that the calling
        // thread can wait for them all with a time limit (a join has none).
        let (ended, endings) = mpsc::channel::<(usize, bool)>();
        let pids: Vec<u32> = self.workers.iter().map(Worker::pid).collect();
        let outcome = thread::scope(|scope| {
            let mut feeders = Vec::with_capacity(takes.len());
            for (w, (worker, mut take)) in self.workers.iter_mut().zip(takes).enumerate() {
                let ended = ended.clone();
                let feeder =
                    thread::Builder::new().name(format!("feeder-{w}")).spawn_scoped(scope, move || {
                        let mut done = Vec::new();
                        let mut result = Ok(());
                        while !stop.load(Ordering::Relaxed) {
                            let Some((unit, request)) = take() else { break };
                            match ask(worker, &request) {
                                Ok(reply) => done.push((unit, reply)),
                                Err(e) => {
                                    stop.store(true, Ordering::Relaxed);
                                    result = Err(e);
                                }
                            }
                        }
                        let _ = ended.send((w, result.is_err()));
                        result.map(|()| done)
                    });
                match feeder {
                    Ok(feeder) => feeders.push(feeder),
                    Err(e) => {
                        // The feeders already started stop once their workers are gone.
                        stop.store(true, Ordering::Relaxed);
                        kill_all(&pids);
                        return Err(NotRun::failed(format!("the OS refused a feeder thread: {e}")));
                    }
                }
            }
            // Wait for every feeder. On a failure, or past the limit, kill every worker:
            // that ends every feeder's pipes at once, instead of letting the others
            // finish work whose answer is lost anyway.
            let deadline = Instant::now() + RUN_LIMIT;
            let mut first_failed = None;
            let mut late = false;
            for _ in 0..feeders.len() {
                match endings.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                    Ok((_, false)) => {}
                    Ok((w, true)) => {
                        first_failed = Some(w);
                        kill_all(&pids);
                        break;
                    }
                    Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                        late = true;
                        stop.store(true, Ordering::Relaxed);
                        kill_all(&pids);
                        break;
                    }
                }
            }
            let results: Vec<_> =
                feeders.into_iter().map(|feeder| feeder.join().expect("a feeder panicked")).collect();
            if late {
                return Err(NotRun::failed(format!(
                    "the workers did not finish within {} s and were killed",
                    RUN_LIMIT.as_secs()
                )));
            }
            let mut done = Vec::with_capacity(units);
            let mut failure = None;
            for (w, result) in results.into_iter().enumerate() {
                match result {
                    Ok(mine) => done.extend(mine),
                    // The first feeder to fail says why; the others failed because their
                    // workers were killed after it.
                    Err(e) if first_failed.is_none_or(|f| f == w) => failure = failure.or(Some(e)),
                    Err(_) => {}
                }
            }
            failure.map_or(Ok(done), Err)
        });
        // In unit order, whichever worker computed each.
        let mut slots: Vec<Option<Reply>> = std::iter::repeat_with(|| None).take(units).collect();
        for (unit, reply) in outcome? {
            slots[unit] = Some(reply);
        }
        Ok(slots.into_iter().flatten().collect())
    }

    /// Closes every worker's input (end of input ends its loop) and waits for each to
    /// exit.
    ///
    /// # Errors
    /// A worker exited with a failure, or did not exit within [`EXIT_LIMIT`].
    pub fn finish(mut self) -> Result<(), NotRun> {
        let mut workers = std::mem::take(&mut self.workers);
        // All at once, so that they exit together.
        for worker in &mut workers {
            worker.close_stdin();
        }
        let mut result = Ok(());
        for worker in workers {
            let joined = worker.join(EXIT_LIMIT);
            if result.is_ok() {
                result = joined;
            }
        }
        result
    }
}

/// Kills every worker of `pids` (still ours: a worker is not reaped before the pool
/// drops it, so its pid cannot have been reused).
fn kill_all(pids: &[u32]) {
    for &pid in pids {
        if let Ok(pid) = i32::try_from(pid) {
            let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
        }
    }
}

/// Sends `worker` one request and reads its reply. The write blocks while the worker's
/// pipe is full, that is until the worker has read the data: it reads as it goes.
fn ask(worker: &mut Worker, request: &Request<'_>) -> Result<Reply, NotRun> {
    let Some(stdin) = worker.stdin.as_mut() else {
        return Err(NotRun::failed("a worker's stdin is closed"));
    };
    // `ChildStdin` is unbuffered: the line is one `write`, the data one per 64 KiB.
    let mut sent = stdin.write_all(format!("{}\n", request.line).as_bytes());
    for part in &request.parts {
        sent = sent.and_then(|()| match *part {
            Part::Numbers(numbers) => write_numbers(stdin, numbers),
            Part::Bytes(bytes) => stdin.write_all(bytes),
        });
    }
    if let Err(e) = sent {
        return Err(died(worker, "writing to", &e));
    }
    let Some(stdout) = worker.stdout.as_mut() else {
        return Err(NotRun::failed("a worker's stdout is closed"));
    };
    match read_reply(stdout) {
        Ok(reply) => Ok(reply),
        Err(e) => Err(died(worker, "reading from", &e)),
    }
}

/// Reads one reply: its line, then its numbers.
fn read_reply(input: &mut impl BufRead) -> io::Result<Reply> {
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the worker closed its output"));
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    let value = word(&words, 0, "value")?;
    let count = word(&words, 1, "count")?;
    Ok(Reply { value, numbers: read_numbers(input, count)? })
}

/// Reads `count` numbers of 8 little-endian bytes each.
///
/// # Errors
/// The input ended first, or failed.
pub fn read_numbers(input: &mut impl Read, count: usize) -> io::Result<Vec<u64>> {
    let mut numbers = Vec::with_capacity(count);
    let mut piece = vec![0u8; PIECE.min(count * 8)];
    while numbers.len() < count {
        let bytes = &mut piece[..((count - numbers.len()) * 8).min(PIECE)];
        input.read_exact(bytes)?;
        numbers.extend(bytes.chunks_exact(8).map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes"))));
    }
    Ok(numbers)
}

/// Writes `numbers` as 8 little-endian bytes each, 64 KiB a write.
///
/// # Errors
/// The output failed (the reader is gone).
pub fn write_numbers(output: &mut impl Write, numbers: &[u64]) -> io::Result<()> {
    let mut piece = Vec::with_capacity(PIECE.min(numbers.len() * 8));
    for chunk in numbers.chunks(PIECE / 8) {
        piece.clear();
        for n in chunk {
            piece.extend_from_slice(&n.to_le_bytes());
        }
        output.write_all(&piece)?;
    }
    Ok(())
}

/// Word `i` of a request or reply line as a `T`.
///
/// # Errors
/// It is missing or does not parse: the message says which.
pub fn word<T: FromStr>(words: &[&str], i: usize, what: &str) -> io::Result<T> {
    let bad = |why: String| io::Error::new(io::ErrorKind::InvalidData, why);
    let text = words.get(i).ok_or_else(|| bad(format!("word {i} ({what}) is missing")))?;
    text.parse().map_err(|_| bad(format!("word {i} ({what}) is {text:?}, which does not parse")))
}

/// A worker process's loop: for each request line (its words, and its input to read the
/// data after it from), `handle` computes the reply, which is written and flushed,
/// until the parent closes the input. An error is reported on stderr and exits 1.
pub fn serve(role: &str, mut handle: impl FnMut(&[&str], &mut dyn Read) -> io::Result<Reply>) -> ExitCode {
    let mut input = io::stdin().lock();
    // Standard output is line-buffered; a buffer of a pipe's size in front of it
    // writes a reply's numbers in a few large writes instead of one per newline byte.
    let mut output = BufWriter::with_capacity(PIECE, io::stdout().lock());
    let mut line = String::new();
    let failed = |e: io::Error| {
        eprintln!("error: {} {role}: {e}", crate::worker::PROGRAM);
        ExitCode::FAILURE
    };
    loop {
        line.clear();
        match input.read_line(&mut line) {
            // End of input: the parent is done.
            Ok(0) => return ExitCode::SUCCESS,
            Ok(_) => {}
            Err(e) => return failed(e),
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let reply = match handle(&words, &mut input) {
            Ok(reply) => reply,
            Err(e) => return failed(e),
        };
        let written = writeln!(output, "{} {}", reply.value, reply.numbers.len())
            .and_then(|()| write_numbers(&mut output, &reply.numbers))
            // Flushed at once: the parent is waiting for it.
            .and_then(|()| output.flush());
        if let Err(e) = written {
            return failed(e);
        }
    }
}

/// Why a pipe to `worker` failed: it died (with its exit status, once it has one), or
/// the pipe failed while it lives.
fn died(worker: &mut Worker, doing: &str, e: &io::Error) -> NotRun {
    let pid = worker.pid();
    // Its pipe ends a moment before the kernel reports its exit: wait a little for it.
    let deadline = Instant::now() + Duration::from_secs(1);
    loop {
        match worker.child().try_wait() {
            Ok(Some(status)) => return NotRun::failed(format!("worker {pid} died mid-task ({status})")),
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(1)),
            _ => return NotRun::failed(format!("{doing} worker {pid} failed: {e}")),
        }
    }
}
