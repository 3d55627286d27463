//! W19, the blocking pitfall, on OS threads: a heartbeat thread, a thread that sends the
//! light requests (a new thread per request, the threads model's way of running a task),
//! and `stall.blockers` threads making blocking calls, one after another.
//!
//! The lesson is that nothing stalls. The kernel preempts threads: it takes the CPU from a
//! thread that has run its time slice, and a thread blocked in a sleep or a read gives it
//! up anyway, so a blocking call only ever blocks the thread that made it. The heartbeat
//! wakes on time even with every core busy in the blockers' CPU loops, because the
//! scheduler favours a thread that has been sleeping over one that has been computing.
//! There is no inline call to get wrong here, and nothing to offload to: every thread is
//! already its own.

use std::io;
use std::thread;
use std::time::{Duration, Instant};

use workloads::stall::{self, Stall, StallOutcome};

/// Runs the heartbeat, the light requests and the blocking threads together, each blocking
/// call made right in its thread; returns the heartbeat's lateness, the requests' latency
/// and the count of calls.
///
/// Stresses: the OS scheduler under load. With as many blockers as workers, every core may
/// be computing, and the heartbeat and each request thread must be given a core when they
/// wake: the kernel does so within a few microseconds to a millisecond, far under one 50 ms
/// call.
///
/// # Errors
/// The OS refused a thread; the threads already started are joined first.
pub fn inline(stall: &Stall) -> io::Result<StallOutcome> {
    let start = Instant::now();
    thread::scope(|scope| {
        let heartbeat = thread::Builder::new().name("heartbeat".into()).spawn_scoped(scope, || {
            let mut lateness = Vec::with_capacity(stall.ticks);
            for _ in 0..stall.ticks {
                let t = Instant::now();
                thread::sleep(stall.tick);
                // How much longer than the tick the sleep took: the time the thread waited
                // for a core after its timer fired (and the timer's own slack).
                lateness.push(t.elapsed().saturating_sub(stall.tick));
            }
            lateness
        })?;

        let requests = thread::Builder::new().name("requests".into()).spawn_scoped(scope, move || {
            let mut handles = Vec::with_capacity(stall.ticks);
            for i in 0..stall.ticks {
                let due = stall.request_due(start, i);
                // Sleep until the request is due (not for a fixed tick: a late wake-up must
                // not push every later request back).
                thread::sleep(due.saturating_duration_since(Instant::now()));
                // The request's task: a thread of its own that notes how long after its due
                // time it ran. It may start on another core while this thread sleeps.
                handles.push(thread::Builder::new().spawn_scoped(scope, move || due.elapsed())?);
            }
            // Joined in the order sent; the scope would join them anyway, but this collects
            // what each one measured.
            Ok::<Vec<Duration>, io::Error>(
                handles.into_iter().map(|h| h.join().expect("a request thread panicked")).collect(),
            )
        })?;

        let mut blockers = Vec::with_capacity(stall.blockers);
        for _ in 0..stall.blockers {
            blockers.push(thread::Builder::new().spawn_scoped(scope, || {
                // Start once the heartbeat is going.
                thread::sleep(stall.lead);
                let mut calls = 0;
                for _ in 0..stall.calls {
                    // Right here, on this thread: it blocks this thread and no other.
                    stall::block(stall.blocker, stall.block_for);
                    calls += 1;
                    // No yield between calls, unlike a task on an async runtime: the kernel
                    // switches threads whether or not this one offers to.
                }
                calls
            })?);
        }

        let calls = blockers.into_iter().map(|h| h.join().expect("a blocking thread panicked")).sum();
        Ok(StallOutcome {
            heartbeat: heartbeat.join().expect("the heartbeat panicked"),
            requests: requests.join().expect("the request thread panicked")?,
            calls,
        })
    })
}
