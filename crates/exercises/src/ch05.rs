//! Solutions to the exercises of chapter 05 (a web server under load).
//!
//! Every server here speaks HTTP through the workspace's one protocol core,
//! [`workloads::http::step`], on real sockets bound to `127.0.0.1:0` (the OS picks a free
//! port, so tests never collide). They keep only what each lesson needs: no idle deadline
//! and no graceful stop, which the models' servers have (`crates/model-tokio/src/server.rs`).
//!
//! - [`answer_pipelined`]: the protocol core alone, on requests sent back to back.
//! - [`time_slow_clients`]: `/slow` on one thread, waiting with a timer or with
//!   `std::thread::sleep`.
//! - [`serve_capped`]: a cap on open connections with a semaphore; past it, a 503.

use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, oneshot};
use workloads::http::{self, Step};

/// What a server answered to the bytes one connection sent, read as a whole.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pipelined {
    /// Each response, in the order of the requests.
    pub responses: Vec<Vec<u8>>,
    /// Bytes left over that do not make a whole request yet.
    pub left: usize,
    /// Whether the server closed the connection (a rejected request, or `Connection: close`).
    pub closed: bool,
}

/// Answers every whole request in `buf`, in order, as a server would that read all those
/// bytes at once (HTTP/1.1 pipelining: a client may send its next requests before the
/// first answer).
///
/// The loop every model's connection runs, without the I/O: ask [`http::step`] what the
/// buffer holds, answer, drop the bytes the request took, and go on until the buffer holds
/// only part of a request. Because the protocol does no I/O, it is tested without a socket.
pub fn answer_pipelined(buf: &[u8]) -> Pipelined {
    let mut buf = buf.to_vec();
    let mut out = Pipelined::default();
    loop {
        match http::step(&buf) {
            Step::Respond { consumed, response, close, .. } => {
                out.responses.push(response.into_owned());
                buf.drain(..consumed);
                if close {
                    out.closed = true;
                    break;
                }
            }
            // Whatever follows a rejected request cannot be trusted to start a new one, so
            // the connection closes and the rest is never looked at.
            Step::Reject { response, .. } => {
                out.responses.push(response.into_owned());
                out.closed = true;
                break;
            }
            Step::Incomplete => break,
        }
    }
    out.left = buf.len();
    out
}

/// How a connection's task waits before answering `/slow`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlowWait {
    /// `tokio::time::sleep(wait).await`: the task is parked on a timer and the thread runs
    /// the other connections meanwhile.
    Timer,
    /// `std::thread::sleep(wait)`: the thread itself sleeps, and with it every task the
    /// runtime would have run on it (chapter 6's pitfall).
    BlockingSleep,
}

/// One connection's task: read, answer each request, until the client closes or asks to.
///
/// The models' loop (`crates/model-tokio/src/server.rs#connection`) without its idle
/// deadline and stop signal, and with a choice of how to wait for `/slow`.
async fn connection(mut stream: TcpStream, slow: SlowWait) {
    // One buffer for the connection's life: reads append, answered requests are drained.
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    loop {
        match http::step(&buf) {
            Step::Respond { consumed, wait, response, close } => {
                if !wait.is_zero() {
                    match slow {
                        SlowWait::Timer => tokio::time::sleep(wait).await,
                        SlowWait::BlockingSleep => std::thread::sleep(wait),
                    }
                }
                if stream.write_all(&response).await.is_err() {
                    return;
                }
                buf.drain(..consumed);
                if close {
                    return;
                }
            }
            Step::Reject { response, .. } => {
                let _ = stream.write_all(&response).await;
                return;
            }
            Step::Incomplete => match stream.read_buf(&mut buf).await {
                // 0 bytes: the client closed its side.
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            },
        }
    }
}

/// Accepts connections and spawns a task for each until `stop` fires.
async fn accept_loop(listener: TcpListener, slow: SlowWait, mut stop: oneshot::Receiver<()>) {
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => {
                    tokio::spawn(connection(stream, slow));
                }
                // At the open-file limit accept fails at once, again and again: pause, as
                // the models do, and let the connection wait in the listen queue.
                Err(error) => tokio::time::sleep(http::accept_failed(&error)).await,
            },
            _ = &mut stop => return,
        }
    }
}

/// One blocking client: sends `GET path` with `Connection: close` and reads the answer to
/// its end; returns the status.
fn fetch(addr: SocketAddr, path: &str) -> io::Result<u16> {
    let mut stream = std::net::TcpStream::connect(addr)?;
    // A bound on the test, should the server never answer.
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    stream.write_all(&http::get_request(&addr.to_string(), path))?;
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes)?;
    let fetched = http::parse_response(&bytes).map_err(io::Error::other)?;
    Ok(fetched.status)
}

/// Serves `/slow?delay=D` to `clients` clients at once from a tokio current-thread runtime
/// (one thread, as asyncio's event loop), each connection a task that waits as `slow`
/// says; returns how long it took until every client had its answer.
///
/// With [`SlowWait::Timer`] the waits overlap and the whole takes about D; with
/// [`SlowWait::BlockingSleep`] the one thread sleeps through each wait in turn, and it takes
/// `clients` × D: the server has become the sequential one.
///
/// # Errors
/// The runtime, the socket or a client failed, or a client got something other than 200.
pub fn time_slow_clients(clients: usize, delay: Duration, slow: SlowWait) -> io::Result<Duration> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0"))?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel();
    // The runtime's one thread serves; the clients are plain threads of their own, so that
    // nothing the server does can hold them up.
    let server = std::thread::spawn(move || runtime.block_on(accept_loop(listener, slow, stopped)));
    let path = http::slow_path(delay.as_millis() as u64);
    let start = Instant::now();
    let statuses: Vec<io::Result<u16>> = std::thread::scope(|scope| {
        let fetches: Vec<_> = (0..clients).map(|_| scope.spawn(|| fetch(addr, &path))).collect();
        fetches.into_iter().map(|f| f.join().expect("a client panicked")).collect()
    });
    let took = start.elapsed();
    let _ = stop.send(());
    server.join().expect("the server panicked");
    for status in statuses {
        let status = status?;
        if status != 200 {
            return Err(io::Error::other(format!("a client got {status}")));
        }
    }
    Ok(took)
}

/// Serves on `listener` with at most `cap` connections open at once: a connection past the
/// cap is answered 503 and closed at once. Runs until the task running it is dropped.
///
/// `try_acquire_owned`, not `acquire().await`: a client past the cap would otherwise wait,
/// connected and unanswered, for somebody else to leave; a refusal tells it now, and costs
/// the server nothing while it waits. The permit moves into the connection's task and is
/// given back when the task ends, however it ends. (The models keep the same cap with
/// [`http::Connections`], which also counts what was refused.)
pub async fn serve_capped(listener: TcpListener, cap: usize) {
    let places = Arc::new(Semaphore::new(cap));
    loop {
        let mut stream = match listener.accept().await {
            Ok((stream, _peer)) => stream,
            Err(error) => {
                tokio::time::sleep(http::accept_failed(&error)).await;
                continue;
            }
        };
        match Arc::clone(&places).try_acquire_owned() {
            Ok(place) => {
                tokio::spawn(async move {
                    connection(stream, SlowWait::Timer).await;
                    // The place frees when the connection ends.
                    drop(place);
                });
            }
            Err(_) => {
                // Written from a task of its own: a slow client must not hold up the
                // accept loop.
                tokio::spawn(async move {
                    let _ = stream.write_all(http::rejection(503)).await;
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads one whole response from a kept-alive connection and returns its status.
    async fn read_response(stream: &mut TcpStream) -> io::Result<u16> {
        let mut bytes = Vec::new();
        loop {
            // `parse_response` fails until the head and the announced body are all here.
            if let Ok(fetched) = http::parse_response(&bytes) {
                return Ok(fetched.status);
            }
            if stream.read_buf(&mut bytes).await? == 0 {
                return Err(io::Error::other("closed before a whole response"));
            }
        }
    }

    /// Two requests sent back to back get two answers, in order; half a third waits for
    /// the rest of its bytes.
    #[test]
    fn pipelined_requests_are_answered_in_order() {
        let third = b"GET /json HTT".as_slice();
        let bytes = [b"GET / HTTP/1.1\r\n\r\nGET /?name=Alice HTTP/1.1\r\n\r\n".as_slice(), third].concat();
        let got = answer_pipelined(&bytes);
        assert_eq!(got.responses.len(), 2);
        assert!(got.responses[0].ends_with(b"Hello, World!"));
        assert!(got.responses[1].ends_with(b"Hello, Alice!"));
        assert_eq!(got.left, third.len());
        assert!(!got.closed, "HTTP/1.1 keeps the connection open");
    }

    /// A method the server does not serve is answered 405, and the connection closes
    /// without reading what follows.
    #[test]
    fn pipelined_rejection_closes_the_connection() {
        let got = answer_pipelined(b"GET / HTTP/1.1\r\n\r\nPOST / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n");
        assert_eq!(got.responses.len(), 2);
        assert!(got.responses[1].starts_with(b"HTTP/1.1 405"));
        assert!(got.closed);
    }

    /// On one thread, ten `/slow` requests of 100 ms waited for with a timer overlap: the
    /// whole takes well under the 1 s they would take one after another.
    #[test]
    fn slow_timer_waits_overlap_on_one_thread() {
        let (clients, delay) = (10, Duration::from_millis(100));
        let took = time_slow_clients(clients, delay, SlowWait::Timer).unwrap();
        assert!(took >= delay.mul_f64(0.9), "{took:?}: an answer came before its wait");
        // Generous: about 100 ms is expected, 500 ms leaves room for a loaded machine.
        assert!(took < delay * clients as u32 / 2, "{took:?}: the waits did not overlap");
    }

    /// The same server with `std::thread::sleep` answers one client at a time: ten
    /// requests of 100 ms take at least (nearly) a second.
    #[test]
    fn slow_blocking_sleeps_serve_one_client_at_a_time() {
        let (clients, delay) = (10, Duration::from_millis(100));
        let took = time_slow_clients(clients, delay, SlowWait::BlockingSleep).unwrap();
        assert!(took >= (delay * clients as u32).mul_f64(0.9), "{took:?}: the sleeps overlapped");
    }

    /// Past the cap, a new connection gets a 503; once a connection closes, its place is
    /// free again for the next one.
    #[test]
    fn cap_refuses_the_connection_past_it() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            // A bound on the whole test, should a step never finish.
            tokio::time::timeout(Duration::from_secs(20), async {
                let listener = TcpListener::bind("127.0.0.1:0").await?;
                let addr = listener.local_addr()?;
                let server = tokio::spawn(serve_capped(listener, 2));
                // Two kept-alive connections, each answered once: both hold a place.
                let mut held = Vec::new();
                for _ in 0..2 {
                    let mut stream = TcpStream::connect(addr).await?;
                    stream.write_all(b"GET / HTTP/1.1\r\n\r\n").await?;
                    assert_eq!(read_response(&mut stream).await?, 200);
                    held.push(stream);
                }
                let mut third = TcpStream::connect(addr).await?;
                third.write_all(b"GET / HTTP/1.1\r\n\r\n").await?;
                assert_eq!(read_response(&mut third).await?, 503);
                // One leaves; the server sees the close and frees its place soon after.
                drop(held.pop());
                let status = loop {
                    let mut next = TcpStream::connect(addr).await?;
                    next.write_all(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n").await?;
                    match read_response(&mut next).await? {
                        503 => tokio::time::sleep(Duration::from_millis(10)).await,
                        status => break status,
                    }
                };
                assert_eq!(status, 200);
                server.abort();
                Ok::<(), io::Error>(())
            })
            .await
            .expect("the test took over 20 s")
            .unwrap();
        });
    }
}
