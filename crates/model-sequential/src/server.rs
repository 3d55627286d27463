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

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::thread;

use workloads::blocking;
use workloads::http::{self, Connections, Open, Stop};

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

/// One connection: the blocking loop every blocking server shares
/// ([`blocking::serve_connection`]), on the server's only thread. A `/slow` wait sleeps the
/// whole server: every other client waits too. `open`, the connection's place under the
/// cap, is freed on return.
fn connection(stream: TcpStream, open: Open, stop: &Stop) {
    blocking::serve_connection(stream, || open.answered(), || stop.is_stopped());
}
