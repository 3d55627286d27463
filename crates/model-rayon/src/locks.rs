//! W10, a lock-protected counter, on a pool: each worker is a job, all adding to one
//! `std::sync::Mutex<u64>`. Only as many jobs run at once as the pool has threads, so
//! only that many ever contend for the lock, however many workers the run asks for.

use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use workloads::locks::{LockOutcome, Section};

/// Runs `workers` jobs on the current pool that each add one to a shared counter
/// `increments` times under one mutex, holding it for `section`; returns the count and each
/// job's longest wait for the lock.
///
/// Stresses: contention on one lock, between the pool's threads. A job waiting for the
/// lock blocks its pool thread (rayon has no lock of its own that would let the thread run
/// other jobs meanwhile), and a job that waits while holding the lock blocks its thread and
/// every thread that wants the lock. That is tolerable only because the section is short:
/// rayon suits work that shares little, and a counter is better summed per job and reduced.
pub fn locked_counter(workers: usize, increments: usize, section: Section) -> LockOutcome {
    let counter = Mutex::new(0_u64);
    // An indexed parallel iterator's `collect` puts each job's result in its own slot.
    let longest_waits = (0..workers).into_par_iter().map(|_| worker(&counter, increments, section)).collect();
    // Every job has finished: nobody else can hold the lock now.
    let count = counter.into_inner().expect("a worker panicked holding the lock");
    LockOutcome { count, longest_waits }
}

/// One worker: `increments` times, take the lock, add one, (wait,) release. Returns the
/// longest it waited for the lock.
fn worker(counter: &Mutex<u64>, increments: usize, section: Section) -> Duration {
    let mut longest = Duration::ZERO;
    for _ in 0..increments {
        let asked = Instant::now();
        // `lock` fails only if another worker panicked while holding the lock.
        let mut count = counter.lock().expect("a worker panicked holding the lock");
        longest = longest.max(asked.elapsed());
        *count += 1;
        if section == Section::Waiting {
            // The OS thread's yield, not `rayon::yield_now`: rayon's would run another job
            // on this thread, and one that then asked for the lock this job holds would
            // deadlock (std's `Mutex` is not reentrant). The job keeps its pool thread
            // blocked meanwhile.
            thread::yield_now();
        }
        // The guard drops here, at the end of the iteration: that is the unlock.
    }
    longest
}
