//! W15, the HTTP client, without concurrency: the URLs fetched one after another, each a
//! blocking exchange (connect, write the request, read until the server closes). N fetches
//! take the sum of their times: the tutorial's sequential `for url in urls: fetch(url)`,
//! the baseline the concurrent fan-outs are measured against.

use std::time::Duration;

use workloads::client::fetch;
use workloads::http::{Fetched, Url};

/// Fetches the URLs of `urls` one after another, each within `timeout`; returns one result
/// per URL, in the order of `urls`.
///
/// Stresses: nothing but the fetches: the program waits for each answer in turn, idle, so
/// twenty URLs that each take 100 ms take two seconds.
pub fn fetch_all(urls: &[Url], timeout: Duration) -> Vec<Result<Fetched, String>> {
    urls.iter().map(|url| fetch(url, timeout)).collect()
}
