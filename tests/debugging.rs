//! The facts behind the Debugging row of "The tutorial's table, measured": what a panic in a
//! task does in tokio, OS threads, smol and rayon, and what a backtrace taken inside a task
//! shows. (async-std is left out: it is discontinued; the processes model's dead worker is
//! in `tests/processes.rs`.) The Python
//! side is `python/test_debugging.py`.

use std::backtrace::Backtrace;
use std::time::Duration;

/// The panic's message, from the payload a join hands back.
fn message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

/// tokio: a panic in a task ends that task only. The runtime catches it; awaiting the task's
/// `JoinHandle` gives a `JoinError` that says it panicked and carries the message; the other
/// tasks run on.
#[test]
fn a_panic_in_a_tokio_task_is_a_join_error_and_the_others_run_on() {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_time().build().unwrap();
    runtime.block_on(async {
        let calm = tokio::spawn(async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            7
        });
        let failing = tokio::spawn(async {
            tokio::time::sleep(Duration::from_millis(1)).await;
            panic!("task 3 failed");
        });
        let error = failing.await.expect_err("the panic comes back as an error");
        assert!(error.is_panic());
        assert_eq!(message(&*error.into_panic()), "task 3 failed");
        assert_eq!(calm.await.unwrap(), 7, "the other task ran to its end");
    });
}

/// OS threads: a panic ends its thread only; `join` returns `Err` with the panic's payload,
/// and the thread's name is what the panic message names.
#[test]
fn a_panic_in_a_thread_is_an_err_from_join() {
    let handle = std::thread::Builder::new()
        .name("worker-3".into())
        .spawn(|| -> u32 { panic!("worker 3 failed") })
        .unwrap();
    assert_eq!(handle.thread().name(), Some("worker-3"));
    let payload = handle.join().expect_err("the panic comes back from join");
    assert_eq!(message(&*payload), "worker 3 failed");
    let calm = std::thread::spawn(|| 7);
    assert_eq!(calm.join().unwrap(), 7, "the process goes on");
}

#[inline(never)]
async fn innermost_step() -> String {
    tokio::task::yield_now().await;
    Backtrace::force_capture().to_string()
}

#[inline(never)]
async fn middle_step() -> String {
    innermost_step().await
}

#[inline(never)]
fn spawning_function(runtime: &tokio::runtime::Runtime) -> String {
    runtime.block_on(async { tokio::spawn(async { middle_step().await }).await.unwrap() })
}

/// A backtrace taken inside a task shows the task's own chain of `.await`s (each async fn
/// is a `poll` of the one that awaits it, named `{{closure}}` after the function it is
/// written in) down to the runtime's worker thread, and not the calls that led to the spawn:
/// the test that called `spawning_function` is on another thread's stack.
#[test]
fn a_backtrace_in_a_task_ends_at_the_runtime_not_at_the_spawner() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).build().unwrap();
    let trace = spawning_function(&runtime);
    if !trace.contains("innermost_step") {
        eprintln!("this build has no symbols for backtraces; nothing to check:\n{trace}");
        return;
    }
    assert!(trace.contains("middle_step"), "the awaiting fn is a frame too:\n{trace}");
    assert!(
        trace.contains("multi_thread::worker::run"),
        "the chain ends in a worker of the runtime:\n{trace}"
    );
    let frames: Vec<&str> = trace.lines().filter(|l| l.contains("spawning_function")).collect();
    assert!(frames.iter().all(|f| f.contains("{{closure}}")), "only the async block written there:\n{trace}");
    assert!(!trace.contains("a_backtrace_in_a_task"), "not the test that led to the spawn:\n{trace}");
}

/// smol: a panic in a task is caught by the task and raised again where its `Task` is
/// awaited; the executor and its other tasks go on.
#[test]
fn a_panic_in_a_smol_task_is_raised_again_at_its_await() {
    let executor = smol::Executor::new();
    let calm = executor.spawn(async {
        smol::Timer::after(Duration::from_millis(20)).await;
        7
    });
    let failing = executor.spawn(async {
        smol::Timer::after(Duration::from_millis(1)).await;
        panic!("task 3 failed");
    });
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        smol::block_on(executor.run(failing));
    }));
    let payload = caught.expect_err("the panic is raised again at the await");
    assert_eq!(message(&*payload), "task 3 failed");
    assert_eq!(smol::block_on(executor.run(calm)), 7, "the other task ran to its end");
}

/// rayon: a panic in one side of `join` waits for the other side to finish, then is raised
/// again in the caller of `join`.
#[test]
fn a_panic_in_a_rayon_job_is_raised_again_in_the_caller() {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    let other_finished = std::sync::atomic::AtomicBool::new(false);
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        pool.join(
            || -> u32 { panic!("job 3 failed") },
            || {
                std::thread::sleep(Duration::from_millis(20));
                other_finished.store(true, std::sync::atomic::Ordering::SeqCst);
            },
        )
    }));
    assert_eq!(message(&*caught.expect_err("raised again in the caller")), "job 3 failed");
    assert!(other_finished.load(std::sync::atomic::Ordering::SeqCst), "the other side ran to its end first");
}
