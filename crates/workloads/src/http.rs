//! W13 and W15, *the network chapter*: the HTTP/1.1 protocol every model's server and client
//! share, written without any I/O ("sans-I/O"), so that the models differ only in how they
//! read, write, wait and schedule.
//!
//! A server keeps the bytes it has read in a buffer and calls [`step`] on it: the answer
//! is either "read more" ([`Step::Incomplete`]), a response to write after an optional wait
//! ([`Step::Respond`]: the tutorial's `/slow` endpoint waits, on a timer in async models and
//! in a sleeping thread in the threads model), or a rejection to write before closing the
//! connection ([`Step::Reject`]). The endpoints are the tutorial's web server's:
//!
//! - `GET /` and `GET /?name=Alice` → `Hello, World!` / `Hello, Alice!`
//! - `GET /slow?delay=MS` → `Processed after MS ms`, after MS milliseconds
//! - `GET /json` → `{"message": ..., "timestamp": ..., "method": "GET", "path": "/json"}`
//!
//! and anything else gets the status HTTP gives it: 404 for an unknown path, 405 for a
//! method other than GET or HEAD, 400 for a malformed request, 431 for a head larger than
//! [`MAX_HEAD`] bytes or with more than [`MAX_HEADERS`] headers. Connections are kept alive
//! (HTTP/1.1's default) and requests may be pipelined: [`step`] consumes one request at a
//! time from the front of the buffer.
//!
//! The policies that need a clock or a socket are the server's, with the limits here:
//! [`IDLE_TIMEOUT`] (a request must arrive whole within it, so a client sending a byte every
//! now and then cannot hold a connection forever), [`Connections`] (a cap on open
//! connections, refusals counted and logged) and [`Stop`] (graceful shutdown).

use std::borrow::Cow;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The largest request head (request line and headers) a server reads: past it, 431.
pub const MAX_HEAD: usize = 8 * 1024;

/// The most headers a request may have: past it, 431.
pub const MAX_HEADERS: usize = 32;

/// How long a connection may wait for a whole request, from the end of the previous
/// response (or from its start): an idle keep-alive connection, or one whose client sends
/// a byte now and then, is closed after this.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(5);

/// The longest wait `/slow` accepts: past it, 400.
pub const MAX_DELAY: Duration = Duration::from_secs(60);

/// `/slow`'s wait when the request gives none (the tutorial's default, one second).
pub const DEFAULT_DELAY: Duration = Duration::from_secs(1);

/// The cap on connections open at once, unless the server is told otherwise: below the
/// threads model's limit (about 16 000 threads per process here) and the open-file limit
/// (20 000).
pub const MAX_CONNECTIONS: usize = 10_000;

/// What a server does next with the bytes it has read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The buffer holds no complete request yet: read more (within [`IDLE_TIMEOUT`]).
    Incomplete,
    /// A complete request: wait `wait`, then write `response`; then drop the first
    /// `consumed` bytes of the buffer and, unless `close`, go on with the next request.
    Respond {
        /// Bytes of the buffer the request took.
        consumed: usize,
        /// How long to wait before answering (only `/slow` waits).
        wait: Duration,
        /// The whole response: status line, headers, body.
        response: Cow<'static, [u8]>,
        /// Whether to close the connection after the response.
        close: bool,
    },
    /// A request the server will not serve: write `response`, then close the connection
    /// (what follows a malformed request cannot be trusted to start a new one).
    Reject {
        /// The whole response.
        response: Cow<'static, [u8]>,
        /// Its status, for counting.
        status: u16,
    },
}

/// The next step for a connection whose unread bytes are `buf`.
///
/// ```
/// use workloads::http::{step, Step};
///
/// let Step::Respond { consumed, response, close, .. } = step(b"GET /?name=Alice HTTP/1.1\r\n\r\n") else {
///     panic!("a complete request");
/// };
/// assert_eq!(consumed, 29);
/// assert!(!close, "HTTP/1.1 keeps the connection alive");
/// assert!(response.ends_with(b"\r\n\r\nHello, Alice!"));
/// assert_eq!(step(b"GET / HTT"), Step::Incomplete);
/// ```
pub fn step(buf: &[u8]) -> Step {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    let consumed = match request.parse(buf) {
        Ok(httparse::Status::Complete(consumed)) => consumed,
        Ok(httparse::Status::Partial) if buf.len() >= MAX_HEAD => return reject(431),
        Ok(httparse::Status::Partial) => return Step::Incomplete,
        Err(httparse::Error::TooManyHeaders) => return reject(431),
        Err(_) => return reject(400),
    };
    if consumed > MAX_HEAD {
        return reject(431);
    }
    let (Some(method), Some(target), Some(version)) = (request.method, request.path, request.version) else {
        return reject(400);
    };
    let header =
        |name: &str| request.headers.iter().find(|h| h.name.eq_ignore_ascii_case(name)).map(|h| h.value);
    // A GET has no body; one that announces a body is not something this server reads.
    let has_body = header("transfer-encoding").is_some()
        || header("content-length").is_some_and(|v| v.trim_ascii() != b"0");
    let head = match method {
        "GET" if !has_body => false,
        "HEAD" if !has_body => true,
        "GET" | "HEAD" => return reject(400),
        // Its body, if any, is not read: the connection closes after the 405.
        _ => return reject(405),
    };
    let connection = header("connection").map(|v| v.to_ascii_lowercase());
    let close = match version {
        // HTTP/1.1 keeps connections alive unless told to close; HTTP/1.0 closes unless
        // told to keep alive.
        1 => connection.as_deref() == Some(b"close".as_slice()),
        _ => connection.as_deref() != Some(b"keep-alive".as_slice()),
    };
    let Some(route) = route(method, target) else {
        return reject(400);
    };
    let response = if route.status == 200 && route.body.as_ref() == b"Hello, World!" && !head && !close {
        // The most requested response is built once.
        static HELLO: OnceLock<Vec<u8>> = OnceLock::new();
        Cow::Borrowed(
            HELLO.get_or_init(|| response_bytes(200, TEXT, b"Hello, World!", false, false)).as_slice(),
        )
    } else {
        Cow::Owned(response_bytes(route.status, route.content_type, &route.body, head, close))
    };
    let wait = route.wait;
    Step::Respond { consumed, wait, response, close }
}

/// What an endpoint answers: after how long, with which status and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// How long to wait before answering (only `/slow` waits).
    pub wait: Duration,
    /// The status code.
    pub status: u16,
    /// The body's media type.
    pub content_type: &'static str,
    /// The body.
    pub body: Cow<'static, [u8]>,
}

/// The answer of the endpoint at `target` (path and query) to a GET or HEAD `method`:
/// the routing every server shares, this crate's own and hyper's. `None`: a bad request
/// (a `/slow` delay that is not a number of milliseconds up to [`MAX_DELAY`]).
pub fn route(method: &str, target: &str) -> Option<Route> {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let (wait, status, content_type, body): (Duration, u16, &'static str, Cow<'static, [u8]>) = match path {
        "/" => match query_value(query, "name") {
            None => (Duration::ZERO, 200, TEXT, Cow::Borrowed(b"Hello, World!")),
            Some(name) => (Duration::ZERO, 200, TEXT, Cow::Owned(format!("Hello, {name}!").into_bytes())),
        },
        "/slow" => match query_value(query, "delay").map(|ms| ms.parse::<u64>()) {
            None => (DEFAULT_DELAY, 200, TEXT, slow_body(DEFAULT_DELAY)),
            Some(Ok(ms)) if Duration::from_millis(ms) <= MAX_DELAY => {
                let delay = Duration::from_millis(ms);
                (delay, 200, TEXT, slow_body(delay))
            }
            Some(_) => return None,
        },
        "/json" => (Duration::ZERO, 200, JSON, Cow::Owned(json_body(method, path))),
        _ => (Duration::ZERO, 404, TEXT, Cow::Borrowed(b"Not Found")),
    };
    Some(Route { wait, status, content_type, body })
}

const TEXT: &str = "text/plain; charset=utf-8";
const JSON: &str = "application/json";

/// The value of `key` in a query string, percent-decoded.
fn query_value(query: &str, key: &str) -> Option<String> {
    form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == key).map(|(_, v)| v.into_owned())
}

/// The path that asks `/slow` to wait `delay_ms` milliseconds.
pub fn slow_path(delay_ms: u64) -> String {
    format!("/slow?delay={delay_ms}")
}

/// The body of `/slow?delay=MS`, answered after waiting `delay`: what a client of that
/// endpoint expects back.
pub fn slow_body(delay: Duration) -> Cow<'static, [u8]> {
    Cow::Owned(format!("Processed after {} ms", delay.as_millis()).into_bytes())
}

fn json_body(method: &str, path: &str) -> Vec<u8> {
    let timestamp = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64());
    let body = serde_json::json!({
        "message": "Hello from async server",
        "timestamp": timestamp,
        "method": method,
        "path": path,
    });
    body.to_string().into_bytes()
}

/// The reason phrase of the statuses this server sends.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

/// A whole response. `head`: the answer to a HEAD request (headers only).
fn response_bytes(status: u16, content_type: &str, body: &[u8], head: bool, close: bool) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n",
        reason(status),
        body.len()
    );
    if status == 405 {
        out += "Allow: GET, HEAD\r\n";
    }
    if close {
        out += "Connection: close\r\n";
    }
    out += "\r\n";
    let mut out = out.into_bytes();
    if !head {
        out.extend_from_slice(body);
    }
    out
}

/// A rejection: the status's response, closing the connection, each built once.
fn reject(status: u16) -> Step {
    Step::Reject { response: Cow::Borrowed(rejection(status)), status }
}

/// The response a server writes before closing a connection it will not serve: a
/// malformed request (400), a method it does not serve (405), a head too large (431), or
/// no room for another connection (503).
pub fn rejection(status: u16) -> &'static [u8] {
    static BUILT: OnceLock<Vec<(u16, Vec<u8>)>> = OnceLock::new();
    let built = BUILT.get_or_init(|| {
        [400, 405, 431, 503]
            .into_iter()
            .map(|s| (s, response_bytes(s, TEXT, reason(s).as_bytes(), false, true)))
            .collect()
    });
    built.iter().find(|(s, _)| *s == status).map_or(b"", |(_, r)| r.as_slice())
}

/// The open connections of one server: a cap, and counts for the report and the tests.
/// Every model's accept loop asks [`Connections::open`] for each accepted connection and
/// keeps the guard for as long as the connection lives.
#[derive(Debug)]
pub struct Connections {
    cap: usize,
    open: AtomicUsize,
    accepted: AtomicUsize,
    refused: AtomicUsize,
    requests: AtomicUsize,
}

/// One open connection, counted until it is dropped.
#[derive(Debug)]
pub struct Open {
    connections: Arc<Connections>,
}

impl Drop for Open {
    fn drop(&mut self) {
        self.connections.open.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Open {
    /// Counts one request answered on this connection.
    pub fn answered(&self) {
        self.connections.requests.fetch_add(1, Ordering::Relaxed);
    }
}

impl Connections {
    /// Room for at most `cap` connections at once.
    pub fn new(cap: usize) -> Arc<Self> {
        Arc::new(Connections {
            cap,
            open: AtomicUsize::new(0),
            accepted: AtomicUsize::new(0),
            refused: AtomicUsize::new(0),
            requests: AtomicUsize::new(0),
        })
    }

    /// Counts a new connection, or refuses it at the cap: the caller then writes
    /// [`rejection`]`(503)` and closes it. The first refusal, and every thousandth, is
    /// logged with its reason.
    pub fn open(self: &Arc<Self>) -> Option<Open> {
        let open = self.open.fetch_add(1, Ordering::AcqRel);
        if open >= self.cap {
            self.open.fetch_sub(1, Ordering::AcqRel);
            let refused = self.refused.fetch_add(1, Ordering::Relaxed);
            if refused.is_multiple_of(1_000) {
                eprintln!(
                    "refused a connection: {} are open, the cap (refused so far: {})",
                    self.cap,
                    refused + 1
                );
            }
            return None;
        }
        self.accepted.fetch_add(1, Ordering::Relaxed);
        Some(Open { connections: Arc::clone(self) })
    }

    /// What the server did, so far.
    pub fn outcome(&self) -> ServeOutcome {
        ServeOutcome {
            accepted: self.accepted.load(Ordering::Acquire),
            refused: self.refused.load(Ordering::Acquire),
            requests: self.requests.load(Ordering::Acquire),
            open: self.open.load(Ordering::Acquire),
        }
    }
}

/// What a server did, returned when it has shut down.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ServeOutcome {
    /// Connections accepted and served.
    pub accepted: usize,
    /// Connections refused at the cap.
    pub refused: usize,
    /// Requests answered (rejections not counted).
    pub requests: usize,
    /// Connections still open: 0 after a clean shutdown.
    pub open: usize,
}

/// Logs a failed `accept` and says how long to wait before the next: at the open-file
/// limit (`EMFILE`, `ENFILE`) or out of memory for sockets, accepting again at once would
/// spin; the connection waits in the listen queue meanwhile.
pub fn accept_failed(error: &std::io::Error) -> Duration {
    static LOGGED: AtomicUsize = AtomicUsize::new(0);
    if LOGGED.fetch_add(1, Ordering::Relaxed).is_multiple_of(1_000) {
        eprintln!(
            "accept failed: {error} (at the open-file limit?); waiting 10 ms, new connections queue meanwhile"
        );
    }
    Duration::from_millis(10)
}

/// Graceful shutdown: the signal every model's server waits on.
///
/// [`Stop::stop`] sets a flag, closes a channel (which wakes every async task waiting in
/// [`Stop::wait`], on any runtime) and connects once to the server's own address (which
/// wakes an accept loop blocked in a thread). A server then stops accepting, lets requests
/// in flight finish, closes idle connections and returns.
#[derive(Debug, Clone)]
pub struct Stop {
    inner: Arc<StopInner>,
}

#[derive(Debug)]
struct StopInner {
    stopped: AtomicBool,
    closed: async_channel::Receiver<()>,
    sender: Mutex<Option<async_channel::Sender<()>>>,
    wake: SocketAddr,
}

impl Stop {
    /// A signal for the server listening on `addr`.
    pub fn new(addr: SocketAddr) -> Self {
        let (sender, closed) = async_channel::bounded(1);
        Stop {
            inner: Arc::new(StopInner {
                stopped: AtomicBool::new(false),
                closed,
                sender: Mutex::new(Some(sender)),
                wake: addr,
            }),
        }
    }

    /// Asks the server to stop. Safe to call more than once, from any thread.
    pub fn stop(&self) {
        self.inner.stopped.store(true, Ordering::Release);
        drop(self.inner.sender.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take());
        let _ = std::net::TcpStream::connect_timeout(&self.inner.wake, Duration::from_secs(1));
    }

    /// Whether [`Stop::stop`] was called.
    pub fn is_stopped(&self) -> bool {
        self.inner.stopped.load(Ordering::Acquire)
    }

    /// Resolves once [`Stop::stop`] is called; works on every async runtime.
    pub async fn wait(&self) {
        // No message is ever sent: `recv` returns when the sender is dropped.
        let _ = self.inner.closed.recv().await;
    }
}

/// One URL of the client fan-out: a server's address and a path on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// The server.
    pub addr: SocketAddr,
    /// The path and query, e.g. `/slow?delay=50`.
    pub path: String,
}

impl Url {
    /// The request for this URL ([`get_request`]).
    pub fn request(&self) -> Vec<u8> {
        get_request(&self.addr.to_string(), &self.path)
    }
}

impl std::fmt::Display for Url {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "http://{}{}", self.addr, self.path)
    }
}

/// The request a client sends for `path` to `host`, closing the connection after it.
pub fn get_request(host: &str, path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").into_bytes()
}

/// What a client got for one URL: the status and the body's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fetched {
    /// The status code.
    pub status: u16,
    /// The body's length in bytes.
    pub length: usize,
}

/// Reads a whole response (the client read until the server closed): its status and body
/// length, checked against its `Content-Length`.
///
/// # Errors
/// The response is malformed, truncated or longer than announced.
pub fn parse_response(bytes: &[u8]) -> Result<Fetched, String> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut response = httparse::Response::new(&mut headers);
    let head = match response.parse(bytes) {
        Ok(httparse::Status::Complete(head)) => head,
        Ok(httparse::Status::Partial) => return Err(format!("truncated response ({} bytes)", bytes.len())),
        Err(e) => return Err(format!("malformed response: {e}")),
    };
    let status = response.code.ok_or("malformed response: no status")?;
    let length = bytes.len() - head;
    match content_length(response.headers) {
        Some(n) if n != length => Err(format!("body of {length} bytes, {n} announced")),
        _ => Ok(Fetched { status, length }),
    }
}

/// The length a message's `Content-Length` header announces, from the headers httparse
/// parsed: the first header of that name (in any case), its value trimmed and read as a
/// number of bytes.
///
/// `None` when there is no such header, or its value is not a number.
pub fn content_length(headers: &[httparse::Header<'_>]) -> Option<usize> {
    headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("content-length"))
        .and_then(|h| std::str::from_utf8(h.value).ok()?.trim().parse::<usize>().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn respond(buf: &[u8]) -> (usize, Duration, String, bool) {
        match step(buf) {
            Step::Respond { consumed, wait, response, close } => {
                (consumed, wait, String::from_utf8(response.into_owned()).unwrap(), close)
            }
            other => panic!("expected a response to {:?}, got {other:?}", String::from_utf8_lossy(buf)),
        }
    }

    fn status_of(buf: &[u8]) -> u16 {
        match step(buf) {
            Step::Respond { response, .. } | Step::Reject { response, .. } => {
                let text = String::from_utf8_lossy(&response).into_owned();
                text[9..12].parse().unwrap()
            }
            Step::Incomplete => 0,
        }
    }

    /// The Content-Length header is found in any case, trimmed, and read as a number; a
    /// missing or non-numeric one is `None`.
    #[test]
    fn content_length_header() {
        let header = |name, value| httparse::Header { name, value };
        assert_eq!(content_length(&[header("Host", b"x"), header("Content-Length", b"13")]), Some(13));
        assert_eq!(content_length(&[header("content-LENGTH", b" 7 ")]), Some(7));
        assert_eq!(content_length(&[header("Host", b"x")]), None);
        assert_eq!(content_length(&[header("Content-Length", b"ten")]), None);
        assert_eq!(content_length(&[header("Content-Length", b"-1")]), None);
        assert_eq!(content_length(&[header("Content-Length", b"\xff")]), None);
        assert_eq!(content_length(&[]), None);
    }

    /// The tutorial's endpoints.
    #[test]
    fn endpoints() {
        let (_, wait, hello, _) = respond(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assert_eq!(wait, Duration::ZERO);
        assert!(
            hello.starts_with("HTTP/1.1 200 OK\r\n") && hello.ends_with("\r\n\r\nHello, World!"),
            "{hello}"
        );
        assert!(hello.contains("Content-Length: 13\r\n"));
        let (_, _, alice, _) = respond(b"GET /?name=Alice%20B HTTP/1.1\r\n\r\n");
        assert!(alice.ends_with("Hello, Alice B!"), "{alice}");
        let (_, wait, slow, _) = respond(b"GET /slow?delay=250 HTTP/1.1\r\n\r\n");
        assert_eq!(wait, Duration::from_millis(250));
        assert!(slow.ends_with("Processed after 250 ms"));
        let (_, _, json, _) = respond(b"GET /json HTTP/1.1\r\n\r\n");
        let body: serde_json::Value = serde_json::from_str(json.split("\r\n\r\n").nth(1).unwrap()).unwrap();
        assert_eq!(body["method"], "GET");
        assert_eq!(body["path"], "/json");
        assert_eq!(body["message"], "Hello from async server");
        assert!(body["timestamp"].as_f64().unwrap() > 1.7e9);
    }

    /// Statuses for everything else, and rejections close the connection.
    #[test]
    fn statuses() {
        assert_eq!(status_of(b"GET /nope HTTP/1.1\r\n\r\n"), 404);
        assert_eq!(status_of(b"POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"), 405);
        assert_eq!(status_of(b"GET / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"), 400);
        assert_eq!(status_of(b"GARBAGE\r\n\r\n"), 400);
        assert_eq!(status_of(b"GET / HTTP/1.1\r\nBad Header\r\n\r\n"), 400);
        assert_eq!(status_of(b"GET /slow?delay=abc HTTP/1.1\r\n\r\n"), 400);
        assert_eq!(status_of(b"GET /slow?delay=60001 HTTP/1.1\r\n\r\n"), 400);
        let many: String = (0..40).map(|i| format!("X-{i}: y\r\n")).collect();
        assert_eq!(status_of(format!("GET / HTTP/1.1\r\n{many}\r\n").as_bytes()), 431);
        let huge = format!("GET / HTTP/1.1\r\nX-Big: {}\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(status_of(huge.as_bytes()), 431, "a head past the limit, even unfinished");
        assert!(matches!(step(b"GARBAGE\r\n\r\n"), Step::Reject { status: 400, .. }));
        assert!(String::from_utf8_lossy(rejection(503)).contains("Connection: close"));
    }

    /// Keep-alive by version and header; pipelined requests come one at a time; HEAD has no body.
    #[test]
    fn keep_alive_pipelining_and_head() {
        assert!(!respond(b"GET / HTTP/1.1\r\n\r\n").3);
        assert!(respond(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n").3);
        assert!(respond(b"GET / HTTP/1.0\r\n\r\n").3);
        assert!(!respond(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").3);
        let two = b"GET /?name=a HTTP/1.1\r\n\r\nGET /?name=b HTTP/1.1\r\n\r\n";
        let (consumed, _, first, _) = respond(two);
        assert!(first.ends_with("Hello, a!"));
        let (_, _, second, _) = respond(&two[consumed..]);
        assert!(second.ends_with("Hello, b!"));
        let (_, _, head, _) = respond(b"HEAD / HTTP/1.1\r\n\r\n");
        assert!(head.ends_with("Content-Length: 13\r\n\r\n"), "{head}");
    }

    /// A client reads what the server writes.
    #[test]
    fn responses_parse() {
        let (_, _, hello, _) = respond(b"GET / HTTP/1.1\r\n\r\n");
        assert_eq!(parse_response(hello.as_bytes()), Ok(Fetched { status: 200, length: 13 }));
        assert!(parse_response(&hello.as_bytes()[..hello.len() - 1]).is_err(), "short body");
        assert!(parse_response(b"HTTP/1.1 200 OK\r\n").is_err(), "truncated head");
        assert_eq!(parse_response(rejection(503)).map(|f| f.status), Ok(503));
    }

    /// The cap refuses the connection past it and counts; a guard's drop frees its place.
    #[test]
    fn connections_cap() {
        let connections = Connections::new(2);
        let a = connections.open().unwrap();
        let _b = connections.open().unwrap();
        assert!(connections.open().is_none());
        a.answered();
        drop(a);
        assert!(connections.open().is_some());
        let outcome = connections.outcome();
        assert_eq!((outcome.accepted, outcome.refused, outcome.requests, outcome.open), (3, 1, 1, 1));
    }
}
