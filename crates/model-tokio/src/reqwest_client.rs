//! The reference client, not a model's workload: W15's fan-out made with reqwest, the HTTP
//! client most Rust programs reach for (it stands on hyper's client), on the same tokio
//! runtime as [`crate::client`], with one task per URL under the same `tokio::time::timeout`,
//! the results in the order of the URLs. The model clients' figures are read against its
//! figure: how far an exchange of a few lines is from a complete client.
//!
//! What differs from [`crate::client`], whose [`fetch_all`](crate::client::fetch_all)
//! [`fan_out`] follows line for line:
//! - **A connection pool.** A [`Client`] keeps each connection once its response has been
//!   read, for the next request to the same host: HTTP/1.1 keep-alive. Its requests do not
//!   say `Connection: close`, so the server keeps the connection open, and a response ends
//!   where its `Content-Length` says, not where the stream ends. The hand-written clients
//!   open a connection per URL and read until the server closes it.
//! - **No reuse within one fan-out.** Every URL is requested at once, so when a request asks
//!   the pool for a connection none is idle yet, and the pool opens one per URL: N, as the
//!   hand-written clients do. reqwest caps neither the connections to a host nor the
//!   requests in flight (aiohttp's default connector allows 100 connections in all); its
//!   one limit is how many *idle* connections it keeps (see [`client`]). Reuse would start
//!   with a second fan-out on the same client. Each fan-out gets a client of its own
//!   ([`fetch_all`]), built and dropped within its time as the tutorial's
//!   `fetch_multiple_urls` opens and closes its `aiohttp.ClientSession`: each starts, as the
//!   hand-written ones do, with no connection, and ends, as theirs do, once every
//!   connection is closed, so a round's figure neither depends on what the previous
//!   fan-out left in the pool nor leaves its closing to the next one.
//! - **Two tasks per fetch.** hyper's client runs each connection's reads and writes in a
//!   task of its own, spawned on the runtime, and the request talks to it over a channel;
//!   the hand-written exchange reads and writes in the fetch's own task.
//! - **More work per request**: the URL parsed, headers in a map, hyper's state machine,
//!   the price of a client that also handles redirects, chunked bodies and proxies.

use std::error::Error;
use std::io;
use std::time::Duration;

use reqwest::Client;
use reqwest::redirect::Policy;
use tokio::runtime::Handle;
use workloads::Reference;
use workloads::client::{HTTP_CLIENT, failed, timed_out};
use workloads::http::{Fetched, Url};

/// The reference's column in the table, with its own words: it has a figure in the client
/// fan-out's row only.
pub const REFERENCE: Reference = Reference {
    id: "reqwest",
    workload: &HTTP_CLIENT,
    name: "reqwest (reference)",
    concurrency: "reqwest's pooled HTTP/1 client on tokio: the reference for the client fan-out",
    best_for: "Production HTTP clients: a complete, tested client with a connection pool",
    debugging: "As tokio, plus reqwest's and hyper's layers",
};

/// The client of one fan-out: reqwest's defaults, its pool among them, but no proxy and no
/// redirects, so that it sends the requests the hand-written clients send, to the same
/// server, and takes a 3xx as an answer as they do.
///
/// # Errors
/// reqwest could not set up its connector (without TLS it has nothing that can fail, but
/// the builder's signature allows it).
pub fn client() -> reqwest::Result<Client> {
    Client::builder()
        // The pool's limit on the connections it keeps idle for a host, once their
        // responses are read: reqwest's default, no limit, written out because it is the
        // pool's only size. It does not bound the connections open at once (nothing in
        // reqwest does unless a concurrency layer is put on its connector), so a fan-out of
        // N uses N connections, as every hand-written client does. A lower limit would only
        // close the connections past it as their responses end, instead of all of them when
        // the client is dropped after the fan-out; 0 turns the pool off.
        .pool_max_idle_per_host(usize::MAX)
        // Straight to the loopback server: a proxy named in the environment (`HTTP_PROXY`)
        // would otherwise carry every request.
        .no_proxy()
        // A redirect is an answer, as for the hand-written clients, not a second request.
        .redirect(Policy::none())
        .build()
}

/// W15's fan-out as the benchmark measures it, the tutorial's `fetch_multiple_urls` with
/// reqwest: a client of its own, every URL fetched at once ([`fan_out`]), then the client
/// dropped and its connections closed before it returns, as the hand-written clients'
/// connections are closed before theirs do.
///
/// # Errors
/// reqwest could not build its client, in words.
pub async fn fetch_all(urls: &[Url], timeout: Duration) -> Result<Vec<Result<Fetched, String>>, String> {
    let client = client().map_err(|e| format!("reqwest could not build its client: {e}"))?;
    let runtime = Handle::current().metrics();
    let before = runtime.num_alive_tasks();
    let results = fan_out(&client, urls, timeout).await;
    // Dropping the client drops its pool, which tells every idle connection to close; each
    // closes in its own task, after this line. Until those tasks have ended, the fan-out
    // is not over: a thousand connections take tens of milliseconds to close, which the
    // next thing measured on this runtime and on the server would pay otherwise. The
    // fetches' tasks have all ended, so the tasks started since `before` that are still
    // alive are the connections'.
    drop(client);
    let closed = async {
        while runtime.num_alive_tasks() > before {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    };
    // Bounded, in case something else started a task meanwhile: the answers are in anyway.
    let _ = tokio::time::timeout(timeout, closed).await;
    Ok(results)
}

/// Fetches every URL of `urls` concurrently with `client`, each within `timeout`, and
/// returns one result per URL, in order. A URL that fails is an `Err` in words, in the same
/// words as the hand-written clients'; the others are unaffected.
///
/// Stresses what [`crate::client::fetch_all`] does, many sockets waiting at once, plus
/// the client's own layers: this is the figure a Rust program that does not write its own
/// HTTP gets.
pub async fn fan_out(client: &Client, urls: &[Url], timeout: Duration) -> Vec<Result<Fetched, String>> {
    // As in `client::fetch_all`: every fetch spawned before any is awaited, one task per
    // URL. Each task owns a clone of the client, which is a handle on the one pool (an
    // `Arc` inside), not a copy of it.
    let handles: Vec<_> =
        urls.iter().map(|url| tokio::spawn(fetch(client.clone(), url.clone(), timeout))).collect();
    let mut results = Vec::with_capacity(handles.len());
    for handle in handles {
        results.push(handle.await.unwrap_or_else(|e| Err(format!("the fetch's task failed: {e}"))));
    }
    results
}

/// One URL: the whole exchange under one deadline, as in [`crate::client`]. reqwest has
/// timeouts of its own; the runtime's is used so that both clients time out the same way.
async fn fetch(client: Client, url: Url, timeout: Duration) -> Result<Fetched, String> {
    // A timed-out request is dropped, and with it its connection: hyper does not put a
    // connection whose response was not read to the end back in the pool.
    match tokio::time::timeout(timeout, exchange(&client, &url, timeout)).await {
        Ok(fetched) => fetched,
        Err(_elapsed) => Err(timed_out(timeout)),
    }
}

/// Send the request and read the response, body included. The deadline is the caller's;
/// `timeout` only names it in the error text.
async fn exchange(client: &Client, url: &Url, timeout: Duration) -> Result<Fetched, String> {
    // `send` takes an idle connection from the pool or opens one, writes the request, and
    // resolves once the response's head has arrived.
    let response = client.get(url.to_string()).send().await.map_err(|e| in_words("request", &e, timeout))?;
    let status = response.status().as_u16();
    // The body, read up to its `Content-Length` (hyper fails a body that ends short of it);
    // then the connection goes back to the pool.
    let body = response.bytes().await.map_err(|e| in_words("read", &e, timeout))?;
    Ok(Fetched { status, length: body.len() })
}

/// A failed step of a fetch in the hand-written clients' words ([`failed`]): reqwest wraps
/// the OS's error in hyper's, so the innermost error is the one they would have reported,
/// e.g. "connect: connection refused".
fn in_words(step: &str, error: &reqwest::Error, timeout: Duration) -> String {
    let step = if error.is_connect() { "connect" } else { step };
    let mut innermost: &(dyn Error + 'static) = error;
    while let Some(source) = innermost.source() {
        if let Some(os) = source.downcast_ref::<io::Error>() {
            return failed(step, os, timeout);
        }
        innermost = source;
    }
    // No error of the OS below it (hyper found the response malformed, say): its own words.
    format!("{step}: {innermost}")
}

#[cfg(test)]
mod tests {
    use std::net::{Ipv4Addr, SocketAddr, TcpListener};
    use std::sync::Arc;
    use std::time::Instant;

    use workloads::http::{self, Connections, Stop};

    use super::*;

    /// reqwest's fan-out against the workspace's own tokio server on loopback: every `/slow`
    /// URL answered and passing W15's check, the fetches overlapping, a refused URL and a
    /// missing page an error in words and a 404 without failing the batch, and every
    /// connection closed by the time it returns.
    #[test]
    fn a_fan_out_passes_the_workloads_check() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("the runtime starts");
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("listen on loopback");
        let addr = listener.local_addr().expect("the listener's address");
        let stop = Stop::new(addr);
        let connections = Connections::new(http::MAX_CONNECTIONS);
        let served = runtime.spawn({
            let (connections, stop) = (Arc::clone(&connections), stop.clone());
            async move { crate::server::serve(listener, &connections, &stop).await }
        });

        // Once it has answered, the server's accept loop is running, so the tasks that start
        // during the fan-out are the connections', the server's and the client's, which all
        // end once the connections are closed: what `fetch_all` waits for, counting tasks.
        let hello = workloads::client::fetch(&Url { addr, path: "/".to_owned() }, Duration::from_secs(10));
        assert_eq!(hello.map(|f| f.status), Ok(200));

        let (delay, n) = (Duration::from_millis(100), 20);
        let mut urls = workloads::client::urls(addr, delay, n);
        // Port 1 (tcpmux), where nothing listens: refused at once.
        urls.push(Url { addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 1)), path: "/".to_owned() });
        urls.push(Url { addr, path: "/missing".to_owned() });
        let start = Instant::now();
        let results =
            runtime.block_on(fetch_all(&urls, Duration::from_secs(10))).expect("reqwest builds a client");
        let took = start.elapsed();
        // The server's connections, on this runtime too, closed as the client's did.
        assert_eq!(connections.outcome().open, 0, "connections left open by the fan-out");

        assert_eq!(results.len(), n + 2);
        workloads::client::check(delay, n, &results[..n]).expect("every /slow URL answered");
        let refused = &results[n];
        assert!(refused.as_ref().is_err_and(|e| e.starts_with("connect: ")), "{refused:?}");
        assert_eq!(results[n + 1].as_ref().map(|f| f.status), Ok(404));
        // One after another, the 20 waits would take 2 s; overlapped, about 100 ms.
        assert!(took < delay * n as u32 / 2, "the fetches did not overlap ({took:?})");

        stop.stop();
        let stopped = runtime.block_on(async { tokio::time::timeout(Duration::from_secs(30), served).await });
        stopped.expect("the server stops within 30 s").expect("the server's task").expect("the server");
    }
}
