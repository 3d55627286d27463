//! W13, the HTTP server: the tutorial's web server on a real socket, one task per
//! connection. The protocol is [`workloads::http::step`]'s, shared by every model; what is
//! tokio's here is how the server reads, writes, waits and schedules.

use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tokio::time::Instant;
use workloads::NotRun;
use workloads::http::{self, Connections, IDLE_TIMEOUT, Open, Step, Stop};

/// How much room a connection's buffer has for each read. A request of the load test is
/// well under 100 bytes; 4 KiB holds dozens of pipelined ones, and a request head up to
/// [`http::MAX_HEAD`] arrives in a few reads.
const READ_CHUNK: usize = 4096;

/// Serves the endpoints of [`workloads::http`] on `listener` until `stop` fires, then lets
/// the requests in flight finish and returns once every connection's task has ended.
///
/// Stresses: the reactor (one registration per socket, woken when it is readable) and the
/// scheduler (a wake-up per request on each connection). tokio suits it: a connection
/// waiting for its next request is its task (a few hundred bytes of state), its read
/// buffer and an entry in the reactor, not a thread with a stack of its own and a trip
/// through the OS's scheduler for every wake-up; the worker threads only ever run the
/// connections that have work.
///
/// # Errors
/// The listener could not be handed to tokio's reactor, or the accept loop panicked.
pub async fn serve(
    listener: std::net::TcpListener,
    connections: &Arc<Connections>,
    stop: &Stop,
) -> Result<(), NotRun> {
    // tokio's listener registers the socket with the reactor, which tells it when a
    // connection is waiting; the socket must not block, or `accept` would hold the worker
    // thread. `from_std` needs the runtime's reactor, so it runs inside the runtime.
    listener
        .set_nonblocking(true)
        .map_err(|e| NotRun::failed(format!("tokio could not make the listener non-blocking: {e}")))?;
    let listener = TcpListener::from_std(listener)
        .map_err(|e| NotRun::failed(format!("tokio could not register the listener: {e}")))?;
    // The accept loop is a task, not the future given to `block_on`: on the multi-thread
    // runtime that future runs on the caller's thread, not on a worker, so every
    // connection spawned from it would go through the runtime's shared queue. Spawned from
    // a worker, a new connection's task starts in that worker's own queue, and idle
    // workers steal from it. The task owns what it uses: clones of the `Arc` and the signal.
    tokio::spawn(accept_loop(listener, Arc::clone(connections), stop.clone()))
        .await
        .map_err(|e| NotRun::failed(format!("tokio's accept loop failed: {e}")))
}

/// Accepts connections until `stop` fires, one task each; then stops accepting and joins
/// every connection's task.
async fn accept_loop(listener: TcpListener, connections: Arc<Connections>, stop: Stop) {
    let tasks = accept_until_stopped(listener, &connections, &stop, |stream, open| {
        connection(stream, open, stop.clone())
    })
    .await;
    // Each connection sees the same signal (it races its reads against it), finishes the
    // request it is answering, and ends; `serve` returns only once every one has.
    join_all(tasks).await;
}

/// The accept loop, whatever serves each connection (this module's [`connection`], or
/// hyper's in [`crate::hyper_server`]): accept until `stop`, refuse past the cap, spawn
/// `connection` for each one admitted. Returns, once `stop` has fired and the listener is
/// closed, the tasks of the connections still open, for the caller to join.
pub(crate) async fn accept_until_stopped<F>(
    listener: TcpListener,
    connections: &Arc<Connections>,
    stop: &Stop,
    mut connection: impl FnMut(TcpStream, Open) -> F,
) -> JoinSet<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    // Every connection's task, so that shutdown can wait for them all. A `JoinSet` rather
    // than a counter: joining it is also how a panic in a connection would surface.
    let mut tasks = JoinSet::new();
    // One wait on the stop signal for the whole loop, created once and polled again at
    // each turn (`&mut stopped` below), rather than a new one per accept.
    let stopped = stop.wait();
    tokio::pin!(stopped);
    loop {
        // The accept races the stop signal: a listener with no new connection would
        // otherwise keep the loop waiting in `accept` forever after `stop`. `biased`: when
        // both are ready, stopping wins, and the signal's own wake-up connection is not
        // served.
        let accepted = tokio::select! {
            biased;
            () = &mut stopped => break,
            accepted = listener.accept() => accepted,
        };
        match accepted {
            Ok((stream, _peer)) => {
                // Responses are written whole, at once: Nagle's algorithm would only hold a
                // small response back, waiting for the client's ACK of the previous one.
                let _ = stream.set_nodelay(true);
                match connections.open() {
                    // The task owns the place, and frees it when it ends, however it ends.
                    Some(open) => {
                        tasks.spawn(connection(stream, open));
                    }
                    None => refuse(&stream),
                }
            }
            Err(e) => {
                // Out of file descriptors, most likely: the connection stays in the listen
                // queue. Accepting again at once would fail again at once, a busy loop; a
                // short sleep on tokio's timer lets connections close meanwhile, and keeps
                // the worker free for them.
                let pause = http::accept_failed(&e);
                tokio::time::sleep(pause).await;
            }
        }
        // Collect the tasks that have ended, so that a server running for days does not
        // keep one finished entry per connection it ever served.
        while let Some(ended) = tasks.try_join_next() {
            report_panic(ended);
        }
    }
    // No more connections: the listener closes now, and a client connecting from here on
    // is refused by the OS, not left waiting in a queue nobody reads.
    drop(listener);
    tasks
}

/// Waits for every connection's task to end.
pub(crate) async fn join_all(mut tasks: JoinSet<()>) {
    while let Some(ended) = tasks.join_next().await {
        report_panic(ended);
    }
}

/// Refuses a connection past the cap: a 503, then close. Written with `try_write`, which
/// never waits: a fresh socket's send buffer has room for the short answer, and a client
/// that will not read it is not worth holding up the accept loop for (a task for it would
/// use the very resources the cap protects).
pub(crate) fn refuse(stream: &TcpStream) {
    let _ = stream.try_write(http::rejection(503));
    // The request may have arrived already: read it out, so that closing with unread
    // bytes does not make the OS reset the connection and throw away the 503 on its way.
    let mut request = [0u8; 1024];
    let _ = stream.try_read(&mut request);
}

/// A connection's task that panicked is reported, not propagated: one connection's failure
/// must not stop the server.
fn report_panic(ended: Result<(), tokio::task::JoinError>) {
    if let Err(e) = ended
        && e.is_panic()
    {
        eprintln!("a connection's task panicked: {e}");
    }
}

/// One connection: answers its requests in order until the client closes, a request asks
/// to close, no whole request arrives within [`IDLE_TIMEOUT`], an I/O error, or `stop`.
///
/// Every `.await` here is a point where the task gives its worker thread back: waiting for
/// bytes, for `/slow`'s timer, or for room in the send buffer costs no thread.
async fn connection(mut stream: TcpStream, open: Open, stop: Stop) {
    // One buffer for the connection's whole life: reads append to its spare room, answered
    // requests are drained from its front, so a kept-alive connection allocates nothing
    // per request.
    let mut buf: Vec<u8> = Vec::with_capacity(READ_CHUNK);
    // The idle deadline: one timer for the connection, moved forward after each response,
    // rather than a new timer per read (moving it later costs tokio no lock).
    let deadline = tokio::time::sleep(IDLE_TIMEOUT);
    tokio::pin!(deadline);
    // One wait on the stop signal for the connection's life, as in the accept loop.
    let stopped = stop.wait();
    tokio::pin!(stopped);
    loop {
        match http::step(&buf) {
            Step::Respond { consumed, wait, response, close } => {
                if !wait.is_zero() {
                    // `/slow`: a timer, not `std::thread::sleep`, which would hold the
                    // worker thread and every connection queued behind it.
                    tokio::time::sleep(wait).await;
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
                deadline.as_mut().reset(Instant::now() + IDLE_TIMEOUT);
            }
            Step::Reject { response, .. } => {
                // What follows a rejected request cannot be trusted to start a new one.
                let _ = stream.write_all(&response).await;
                return;
            }
            Step::Incomplete => {
                if buf.capacity() - buf.len() < READ_CHUNK / 2 {
                    buf.reserve(READ_CHUNK);
                }
                // The read races the idle deadline and, between requests, the stop signal:
                // a keep-alive connection spends nearly all its life waiting here, and
                // would otherwise hold up shutdown until its client spoke or the deadline
                // passed. A request half read is let finish (the deadline still bounds it).
                // `biased`, the read first: bytes that are already there win, and the
                // other two are only polled (and registered) when the task must wait.
                let read = tokio::select! {
                    biased;
                    read = stream.read_buf(&mut buf) => read,
                    () = &mut stopped, if buf.is_empty() => return,
                    () = &mut deadline => return,
                };
                match read {
                    // 0 bytes: the client closed its side.
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
            }
        }
    }
}
