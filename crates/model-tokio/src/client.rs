//! W15, the HTTP client: the tutorial's `fetch_multiple_urls`, every URL fetched at once,
//! one connection and one task each, the results in the order of the URLs.

use std::io;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use workloads::http::{self, Fetched, Url};

/// Fetches every URL of `urls` concurrently, each within `timeout`, and returns one result
/// per URL, in order. A URL that fails is an `Err` in words; the others are unaffected.
///
/// Stresses: many sockets waiting at once. tokio suits it: a fetch is a task that spends
/// nearly all its time waiting on the server, so a thousand of them are a thousand small
/// state machines and reactor entries, the tutorial's `asyncio.gather` on every core.
pub async fn fetch_all(urls: &[Url], timeout: Duration) -> Vec<Result<Fetched, String>> {
    // Spawn every fetch before awaiting any, or they would run one after another. Each
    // task owns its `Url` (`tokio::spawn` needs `'static` data). They are spawned right
    // here, from the caller's thread: a few hundred spawns are nothing beside the waits on
    // the network, unlike the tight loops of the compute chapter.
    let handles: Vec<_> = urls.iter().map(|url| tokio::spawn(fetch(url.clone(), timeout))).collect();
    // The handles in the order of the URLs: a fetch that finished early keeps its result
    // until its turn, so the order costs nothing.
    let mut results = Vec::with_capacity(handles.len());
    for handle in handles {
        results.push(handle.await.unwrap_or_else(|e| Err(format!("the fetch's task failed: {e}"))));
    }
    results
}

/// One URL: the whole exchange under one deadline, so a server that accepts and then says
/// nothing cannot hold the fetch forever.
async fn fetch(url: Url, timeout: Duration) -> Result<Fetched, String> {
    // `timeout` drops the exchange when the deadline passes, and with it the socket: a
    // timed-out fetch leaves nothing behind.
    match tokio::time::timeout(timeout, exchange(&url)).await {
        Ok(fetched) => fetched,
        Err(_elapsed) => Err(format!("timed out after {}", in_words(timeout))),
    }
}

/// Connect, send the request, read until the server closes (the request says
/// `Connection: close`), and read the response.
async fn exchange(url: &Url) -> Result<Fetched, String> {
    let mut stream = TcpStream::connect(url.addr).await.map_err(|e| format!("connect: {}", reason(&e)))?;
    stream.write_all(&url.request()).await.map_err(|e| format!("write: {}", reason(&e)))?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.map_err(|e| format!("read: {}", reason(&e)))?;
    http::parse_response(&response)
}

/// An I/O error in words, without the OS's error number: "connection refused".
fn reason(e: &io::Error) -> String {
    let text = e.to_string();
    let text = text.split(" (os error").next().unwrap_or(&text);
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| first.to_lowercase().chain(chars).collect())
}

/// A timeout in words: "10 s", or "250 ms" when it is not whole seconds.
fn in_words(timeout: Duration) -> String {
    if timeout.subsec_millis() == 0 {
        format!("{} s", timeout.as_secs())
    } else {
        format!("{} ms", timeout.as_millis())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_in_words() {
        let refused = io::Error::from_raw_os_error(111);
        assert_eq!(reason(&refused), "connection refused");
        assert_eq!(in_words(Duration::from_secs(10)), "10 s");
        assert_eq!(in_words(Duration::from_millis(250)), "250 ms");
    }
}
