//! W15, the HTTP client fan-out, on a pool: one job per URL, each a blocking exchange
//! (connect, write the request, read until the server closes). rayon has no I/O of its own,
//! so a job waiting for its answer holds its worker: only as many fetches overlap as the
//! pool has workers, and N fetches of D take ⌈N / workers⌉·D. A fan-out bounded by the
//! pool's size, which is what a blocking call in a pool always gives.

use std::time::Duration;

use rayon::prelude::*;
use workloads::client::fetch;
use workloads::http::{Fetched, Url};

/// Fetches the URLs of `urls` as parallel jobs on the current pool, each within `timeout`;
/// returns one result per URL, in the order of `urls`.
///
/// Stresses: nothing rayon is built for: each job sleeps in the kernel until its answer
/// arrives, its worker idle. Order is free: an indexed parallel iterator's `collect` writes
/// each result into its own slot, whatever order the fetches ended in.
pub fn fetch_all(urls: &[Url], timeout: Duration) -> Vec<Result<Fetched, String>> {
    urls.par_iter().map(|url| fetch(url, timeout)).collect()
}
