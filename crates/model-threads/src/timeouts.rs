//! W7, timeouts: one thread per operation, each blocked in a call with a deadline. With
//! threads, a timeout only ends the *waiting*: work running on another thread would go on
//! unless it checked a token. Here the work is the blocking call itself, so giving up the
//! call abandons the work too.

use std::io;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use crossbeam::channel;
use workloads::resource::Ledger;
use workloads::timeouts::{GRACE, TimeoutOutcome};

/// Starts `n` threads at once; each runs an operation whose work takes `work`, waited on
/// with a deadline of `deadline`. Returns how late each one saw its timeout and how many
/// finished their work, counted once `work` (plus [`GRACE`]) has passed since the start.
///
/// Stresses: the kernel's timers: N sleeping threads each wait for their own deadline, and
/// the kernel wakes each one. Threads suit a few thousand blocking calls with timeouts
/// (`set_read_timeout`, `recv_timeout`); past that, thread creation dominates the run.
///
/// # Errors
/// The OS refused a thread; the threads already started are joined first.
pub fn timeouts(n: usize, deadline: Duration, work: Duration) -> io::Result<TimeoutOutcome> {
    let run_start = Instant::now();
    // Work in progress holds a resource from this ledger; work that reaches its end closes
    // it. After the run, none may be closed (finished) or still held (running).
    let ledger = Ledger::new();
    let results: Vec<Option<Duration>> = thread::scope(|scope| {
        let mut handles = Vec::with_capacity(n);
        for _ in 0..n {
            let ledger = &ledger;
            handles.push(
                thread::Builder::new()
                    .spawn_scoped(scope, move || op_with_deadline(deadline, work, ledger))?,
            );
        }
        Ok::<_, io::Error>(handles.into_iter().map(|h| h.join().expect("an operation panicked")).collect())
    })?;

    // Work left running would finish `work` after the start: wait past that before counting.
    thread::sleep((run_start + work + GRACE).saturating_duration_since(Instant::now()));
    let lateness: Vec<Duration> = results.into_iter().flatten().collect();
    Ok(TimeoutOutcome {
        ops: n,
        timed_out: lateness.len(),
        finished_work: ledger.closed(),
        live_after: ledger.live(),
        lateness,
    })
}

/// One operation: a blocking wait for work that answers after `work`, given up at
/// `deadline`. Returns how late it saw the timeout, or `None` when the work finished.
fn op_with_deadline(deadline: Duration, work: Duration, ledger: &Arc<Ledger>) -> Option<Duration> {
    let due = Instant::now() + deadline;
    // The work holds a resource while the operation waits for it, and closes it only if it
    // reaches its end; returning early drops (releases) it.
    let working = ledger.acquire();
    // The work: a timer channel that delivers once `work` has passed, standing in for a
    // blocking read. It needs no thread of its own: `recv_deadline` sleeps until the
    // earlier of the two instants.
    let answer = channel::after(work);
    // A blocking call with a deadline, like a socket's `set_read_timeout`. Its only error
    // is the timeout (an `after` channel never disconnects).
    match answer.recv_deadline(due) {
        Ok(_) => {
            working.close();
            None
        }
        // Dropping `answer` abandons the work: nothing is left to deliver it.
        Err(_) => Some(Instant::now().saturating_duration_since(due)),
    }
}
