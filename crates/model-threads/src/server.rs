//! W13, the HTTP server: a thread per connection, the classic blocking server. Each
//! connection's thread reads, waits and writes with plain blocking calls, and the kernel
//! runs the others meanwhile: code that reads top to bottom, with no runtime at all.
//!
//! What a connection costs: an OS thread, that is a stack (2 MiB of address space, of which
//! only the few touched pages use memory), a kernel task with its own kernel stack, and
//! about four memory mappings. The mappings are what runs out first: a process here can
//! start about 16 000 threads (see [`crate::idle`]), so this server stops scaling there,
//! whatever the memory; the default cap of [`http::MAX_CONNECTIONS`] keeps it below. Long
//! before that, every request wakes a sleeping thread through the kernel, which is what an
//! async runtime's tasks avoid.

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use workloads::http::{self, Connections, Open, Step, Stop};

/// How long a blocked read waits before the connection looks at the stop signal and its
/// idle deadline again. A blocked thread cannot be told to stop, so it wakes up on a timer
/// to ask: shorter answers a stop sooner, longer wakes idle connections less often.
const TICK: Duration = Duration::from_millis(100);

/// How long one write may block (a client that reads nothing while its socket buffer is
/// full): then the connection is given up, rather than hold its thread forever.
const WRITE_TIMEOUT: Duration = http::IDLE_TIMEOUT;

/// How many bytes one read asks for: a request head fits many times over.
const READ_CHUNK: usize = 4096;

/// Serves on `listener` until `stop` fires; returns once every connection's thread has
/// ended and the listener is closed.
///
/// Stresses: thread creation (one `clone` of a thread per connection) and the kernel's
/// scheduler, which wakes the thread of each connection that has data. With keep-alive
/// connections, creation is paid once per connection, and each request costs a wake-up
/// and a switch.
pub fn serve(listener: TcpListener, connections: &Arc<Connections>, stop: &Stop) {
    // The handles of the connection threads, to join them all on stop. Finished ones are
    // dropped now and then (dropping a finished thread's handle frees what is left of it),
    // so the list holds about the open connections, not every connection ever accepted.
    let mut threads: Vec<JoinHandle<()>> = Vec::new();
    let mut prune_at = 64;
    let mut spawn_failures = 0usize;
    // A blocking accept: `Stop::stop` connects once to wake it, so the flag is looked at
    // again after every accept.
    while !stop.is_stopped() {
        let stream = match listener.accept() {
            Ok((stream, _peer)) => stream,
            Err(error) => {
                // At the open-file limit accept fails at once, again and again: pause, and
                // let the connection wait in the listen queue meanwhile.
                let pause = http::accept_failed(&error);
                thread::sleep(pause);
                continue;
            }
        };
        if stop.is_stopped() {
            // The stop's own wake-up connection, or one that came just after it: closed.
            break;
        }
        // Responses are written whole: send them at once, do not wait to fill a packet.
        let _ = stream.set_nodelay(true);
        let Some(open) = connections.open() else {
            refuse(stream);
            continue;
        };
        let stop = stop.clone();
        let spawned = thread::Builder::new()
            .name("http-connection".into())
            .spawn(move || connection(stream, open, &stop));
        match spawned {
            Ok(handle) => threads.push(handle),
            Err(error) => {
                // The OS refused a thread (its limit, or memory): the closure, with the
                // stream and its place, was dropped, which closes the connection. The
                // server goes on with the next one.
                spawn_failures += 1;
                if spawn_failures % 1_000 == 1 {
                    eprintln!(
                        "the OS refused a connection thread: {error} ({} connections open; {spawn_failures} refused so far)",
                        connections.outcome().open
                    );
                }
            }
        }
        if threads.len() >= prune_at {
            threads.retain(|thread| !thread.is_finished());
            // Pruning again only once the list has doubled keeps its cost constant per accept.
            prune_at = (threads.len() * 2).max(64);
        }
    }
    // Closed first, so new clients are refused at once instead of waiting in the queue.
    drop(listener);
    for thread in threads {
        if thread.join().is_err() {
            eprintln!("a connection thread panicked");
        }
    }
}

/// A connection past the cap: the 503 response, then close. The response is a few hundred
/// bytes into a fresh socket's empty buffer, so the write does not block the accept loop.
fn refuse(mut stream: TcpStream) {
    let _ = stream.write_all(http::rejection(503));
}

/// One connection, on its own thread: answer requests in order until the client closes,
/// the idle deadline passes, an error, or the stop. The thread owns `open`, the
/// connection's place under the cap, and frees it by returning.
fn connection(mut stream: TcpStream, open: Open, stop: &Stop) {
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
                    // `/slow`: the thread sleeps, and the kernel runs the others. Only this
                    // connection waits; a stop lets it finish.
                    thread::sleep(wait);
                }
                // One write for the whole response: one system call, one packet.
                if stream.write_all(&response).is_err() {
                    return;
                }
                open.answered();
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
                // Between requests on stop: nothing is in flight, so close now. A request
                // half read is finished (within its deadline).
                if buf.is_empty() && stop.is_stopped() {
                    return;
                }
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
