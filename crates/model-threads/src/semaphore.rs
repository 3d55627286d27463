//! W11, a semaphore for threads: neither the standard library nor crossbeam has one (std's
//! never left nightly: it was deprecated in Rust 1.7, then removed), so the permits are
//! tokens in a bounded crossbeam channel filled with K of them: taking a permit is a
//! `recv`, giving it back a `send`. A thread
//! that finds no token sleeps in `recv` until another thread sends one back, which is the
//! semaphore's wait, with no lock or condition variable of our own to get wrong.

use std::io;
use std::thread;
use std::time::Duration;

use crossbeam::channel::{self, Receiver, Sender};
use workloads::semaphore::{ChurnOutcome, Gauge, SemaphoreOutcome};

/// Starts `jobs` threads at once; each takes one of `permits` permits, waits `wait` holding
/// it (a blocking sleep), and gives it back. Returns the most jobs that held a permit at
/// once.
///
/// Stresses: the kernel's timers and wake-ups, as in W1: at most K threads sleep with a
/// permit, the rest sleep in `recv`, and each permit given back wakes one of them. Threads
/// suit this well: a blocked job costs only its own thread, and jobs that block (files,
/// blocking sockets) are exactly what a semaphore of threads rations.
///
/// # Errors
/// The OS refused a thread; the threads already started are joined first.
pub fn semaphore(jobs: usize, permits: usize, wait: Duration) -> io::Result<SemaphoreOutcome> {
    let gauge = Gauge::new();
    // One job per thread.
    let ran = run_jobs(jobs, permits, 1, wait, &gauge)?;
    Ok(SemaphoreOutcome { jobs: ran, most_at_once: gauge.most(), inside_after: gauge.inside() })
}

/// The permit's own cost: `workers` threads each take and give back one of `permits`
/// permits `rounds` times, with nothing but the gauge in between.
///
/// Stresses: the channel under contention. With more threads than permits (and than
/// cores), a `recv` often finds no token and sleeps, and the `send` that gives one back
/// must wake it: a futex system call and a switch, where a token that is there costs an
/// atomic operation or two.
///
/// # Errors
/// The OS refused a thread; the threads already started are joined first.
pub fn permit_churn(workers: usize, permits: usize, rounds: usize) -> io::Result<ChurnOutcome> {
    let gauge = Gauge::new();
    // `rounds` jobs per thread, with no wait: each permit is given straight back.
    let ran = run_jobs(workers, permits, rounds, Duration::ZERO, &gauge)?;
    Ok(ChurnOutcome { pairs: ran * rounds, most_at_once: gauge.most() })
}

/// A permit, as a token in the channel. It carries nothing (it is zero-sized, so the
/// channel copies no data): holding one is all that counts.
struct Permit;

/// Fills a channel with `permits` tokens, then starts `threads` threads at once that each
/// run `rounds` jobs of `wait`. Returns how many threads ran to their end.
fn run_jobs(
    threads: usize,
    permits: usize,
    rounds: usize,
    wait: Duration,
    gauge: &Gauge,
) -> io::Result<usize> {
    // Bounded to K: only K tokens ever exist, so a `send` never waits, and the bound says
    // so.
    let (give_back, take) = channel::bounded(permits);
    for _ in 0..permits {
        give_back.send(Permit).expect("the channel has room for every permit");
    }
    thread::scope(|scope| {
        let mut handles = Vec::with_capacity(threads);
        for _ in 0..threads {
            let (take, give_back) = (&take, &give_back);
            // `Builder::spawn_scoped` returns the OS's refusal as an error; `spawn` would panic.
            handles.push(thread::Builder::new().spawn_scoped(scope, move || {
                for _ in 0..rounds {
                    job(take, give_back, gauge, wait);
                }
            })?);
        }
        let mut ran = 0;
        for handle in handles {
            handle.join().expect("a job panicked");
            ran += 1;
        }
        Ok(ran)
    })
}

/// One job: take a permit (sleeping until one is free), wait `wait` holding it, give it back.
fn job(take: &Receiver<Permit>, give_back: &Sender<Permit>, gauge: &Gauge, wait: Duration) {
    // Both ends live until every job is joined, so neither call can find the channel closed.
    let permit = take.recv().expect("the permits outlive the jobs");
    gauge.enter();
    // A zero wait (churn) must cost nothing: skip the call rather than rely on what a
    // sleep of zero does.
    if !wait.is_zero() {
        thread::sleep(wait);
    }
    gauge.leave();
    give_back.send(permit).expect("the permits outlive the jobs");
}
