//! W6, cancellation: a thread holds a resource and is asked to stop. A thread cannot be
//! stopped from outside (there is no safe way to kill one: it might hold a lock, or be
//! halfway through writing shared data), so it must check a [`CancelToken`] between
//! slices of its work and return by itself; returning drops its resource.

use std::io;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use crossbeam::channel::{self, Sender};
use workloads::cancellation::{self, CHECK_INTERVAL, CancelOutcome, CancelToken, Mechanism, hold_for};
use workloads::resource::Ledger;

/// `trials` times, one after another: start a thread that acquires a resource and works,
/// let it hold the resource for `hold`, cancel it, join it, and note how long the release
/// took after the request.
///
/// Stresses: the wake-up of a sleeping thread. The thread sleeps one
/// [`CHECK_INTERVAL`] at a time, so a request waits for the end of the current slice (half
/// a slice on average), plus the kernel's timer slack and the time to schedule the woken
/// thread. A shorter slice answers sooner but wakes the thread more often for nothing: that
/// trade-off is the price of cooperative cancellation.
///
/// # Errors
/// The OS refused a thread.
pub fn cancellation(trials: usize, hold: Duration) -> io::Result<CancelOutcome> {
    // A stamping ledger notes the time of every release, which is the end of a latency.
    let ledger = Ledger::stamping();
    let mut latencies = Vec::with_capacity(trials);
    for trial in 0..trials {
        latencies.push(cancel_one(&ledger, hold_for(hold, trial))?);
    }
    Ok(CancelOutcome {
        trials,
        // `cancel_one` returns only after joining its thread.
        joined: latencies.len(),
        latencies,
        live_after: ledger.live(),
        mechanism: Mechanism::Cooperative { check_every: CHECK_INTERVAL },
    })
}

/// One trial: start the worker, cancel it once it has held its resource for `hold`, join
/// it, and return the time from the request to the release.
fn cancel_one(ledger: &Arc<Ledger>, hold: Duration) -> io::Result<Duration> {
    let token = CancelToken::new();
    // Capacity 1: the worker's "I hold it" never waits for the caller to receive.
    let (holding, is_holding) = channel::bounded(1);
    let worker = thread::Builder::new().spawn({
        let (ledger, token) = (Arc::clone(ledger), token.clone());
        move || hold_resource(&ledger, &token, holding)
    })?;

    // Cancel only once the resource is held: a request that came before the acquire would
    // measure nothing.
    is_holding.recv().expect("the worker died before acquiring");
    thread::sleep(hold);
    let requested = Instant::now();
    token.cancel();
    // The join is what makes the cancellation complete: after it, nothing of the task runs.
    worker.join().expect("the worker panicked");
    let released = ledger.take_release().expect("the worker released its resource");
    Ok(released.saturating_duration_since(requested))
}

/// The task: acquire a resource, say so, then work in slices until cancelled (or until
/// [`cancellation::WORK`] has passed, far longer than any run).
fn hold_resource(ledger: &Arc<Ledger>, token: &CancelToken, holding: Sender<()>) {
    let _resource = ledger.acquire();
    holding.send(()).expect("the caller waits for this");
    let started = Instant::now();
    // The only points where the thread can notice the request: between two slices.
    while !token.is_cancelled() && started.elapsed() < cancellation::WORK {
        thread::sleep(CHECK_INTERVAL);
    }
    // Returning drops `_resource`: its guard releases it (and stamps the time).
}
