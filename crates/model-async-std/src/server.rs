//! W13, the HTTP server: the tutorial's web server on a real socket, one task per
//! connection. The protocol is [`workloads::http::step`]'s, shared by every model; what is
//! async-std's here is how the server reads, writes, waits and schedules.

use std::io::{Read, Write};
use std::pin::pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::Instant;

use async_std::channel::{self, Sender};
use async_std::future::{self, Future};
use async_std::io::{ReadExt, WriteExt};
use async_std::net::{TcpListener, TcpStream};
use async_std::task;
use workloads::NotRun;
use workloads::http::{self, Connections, IDLE_TIMEOUT, Open, Step, Stop};

/// How much a connection reads at a time. A request of the load test is well under 100
/// bytes; 4 KiB holds dozens of pipelined ones, and a request head up to
/// [`http::MAX_HEAD`] arrives in a few reads.
const READ_CHUNK: usize = 4096;

/// Serves the endpoints of [`workloads::http`] on `listener` until `stop` fires, then lets
/// the requests in flight finish and returns once every connection's task has ended.
///
/// Stresses: the reactor (one registration per socket, woken when it is readable) and the
/// executor (a wake-up per request on each connection). async-std suits it: a connection
/// waiting for its next request is a small task and an entry in the reactor, not a thread
/// with its stack, so ten thousand idle keep-alive connections cost a few megabytes, and
/// the executor's threads only ever run connections that have work.
///
/// The accept loop runs right here, in the future the caller blocks on, and each
/// connection is a task on the global runtime: its executor has one shared queue, so a
/// task spawned from here starts no later than one spawned from an executor thread.
///
/// # Errors
/// The listener could not be made non-blocking.
pub async fn serve(
    listener: std::net::TcpListener,
    connections: &Arc<Connections>,
    stop: &Stop,
) -> Result<(), NotRun> {
    // async-std's listener registers the socket with the reactor, which tells it when a
    // connection is waiting; the socket must not block, or `accept` would hold the thread.
    listener
        .set_nonblocking(true)
        .map_err(|e| NotRun::failed(format!("async-std could not make the listener non-blocking: {e}")))?;
    let listener = TcpListener::from(listener);
    // Every connection's task holds a clone of `alive` until it ends; `ended` reports the
    // channel closed once the last clone is dropped. No message is ever sent: it is a
    // count that can be awaited. async-std's `JoinHandle` cannot say whether its task has
    // ended, so a list of handles could only grow, one per connection ever served; and
    // dropping one does not stop its task (it detaches it), so they need not be kept.
    let (alive, ended) = channel::bounded::<()>(1);
    // One wait on the stop signal for the whole loop, created once and polled again at
    // each turn, rather than a new one (and a new registration) per accept.
    let mut stopped = pin!(stop.wait());
    loop {
        // The accept races the stop signal: a listener with no new connection would
        // otherwise keep the loop waiting in `accept` forever after `stop`. `first` polls
        // its first future first: when both are ready, stopping wins, and the signal's own
        // wake-up connection is not served.
        let accepted = first(
            async {
                stopped.as_mut().await;
                None
            },
            async { Some(listener.accept().await) },
        )
        .await;
        let Some(accepted) = accepted else { break };
        match accepted {
            Ok((stream, _peer)) => {
                // Responses are written whole, at once: Nagle's algorithm would only hold a
                // small response back, waiting for the client's ACK of the previous one.
                let _ = stream.set_nodelay(true);
                match connections.open() {
                    // The task owns the place, and frees it when it ends, however it ends.
                    // Its `JoinHandle` is dropped at once: the task runs on, detached.
                    Some(open) => {
                        task::spawn(connection(alive.clone(), stream, open, stop.clone()));
                    }
                    None => refuse(stream),
                }
            }
            Err(e) => {
                // Out of file descriptors, most likely: the connection stays in the listen
                // queue. Accepting again at once would fail again at once, a busy loop; a
                // short sleep on async-std's timer lets connections close meanwhile.
                let pause = http::accept_failed(&e);
                task::sleep(pause).await;
            }
        }
    }
    // No more connections: the listener closes now, and a client connecting from here on
    // is refused by the OS, not left waiting in a queue nobody reads.
    drop(listener);
    // Each connection sees the same signal (it races its reads against it), finishes the
    // request it is answering, and ends; `serve` returns only once every one has, that is
    // once the last `alive` is dropped. (Err is the only answer: nobody sends.)
    drop(alive);
    let _ = ended.recv().await;
    Ok(())
}

/// Refuses a connection past the cap: a 503, then close. async-std's stream has no write
/// that never waits, so the `std` socket is taken back out of it and set non-blocking: a
/// fresh socket's send buffer has room for the short answer, and a client that will not
/// read it is not worth holding up the accept loop for (a task for it would use the very
/// resources the cap protects).
fn refuse(stream: TcpStream) {
    let Ok(mut socket) = std::net::TcpStream::try_from(stream) else { return };
    if socket.set_nonblocking(true).is_err() {
        return;
    }
    let _ = socket.write(http::rejection(503));
    // The request may have arrived already: read it out, so that closing with unread
    // bytes does not make the OS reset the connection and throw away the 503 on its way.
    let mut request = [0u8; 1024];
    let _ = socket.read(&mut request);
}

/// One connection: answers its requests in order until the client closes, a request asks
/// to close, no whole request arrives within [`IDLE_TIMEOUT`], an I/O error, or `stop`.
/// `_alive` is only held: dropped when the task ends, it tells `serve` one fewer is left.
/// It is the first parameter because parameters are dropped in reverse order: it must go
/// last, after `open` has freed the connection's place, or `serve` could return and count
/// a connection still open.
///
/// Every `.await` here is a point where the task gives its executor thread back: waiting
/// for bytes, for `/slow`'s timer, or for room in the send buffer costs no thread.
async fn connection(_alive: Sender<()>, mut stream: TcpStream, open: Open, stop: Stop) {
    // The bytes read and not yet answered, for the connection's whole life: reads append
    // to it, answered requests are drained from its front, so a kept-alive connection
    // allocates nothing per request. Reads land in `chunk` first: async-std's `read` fills
    // a slice, and reading straight into the vector would mean zeroing its spare room first.
    let mut buf: Vec<u8> = Vec::with_capacity(READ_CHUNK);
    let mut chunk = [0u8; READ_CHUNK];
    // The idle deadline, and one timer for the connection's life to enforce it. A new
    // timer per read would cost the reactor a wake-up each time, so the timer is not
    // moved after each response: the deadline moves, and only when the timer fires is a
    // new one started, for what is left until the deadline, if it is still ahead.
    let mut deadline = Instant::now() + IDLE_TIMEOUT;
    let mut timer = pin!(task::sleep(IDLE_TIMEOUT));
    // One wait on the stop signal for the connection's life, as in the accept loop.
    let mut stopped = pin!(stop.wait());
    loop {
        match http::step(&buf) {
            Step::Respond { consumed, wait, response, close } => {
                if !wait.is_zero() {
                    // `/slow`: a timer, not `std::thread::sleep`, which would hold the
                    // executor thread and every connection queued behind it.
                    task::sleep(wait).await;
                }
                // The whole response in one write: one system call, one TCP segment.
                if stream.write_all(&response).await.is_err() {
                    return;
                }
                open.answered();
                buf.drain(..consumed);
                // During shutdown, the request in hand was answered: that was the promise.
                if close || stop.is_stopped() {
                    return;
                }
                deadline = Instant::now() + IDLE_TIMEOUT;
            }
            Step::Reject { response, .. } => {
                // What follows a rejected request cannot be trusted to start a new one.
                let _ = stream.write_all(&response).await;
                return;
            }
            Step::Incomplete => {
                // The read races the idle deadline and, between requests, the stop signal:
                // a keep-alive connection spends nearly all its life waiting here, and
                // would otherwise hold up shutdown until its client spoke or the deadline
                // passed. A request half read is let finish (the deadline still bounds it).
                // The read is polled first: bytes that are already there win, and the
                // other two are only polled (and registered) when the task must wait. Each
                // side says whether the connection goes on.
                let between_requests = buf.is_empty();
                let read = async {
                    match stream.read(&mut chunk).await {
                        // 0 bytes: the client closed its side.
                        Ok(0) | Err(_) => None,
                        Ok(n) => Some(n),
                    }
                };
                let stopping = async {
                    if between_requests {
                        stopped.as_mut().await;
                    } else {
                        future::pending::<()>().await;
                    }
                    None
                };
                let idle = async {
                    loop {
                        timer.as_mut().await;
                        // The timer may have been started for an old deadline: then it
                        // fires early, and a new one covers what is left.
                        let now = Instant::now();
                        if now >= deadline {
                            return None;
                        }
                        timer.set(task::sleep(deadline - now));
                    }
                };
                let Some(n) = first(read, first(stopping, idle)).await else {
                    return;
                };
                buf.extend_from_slice(&chunk[..n]);
            }
        }
    }
}

/// The output of whichever of `a` and `b` finishes first; the other is dropped, and with
/// it whatever it was waiting on. `a` is polled first, so it wins when both are ready.
///
/// async-std's own `race` needs its "unstable" feature, and this is all a race is: one
/// future that, each time it is woken, polls the two it holds. Both register the same
/// waker, so either can wake it.
async fn first<T>(a: impl Future<Output = T>, b: impl Future<Output = T>) -> T {
    let (mut a, mut b) = (pin!(a), pin!(b));
    future::poll_fn(|cx| match a.as_mut().poll(cx) {
        Poll::Ready(out) => Poll::Ready(out),
        Poll::Pending => b.as_mut().poll(cx),
    })
    .await
}
