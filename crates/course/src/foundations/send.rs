//! Why `tokio::spawn` asks for `Send + 'static`, and what to do about it.
//!
//! `tokio::spawn(future)` hands the future to the runtime, which may poll it on any of its
//! worker threads, and move it from one to another between polls (work stealing). Hence:
//! - `'static`: the task may outlive the function that spawned it, so it may not borrow
//!   that function's locals. It owns its data (`async move`) or shares it (`Arc`).
//! - `Send`: whatever the future holds across an `.await` may move to another thread with
//!   it. `Rc`, `RefCell` borrows and `std::sync::MutexGuard` may not.
//!
//! Python has neither rule: its event loop is one thread, and its objects are reference
//! counted and collected. Rust checks both at compile time; the examples in
//! `compile_fail/` are refused, and the functions below are the fixes.

use std::io;
use std::rc::Rc;
use std::sync::{Arc, Mutex};

use tokio::task::{LocalSet, yield_now};

/// Counts `names` in a task of its own: `async move` gives the task the vector, so it
/// borrows nothing from this function.
///
/// The version that borrows does not compile (`compile_fail/spawn_borrows.rs`):
///
/// ```compile_fail,E0373
#[doc = include_str!("../../compile_fail/spawn_borrows.rs")]
/// ```
///
/// # Panics
/// If the task panicked.
pub async fn count_in_task(names: Vec<&'static str>) -> usize {
    // `move`: the task owns `names` now; this function keeps nothing the task needs.
    let task = tokio::spawn(async move { names.len() });
    task.await.expect("the task panicked")
}

/// Sums `data` in `tasks` tasks, each summing its share: one `Arc` clone per task, so that
/// every task owns a handle to the same vector and it lives until the last one is done.
///
/// # Panics
/// If a task panicked.
pub async fn sum_shared(data: Arc<Vec<u64>>, tasks: usize) -> u64 {
    let share = data.len().div_ceil(tasks.max(1));
    let mut handles = Vec::with_capacity(tasks);
    for t in 0..tasks {
        // Cloning an `Arc` copies a pointer and bumps an atomic count, not the data.
        let data = Arc::clone(&data);
        handles.push(tokio::spawn(async move { data.iter().skip(t * share).take(share).sum::<u64>() }));
    }
    let mut total = 0;
    for handle in handles {
        total += handle.await.expect("a task panicked");
    }
    total
}

/// Runs a task that holds an `Rc` across an `.await`, on a [`LocalSet`]: a set of tasks
/// that never leave the thread that runs it, so they need not be `Send`.
///
/// `tokio::spawn` refuses the same task (`compile_fail/rc_across_await.rs`):
///
/// ```compile_fail
#[doc = include_str!("../../compile_fail/rc_across_await.rs")]
/// ```
///
/// # Errors
/// The OS refused the runtime's I/O driver.
pub fn rc_on_local_set() -> io::Result<usize> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let local = LocalSet::new();
    let count = local.block_on(&runtime, async {
        let names = Rc::new(vec!["ada", "grace"]);
        // `spawn_local`: a task of the `LocalSet`, polled only on this thread.
        let task = tokio::task::spawn_local({
            let names = Rc::clone(&names);
            async move {
                yield_now().await;
                names.len()
            }
        });
        task.await.expect("the task panicked")
    });
    Ok(count)
}

/// Adds one to `counter` twice, with an `.await` between, under a `std::sync::Mutex`: the
/// guard is dropped before the `.await`, so the future is `Send`.
///
/// The version that keeps the guard across the `.await` does not compile under
/// `tokio::spawn` (`compile_fail/guard_across_await.rs`):
///
/// ```compile_fail
#[doc = include_str!("../../compile_fail/guard_across_await.rs")]
/// ```
///
/// # Panics
/// If another task panicked while holding the lock.
pub async fn bump_twice_std(counter: Arc<Mutex<u64>>) {
    {
        let mut count = counter.lock().expect("a task panicked holding the lock");
        *count += 1;
        // The guard is dropped at this brace, before the task can be suspended.
    }
    yield_now().await;
    *counter.lock().expect("a task panicked holding the lock") += 1;
}

/// The same with tokio's `Mutex`, whose guard may be held across an `.await`: `lock` is
/// itself awaited, so a task waiting for the lock suspends instead of blocking its thread.
///
/// Unlike [`bump_twice_std`], the two additions form one critical section: no other task
/// sees the count between them. Pay for the async mutex only when the section must span
/// an `.await`; a std mutex is cheaper for a short one (tokio's own advice).
pub async fn bump_twice_tokio(counter: Arc<tokio::sync::Mutex<u64>>) {
    let mut count = counter.lock().await;
    *count += 1;
    yield_now().await;
    *count += 1;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An owned vector moves into the task.
    #[tokio::test]
    async fn a_task_owns_what_it_uses() {
        assert_eq!(count_in_task(vec!["ada", "grace"]).await, 2);
    }

    /// Four tasks share one vector through `Arc`s and sum it together.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn tasks_share_through_arc() {
        let data: Arc<Vec<u64>> = Arc::new((1..=1000).collect());
        assert_eq!(sum_shared(data, 4).await, 500_500);
    }

    /// A task holding an `Rc` runs on a `LocalSet`.
    #[test]
    fn rc_runs_on_a_local_set() {
        assert_eq!(rc_on_local_set().unwrap(), 2);
    }

    /// Both fixes spawn on a multi-thread runtime (they are `Send`) and count every addition.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn both_fixes_are_send_and_count_right() {
        let (std_counter, tokio_counter) = (Arc::new(Mutex::new(0)), Arc::new(tokio::sync::Mutex::new(0)));
        let mut handles = Vec::new();
        for _ in 0..50 {
            handles.push(tokio::spawn(bump_twice_std(Arc::clone(&std_counter))));
            handles.push(tokio::spawn(bump_twice_tokio(Arc::clone(&tokio_counter))));
        }
        for handle in handles {
            handle.await.unwrap();
        }
        assert_eq!(*std_counter.lock().unwrap(), 100);
        assert_eq!(*tokio_counter.lock().await, 100);
    }
}
