//! W16, Mandelbrot: one task per row, the rows uneven (the set's middle costs many times its
//! edges). Two ways: each task computes its row itself, on the runtime's worker thread, or
//! hands it to the CPU pool and awaits it.

use std::sync::Arc;

use rayon::ThreadPool;
use tokio::task::JoinSet;
use workloads::mandelbrot::Mandelbrot;

use crate::offload;

/// One task per row, each computing its row right in the task; returns the wrapping sum.
///
/// Stresses: the scheduler's balance. A task that computes never reaches an `.await` until
/// its row is done, so it holds its worker thread for the whole row: on the multi-thread
/// runtime the idle workers steal the queued rows, which balances the uneven rows as a work
/// queue would; on the current-thread runtime every row runs on the one thread, one after
/// another (a speedup of 1, whatever the pool). Fine here, where nothing else waits to run;
/// in a server, those rows would stall every other task on their threads (see W19).
pub async fn inline(image: Arc<Mandelbrot>) -> u64 {
    // The rows are spawned from a task, not from the future given to `block_on`: on the
    // multi-thread runtime that future runs on the caller's thread, not on a worker, so
    // every spawn from it would go through the runtime's shared queue and every join would
    // wake across threads. Spawned from a worker, the rows go to its own queue, from
    // which the other workers steal.
    tokio::spawn(async move {
        let mut rows = JoinSet::new();
        for y in 0..image.height {
            // Each task owns an `Arc` of the image: `tokio::spawn` needs `'static` data,
            // since a task may outlive the function that spawned it.
            let image = Arc::clone(&image);
            rows.spawn(async move { image.row(y) });
        }
        sum(rows).await
    })
    .await
    .expect("the spawning task panicked")
}

/// One task per row, each handing its row to the CPU pool and awaiting the result; returns
/// the wrapping sum.
///
/// Stresses: the hand-off, two per row (to the pool and back through a `oneshot`). The
/// rows are computed by the pool's `workers` threads, which take queued rows as they come
/// free (rayon's threads steal from one another), so the uneven rows balance; the runtime's
/// threads only await, and stay free for other tasks. This is also how the current-thread
/// runtime gets parallel work: its one thread spawns and sums, the pool computes.
pub async fn offloaded(image: Arc<Mandelbrot>, cpu: Arc<ThreadPool>) -> u64 {
    tokio::spawn(async move {
        let mut rows = JoinSet::new();
        for y in 0..image.height {
            let (image, cpu) = (Arc::clone(&image), Arc::clone(&cpu));
            // The pool thread needs `'static` data too (it may outlive the task), hence
            // the `move` of this row's own `Arc` into the closure.
            rows.spawn(async move { offload(&cpu, move || image.row(y)).await });
        }
        sum(rows).await
    })
    .await
    .expect("the spawning task panicked")
}

/// Joins every row's task, in whatever order they finish, and sums the rows: the sum
/// wraps, so the order does not change it.
async fn sum(mut rows: JoinSet<u64>) -> u64 {
    let mut total = 0u64;
    while let Some(row) = rows.join_next().await {
        total = total.wrapping_add(row.expect("a row's task panicked"));
    }
    total
}
