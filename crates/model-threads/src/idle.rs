//! W4, idle threads: N threads alive and blocked, to see what one waiting thread costs.
//!
//! The limit: each thread takes about four memory mappings (stack, guard page, and the
//! signal stack the standard library adds), and the kernel allows 65 530 per process
//! (`vm.max_map_count`), so a process here starts about 16 000 threads. Past that, the
//! next `spawn` returns an error, and a thread that was already starting may find no room
//! for its signal stack, which makes the standard library abort the whole process. That is
//! why the probe runs this in a child process, and why the harness finds the limit by
//! bisection over fresh processes (`src/probe.rs`) rather than in one run.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use crossbeam::channel;
use workloads::idle::{IdleOutcome, Peak};

/// Starts up to `n` threads that each block on one shared gate; once they have all started
/// (or the OS refused one), calls `at_peak`, then opens the gate and joins them.
///
/// Stresses: memory, most of it outside the process's resident set: a kernel stack, the
/// kernel's task structures and page tables for every thread, on top of the touched pages
/// of its user stack.
pub fn idle_tasks(n: usize, at_peak: &mut dyn FnMut(&Peak)) -> IdleOutcome {
    // The gate: a channel nobody sends on. Every thread blocks in `recv`; dropping the only
    // sender closes the channel and wakes them all.
    let (open_gate, gate) = channel::bounded::<()>(1);
    let started = AtomicUsize::new(0);
    let mut outcome = IdleOutcome { requested: n, ..IdleOutcome::default() };

    // Scoped threads may borrow `gate` and `started` from this stack frame, no `Arc`
    // needed: the scope guarantees they are joined before the frame ends.
    thread::scope(|scope| {
        let mut handles = Vec::with_capacity(n);
        for _ in 0..n {
            let spawned = thread::Builder::new().spawn_scoped(scope, || {
                started.fetch_add(1, Ordering::Relaxed);
                // Err means "closed": the gate is open.
                let _ = gate.recv();
            });
            match spawned {
                Ok(handle) => handles.push(handle),
                Err(error) => {
                    outcome.error = Some(format!("thread {} refused: {error}", handles.len() + 1));
                    break;
                }
            }
        }
        outcome.started = handles.len();
        // Wait until every started thread is running and about to block.
        while started.load(Ordering::Relaxed) < outcome.started {
            thread::sleep(Duration::from_millis(1));
        }
        at_peak(&Peak { started: outcome.started, error: outcome.error.clone() });

        drop(open_gate);
        for handle in handles {
            handle.join().expect("an idle thread panicked");
            outcome.joined += 1;
        }
    });
    outcome
}
