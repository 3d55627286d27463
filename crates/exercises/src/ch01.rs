//! Solutions to the exercises of chapter 1 (tasks: waiting together, spawning, switching,
//! holding).
//!
//! - [`rayon_waits`]: W1 on a pool takes ⌈N/W⌉·D, a pool's worth of waits at a time.
//! - [`start_order`]: a spawned task does not run until its spawner reaches an `.await`.
//! - [`where_tasks_run`]: the future given to `block_on` runs on the caller's thread; spawned
//!   tasks run on the runtime's workers.
//! - [`mappings_per_thread`]: what an idle OS thread costs in memory mappings, and so how
//!   many threads one process can hold.
//!
//! `cargo test -p exercises ch01::` runs the checks in a few seconds.

use std::io;
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use rayon::{ThreadPoolBuildError, ThreadPoolBuilder};
use tokio::runtime::{Builder, Runtime};
use workloads::waits::WaitOutcome;

/// Exercise 1: W1 on a rayon pool of `workers` threads: the rayon model's own
/// `concurrent_waits`, run inside a pool built for the purpose. Returns what the waits
/// returned and the wall time.
///
/// Shows why rayon's W1 row reads ⌈N/W⌉·D: rayon has no timer, so each wait is a
/// `thread::sleep` that holds its worker, and a pool of W threads overlaps W waits at a
/// time. A pool of N threads overlaps them all: a thread per wait, the threads model by
/// another name.
///
/// # Errors
/// The OS refused the pool's threads.
pub fn rayon_waits(
    workers: usize,
    n: usize,
    wait: Duration,
) -> Result<(WaitOutcome, Duration), ThreadPoolBuildError> {
    let pool = ThreadPoolBuilder::new().num_threads(workers).build()?;
    let started = Instant::now();
    // `install` runs the closure in the pool, so the model's parallel iterator spreads its
    // waits over this pool's workers, not over the global pool's.
    let outcome = pool.install(|| model_rayon::waits::concurrent_waits(n, wait));
    Ok((outcome, started.elapsed()))
}

/// Exercise 2: when does a spawned task start? On a current-thread runtime, spawns `n` tasks
/// that each write their index into a shared log, reads the log at once, then again after
/// one `yield_now().await`. Returns the two readings.
///
/// Shows that `tokio::spawn`, like asyncio's `create_task`, only puts the task in the run
/// queue: on one thread nothing else runs until the running task reaches an `.await` that
/// gives the thread back. The first reading is empty; the second holds every index.
///
/// # Errors
/// The OS refused the runtime.
pub fn start_order(n: usize) -> io::Result<(Vec<usize>, Vec<usize>)> {
    let runtime = Builder::new_current_thread().build()?;
    Ok(runtime.block_on(async move {
        // `Arc<Mutex<_>>` although one thread runs everything: `tokio::spawn` requires `Send`
        // whatever the runtime (a `LocalSet` would take an `Rc<RefCell<_>>`).
        let log = Arc::new(Mutex::new(Vec::new()));
        for index in 0..n {
            let log = Arc::clone(&log);
            tokio::spawn(async move { log.lock().expect("no task panics holding the log").push(index) });
        }
        let before = log.lock().expect("no task panics holding the log").clone();
        // The one `.await` that gives the thread back: the runtime runs the tasks that are
        // ready before it resumes this one.
        tokio::task::yield_now().await;
        let after = log.lock().expect("no task panics holding the log").clone();
        (before, after)
    }))
}

/// Where each part of a program ran, by thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// The thread that called `block_on`.
    pub caller: ThreadId,
    /// The thread that polled the future given to `block_on`.
    pub block_on: ThreadId,
    /// The thread each spawned task ran on, in spawn order.
    pub tasks: Vec<ThreadId>,
}

/// Exercise 3: spawns `n` tasks from the future given to `block_on`, each reporting the
/// thread it ran on, and reports where everything ran.
///
/// Shows the split the tokio model works around (`Tokio::in_task`, and the consumer task of
/// W9): on the multi-thread runtime the future given to `block_on` runs on the caller's
/// own thread, which is not one of the workers, so every task it spawns runs on another
/// thread and every join is a wake-up across threads. On the current-thread runtime all of
/// it runs on the caller's thread.
pub fn where_tasks_run(runtime: &Runtime, n: usize) -> Placement {
    let caller = thread::current().id();
    runtime.block_on(async move {
        let block_on = thread::current().id();
        let handles: Vec<_> = (0..n).map(|_| tokio::spawn(async { thread::current().id() })).collect();
        let mut tasks = Vec::with_capacity(n);
        for handle in handles {
            tasks.push(handle.await.expect("a task panicked"));
        }
        Placement { caller, block_on, tasks }
    })
}

/// Exercise 4: how many memory mappings one idle thread adds to the process. Holds `n`
/// threads waiting on one gate with the threads model's own W4 (`idle_tasks`), counts the
/// process's mappings (the lines of `/proc/self/maps`) at the peak, and divides the growth
/// by `n`.
///
/// Shows why W4 finds a ceiling of about 16 000 threads: each thread maps its stack and a
/// guard page below it, and the standard library maps a second, small stack for the
/// thread's signal handler, again with a guard page. The kernel allows a process
/// `vm.max_map_count` mappings ([`map_count_limit`]), 65 530 by default.
///
/// # Errors
/// `/proc/self/maps` could not be read (not Linux), or the OS refused a thread.
pub fn mappings_per_thread(n: usize) -> io::Result<f64> {
    let before = mappings()?;
    let mut at_peak = None;
    let outcome = model_threads::idle::idle_tasks(n, &mut |_peak| at_peak = Some(mappings()));
    if let Some(error) = outcome.error {
        return Err(io::Error::other(error));
    }
    let at_peak = at_peak.expect("idle_tasks calls back at its peak")?;
    Ok(at_peak.saturating_sub(before) as f64 / n as f64)
}

/// The most memory mappings the kernel lets one process have: `vm.max_map_count`.
///
/// # Errors
/// `/proc/sys/vm/max_map_count` could not be read or parsed (not Linux).
pub fn map_count_limit() -> io::Result<usize> {
    let text = std::fs::read_to_string("/proc/sys/vm/max_map_count")?;
    text.trim().parse().map_err(io::Error::other)
}

/// The process's memory mappings now: one line of `/proc/self/maps` each.
fn mappings() -> io::Result<usize> {
    Ok(std::fs::read_to_string("/proc/self/maps")?.lines().count())
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// Ten waits of 50 ms take at least five rounds of the wait on a pool of 2 threads,
    /// and well under that on a pool of 10; both give the right answer.
    #[test]
    fn a_pool_overlaps_a_pools_worth_of_waits() {
        let (n, wait) = (10, Duration::from_millis(50));
        let (outcome, two) = rayon_waits(2, n, wait).expect("the pool starts");
        workloads::waits::check(n, &outcome).expect("every wait returned once");
        let rounds = wait * n.div_ceil(2) as u32;
        assert!(two >= rounds * 9 / 10, "{n} waits on 2 workers took only {two:?}");

        let (outcome, ten) = rayon_waits(n, n, wait).expect("the pool starts");
        workloads::waits::check(n, &outcome).expect("every wait returned once");
        assert!(ten < rounds / 2, "{n} waits on {n} workers took {ten:?}: not overlapped");
    }

    /// On a current-thread runtime, spawned tasks have not run when `spawn` returns; after
    /// one `yield_now().await` by the spawner, every one of them has.
    #[test]
    fn spawned_tasks_wait_for_an_await() {
        let (before, mut after) = start_order(5).expect("the runtime starts");
        assert!(before.is_empty(), "tasks ran before their spawner awaited: {before:?}");
        after.sort_unstable();
        assert_eq!(after, [0, 1, 2, 3, 4]);
    }

    /// On the multi-thread runtime, the future given to `block_on` runs on the caller's
    /// thread and the spawned tasks never do; they run on the two workers. On the
    /// current-thread runtime everything runs on the caller's thread.
    #[test]
    fn block_on_runs_on_the_caller_and_tasks_on_workers() {
        let multi = Builder::new_multi_thread().worker_threads(2).build().expect("the runtime starts");
        let placed = where_tasks_run(&multi, 100);
        assert_eq!(placed.block_on, placed.caller);
        assert!(placed.tasks.iter().all(|&t| t != placed.caller), "a task ran on the block_on thread");
        let workers: HashSet<ThreadId> = placed.tasks.iter().copied().collect();
        assert!(workers.len() <= 2, "100 tasks ran on {} threads, more than the 2 workers", workers.len());

        let single = Builder::new_current_thread().build().expect("the runtime starts");
        let placed = where_tasks_run(&single, 100);
        assert_eq!(placed.block_on, placed.caller);
        assert!(placed.tasks.iter().all(|&t| t == placed.caller), "a task left the runtime's one thread");
    }

    /// Every idle thread adds at least two mappings (a stack and its guard page), so the
    /// kernel's limit on mappings caps the threads one process can hold.
    #[test]
    fn each_thread_costs_mappings() {
        let per_thread = mappings_per_thread(200).expect("200 idle threads start");
        // A lower bound only: other tests of this crate may start threads at the same
        // time, which can only add mappings to the count.
        assert!(per_thread >= 2.0, "{per_thread} mappings per thread, fewer than a stack and its guard");
        let limit = map_count_limit().expect("Linux's vm.max_map_count");
        println!(
            "{per_thread:.2} mappings per thread: at most about {:.0} threads",
            limit as f64 / per_thread
        );
    }
}
