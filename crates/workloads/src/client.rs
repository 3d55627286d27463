//! W15's runtime-free parts: the blocking fetch that the models without a runtime share
//! (sequential, threads, rayon), and the error texts every client uses, so that a failed
//! or timed-out fetch reads the same whichever model made it.

use std::io::{self, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::http::{self, Fetched, Url};

/// One URL, blocking: connect, send the request, read until the server closes, parse; all
/// within `timeout`. Blocking calls have no deadline of their own, only timeouts, so each
/// one is given what is left of the fetch's time.
pub fn fetch(url: &Url, timeout: Duration) -> Result<Fetched, String> {
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

/// A failed step of a fetch, in words: "connect: connection refused", or "timed out after
/// 10 s" when the error is the socket's own timeout.
pub fn failed(step: &str, error: &io::Error, timeout: Duration) -> String {
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

/// The error of a fetch that ran out of time: "timed out after 10 s", or "timed out after
/// 250 ms" when `timeout` is not whole seconds.
pub fn timed_out(timeout: Duration) -> String {
    if timeout.subsec_nanos() == 0 {
        format!("timed out after {} s", timeout.as_secs())
    } else {
        format!("timed out after {} ms", timeout.as_millis())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_in_words() {
        let timeout = Duration::from_secs(10);
        let refused = io::Error::from_raw_os_error(111);
        assert_eq!(failed("connect", &refused, timeout), "connect: connection refused");
        let timed = io::Error::from(ErrorKind::TimedOut);
        assert_eq!(failed("read", &timed, timeout), "timed out after 10 s");
        assert_eq!(timed_out(timeout), "timed out after 10 s");
        assert_eq!(timed_out(Duration::from_millis(250)), "timed out after 250 ms");
    }
}
