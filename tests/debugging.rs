//! The facts behind the Debugging row of "The tutorial's table, measured": what a panic in a
//! task does in tokio, OS threads, smol, async-std and rayon; what a backtrace taken inside a
//! task shows; and what the tools that list a program's tasks can see: thread names, as the
//! kernel keeps them for gdb, `top -H` and `ps -L`, and tokio's count of live tasks. (The
//! processes model's dead worker is in `tests/processes.rs`.) The Python side is
//! `python/test_debugging.py`.

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

/// async-std (discontinued; its tasks run on smol's executor): a panic in a task is raised
/// again where its `JoinHandle` is awaited, as in smol; the other tasks go on.
#[test]
fn a_panic_in_an_async_std_task_is_raised_again_at_its_await() {
    let calm = async_std::task::spawn(async {
        async_std::task::sleep(Duration::from_millis(20)).await;
        7
    });
    let failing = async_std::task::spawn(async {
        async_std::task::sleep(Duration::from_millis(1)).await;
        panic!("task 3 failed");
    });
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        async_std::task::block_on(failing);
    }));
    let payload = caught.expect_err("the panic is raised again at the await");
    assert_eq!(message(&*payload), "task 3 failed");
    assert_eq!(async_std::task::block_on(calm), 7, "the other task ran to its end");
}

/// The names of this process's threads as the kernel keeps them (`/proc/self/task/*/comm`,
/// at most 15 bytes): what gdb's `info threads`, `top -H` and `ps -L` print.
fn kernel_thread_names() -> Vec<String> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir("/proc/self/task").expect("Linux: /proc/self/task") {
        let comm = entry.unwrap().path().join("comm");
        if let Ok(name) = std::fs::read_to_string(comm) {
            names.push(name.trim_end().to_owned());
        }
    }
    names
}

/// A thread's name reaches the kernel, so the tools that list threads show it: name the
/// threads (`thread::Builder::name`, tokio's `thread_name`) and a debugger tells the workers
/// apart. A name is cut to 15 bytes there.
#[test]
fn thread_names_are_what_gdb_and_top_show() {
    let (ready, wait) = std::sync::mpsc::channel::<()>();
    let (release, released) = std::sync::mpsc::channel::<()>();
    let worker = std::thread::Builder::new()
        .name("queue-worker-3".into())
        .spawn(move || {
            ready.send(()).unwrap();
            released.recv().unwrap();
        })
        .unwrap();
    wait.recv().unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("http-runtime-worker")
        .build()
        .unwrap();
    // The workers start with the runtime, each naming itself as it starts: wait for both.
    let tokio_workers = |names: &[String]| names.iter().filter(|n| n.as_str() == "http-runtime-wo").count();
    let mut names = kernel_thread_names();
    for _ in 0..200 {
        if tokio_workers(&names) >= 2 {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
        names = kernel_thread_names();
    }
    release.send(()).unwrap();
    worker.join().unwrap();
    assert!(names.iter().any(|n| n == "queue-worker-3"), "{names:?}");
    assert!(tokio_workers(&names) >= 2, "two tokio workers, cut to 15 bytes: {names:?}");
    drop(runtime);
}

/// tokio counts its live tasks (`RuntimeMetrics::num_alive_tasks`, stable), what a health
/// endpoint or a log line can report; tokio-console shows each task with its location and
/// its time polled and idle, but needs the unstable `tokio_unstable` build flag and the
/// `console-subscriber` crate, so it is not part of this workspace's build.
#[test]
fn tokio_counts_its_live_tasks() {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_time().build().unwrap();
    runtime.block_on(async {
        let metrics = tokio::runtime::Handle::current().metrics();
        assert_eq!(metrics.num_workers(), 2);
        let (release, gate) = tokio::sync::watch::channel(false);
        let tasks: Vec<_> = (0..5)
            .map(|_| {
                let mut gate = gate.clone();
                tokio::spawn(async move { gate.wait_for(|open| *open).await.map(|_| ()) })
            })
            .collect();
        assert_eq!(metrics.num_alive_tasks(), 5, "five tasks waiting at the gate");
        release.send(true).unwrap();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        // A task is counted until the runtime has released it, just after its JoinHandle
        // resolves: wait a little for that.
        for _ in 0..100 {
            if metrics.num_alive_tasks() == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        assert_eq!(metrics.num_alive_tasks(), 0);
    });
}
