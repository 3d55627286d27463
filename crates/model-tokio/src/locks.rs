//! W10, a lock-protected counter: W tasks each add one to a shared counter I times under a
//! lock, and note the longest they waited for it. The section decides the lock: a plain
//! `std::sync::Mutex` while it is never held across an `.await`, tokio's `Mutex` once it is.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::task::yield_now;
use workloads::locks::{LockOutcome, Section};

/// The shared counter, behind the lock that suits the section.
enum Counter {
    /// [`Section::Short`]: a `std::sync::Mutex`. The guard never lives across an `.await`,
    /// so no task is ever suspended holding it, and a blocking lock held for an addition
    /// costs less than an async one: tokio's docs (and mini-redis) recommend exactly this.
    Short(std::sync::Mutex<u64>),
    /// [`Section::Waiting`]: tokio's `Mutex`, whose guard may be held across an `.await`.
    /// A std guard there would block every worker thread that asks for the lock while its
    /// holder is suspended, and deadlock the current-thread runtime (`tokio::spawn` refuses
    /// it anyway: the std guard is not `Send`). tokio's `Mutex` is FIFO-fair: waiters get
    /// the lock in the order they asked, so no worker waits much longer than the others.
    Waiting(tokio::sync::Mutex<u64>),
}

/// Spawns `workers` tasks that each add one to one shared counter `increments` times under a
/// lock held for `section`, and returns the count and each worker's longest wait for the
/// lock.
///
/// Stresses: contention, and with the waiting section the lock's fairness and the cost of a
/// hand-off (each release wakes the next waiter). tokio suits both, with the right lock for
/// each: with the short section a worker's loop has no `.await`, so it runs its increments in
/// one poll and contends only with the other worker threads (on the current-thread runtime,
/// the workers simply take turns); with the waiting section the lock passes from task to
/// task in FIFO order.
pub async fn locked_counter(workers: usize, increments: usize, section: Section) -> LockOutcome {
    let counter = Arc::new(match section {
        Section::Short => Counter::Short(std::sync::Mutex::new(0)),
        Section::Waiting => Counter::Waiting(tokio::sync::Mutex::new(0)),
    });
    // Spawn every worker before awaiting any, so they all contend from the start.
    let mut handles = Vec::with_capacity(workers);
    for _ in 0..workers {
        handles.push(tokio::spawn(worker(Arc::clone(&counter), increments)));
    }
    let mut longest_waits = Vec::with_capacity(workers);
    for handle in handles {
        longest_waits.push(handle.await.expect("a worker panicked"));
    }
    // Every worker is joined, so nobody holds the lock any more.
    let count = match &*counter {
        Counter::Short(count) => *count.lock().expect("a worker panicked holding the lock"),
        Counter::Waiting(count) => *count.lock().await,
    };
    LockOutcome { count, longest_waits }
}

/// One worker: `increments` times, take the lock, add one (and, with the waiting section,
/// yield to the scheduler while still holding it), release. Returns its longest wait for
/// the lock, timed from just before the lock call to just after it returns.
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
                // The guard drops here, before any `.await`: none is in this loop.
            }
        }
        Counter::Waiting(count) => {
            for _ in 0..increments {
                let asked = Instant::now();
                // Not ready while another task holds the lock: this task then waits in the
                // mutex's queue, and its worker thread runs other tasks meanwhile.
                let mut count = count.lock().await;
                longest = longest.max(asked.elapsed());
                *count += 1;
                // The wait inside the section, with the guard alive. tokio's `yield_now`
                // resumes the task only once every other ready task has run (and the
                // driver has been polled), so every other worker asks for the lock and
                // queues behind it meanwhile.
                yield_now().await;
                // The guard drops here, handing the lock to the first task in the queue.
            }
        }
    }
    longest
}
