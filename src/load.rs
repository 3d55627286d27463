//! The load generator: one program, in its own process, the same for every server, so that
//! no model is measured by a client sharing its runtime. It runs on two threads by default,
//! each a tokio current-thread runtime driving half of the connections (as wrk's `-t2`); on
//! a machine with more than 2 cores the harness pins it apart from the server.
//!
//! Two ways to load a server, over `connections` keep-alive connections:
//!
//! - **Closed loop** ([`Mode::Closed`]): each connection sends a request, waits for the
//!   answer, sends the next. It finds the peak rate, but its latencies lie under overload:
//!   a stalled server also stalls the client, so the requests it *would* have sent never
//!   wait in any queue (coordinated omission).
//! - **Open loop** ([`Mode::Open`]): requests are due on a fixed schedule, `rate` per
//!   second spread over the connections, and each latency counts from when the request was
//!   *due*, not from when it was sent, as wrk2 does. A server that stalls for a second
//!   shows a second of queueing in every request due during the stall. The schedule is
//!   kept by a pacer thread of its own (see `pace`), to tens of microseconds: tokio's
//!   timer, at millisecond resolution, would add its own lateness to every latency.
//!
//! Latencies go into an hdrhistogram (microseconds). Only requests due (or, closed loop,
//! sent) inside the measurement window count; a warm-up before it opens the connections
//! and fills the caches.
//!
//! A server that dies during the step is said to be *lost* (see [`LoadReport::lost`]): the
//! rate is then computed over the part of the window it answered in, not the whole window.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::Duration;

use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::time::{Instant, timeout_at};

/// How the load is offered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mode {
    /// Each connection sends its next request when the previous one is answered.
    Closed,
    /// Requests are due at `rate` per second in all, spread evenly over the connections.
    Open {
        /// Requests per second offered.
        rate: f64,
    },
}

/// One load step.
#[derive(Debug, Clone)]
pub struct Load {
    /// The server.
    pub addr: SocketAddr,
    /// The path requested, e.g. `/` or `/slow?delay=100`.
    pub path: String,
    /// Keep-alive connections.
    pub connections: usize,
    /// Closed or open loop.
    pub mode: Mode,
    /// The warm-up before the measurement window.
    pub warmup: Duration,
    /// The measurement window.
    pub duration: Duration,
    /// How long one request may take before it counts as an error.
    pub timeout: Duration,
}

/// What one load step measured.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadReport {
    /// Keep-alive connections asked for.
    pub connections: usize,
    /// Connections that were opened.
    pub connected: usize,
    /// The offered rate (open loop), or 0 (closed loop).
    pub offered_rate: f64,
    /// The measurement window, in seconds.
    pub window_s: f64,
    /// The part of the window measured, in seconds: the whole window, unless the server
    /// was lost (then from the window's start to the last answer received). 0 in reports
    /// written before this field existed.
    #[serde(default)]
    pub measured_s: f64,
    /// Requests answered 200 in the window.
    pub requests: u64,
    /// Answered requests per second over the time measured (`requests / measured_s`).
    pub requests_per_second: f64,
    /// Latency percentiles, in microseconds.
    pub p50_us: f64,
    /// 99th percentile.
    pub p99_us: f64,
    /// 99.9th percentile.
    pub p999_us: f64,
    /// The largest latency.
    pub max_us: f64,
    /// Failures by kind (connect refused, timed out, closed by the server, a status).
    pub errors: BTreeMap<String, u64>,
    /// Requests due in the window that were never sent or never answered before the end.
    pub unanswered: u64,
    /// Why fewer connections were opened than asked for (the open-file limit), if so.
    pub capped: Option<String>,
    /// Connections that got no answer at all in the window: a server that serves some
    /// connections and starves the others (one at a time, or unfairly) shows here, though
    /// its rate and latency describe only the connections it served.
    pub starved: u64,
    /// Why the server counts as lost, if it does: every connection ended before the
    /// window's end (failed to connect, or failed and was given up), and at least one of
    /// them because the server went away (connection refused, reset, or closed by the
    /// server). Nothing was left to measure the rest of the window with; a server that
    /// merely stalls (timeouts) is not lost, its stall is what the step measures.
    #[serde(default)]
    pub lost: Option<String>,
}

impl LoadReport {
    /// All failures, of every kind, and the connections starved of answers.
    pub fn error_count(&self) -> u64 {
        self.errors.values().sum::<u64>() + self.unanswered + self.starved
    }
}

/// What one thread's connections share (one thread: `Rc<RefCell<..>>` is enough); the
/// threads' parts are added up at the end.
struct Shared {
    histogram: Histogram<u64>,
    requests: u64,
    errors: BTreeMap<String, u64>,
    connected: usize,
    unanswered: u64,
    starved: u64,
    /// Connections still up at the window's end.
    lasted: usize,
    /// Connections that ended before the window's end, by why.
    ended: BTreeMap<String, u64>,
    /// How many of those ended because the server went away.
    gone: usize,
    /// When the last answer (of any status) was received.
    last_answer: Option<Instant>,
}

impl Shared {
    fn new() -> Self {
        Shared {
            histogram: Histogram::new_with_bounds(1, 120_000_000, 3).expect("valid bounds"),
            requests: 0,
            errors: BTreeMap::new(),
            connected: 0,
            unanswered: 0,
            starved: 0,
            lasted: 0,
            ended: BTreeMap::new(),
            gone: 0,
            last_answer: None,
        }
    }

    fn error(&mut self, kind: impl Into<String>) {
        *self.errors.entry(kind.into()).or_default() += 1;
    }

    /// Adds another thread's part to this one.
    fn add(&mut self, part: Shared) -> std::io::Result<()> {
        self.histogram.add(&part.histogram).map_err(|e| std::io::Error::other(e.to_string()))?;
        self.requests += part.requests;
        for (kind, n) in part.errors {
            *self.errors.entry(kind).or_default() += n;
        }
        self.connected += part.connected;
        self.unanswered += part.unanswered;
        self.starved += part.starved;
        self.lasted += part.lasted;
        for (why, n) in part.ended {
            *self.ended.entry(why).or_default() += n;
        }
        self.gone += part.gone;
        self.last_answer = self.last_answer.max(part.last_answer);
        Ok(())
    }
}

/// Why an exchange, or a connection, failed.
struct Failure {
    /// As counted in the report's errors, e.g. `read: connection reset`.
    what: String,
    /// Whether it says the server went away: refused, reset, or closed by it.
    gone: bool,
}

impl Failure {
    fn io(during: &str, error: &std::io::Error) -> Self {
        use std::io::ErrorKind::{BrokenPipe, ConnectionAborted, ConnectionRefused, ConnectionReset};
        let kind = error.kind();
        Failure {
            what: format!("{during}: {kind}"),
            gone: matches!(kind, ConnectionRefused | ConnectionReset | ConnectionAborted | BrokenPipe),
        }
    }

    fn other(what: impl Into<String>) -> Self {
        Failure { what: what.into(), gone: false }
    }
}

/// Runs one load step on `threads` threads, each a current-thread tokio runtime serving
/// every `threads`-th connection, and reports. Two threads, as wrk's `-t2`: one thread can
/// be outnumbered by a thread-per-connection server's runnable threads, each of which the
/// kernel gives the same share of a core. In open loop a third thread, the pacer, keeps
/// the schedule.
///
/// # Errors
/// A runtime or thread could not start.
pub fn run(load: &Load, threads: usize) -> std::io::Result<LoadReport> {
    let threads = threads.clamp(1, load.connections.max(1));
    // The step's start, the same for every thread (and, open loop, the pacer), a little
    // ahead so that all of them are up by then.
    let start = std::time::Instant::now() + Duration::from_millis(10);
    let window_start = start + load.warmup;
    let end = window_start + load.duration;
    // Open loop: one channel per connection, on which the pacer hands it its due times.
    let (senders, mut receivers): (Vec<_>, Vec<_>) = match load.mode {
        Mode::Closed => (Vec::new(), Vec::new()),
        Mode::Open { .. } => {
            (0..load.connections).map(|_| unbounded_channel()).map(|(s, r)| (s, Some(r))).unzip()
        }
    };
    // Thread t drives connections t, t + threads, t + 2 threads, ...
    let mut mine: Vec<Vec<Option<UnboundedReceiver<Instant>>>> = (0..threads).map(|_| Vec::new()).collect();
    for i in 0..load.connections {
        mine[i % threads].push(receivers.get_mut(i).and_then(Option::take));
    }
    let parts: Vec<std::io::Result<Shared>> = std::thread::scope(|scope| {
        if let Mode::Open { rate } = load.mode {
            std::thread::Builder::new()
                .name("pacer".to_owned())
                .spawn_scoped(scope, move || pace(start, end, rate, senders))?;
        }
        let handles: Vec<_> = mine
            .into_iter()
            .map(|mine| {
                let load = load.clone();
                scope.spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
                    let local = tokio::task::LocalSet::new();
                    Ok(local.block_on(&runtime, generate(load, Instant::from_std(start), mine)))
                })
            })
            .collect();
        Ok::<_, std::io::Error>(
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err(std::io::Error::other("a load thread panicked"))))
                .collect(),
        )
    })?;
    let mut total = Shared::new();
    for part in parts {
        total.add(part?)?;
    }
    let h = &total.histogram;
    let window = load.duration.as_secs_f64();
    let lost = (total.lasted == 0 && total.gone > 0).then(|| {
        let why: Vec<String> = total.ended.iter().map(|(why, n)| format!("{n} {why}")).collect();
        format!("every connection ended before the window's end: {}", why.join(", "))
    });
    // Lost: the window measured ends with the last answer; nothing after it was measured.
    let measured = match (&lost, total.last_answer) {
        (None, _) => window,
        (Some(_), None) => 0.0,
        (Some(_), Some(last)) => {
            last.into_std().saturating_duration_since(window_start).min(load.duration).as_secs_f64()
        }
    };
    Ok(LoadReport {
        connections: load.connections,
        connected: total.connected,
        offered_rate: match load.mode {
            Mode::Closed => 0.0,
            Mode::Open { rate } => rate,
        },
        window_s: window,
        measured_s: measured,
        requests: total.requests,
        requests_per_second: if measured > 0.0 { total.requests as f64 / measured } else { 0.0 },
        p50_us: h.value_at_quantile(0.50) as f64,
        p99_us: h.value_at_quantile(0.99) as f64,
        p999_us: h.value_at_quantile(0.999) as f64,
        max_us: h.max() as f64,
        errors: total.errors,
        unanswered: total.unanswered,
        capped: None,
        starved: total.starved,
        lost,
    })
}

/// The open loop's clock, on a thread of its own: request `n` of the step is due at
/// `start + n / rate` and belongs to connection `n % connections` (so each connection's
/// requests are evenly spaced too); as each comes due, the pacer sends its due time down
/// that connection's channel, which wakes the connection's task at once. Requests due
/// before the window's `end` are handed out; then the channels close, ending the step.
///
/// Why a thread, and not tokio's `sleep_until` in each connection: tokio's timer wheel
/// counts whole milliseconds, and a runtime with nothing to do parks in `epoll_wait` with a
/// millisecond timeout, so a connection woken by its timer sends up to a millisecond or so
/// late. Latency counts from the due time, so that lateness would be charged to the
/// server: every server would show a p50 above a millisecond at a light load.
/// `std::thread::sleep` is a `nanosleep` on a high-resolution kernel timer, and wakes
/// within tens of microseconds. Sleeping (not spinning until the due time, which would be
/// more precise still) leaves the cores to the server under test, with which the generator
/// shares them. The precision has a price all the same: two wake-ups per due request (the
/// pacer's, then the connection's thread, parked in `epoll_wait` and woken by its runtime)
/// where the millisecond timer sent each tick's requests in one burst, about twice the
/// generator's CPU time at a few thousand requests per second. When requests come faster
/// than the pacer can sleep and wake, it hands them out in batches.
///
/// A connection still busy with an earlier request finds its due times queued in its
/// channel and sends them late, and that queueing counts, as it must in an open loop.
fn pace(
    start: std::time::Instant,
    end: std::time::Instant,
    rate: f64,
    connections: Vec<UnboundedSender<Instant>>,
) {
    // The kernel may fire a sleeping thread's timer late by the thread's "timer slack"
    // (50 µs by default), to batch wake-ups and save power; ask it for none.
    let _ = nix::sys::prctl::set_timerslack(1);
    let count = connections.len() as u64;
    // A connection that has ended drops its receiver; once every one has, the step is over.
    let mut connections: Vec<Option<UnboundedSender<Instant>>> = connections.into_iter().map(Some).collect();
    let mut open = connections.len();
    let mut n = 0u64;
    while open > 0 {
        let due = start + Duration::from_secs_f64(n as f64 / rate);
        if due >= end {
            return;
        }
        // Requests already due (the pacer woke late, or they come faster than it can
        // sleep and wake) are handed out at once, in a batch.
        let now = std::time::Instant::now();
        if due > now {
            std::thread::sleep(due - now);
        }
        let slot = &mut connections[(n % count) as usize];
        if let Some(connection) = slot
            && connection.send(Instant::from_std(due)).is_err()
        {
            *slot = None;
            open -= 1;
        }
        n += 1;
    }
}

/// One thread's connections (`mine`: in open loop, the channel each one's due times come
/// on), all driven to the end of the step; returns what they measured.
async fn generate(load: Load, start: Instant, mine: Vec<Option<UnboundedReceiver<Instant>>>) -> Shared {
    let shared = Rc::new(RefCell::new(Shared::new()));
    let window_start = start + load.warmup;
    let end = window_start + load.duration;
    let request: Rc<[u8]> =
        format!("GET {} HTTP/1.1\r\nHost: {}\r\n\r\n", load.path, load.addr).into_bytes().into();
    let mut tasks = Vec::with_capacity(mine.len());
    for dues in mine {
        let ctx = Conn {
            load: load.clone(),
            dues,
            window_start,
            end,
            request: Rc::clone(&request),
            shared: Rc::clone(&shared),
        };
        tasks.push(tokio::task::spawn_local(ctx.run()));
    }
    for task in tasks {
        let _ = task.await;
    }
    Rc::try_unwrap(shared).map_or_else(|_| Shared::new(), RefCell::into_inner)
}

/// One connection's share of the load.
struct Conn {
    load: Load,
    /// Open loop: its requests' due times, from the pacer; closed loop: none.
    dues: Option<UnboundedReceiver<Instant>>,
    window_start: Instant,
    end: Instant,
    request: Rc<[u8]>,
    shared: Rc<RefCell<Shared>>,
}

impl Conn {
    async fn run(self) {
        let (shared, end) = (Rc::clone(&self.shared), self.end);
        let (answered, failed) = self.exchanges().await;
        let mut shared = shared.borrow_mut();
        if answered == 0 {
            shared.starved += 1;
        }
        match failed {
            Some((failure, at)) if at < end => {
                *shared.ended.entry(failure.what).or_default() += 1;
                shared.gone += usize::from(failure.gone);
            }
            _ => shared.lasted += 1,
        }
    }

    /// The connection's requests, until the end of the step; returns how many were
    /// answered in the window, and, if it was given up on a failure, why and when.
    async fn exchanges(mut self) -> (u64, Option<(Failure, Instant)>) {
        let mut answered = 0u64;
        // Answers may take until the end plus one timeout; past that, the step is over.
        let hard_end = self.end + self.load.timeout;
        let mut stream = match timeout_at(
            hard_end.min(Instant::now() + self.load.timeout),
            TcpStream::connect(self.load.addr),
        )
        .await
        {
            Ok(Ok(stream)) => stream,
            Ok(Err(e)) => return (0, Some(self.failed(Failure::io("connect", &e)))),
            Err(_) => return (0, Some(self.failed(Failure::other("connect: timed out")))),
        };
        let _ = stream.set_nodelay(true);
        self.shared.borrow_mut().connected += 1;
        let mut buf = Vec::with_capacity(4096);
        loop {
            let due = match &mut self.dues {
                None => Instant::now(),
                // The pacer closes the channel once the last request due in the window
                // has been handed out.
                Some(dues) => match dues.recv().await {
                    Some(due) => due,
                    None => return (answered, None),
                },
            };
            if due >= self.end {
                return (answered, None);
            }
            let counted = due >= self.window_start;
            let answer = timeout_at(
                (due + self.load.timeout).min(hard_end),
                exchange(&mut stream, &self.request, &mut buf),
            )
            .await;
            let now = Instant::now();
            let mut shared = self.shared.borrow_mut();
            if let Ok(Ok(_)) = answer {
                shared.last_answer = shared.last_answer.max(Some(now));
            }
            match answer {
                Ok(Ok(200)) if counted && now <= self.end => {
                    let micros = now.saturating_duration_since(due).as_micros() as u64;
                    shared.histogram.saturating_record(micros.max(1));
                    shared.requests += 1;
                    answered += 1;
                }
                // Answered in the warm-up, or after the window: not the window's figure.
                Ok(Ok(200)) => {}
                Ok(Ok(status)) => shared.error(format!("status {status}")),
                Ok(Err(failure)) => {
                    drop(shared);
                    return (answered, Some(self.failed(failure)));
                }
                Err(_) if now >= hard_end => {
                    shared.unanswered += 1;
                    return (answered, None);
                }
                Err(_) => {
                    drop(shared);
                    return (answered, Some(self.failed(Failure::other("timed out"))));
                }
            }
        }
    }

    /// Counts `failure` among the errors; returns it with the time it happened.
    fn failed(&self, failure: Failure) -> (Failure, Instant) {
        self.shared.borrow_mut().error(failure.what.clone());
        (failure, Instant::now())
    }
}

/// Writes one request and reads its response; returns the status.
async fn exchange(stream: &mut TcpStream, request: &[u8], buf: &mut Vec<u8>) -> Result<u16, Failure> {
    stream.write_all(request).await.map_err(|e| Failure::io("write", &e))?;
    loop {
        if let Some((status, length)) = parse_head(buf).map_err(Failure::other)?
            && buf.len() >= length
        {
            buf.drain(..length);
            return Ok(status);
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.map_err(|e| Failure::io("read", &e))?;
        if n == 0 {
            return Err(Failure { what: "closed by the server".to_owned(), gone: true });
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// The status and the whole response's length, once the head is in `buf`.
fn parse_head(buf: &[u8]) -> Result<Option<(u16, usize)>, String> {
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut response = httparse::Response::new(&mut headers);
    match response.parse(buf) {
        Ok(httparse::Status::Complete(head)) => {
            let length = workloads::http::content_length(response.headers)
                .ok_or("a response without Content-Length")?;
            Ok(Some((response.code.unwrap_or(0), head + length)))
        }
        Ok(httparse::Status::Partial) => Ok(None),
        Err(e) => Err(format!("malformed response: {e}")),
    }
}

/// Keeps this process (every thread it starts from now on) on the given cores.
///
/// # Errors
/// A core that does not exist, or the OS refused.
pub fn pin_to(cores: &[usize]) -> Result<(), String> {
    use nix::sched::{CpuSet, sched_setaffinity};
    let mut set = CpuSet::new();
    for &core in cores {
        set.set(core).map_err(|e| format!("core {core}: {e}"))?;
    }
    sched_setaffinity(nix::unistd::Pid::from_raw(0), &set)
        .map_err(|e| format!("pinning to cores {cores:?}: {e}"))
}

/// A list of cores given on a command line (`--cpus 0,1`, `--cpus 2-7`). A type of its own:
/// clap reads an `Option<Vec<usize>>` field as a repeated option of single numbers, not as
/// one value that parses into a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cores(pub Vec<usize>);

/// Parses a list of cores for a command-line option, as [`parse_cores`].
///
/// # Errors
/// Not a list of cores.
pub fn parse_core_list(text: &str) -> Result<Cores, String> {
    parse_cores(text).map(Cores)
}

/// Parses a list of cores such as `0,1` or `2-7`.
///
/// # Errors
/// Not a list of cores.
pub fn parse_cores(text: &str) -> Result<Vec<usize>, String> {
    let mut cores = Vec::new();
    for part in text.split(',') {
        let bad = || format!("{text:?} is not a list of cores such as 0,1 or 2-7");
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b): (usize, usize) =
                    (a.trim().parse().map_err(|_| bad())?, b.trim().parse().map_err(|_| bad())?);
                if a > b {
                    return Err(bad());
                }
                cores.extend(a..=b);
            }
            None => cores.push(part.trim().parse().map_err(|_| bad())?),
        }
    }
    Ok(cores)
}

/// How the harness splits `cores` between the server and the load generator: on a machine
/// with more than 2 cores, the generator gets the last quarter (at least one) and the
/// server the rest, so neither takes the other's cores; on 2 cores or fewer, both share.
pub fn split_cores(cores: usize) -> Option<(String, String)> {
    if cores <= 2 {
        return None;
    }
    let load = (cores / 4).max(1);
    let server = cores - load;
    Some((format!("0-{}", server - 1), format!("{server}-{}", cores - 1)))
}

/// Raises this process's open-file soft limit to its hard limit; returns the limit now in
/// force.
pub fn raise_open_files() -> u64 {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    match getrlimit(Resource::RLIMIT_NOFILE) {
        Ok((soft, hard)) if soft < hard => match setrlimit(Resource::RLIMIT_NOFILE, hard, hard) {
            Ok(()) => hard,
            Err(_) => soft,
        },
        Ok((soft, _)) => soft,
        Err(_) => 1024,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lists of cores parse; the split keeps the generator apart only with more than 2.
    #[test]
    fn cores() {
        assert_eq!(parse_cores("0,2-4"), Ok(vec![0, 2, 3, 4]));
        assert!(parse_cores("4-2").is_err());
        assert!(parse_cores("x").is_err());
        assert_eq!(split_cores(2), None);
        assert_eq!(split_cores(4), Some(("0-2".to_owned(), "3-3".to_owned())));
        assert_eq!(split_cores(16), Some(("0-11".to_owned(), "12-15".to_owned())));
    }

    /// A response's status and whole length come from its head.
    #[test]
    fn heads_parse() {
        let response = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
        assert_eq!(parse_head(response), Ok(Some((200, response.len()))));
        assert_eq!(parse_head(b"HTTP/1.1 200 OK\r\n"), Ok(None));
        assert!(parse_head(b"HTTP/1.1 200 OK\r\n\r\n").is_err(), "no Content-Length");
    }
}
