//! W15, the HTTP client fan-out: a thread per URL, each making one blocking exchange
//! (connect, write the request, read until the server closes). All the fetches overlap,
//! since a thread blocked on its socket costs only itself; the tutorial's
//! `asyncio.gather(*[fetch(url) for url in urls])`, with threads.

use std::thread;
use std::time::Duration;

use workloads::client::fetch;
use workloads::http::{Fetched, Url};

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
