//! W13, the HTTP server, without concurrency: one connection at a time, on the calling
//! thread. Accept a connection, answer its requests until it closes or idles out, then
//! accept the next.
//!
//! The lesson is what happens under load. While one connection is served, every other
//! client waits in the kernel's listen queue: its connection is complete (the kernel did
//! the handshake), its request may be sent, but nobody reads it. A keep-alive client that
//! sends nothing holds the whole server for the idle timeout; a `/slow` request holds it
//! for its delay; a hundred clients are served one after another, so each waits for all
//! the others. It is the same loop as every other model's, with the spawn taken out.

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use workloads::http::{self, Connections, Open, Step, Stop};

/// How long a blocked read waits before the connection looks at the stop signal and its
/// idle deadline again. Nothing else runs to tell it to stop, so it wakes up on a timer to
/// ask.
const TICK: Duration = Duration::from_millis(100);

/// How long one write may block (a client that reads nothing while its socket buffer is
/// full): then the connection is given up, or it would hold the whole server.
const WRITE_TIMEOUT: Duration = http::IDLE_TIMEOUT;

/// How many bytes one read asks for: a request head fits many times over.
const READ_CHUNK: usize = 4096;

/// Serves on `listener` until `stop` fires, one connection at a time; returns once the
/// connection being served (if any) has ended and the listener is closed.
///
/// Stresses: nothing but the requests themselves: no thread, no task, no switch. Its
/// throughput on one keep-alive connection is the floor every model's per-request cost is
/// measured against; with many connections it serves only one, and the others wait.
pub fn serve(listener: TcpListener, connections: &Arc<Connections>, stop: &Stop) {
    // A blocking accept: `Stop::stop` connects once to wake it, so the flag is looked at
    // again after every accept, and after every connection served.
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
        // One connection at a time never reaches a cap above one; asked all the same, so
        // the counts are kept as in every model.
        let Some(open) = connections.open() else {
            refuse(stream);
            continue;
        };
        // No spawn: the connection is served here, and the next accept waits for its end.
        connection(stream, open, stop);
    }
    // Closed, so the clients still queued are refused instead of waiting for nobody.
    drop(listener);
}

/// A connection past the cap: the 503 response, then close. The response is a few hundred
/// bytes into a fresh socket's empty buffer, so the write does not block.
fn refuse(mut stream: TcpStream) {
    let _ = stream.write_all(http::rejection(503));
}

/// One connection: answer requests in order until the client closes, the idle deadline
/// passes, an error, or the stop. `open`, the connection's place under the cap, is freed
/// on return.
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
                    // `/slow`: the whole server sleeps; every other client waits too.
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
                // The idle deadline is what frees the server from a client that keeps its
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
