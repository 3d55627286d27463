//! W1, concurrent waits, on a pool: a waiting job blocks its worker, so only as many waits
//! overlap as there are workers, and N waits take ⌈N / workers⌉·D.

use std::thread;
use std::time::Duration;

use rayon::prelude::*;
use workloads::waits::WaitOutcome;

/// Runs `n` jobs that each wait `wait`, spread over the current pool, and sums them.
///
/// Stresses: nothing rayon is built for. rayon has no timer, so the wait can only be a
/// blocking `thread::sleep`, which holds a worker for its whole length: this is the
/// tutorial's "blocking the event loop" pitfall, in a pool. Shown as what not to do.
pub fn concurrent_waits(n: usize, wait: Duration) -> WaitOutcome {
    (0..n as u64)
        .into_par_iter()
        .map(|index| wait_then_return(index, wait))
        // Each worker folds its share into a partial outcome; `reduce` merges the partials.
        .fold(WaitOutcome::default, |mut outcome, index| {
            outcome.record(index);
            outcome
        })
        .reduce(WaitOutcome::default, WaitOutcome::merge)
}

/// One job: block the worker for `wait`, then hand back its index.
fn wait_then_return(index: u64, wait: Duration) -> u64 {
    thread::sleep(wait);
    index
}
