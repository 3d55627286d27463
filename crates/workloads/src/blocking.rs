//! The connection loop of the blocking servers (sequential, OS threads, and the threads of
//! each worker process): [`http::step`](crate::http::step) driven by a socket read that
//! blocks its thread, a `/slow` wait that sleeps it, and a write that blocks it too.
//!
//! The three models differ in what a blocked thread costs, not in the loop: the sequential
//! server has one thread, so a connection it serves (or sleeps for) holds every other
//! client; the threads server gives each connection a thread, and the kernel runs the
//! others; the processes server does the same inside each of its worker processes. The
//! loop is written once, here, and each model's `server.rs` says what it costs there.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::http::{self, Step};

/// How long a blocked read waits before the connection looks at the stop signal and its
/// idle deadline again. A blocked thread cannot be told to stop, so it wakes up on a timer
/// to ask: shorter answers a stop sooner, longer wakes idle connections less often.
pub const TICK: Duration = Duration::from_millis(100);

/// How long one write may block (a client that reads nothing while its socket buffer is
/// full): then the connection is given up, rather than hold its thread forever.
pub const WRITE_TIMEOUT: Duration = http::IDLE_TIMEOUT;

/// How many bytes one read asks for: a request head fits many times over.
const READ_CHUNK: usize = 4096;

/// One connection, on the calling thread: answer requests in order until the client
/// closes, the idle deadline ([`http::IDLE_TIMEOUT`]) passes, an error, or `stopped()`
/// says so between two requests (a request half read is finished, within its deadline).
/// `answered()` is called once per request answered: the caller's place under the
/// connection cap counts it.
pub fn serve_connection(mut stream: TcpStream, mut answered: impl FnMut(), stopped: impl Fn() -> bool) {
    if stream.set_read_timeout(Some(TICK)).is_err() || stream.set_write_timeout(Some(WRITE_TIMEOUT)).is_err()
    {
        return;
    }
    // The bytes read and not yet answered, and the chunk each read fills: both reused for
    // every request of the connection, so a request allocates nothing here.
    let mut buf = Vec::with_capacity(READ_CHUNK);
    let mut chunk = [0u8; READ_CHUNK];
    let mut deadline = Instant::now() + http::IDLE_TIMEOUT;
    loop {
        match http::step(&buf) {
            Step::Respond { consumed, wait, response, close } => {
                if !wait.is_zero() {
                    // `/slow`: this thread sleeps, and with it whatever else it would serve.
                    std::thread::sleep(wait);
                }
                // One write for the whole response: one system call, one packet.
                if stream.write_all(&response).is_err() {
                    return;
                }
                answered();
                buf.drain(..consumed);
                if close {
                    return;
                }
                deadline = Instant::now() + http::IDLE_TIMEOUT;
            }
            Step::Reject { response, .. } => {
                let _ = stream.write_all(&response);
                return;
            }
            Step::Incomplete => {
                // Between requests on stop: nothing is in flight, so close now.
                if buf.is_empty() && stopped() {
                    return;
                }
                // The idle deadline is what frees the thread from a client that keeps its
                // connection open and sends nothing.
                if Instant::now() >= deadline {
                    return;
                }
                match stream.read(&mut chunk) {
                    // The client closed its side.
                    Ok(0) => return,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    // The tick: nothing arrived; look at the stop and the deadline again.
                    Err(e)
                        if matches!(
                            e.kind(),
                            ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
                        ) => {}
                    Err(_) => return,
                }
            }
        }
    }
}
