//! W13, the HTTP server: the tutorial's web server on a real socket, one task per
//! connection. The protocol is [`workloads::http::step`]'s, shared by every model; what is
//! smol's here is how the server reads, writes, waits and schedules.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::panic::AssertUnwindSafe;
use std::pin::pin;
use std::sync::Arc;
use std::time::Instant;

use smol::future::{self, FutureExt};
use smol::io::{AsyncReadExt, AsyncWriteExt};
use smol::{Async, Executor, Task, Timer};
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
/// executor (a wake-up per request on each connection). smol suits it: a connection
/// waiting for its next request is a small task and an entry in the reactor, not a thread
/// with its stack, so ten thousand idle keep-alive connections cost a few megabytes, and
/// the executor's threads only ever run connections that have work.
///
/// The accept loop runs right here, in the future the caller blocks on, and each
/// connection is a task on `executor`: smol's executor has one shared queue, so a task
/// spawned from here starts no later than one spawned from an executor thread.
///
/// # Errors
/// The listener could not be registered with smol's reactor.
pub async fn serve(
    executor: &Executor<'static>,
    listener: TcpListener,
    connections: &Arc<Connections>,
    stop: &Stop,
) -> Result<(), NotRun> {
    // `Async` is smol's whole story of asynchronous I/O: it wraps any `std` socket, makes it
    // non-blocking and registers it with the reactor, which says when it is ready. It is
    // used here rather than `smol::net::TcpListener`, a thin `Arc` around the same thing,
    // so that what is smol's (the wrapper) and what is `std`'s (the socket) stay visible.
    let listener = Async::new(listener)
        .map_err(|e| NotRun::failed(format!("smol could not register the listener: {e}")))?;
    // Every connection's task, so that shutdown can wait for them all. A smol `Task` must
    // be kept: dropping it cancels the task (where async-std and tokio would detach it).
    let mut tasks: Vec<Task<()>> = Vec::new();
    // When to sweep out the tasks that have ended: each time the list has doubled, so a
    // server running for days keeps no entry per connection it ever served, at a cost of
    // one pass per doubling.
    let mut sweep_at = 64;
    // One wait on the stop signal for the whole loop, created once and polled again at
    // each turn, rather than a new one (and a new registration) per accept.
    let mut stopped = pin!(stop.wait());
    loop {
        // The accept races the stop signal: a listener with no new connection would
        // otherwise keep the loop waiting in `accept` forever after `stop`. `or` polls its
        // left side first: when both are ready, stopping wins, and the signal's own wake-up
        // connection is not served.
        let accepted = async {
            stopped.as_mut().await;
            None
        }
        .or(async { Some(listener.accept().await) })
        .await;
        let Some(accepted) = accepted else { break };
        match accepted {
            Ok((stream, _peer)) => {
                // Responses are written whole, at once: Nagle's algorithm would only hold a
                // small response back, waiting for the client's ACK of the previous one.
                let _ = stream.get_ref().set_nodelay(true);
                match connections.open() {
                    // The task owns the place, and frees it when it ends, however it ends.
                    Some(open) => tasks.push(executor.spawn(connection(stream, open, stop.clone()))),
                    None => refuse(stream.get_ref()),
                }
            }
            Err(e) => {
                // Out of file descriptors, most likely: the connection stays in the listen
                // queue. Accepting again at once would fail again at once, a busy loop; a
                // short sleep on smol's timer lets connections close meanwhile.
                let pause = http::accept_failed(&e);
                Timer::after(pause).await;
            }
        }
        if tasks.len() >= sweep_at {
            // Dropping a task that has ended only frees it (its output, `()`, is dropped).
            tasks.retain(|task| !task.is_finished());
            sweep_at = (tasks.len() * 2).max(64);
        }
    }
    // No more connections: the listener closes now, and a client connecting from here on
    // is refused by the OS, not left waiting in a queue nobody reads.
    drop(listener);
    // Each connection sees the same signal (it races its reads against it), finishes the
    // request it is answering, and ends; `serve` returns only once every one has.
    for task in tasks {
        // Awaiting a smol task that panicked panics here in turn: one connection's failure
        // is reported, not allowed to stop the server.
        if AssertUnwindSafe(task).catch_unwind().await.is_err() {
            eprintln!("a connection's task panicked");
        }
    }
    Ok(())
}

/// Refuses a connection past the cap: a 503, then close. Written straight to the `std`
/// socket under the wrapper, which is non-blocking, so the write never waits: a fresh
/// socket's send buffer has room for the short answer, and a client that will not read it
/// is not worth holding up the accept loop for (a task for it would use the very resources
/// the cap protects).
fn refuse(mut socket: &TcpStream) {
    let _ = socket.write(http::rejection(503));
    // The request may have arrived already: read it out, so that closing with unread
    // bytes does not make the OS reset the connection and throw away the 503 on its way.
    let mut request = [0u8; 1024];
    let _ = socket.read(&mut request);
}

/// One connection: answers its requests in order until the client closes, a request asks
/// to close, no whole request arrives within [`IDLE_TIMEOUT`], an I/O error, or `stop`.
///
/// Every `.await` here is a point where the task gives its executor thread back: waiting
/// for bytes, for `/slow`'s timer, or for room in the send buffer costs no thread.
async fn connection(mut stream: Async<TcpStream>, open: Open, stop: Stop) {
    // The bytes read and not yet answered, for the connection's whole life: reads append
    // to it, answered requests are drained from its front, so a kept-alive connection
    // allocates nothing per request. Reads land in `chunk` first: smol's `read` fills a
    // slice, and reading straight into the vector would mean zeroing its spare room first.
    let mut buf: Vec<u8> = Vec::with_capacity(READ_CHUNK);
    let mut chunk = [0u8; READ_CHUNK];
    // The idle deadline, and one timer for the connection's life to enforce it. Moving an
    // armed timer costs smol's reactor a wake-up, so it is not moved after each response:
    // the deadline moves, and only when the timer fires is it set again, to the deadline's
    // new place, if that is still ahead (see `idle`).
    let mut deadline = Instant::now() + IDLE_TIMEOUT;
    let mut timer = Timer::at(deadline);
    // One wait on the stop signal for the connection's life, as in the accept loop.
    let mut stopped = pin!(stop.wait());
    loop {
        match http::step(&buf) {
            Step::Respond { consumed, wait, response, close } => {
                if !wait.is_zero() {
                    // `/slow`: a timer, not `std::thread::sleep`, which would hold the
                    // executor thread and every connection queued behind it.
                    Timer::after(wait).await;
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
                // The read is the left side of `or`, polled first: bytes that are already
                // there win, and the other two are only polled (and registered) when the
                // task must wait. Each side says whether the connection goes on.
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
                let Some(n) = read.or(stopping).or(idle(&mut timer, deadline)).await else {
                    return;
                };
                buf.extend_from_slice(&chunk[..n]);
            }
        }
    }
}

/// Resolves once `deadline` has passed, with `None` (the connection ends). `timer` may be
/// set earlier than `deadline`, to an old deadline: then it fires early, and is set again
/// to the real one. A connection busy with requests sets its timer once per
/// [`IDLE_TIMEOUT`] rather than once per request.
async fn idle(timer: &mut Timer, deadline: Instant) -> Option<usize> {
    loop {
        (&mut *timer).await;
        if Instant::now() >= deadline {
            return None;
        }
        timer.set_at(deadline);
    }
}
