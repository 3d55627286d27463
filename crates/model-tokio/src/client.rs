//! W15, the HTTP client: the tutorial's `fetch_multiple_urls`, every URL fetched at once,
//! one connection and one task each, the results in the order of the URLs.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use workloads::client::{failed, timed_out};
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
    match tokio::time::timeout(timeout, exchange(&url, timeout)).await {
        Ok(fetched) => fetched,
        Err(_elapsed) => Err(timed_out(timeout)),
    }
}

/// Connect, send the request, read until the server closes (the request says
/// `Connection: close`), and read the response. The deadline is the caller's; `timeout`
/// only names it in the error text.
async fn exchange(url: &Url, timeout: Duration) -> Result<Fetched, String> {
    let mut stream = TcpStream::connect(url.addr).await.map_err(|e| failed("connect", &e, timeout))?;
    stream.write_all(&url.request()).await.map_err(|e| failed("write", &e, timeout))?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.map_err(|e| failed("read", &e, timeout))?;
    http::parse_response(&response)
}
