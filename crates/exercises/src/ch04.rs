//! Solutions to the exercises of chapter 4 (an HTTP client: fetching many URLs at once).
//!
//! - [`fetch_limited`]: the fan-out with at most K connections open at once, each URL's
//!   failure its own `Err` (aiohttp's `TCPConnector(limit=K)`, or a semaphore).
//! - [`first_answer`]: the first URL to answer wins, and the other fetches are cancelled.
//! - [`sequential_and_concurrent`]: the same fan-out one URL after another and all at once,
//!   timed: the speedup the tutorial promises, on a real socket.
//!
//! The tests serve the URLs with the workspace's own tokio server on loopback, as the
//! benchmark does. `cargo test -p exercises ch04::` runs them in a few seconds.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::runtime::Builder;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use workloads::client::{failed, timed_out};
use workloads::http::{self, Fetched, Url};

/// One URL under one deadline: connect, send the request, read until the server closes,
/// parse; the same exchange as the tokio model's client.
async fn fetch(url: Url, timeout: Duration) -> Result<Fetched, String> {
    let exchange = async {
        let mut stream = TcpStream::connect(url.addr).await.map_err(|e| failed("connect", &e, timeout))?;
        stream.write_all(&url.request()).await.map_err(|e| failed("write", &e, timeout))?;
        // The request says `Connection: close`: the response ends where the stream ends.
        let mut response = Vec::new();
        stream.read_to_end(&mut response).await.map_err(|e| failed("read", &e, timeout))?;
        http::parse_response(&response)
    };
    // On the deadline, `timeout` drops the exchange, and with it the socket.
    tokio::time::timeout(timeout, exchange).await.unwrap_or_else(|_elapsed| Err(timed_out(timeout)))
}

/// Exercise 1: fetches every URL, at most `limit` at once, each within `timeout` once it
/// has its turn; one result per URL, in order, a failure being that URL's `Err` in words.
///
/// Shows the fan-out a server can take: every task is spawned at once, as in W15, but a
/// semaphore lets only `limit` of them connect at a time (what aiohttp's
/// `TCPConnector(limit=...)` does for the tutorial's session). N URLs of D then take about
/// ⌈N/K⌉·D. The deadline starts after the permit, so waiting for a turn is not counted
/// against a URL.
pub async fn fetch_limited(urls: &[Url], limit: usize, timeout: Duration) -> Vec<Result<Fetched, String>> {
    let permits = Arc::new(Semaphore::new(limit));
    let handles: Vec<_> = urls
        .iter()
        .map(|url| {
            let (url, permits) = (url.clone(), Arc::clone(&permits));
            tokio::spawn(async move {
                // Held for the whole exchange; dropped (given back) when the task ends.
                let _permit = permits.acquire().await.expect("the semaphore is never closed");
                fetch(url, timeout).await
            })
        })
        .collect();
    let mut results = Vec::with_capacity(handles.len());
    for handle in handles {
        results.push(handle.await.unwrap_or_else(|e| Err(format!("the fetch's task failed: {e}"))));
    }
    results
}

/// Exercise 2: fetches every URL at once and returns the first to answer successfully (its
/// index and what came back), or `None` if every one failed. The fetches still running are
/// cancelled.
///
/// Shows cancellation doing real work: returning drops the `JoinSet`, which aborts every
/// task still in it; each aborted fetch is dropped where it waited, and dropping it closes
/// its socket. A slow server is left with nobody to answer.
pub async fn first_answer(urls: &[Url], timeout: Duration) -> Option<(usize, Fetched)> {
    let mut fetches = JoinSet::new();
    for (index, url) in urls.iter().enumerate() {
        let url = url.clone();
        fetches.spawn(async move { (index, fetch(url, timeout).await) });
    }
    // In the order they finish; a failed fetch just lets the next one have its chance.
    while let Some(joined) = fetches.join_next().await {
        if let Ok((index, Ok(fetched))) = joined {
            return Some((index, fetched));
        }
    }
    None
}

/// Exercise 3: fetches `n` URLs of `/slow?delay=D` from the server at `addr` with the
/// sequential model's client, then with the tokio model's, and returns the two wall times.
///
/// Shows the tutorial's promise on a real socket: one after another, N waits of D take
/// N·D; overlapped, about D. Their ratio is the speedup.
///
/// # Panics
/// If a fetch failed or came back wrong (W15's check), or the runtime could not start.
pub fn sequential_and_concurrent(addr: SocketAddr, n: usize, delay: Duration) -> (Duration, Duration) {
    let urls = workloads::client::urls(addr, delay, n);
    let timeout = Duration::from_secs(10);

    let started = Instant::now();
    let results = model_sequential::client::fetch_all(&urls, timeout);
    let sequential = started.elapsed();
    workloads::client::check(delay, n, &results).expect("every URL answered");

    let runtime = Builder::new_current_thread().enable_all().build().expect("the runtime starts");
    let started = Instant::now();
    let results = runtime.block_on(model_tokio::client::fetch_all(&urls, timeout));
    let concurrent = started.elapsed();
    workloads::client::check(delay, n, &results).expect("every URL answered");
    (sequential, concurrent)
}

#[cfg(test)]
mod tests {
    use std::net::{Ipv4Addr, TcpListener};

    use tokio::runtime::Runtime;
    use tokio::task::JoinHandle;
    use workloads::NotRun;
    use workloads::http::{Connections, Stop};

    use super::*;

    /// The workspace's tokio server on a loopback port of its own, on a runtime of its own,
    /// stopped when dropped.
    struct Server {
        runtime: Runtime,
        addr: SocketAddr,
        stop: Stop,
        served: Option<JoinHandle<Result<(), NotRun>>>,
    }

    impl Server {
        fn start() -> Server {
            let runtime = Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("the runtime starts");
            let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("listen on loopback");
            let addr = listener.local_addr().expect("the listener's address");
            let stop = Stop::new(addr);
            let connections = Connections::new(http::MAX_CONNECTIONS);
            let served = runtime.spawn({
                let stop = stop.clone();
                async move { model_tokio::server::serve(listener, &connections, &stop).await }
            });
            Server { runtime, addr, stop, served: Some(served) }
        }

        fn url(&self, delay_ms: u64) -> Url {
            Url { addr: self.addr, path: http::slow_path(delay_ms) }
        }
    }

    impl Drop for Server {
        fn drop(&mut self) {
            self.stop.stop();
            if let Some(served) = self.served.take() {
                // Bounded: a server that did not stop fails the test instead of hanging it.
                let stopped = self
                    .runtime
                    .block_on(async { tokio::time::timeout(Duration::from_secs(30), served).await });
                if !std::thread::panicking() {
                    stopped.expect("the server stops").expect("the server's task").expect("the server");
                }
            }
        }
    }

    /// The client's runtime: a runtime of its own, not the server's, as a real client would
    /// be. (Not `#[tokio::test]`: the server's runtime could not be stopped from inside it.)
    fn client() -> Runtime {
        Builder::new_current_thread().enable_all().build().expect("the runtime starts")
    }

    /// Port 1 on loopback, where nothing listens: a connection there is refused at once.
    fn refused() -> Url {
        Url { addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 1)), path: "/".to_owned() }
    }

    /// Eight URLs of 100 ms, two at a time, take at least four rounds of the delay; every
    /// one passes W15's check, and a refused URL is one `Err` that fails nothing else.
    #[test]
    fn a_limited_fan_out_takes_its_turns() {
        let server = Server::start();
        let (n, limit, delay) = (8, 2, Duration::from_millis(100));
        let mut urls = workloads::client::urls(server.addr, delay, n);
        urls.push(refused());
        let started = Instant::now();
        let results = client().block_on(fetch_limited(&urls, limit, Duration::from_secs(10)));
        let took = started.elapsed();
        workloads::client::check(delay, n, &results[..n]).expect("every /slow URL answered");
        assert!(results[n].as_ref().is_err_and(|e| e.starts_with("connect: ")), "{:?}", results[n]);
        let rounds = n.div_ceil(limit) as u32;
        assert!(took >= delay * rounds * 9 / 10, "{n} URLs {limit} at a time took only {took:?}");
    }

    /// Of a URL that answers after 1 s, one after 50 ms and one refused, the 50 ms one wins,
    /// and `first_answer` returns without waiting for the slow one.
    #[test]
    fn the_first_answer_wins_and_the_rest_are_cancelled() {
        let server = Server::start();
        let urls = [server.url(1_000), server.url(50), refused()];
        let started = Instant::now();
        let answer = client().block_on(first_answer(&urls, Duration::from_secs(10)));
        let (index, fetched) = answer.expect("one URL answers");
        let took = started.elapsed();
        assert_eq!(index, 1);
        assert_eq!(fetched.status, 200);
        assert!(took < Duration::from_secs(1), "waited {took:?}, as long as the slow URL");
    }

    /// Ten URLs of 100 ms take at least 0.9 s one after another, and under half that all at
    /// once: the fan-out overlaps the waits.
    #[test]
    fn the_fan_out_overlaps_the_waits() {
        let server = Server::start();
        let (n, delay) = (10, Duration::from_millis(100));
        let (sequential, concurrent) = sequential_and_concurrent(server.addr, n, delay);
        let one_after_another = delay * n as u32;
        assert!(sequential >= one_after_another * 9 / 10, "sequential took only {sequential:?}");
        assert!(concurrent < one_after_another / 2, "concurrent took {concurrent:?}: no overlap");
        println!("speedup: ×{:.1}", sequential.as_secs_f64() / concurrent.as_secs_f64());
    }
}
