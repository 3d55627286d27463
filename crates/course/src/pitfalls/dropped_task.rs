//! Dropping a smol `Task` cancels it.
//!
//! A smol (and async-std, and async-executor) `Task` is the task: dropping the handle
//! cancels the task at its next `.await`. A tokio `JoinHandle` is only a ticket: dropping
//! it detaches the task, which runs on. Code moved from one runtime to the other changes
//! meaning without a warning.

use std::time::Duration;

use smol::channel::{self, Receiver};
use smol::future::FutureExt;
use smol::{Executor, Task, Timer};

/// What became of a task, as its caller saw it.
#[derive(Debug, PartialEq, Eq)]
pub enum Fate {
    /// It did its work and reported.
    Finished,
    /// Its future was dropped before it reported: the channel closed with nothing in it.
    Cancelled,
    /// Neither within the patience given.
    NoNews,
}

/// A task that works for `work`, then reports on `done`.
fn spawn_work(executor: &Executor<'static>, work: Duration) -> (Task<()>, Receiver<()>) {
    let (done, report) = channel::bounded(1);
    let task = executor.spawn(async move {
        Timer::after(work).await;
        let _ = done.send(()).await;
    });
    (task, report)
}

/// Runs `executor` until the task reports, its channel closes, or `patience` passes.
fn fate(executor: &Executor<'static>, report: Receiver<()>, patience: Duration) -> Fate {
    smol::block_on(executor.run(async {
        let reported = async {
            match report.recv().await {
                Ok(()) => Fate::Finished,
                // The sender was dropped unused: the task's future was dropped.
                Err(_) => Fate::Cancelled,
            }
        };
        reported
            .or(async {
                Timer::after(patience).await;
                Fate::NoNews
            })
            .await
    }))
}

/// The pitfall: the handle goes out of scope (here, by `drop`; in real code, at the end of
/// a block or in `let _ = executor.spawn(...)`), and the task with it: it never finishes.
pub fn drop_the_handle(work: Duration, patience: Duration) -> Fate {
    let executor = Executor::new();
    let (task, report) = spawn_work(&executor, work);
    drop(task);
    fate(&executor, report, patience)
}

/// The fix, for a task meant to run on its own: `detach` it. (Or keep the handle and
/// `.await` it, to get its result.)
pub fn detach_the_handle(work: Duration, patience: Duration) -> Fate {
    let executor = Executor::new();
    let (task, report) = spawn_work(&executor, work);
    task.detach();
    fate(&executor, report, patience)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORK: Duration = Duration::from_millis(10);
    const PATIENCE: Duration = Duration::from_secs(5);

    /// A dropped `Task` is cancelled: its future is dropped before it reports.
    #[test]
    fn a_dropped_task_never_finishes() {
        assert_eq!(drop_the_handle(WORK, PATIENCE), Fate::Cancelled);
    }

    /// A detached task runs to the end.
    #[test]
    fn a_detached_task_finishes() {
        assert_eq!(detach_the_handle(WORK, PATIENCE), Fate::Finished);
    }
}
