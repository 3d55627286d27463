//! W15, the HTTP client fan-out: a thread per URL, each making one blocking exchange
//! (connect, write the request, read until the server closes). All the fetches overlap,
//! since a thread blocked on its socket costs only itself; the tutorial's
//! `asyncio.gather(*[fetch(url) for url in urls])`, with threads.

use std::io::{self, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::{Duration, Instant};

use workloads::http::{self, Fetched, Url};

/// Fetches every URL of `urls` at once, one thread and one connection each, each within
/// `timeout`; returns one result per URL, in the order of `urls`.
///
/// Stresses: a thread per fetch, as W5's gather: creation, then N threads asleep in the
/// kernel until their answer arrives. Fine for tens or hundreds of URLs; for thousands, the
/// threads cost more than the fetches.
pub fn fetch_all(urls: &[Url], timeout: Duration) -> Vec<Result<Fetched, String>> {
    // Scoped threads borrow the URLs; the scope joins them all before it returns.
    thread::scope(|scope| {
        let fetches: Vec<_> = urls
            .iter()
            .map(|url| {
                thread::Builder::new().name("fetch".into()).spawn_scoped(scope, move || fetch(url, timeout))
            })
            .collect();
        // Joined in order, so the results come back in the order of `urls`. A thread the OS
        // refused fails its URL only.
        fetches
            .into_iter()
            .map(|fetch| match fetch {
                Ok(handle) => handle.join().unwrap_or_else(|_| Err("the fetch panicked".to_owned())),
                Err(error) => Err(format!("the OS refused a thread: {error}")),
            })
            .collect()
    })
}

/// One URL: connect, send the request, read until the server closes, parse; all within
/// `timeout`. Blocking calls have no deadline of their own, only timeouts, so each one is
/// given what is left of the fetch's time.
fn fetch(url: &Url, timeout: Duration) -> Result<Fetched, String> {
    let deadline = Instant::now() + timeout;
    let mut stream =
        TcpStream::connect_timeout(&url.addr, timeout).map_err(|e| failed("connect", &e, timeout))?;
    stream.set_write_timeout(Some(left(deadline, timeout)?)).map_err(|e| failed("write", &e, timeout))?;
    stream.write_all(&url.request()).map_err(|e| failed("write", &e, timeout))?;
    // The request says `Connection: close`: the response ends where the stream ends.
    let mut response = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        stream.set_read_timeout(Some(left(deadline, timeout)?)).map_err(|e| failed("read", &e, timeout))?;
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => response.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(failed("read", &e, timeout)),
        }
    }
    http::parse_response(&response)
}

/// What is left until `deadline`, or the timeout's error once it has passed (a timeout of
/// zero would mean "no timeout" to the socket).
fn left(deadline: Instant, timeout: Duration) -> Result<Duration, String> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() { Err(timed_out(timeout)) } else { Ok(left) }
}

/// A failed step of a fetch, in words: "connect: connection refused", "timed out after 10 s".
fn failed(step: &str, error: &io::Error, timeout: Duration) -> String {
    if matches!(error.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock) {
        return timed_out(timeout);
    }
    // "Connection refused (os error 111)" → "connection refused".
    let text = error.to_string();
    let text = text.split(" (os error").next().unwrap_or(&text);
    let mut chars = text.chars();
    let first = chars.next().map(|c| c.to_lowercase().collect::<String>()).unwrap_or_default();
    format!("{step}: {first}{}", chars.as_str())
}

/// The error of a fetch that ran out of time.
fn timed_out(timeout: Duration) -> String {
    if timeout.subsec_nanos() == 0 {
        format!("timed out after {} s", timeout.as_secs())
    } else {
        format!("timed out after {} ms", timeout.as_millis())
    }
}
