//! W10, a lock-protected counter: W tasks each add one to a shared counter I times under a
//! lock, and note the longest they waited for it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use smol::Executor;
use smol::future::yield_now;
use smol::lock::Mutex;
use workloads::locks::{LockOutcome, Section};

/// The shared counter, behind the lock its section calls for.
enum Counter {
    /// A short section never awaits with the lock held, so a plain `std::sync::Mutex` is
    /// right: it is held for nanoseconds, no task can be suspended while holding it, and it
    /// costs less than an async mutex (tokio's docs and mini-redis make the same choice).
    Short(std::sync::Mutex<u64>),
    /// A section that awaits with the lock held needs an async mutex: a waiting task parks
    /// and frees its thread. A `std::sync::Mutex` guard held across the yield would block
    /// whichever executor thread next ran a task wanting the lock, and with every thread so
    /// blocked, the holder could never be polled again to release it. (The compiler refuses
    /// it anyway: a `std` guard is not `Send`, so such a future cannot be spawned here.)
    Waiting(Mutex<u64>),
}

/// Spawns `workers` tasks that each add one to one counter `increments` times under a lock
/// held for `section`; returns the count and each task's longest wait for the lock.
///
/// Stresses: contention on one lock. With a short section at most one task per executor
/// thread runs at once, and a task never awaits, so each runs all its increments in one
/// poll and only the executor threads contend. With a waiting section every holder yields,
/// so all the tasks queue on the lock. smol's mutex (`async-lock`) is not FIFO-fair: a woken
/// waiter may lose the lock to a task that just asked, until it has starved for 0.5 ms and
/// the lock hands over fairly; the longest waits show it. Async suits the waiting section:
/// a task queued on the lock is a parked future, not a blocked thread.
pub async fn locked_counter(
    executor: &Executor<'static>,
    workers: usize,
    increments: usize,
    section: Section,
) -> LockOutcome {
    let counter = Arc::new(match section {
        Section::Short => Counter::Short(std::sync::Mutex::new(0)),
        Section::Waiting => Counter::Waiting(Mutex::new(0)),
    });
    // Spawn every worker before awaiting any, so they all contend from the start.
    let mut handles = Vec::with_capacity(workers);
    for _ in 0..workers {
        handles.push(executor.spawn(worker(Arc::clone(&counter), increments)));
    }
    let mut longest_waits = Vec::with_capacity(workers);
    for handle in handles {
        longest_waits.push(handle.await);
    }
    // Every worker is joined, so nobody holds the lock any more.
    let count = match &*counter {
        Counter::Short(count) => *count.lock().expect("a worker panicked holding the lock"),
        Counter::Waiting(count) => *count.lock().await,
    };
    LockOutcome { count, longest_waits }
}

/// One worker: add one `increments` times, timing each wait for the lock; returns the
/// longest.
async fn worker(counter: Arc<Counter>, increments: usize) -> Duration {
    let mut longest = Duration::ZERO;
    // Match once, outside the loop: each section's loop is then as plain as it looks.
    match &*counter {
        Counter::Short(count) => {
            for _ in 0..increments {
                let asked = Instant::now();
                // `lock` fails only if another worker panicked while holding the lock.
                let mut count = count.lock().expect("a worker panicked holding the lock");
                longest = longest.max(asked.elapsed());
                *count += 1;
            }
        }
        Counter::Waiting(count) => {
            for _ in 0..increments {
                let asked = Instant::now();
                // Pending while another task holds the lock: this task then parks on the
                // mutex's event listener, and its executor thread runs other tasks meanwhile.
                let mut count = count.lock().await;
                longest = longest.max(asked.elapsed());
                *count += 1;
                // Yield with the guard held: the task goes to the back of the executor's
                // queue and every other worker that runs meanwhile parks on the lock.
                yield_now().await;
            }
        }
    }
    longest
}
