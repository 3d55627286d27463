//! Solutions to the exercises of chapter 06 (pitfalls: blocking the event loop).
//!
//! The tutorial's three pitfalls, each made to happen and then fixed, on a tokio
//! current-thread runtime: one thread, as asyncio's event loop, so that a blocked thread
//! blocks everything and the effect is a fact rather than a matter of luck.
//!
//! - [`concurrent_waits_blocking`]: W1 with `std::thread::sleep`, which serialises the waits.
//! - [`heartbeat_beside_a_call`]: a heartbeat beside one blocking CPU call, inline or offloaded.
//! - [`forgotten_await`]: a future that is never awaited runs nothing; a spawned task runs.
//! - [`cancel_holding_a_resource`]: clean-up written after an `.await` is skipped on cancel;
//!   clean-up in `Drop` is not.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::runtime::{Builder, Runtime};
use tokio::sync::oneshot;
use workloads::stall::{self, Blocker};
use workloads::waits::WaitOutcome;

/// The runtime of every exercise here: tokio's current-thread runtime, with its timer.
fn one_thread() -> io::Result<Runtime> {
    Builder::new_current_thread().enable_all().build()
}

/// W1 with the pitfall: starts `n` tasks that each wait `wait` with `std::thread::sleep`,
/// then joins them all, on one thread. Returns the outcome and the time it took.
///
/// The same code as `crates/model-tokio/src/waits.rs`, one line changed: the sleep. It
/// never reaches an `.await` while it waits, so the runtime cannot run another task; the
/// waits run one after another and the whole takes `n` × `wait`, the sequential model's time.
///
/// # Errors
/// The runtime could not be built.
pub fn concurrent_waits_blocking(n: usize, wait: Duration) -> io::Result<(WaitOutcome, Duration)> {
    let runtime = one_thread()?;
    let start = Instant::now();
    let outcome = runtime.block_on(async {
        let mut handles = Vec::with_capacity(n);
        for index in 0..n {
            handles.push(tokio::spawn(wait_then_return_blocking(index as u64, wait)));
        }
        let mut outcome = WaitOutcome::default();
        for handle in handles {
            outcome.record(handle.await.expect("a waiting task panicked"));
        }
        outcome
    });
    Ok((outcome, start.elapsed()))
}

/// One task of [`concurrent_waits_blocking`]: an `async fn` that never awaits. The compiler
/// accepts it; nothing warns that the sleep holds the thread.
async fn wait_then_return_blocking(index: u64, wait: Duration) -> u64 {
    std::thread::sleep(wait);
    index
}

/// The fix, for comparison: the model's own W1 (`tokio::time::sleep`) on the same kind of
/// runtime. Returns the outcome and the time it took.
///
/// # Errors
/// The runtime could not be built.
pub fn concurrent_waits_timer(n: usize, wait: Duration) -> io::Result<(WaitOutcome, Duration)> {
    let runtime = one_thread()?;
    let start = Instant::now();
    let outcome = runtime.block_on(model_tokio::waits::concurrent_waits(n, wait));
    Ok((outcome, start.elapsed()))
}

/// Where [`heartbeat_beside_a_call`] makes its blocking call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Where {
    /// Right in the task, on the runtime's thread: the pitfall.
    Inline,
    /// `tokio::task::spawn_blocking`: tokio's pool for calls that wait. It works for a
    /// computation too, but that pool grows to 512 threads, so a burst of computations
    /// there would run on far more threads than cores.
    SpawnBlocking,
    /// A rayon pool sized to the cores, the result awaited on a oneshot
    /// ([`model_tokio::offload`]): what chapter 6 advises for CPU work.
    CpuPool,
}

/// What the heartbeat saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Observed {
    /// Heartbeat ticks that woke while the blocking call was running.
    pub ticks_during_call: usize,
    /// The most any tick woke late, past its 1 ms.
    pub max_lateness: Duration,
}

/// The heartbeat's period.
const TICK: Duration = Duration::from_millis(1);

/// Runs a heartbeat (sleep 1 ms, note when it woke, again) and, once it is going, one
/// blocking CPU call of `call` ([`stall::block`], the W19 workload's own) made as `place`
/// says; returns what the heartbeat saw while the call ran.
///
/// Inline, the heartbeat's thread is inside the call: no tick can wake until it returns,
/// and the tick that was sleeping when it began wakes about `call` late. Offloaded, the
/// thread is free and the heartbeat goes on ticking.
///
/// # Errors
/// The runtime or the CPU pool could not be built.
pub fn heartbeat_beside_a_call(place: Where, call: Duration) -> io::Result<Observed> {
    let runtime = one_thread()?;
    let cpu = rayon::ThreadPoolBuilder::new().num_threads(1).build().map_err(io::Error::other)?;
    runtime.block_on(async move {
        let done = Arc::new(AtomicBool::new(false));
        let heartbeat = tokio::spawn({
            let done = Arc::clone(&done);
            async move {
                let (mut woke, mut latest) = (Vec::new(), Duration::ZERO);
                while !done.load(Ordering::Acquire) {
                    let asleep = Instant::now();
                    tokio::time::sleep(TICK).await;
                    let now = Instant::now();
                    latest = latest.max(now.duration_since(asleep).saturating_sub(TICK));
                    woke.push(now);
                }
                (woke, latest)
            }
        });
        // Let the heartbeat start ticking before the call.
        tokio::time::sleep(TICK * 10).await;
        let start = Instant::now();
        match place {
            Where::Inline => {
                stall::block(Blocker::Cpu, call);
            }
            Where::SpawnBlocking => {
                tokio::task::spawn_blocking(move || stall::block(Blocker::Cpu, call))
                    .await
                    .expect("the call panicked");
            }
            Where::CpuPool => {
                model_tokio::offload(&cpu, move || stall::block(Blocker::Cpu, call)).await;
            }
        }
        let end = Instant::now();
        // A few more ticks, so that the tick the call held up has woken and been counted.
        tokio::time::sleep(TICK * 10).await;
        done.store(true, Ordering::Release);
        let (woke, max_lateness) = heartbeat.await.expect("the heartbeat panicked");
        let ticks_during_call = woke.iter().filter(|&&t| t > start && t < end).count();
        Ok(Observed { ticks_during_call, max_lateness })
    })
}

/// How often the body of an `async fn` ran, after each of three ways of calling it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Forgotten {
    /// After calling it and dropping the future it returned, never awaited.
    pub not_awaited: usize,
    /// After also awaiting a second call.
    pub awaited: usize,
    /// After also spawning a third call and dropping its `JoinHandle`.
    pub spawned: usize,
}

/// An `async fn` whose body counts that it ran.
async fn bump(runs: Arc<AtomicUsize>) {
    runs.fetch_add(1, Ordering::Relaxed);
}

/// The tutorial's first pitfall, forgetting `await`: calls an `async fn` three ways and
/// counts how many times its body ran.
///
/// Calling an `async fn` builds a future and runs nothing; dropped unpolled, it never runs
/// (the compiler warns about an unused one: futures are `#[must_use]`). Awaited, it runs.
/// Spawned, it runs even when its `JoinHandle` is dropped: dropping the handle detaches the
/// task, it does not cancel it. (asyncio differs here: the loop keeps only a weak reference
/// to a task, so one nobody holds may be garbage-collected before it finishes.)
///
/// # Errors
/// The runtime could not be built.
pub fn forgotten_await() -> io::Result<Forgotten> {
    let runtime = one_thread()?;
    let runs = Arc::new(AtomicUsize::new(0));
    Ok(runtime.block_on(async {
        let future = bump(Arc::clone(&runs));
        // The forgotten `.await`: built, then dropped, never polled.
        drop(future);
        let not_awaited = runs.load(Ordering::Relaxed);
        bump(Arc::clone(&runs)).await;
        let awaited = runs.load(Ordering::Relaxed);
        drop(tokio::spawn(bump(Arc::clone(&runs))));
        // The detached task runs when this one lets the thread go; bounded, in case it never does.
        let deadline = Instant::now() + Duration::from_secs(5);
        while runs.load(Ordering::Relaxed) == awaited && Instant::now() < deadline {
            tokio::task::yield_now().await;
        }
        Forgotten { not_awaited, awaited, spawned: runs.load(Ordering::Relaxed) }
    }))
}

/// Where a task's clean-up is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cleanup {
    /// As a statement after the `.await`: skipped when the task is cancelled at that await,
    /// as Python code is that catches `CancelledError` too narrowly or not at all.
    AfterTheAwait,
    /// In the `Drop` of a guard the task holds: run whenever the task's future is dropped,
    /// finished or cancelled (Python's `finally`, or `async with`).
    InDrop,
}

/// One open resource, counted in `open` until its guard is dropped.
struct Guard {
    open: Arc<AtomicUsize>,
}

impl Guard {
    /// Opens a resource: counts it, and returns the guard that releases it.
    fn open(open: &Arc<AtomicUsize>) -> Guard {
        open.fetch_add(1, Ordering::AcqRel);
        Guard { open: Arc::clone(open) }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.open.fetch_sub(1, Ordering::AcqRel);
    }
}

/// How long the task waits while it holds its resource: far longer than the test, so that
/// only a cancel ends the wait.
const SLOW_REPLY: Duration = Duration::from_secs(60);

/// The pitfall: the release is a line after the `.await`.
async fn release_after_the_await(open: Arc<AtomicUsize>, opened: oneshot::Sender<()>) {
    open.fetch_add(1, Ordering::AcqRel);
    let _ = opened.send(());
    tokio::time::sleep(SLOW_REPLY).await;
    // Never reached when the task is cancelled at the await above.
    open.fetch_sub(1, Ordering::AcqRel);
}

/// The fix: the release is the guard's `Drop`, which runs however the future ends.
async fn release_in_drop(open: Arc<AtomicUsize>, opened: oneshot::Sender<()>) {
    let _guard = Guard::open(&open);
    let _ = opened.send(());
    tokio::time::sleep(SLOW_REPLY).await;
}

/// What cancelling the task left behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AfterCancel {
    /// The task's `JoinHandle` reported it cancelled.
    pub cancelled: bool,
    /// Resources still open after the task was cancelled: 1 is a leak.
    pub still_open: usize,
}

/// The tutorial's third pitfall, not handling cancellation: a task opens a resource, waits
/// (standing for a slow reply), then releases it, with its clean-up written as `cleanup`
/// says. The task is aborted while it waits.
///
/// In Rust a cancelled task is a dropped future: it stops at the `.await` it was parked on
/// and nothing after that line runs, so clean-up written after the await is skipped and the
/// resource leaks. A guard's `Drop` runs as the future is dropped, so the resource is
/// released either way.
///
/// # Errors
/// The runtime could not be built.
pub fn cancel_holding_a_resource(cleanup: Cleanup) -> io::Result<AfterCancel> {
    let runtime = one_thread()?;
    let open = Arc::new(AtomicUsize::new(0));
    let cancelled = runtime.block_on(async {
        let (opened, is_open) = oneshot::channel();
        let task = match cleanup {
            Cleanup::AfterTheAwait => tokio::spawn(release_after_the_await(Arc::clone(&open), opened)),
            Cleanup::InDrop => tokio::spawn(release_in_drop(Arc::clone(&open), opened)),
        };
        // Cancel once the resource is open and the task waits.
        is_open.await.expect("the task opened its resource");
        task.abort();
        task.await.is_err_and(|e| e.is_cancelled())
    });
    Ok(AfterCancel { cancelled, still_open: open.load(Ordering::Acquire) })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ten blocking sleeps of 50 ms on one thread take at least (nearly) 500 ms: they ran
    /// one after another, and every task still answered.
    #[test]
    fn waits_blocking_sleep_serialises() {
        let (n, wait) = (10, Duration::from_millis(50));
        let (outcome, took) = concurrent_waits_blocking(n, wait).unwrap();
        workloads::waits::check(n, &outcome).unwrap();
        assert!(took >= (wait * n as u32).mul_f64(0.9), "{took:?}: the blocking sleeps overlapped");
    }

    /// The same ten waits with tokio's timer overlap: well under the 500 ms of the
    /// blocking ones.
    #[test]
    fn waits_timer_overlap() {
        let (n, wait) = (10, Duration::from_millis(50));
        let (outcome, took) = concurrent_waits_timer(n, wait).unwrap();
        workloads::waits::check(n, &outcome).unwrap();
        assert!(took >= wait.mul_f64(0.9), "{took:?}");
        // Generous: about 50 ms is expected.
        assert!(took < wait * n as u32 / 2, "{took:?}: the waits did not overlap");
    }

    /// Inline, not one heartbeat tick wakes during a 100 ms call, and the tick it held up
    /// woke at least (nearly) 100 ms late.
    #[test]
    fn heartbeat_stops_during_an_inline_call() {
        let call = Duration::from_millis(100);
        let seen = heartbeat_beside_a_call(Where::Inline, call).unwrap();
        assert_eq!(seen.ticks_during_call, 0);
        assert!(seen.max_lateness >= call.mul_f64(0.9), "{seen:?}");
    }

    /// Offloaded, to `spawn_blocking` or to a CPU pool, the heartbeat keeps ticking while
    /// the call runs.
    #[test]
    fn heartbeat_runs_beside_an_offloaded_call() {
        let call = Duration::from_millis(100);
        for place in [Where::SpawnBlocking, Where::CpuPool] {
            let seen = heartbeat_beside_a_call(place, call).unwrap();
            // About 50 to 100 ticks are expected; one is the fact that matters.
            assert!(seen.ticks_during_call > 0, "{place:?}: {seen:?}");
        }
    }

    /// A future never awaited runs nothing; awaited, it runs; spawned, it runs even with
    /// its handle dropped.
    #[test]
    fn forgotten_future_never_runs() {
        assert_eq!(forgotten_await().unwrap(), Forgotten { not_awaited: 0, awaited: 1, spawned: 2 });
    }

    /// Cancelled at its await, a task skips the clean-up written after it and leaks the
    /// resource; clean-up in `Drop` releases it.
    #[test]
    fn cancel_skips_cleanup_after_the_await_but_not_drop() {
        let leaked = cancel_holding_a_resource(Cleanup::AfterTheAwait).unwrap();
        assert_eq!(leaked, AfterCancel { cancelled: true, still_open: 1 });
        let released = cancel_holding_a_resource(Cleanup::InDrop).unwrap();
        assert_eq!(released, AfterCancel { cancelled: true, still_open: 0 });
    }
}
