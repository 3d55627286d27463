//! W10, a lock-protected counter, without concurrency: the workers take turns, one after
//! another, on one `std::sync::Mutex<u64>`. Nobody ever waits for the lock, so this is the
//! price of an uncontended lock: the floor under every model's contended one.

use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use workloads::locks::{LockOutcome, Section};

/// Runs `workers` workers one after another; each adds one to a shared counter
/// `increments` times under one mutex, holding it for `section`. Returns the count and
/// each worker's longest wait for the lock.
///
/// Stresses: nothing but the lock itself: every `lock` finds it free and takes it with one
/// atomic operation, so each longest wait is just the slowest uncontended lock call (a
/// cache miss, an interrupt). With one thread the lock protects nothing, and sequential
/// code would not take it; it is here so that the concurrent models' figures have a floor.
pub fn locked_counter(workers: usize, increments: usize, section: Section) -> LockOutcome {
    let counter = Mutex::new(0_u64);
    let longest_waits = (0..workers).map(|_| worker(&counter, increments, section)).collect();
    let count = counter.into_inner().expect("a worker panicked holding the lock");
    LockOutcome { count, longest_waits }
}

/// One worker: `increments` times, take the lock, add one, (wait,) release. Returns the
/// longest it waited for the lock.
fn worker(counter: &Mutex<u64>, increments: usize, section: Section) -> Duration {
    let mut longest = Duration::ZERO;
    for _ in 0..increments {
        let asked = Instant::now();
        // `lock` fails only if a worker panicked while holding the lock.
        let mut count = counter.lock().expect("a worker panicked holding the lock");
        longest = longest.max(asked.elapsed());
        *count += 1;
        if section == Section::Waiting {
            // There is no other worker to yield to: the OS may run another process, then
            // this one carries on. What is left is the cost of the system call.
            thread::yield_now();
        }
        // The guard drops here, at the end of the iteration: that is the unlock.
    }
    longest
}
