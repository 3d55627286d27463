//! W5, gather and as-completed: one thread per task, each sleeping its own duration. The
//! two differ only in how the results come back: by joining the handles in order, or
//! through a channel that every thread sends into as it finishes.

use std::io;
use std::thread;
use std::time::Duration;

use crossbeam::channel;
use workloads::gather::{GatherOutcome, task_value};

/// Starts one thread per entry of `durations`, then joins them in submission order, so the
/// values come back in that order whatever order the threads finished in
/// (`asyncio.gather`).
///
/// Stresses: thread creation and the kernel's timers, as in W1. Joining in order costs
/// nothing extra: a join on a thread that already ended returns at once, so the caller
/// waits only for the slowest thread. Threads suit this well up to a few thousand tasks.
///
/// # Errors
/// The OS refused a thread; the threads already started are joined first.
pub fn gather(durations: &[Duration]) -> io::Result<GatherOutcome> {
    // A scope joins every thread it started before it returns, even when `?` leaves early
    // because the OS refused one: no thread is left running behind an error.
    thread::scope(|scope| {
        let mut handles = Vec::with_capacity(durations.len());
        for (index, &wait) in durations.iter().enumerate() {
            // `Builder::spawn_scoped` returns the OS's refusal as an error; `spawn` would panic.
            handles.push(thread::Builder::new().spawn_scoped(scope, move || wait_then_return(index, wait))?);
        }
        let values = handles.into_iter().map(|h| h.join().expect("a gathered thread panicked")).collect();
        Ok(GatherOutcome { values })
    })
}

/// Starts the same threads, but hands each value back as soon as its thread finishes
/// (`asyncio.as_completed`): channel fan-in, every thread sending into one channel.
///
/// Stresses: the same as [`gather`], plus one wake-up of the caller per value: the caller
/// sleeps in the channel's `recv` and the finishing thread's `send` wakes it. The order is
/// decided by the kernel's timers, so it is the order of the durations, up to their jitter.
///
/// # Errors
/// The OS refused a thread; the threads already started are joined first.
pub fn as_completed(durations: &[Duration]) -> io::Result<GatherOutcome> {
    // Unbounded: a finishing thread never waits for the caller to take its value, so a
    // slow caller cannot hold threads alive (at most N values are ever queued).
    let (done, finished) = channel::unbounded();
    thread::scope(|scope| {
        let mut handles = Vec::with_capacity(durations.len());
        for (index, &wait) in durations.iter().enumerate() {
            let done = done.clone();
            handles.push(thread::Builder::new().spawn_scoped(scope, move || {
                // The caller holds the receiver until every sender is gone, so this cannot fail.
                done.send(wait_then_return(index, wait)).expect("the caller stopped receiving");
            })?);
        }
        // Drop the caller's own sender: the channel then closes when the last thread has
        // sent, which ends the loop below even if a thread died without sending.
        drop(done);
        // Arrival order is completion order: the values come out as the threads sent them.
        let values = finished.iter().collect();
        for handle in handles {
            handle.join().expect("a thread panicked");
        }
        Ok(GatherOutcome { values })
    })
}

/// One task: wait, then return its value. Blocking is fine here: the kernel runs the other
/// threads meanwhile.
fn wait_then_return(index: usize, wait: Duration) -> u64 {
    thread::sleep(wait);
    task_value(index)
}
