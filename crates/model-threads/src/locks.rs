//! W10, a lock-protected counter: one thread per worker, all adding to one
//! `std::sync::Mutex<u64>`. Threads need no special mutex for either section: a thread that
//! waits while holding the lock blocks only the threads that want the lock, never a
//! scheduler.

use std::io;
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use workloads::locks::{LockOutcome, Section};

/// Starts `workers` threads that each add one to a shared counter `increments` times under
/// one mutex, holding it for `section`; returns the count and each thread's longest wait
/// for the lock.
///
/// Stresses: contention on one lock. std's `Mutex` spins briefly, then sleeps in the kernel
/// (a futex), and the unlock wakes one sleeper; it is *not* FIFO-fair: the thread that just
/// unlocked may take the lock again before the woken one runs, so one thread can wait much
/// longer than the others, which the longest waits show. Threads suit a short critical
/// section well; with many more threads than cores, a woken waiter must also wait for a core.
///
/// # Errors
/// The OS refused a thread; the threads already started are joined first.
pub fn locked_counter(workers: usize, increments: usize, section: Section) -> io::Result<LockOutcome> {
    // A plain `Mutex` in a local: scoped threads borrow it, so no `Arc` is needed.
    let counter = Mutex::new(0_u64);
    let longest_waits = thread::scope(|scope| {
        let mut handles = Vec::with_capacity(workers);
        for _ in 0..workers {
            let counter = &counter;
            // `Builder::spawn_scoped` returns the OS's refusal as an error; `spawn` would panic.
            handles.push(
                thread::Builder::new().spawn_scoped(scope, move || worker(counter, increments, section))?,
            );
        }
        Ok::<Vec<Duration>, io::Error>(
            handles.into_iter().map(|h| h.join().expect("a worker panicked")).collect(),
        )
    })?;
    // Every thread has been joined: nobody else can hold the lock now.
    let count = counter.into_inner().expect("a worker panicked holding the lock");
    Ok(LockOutcome { count, longest_waits })
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
            // A blocking wait inside the critical section: the OS may run another thread
            // now, but every thread that wants the lock stays blocked until this one is
            // back and lets go.
            thread::yield_now();
        }
        // The guard drops here, at the end of the iteration: that is the unlock.
    }
    longest
}
