//! W6, cancellation, on a pool: a job cannot be stopped from outside any more than a
//! thread can (a running job is a function call on a worker), so it checks a
//! [`CancelToken`] between slices of its work and returns by itself; returning drops its
//! resource.

use std::sync::Arc;
use std::sync::mpsc::{self, SyncSender};
use std::thread;
use std::time::{Duration, Instant};

use rayon::ThreadPool;
use workloads::cancellation::{self, CHECK_INTERVAL, CancelOutcome, CancelToken, Mechanism, hold_for};
use workloads::resource::Ledger;

/// `trials` times, one after another: spawn a job on `pool` that acquires a resource and
/// works, let it hold the resource for `hold`, cancel it, wait for it to finish, and note
/// how long the release took after the request.
///
/// Stresses: the same wake-up as the threads model (the job sleeps one [`CHECK_INTERVAL`]
/// at a time), on a pool worker rather than a fresh thread. The caller stays outside the
/// pool: if it waited inside a job (in `install`), it would block a worker, and with a
/// pool of one the cancelled job would never get to run.
pub fn cancellation(pool: &ThreadPool, trials: usize, hold: Duration) -> CancelOutcome {
    // A stamping ledger notes the time of every release, which is the end of a latency.
    let ledger = Ledger::stamping();
    let mut latencies = Vec::with_capacity(trials);
    for trial in 0..trials {
        latencies.push(cancel_one(pool, &ledger, hold_for(hold, trial)));
    }
    CancelOutcome {
        trials,
        // `cancel_one` returns only after its job has finished.
        joined: latencies.len(),
        latencies,
        live_after: ledger.live(),
        mechanism: Mechanism::Cooperative { check_every: CHECK_INTERVAL },
    }
}

/// One trial: spawn the job, cancel it once it has held its resource for `hold`, wait for
/// it to finish, and return the time from the request to the release.
fn cancel_one(pool: &ThreadPool, ledger: &Arc<Ledger>, hold: Duration) -> Duration {
    let token = CancelToken::new();
    // Capacity 1: neither signal ever waits for the caller to receive.
    let (holding, is_holding) = mpsc::sync_channel(1);
    let (finished, has_finished) = mpsc::sync_channel(1);
    // `spawn`, not `install`: it queues the job and returns at once, leaving the calling
    // thread free to wait. A spawned job must own what it uses (`'static`), hence the clones.
    pool.spawn({
        let (ledger, token) = (Arc::clone(ledger), token.clone());
        move || {
            hold_resource(&ledger, &token, holding);
            finished.send(()).expect("the caller waits for this");
        }
    });

    // Cancel only once the resource is held: a request that came before the acquire would
    // measure nothing.
    is_holding.recv().expect("the job died before acquiring");
    thread::sleep(hold);
    let requested = Instant::now();
    token.cancel();
    // A spawned job has no handle to join; its last act is to say it finished. (A job that
    // panics aborts the process, as rayon does with no panic handler, so this cannot hang.)
    has_finished.recv().expect("the job died before finishing");
    let released = ledger.take_release().expect("the job released its resource");
    released.saturating_duration_since(requested)
}

/// The job: acquire a resource, say so, then work in slices until cancelled (or until
/// [`cancellation::WORK`] has passed, far longer than any run).
fn hold_resource(ledger: &Arc<Ledger>, token: &CancelToken, holding: SyncSender<()>) {
    let _resource = ledger.acquire();
    holding.send(()).expect("the caller waits for this");
    let started = Instant::now();
    // The only points where the job can notice the request: between two slices.
    while !token.is_cancelled() && started.elapsed() < cancellation::WORK {
        thread::sleep(CHECK_INTERVAL);
    }
    // Returning drops `_resource`: its guard releases it (and stamps the time).
}
