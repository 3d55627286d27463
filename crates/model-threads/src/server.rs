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

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::thread::{self, JoinHandle};

use workloads::blocking;
use workloads::http::{self, Connections, Open, Stop};

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

/// One connection, on its own thread: the blocking loop every blocking server shares
/// ([`blocking::serve_connection`]). A `/slow` wait sleeps this thread only, and the kernel
/// runs the others. The thread owns `open`, the connection's place under the cap, and frees
/// it by returning.
fn connection(stream: TcpStream, open: Open, stop: &Stop) {
    blocking::serve_connection(stream, || open.answered(), || stop.is_stopped());
}
