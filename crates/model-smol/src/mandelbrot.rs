//! W16, Mandelbrot: every row of an image, one task per row. Rows through the set's middle
//! cost many times the rows at its edges, so the kernel tests how well work is balanced.

use std::sync::Arc;

use smol::{Executor, unblock};
use workloads::mandelbrot::Mandelbrot;

/// Spawns one task per row that computes the row itself, on the executor's threads, and
/// sums the rows.
///
/// Stresses: the executor's queues as a work queue. A task that computes never reaches an
/// `.await`, so it holds its executor thread until the row is done: the thread runs nothing
/// else meanwhile, which is harmless here only because nothing else needs the executor. With
/// a task per row an idle thread takes the next waiting row, so the costly middle rows
/// spread over the threads instead of landing on one, as they would with one fixed range of
/// rows per thread.
pub async fn inline(executor: &Executor<'static>, image: &Arc<Mandelbrot>) -> u64 {
    // A spawned task must be `'static`: the executor may run it after this function has
    // returned, as far as the compiler knows. So each task owns a clone of the `Arc`, a
    // reference count bumped, not the image copied.
    let rows: Vec<_> = (0..image.height)
        .map(|y| {
            let image = Arc::clone(image);
            executor.spawn(async move { image.row(y) })
        })
        .collect();
    let mut sum = 0u64;
    for row in rows {
        sum = sum.wrapping_add(row.await);
    }
    sum
}

/// Spawns one task per row that hands the row to smol's pool for blocking work
/// (`smol::unblock`) and awaits it, and sums the rows.
///
/// Stresses: two hand-offs per row, to the pool's queue and back to the task through a
/// wake-up, which the inline way does not pay. The executor threads only pass the rows on
/// and stay free for other tasks: that is what offloading buys, and what a program that
/// also serves requests needs. `unblock` wants a `'static` closure, hence the `Arc`. The
/// pool (the `blocking` crate's) reads its size once per process from `BLOCKING_MAX_THREADS`
/// (500 if unset); the harness sets it to the worker count in the process that runs the
/// kernels, so as many threads compute here as in every other model. It starts threads only
/// when its queue grows to five times its idle threads, so a short burst of units may run
/// on fewer threads than that.
pub async fn offloaded(executor: &Executor<'static>, image: &Arc<Mandelbrot>) -> u64 {
    let rows: Vec<_> = (0..image.height)
        .map(|y| {
            let image = Arc::clone(image);
            executor.spawn(async move { unblock(move || image.row(y)).await })
        })
        .collect();
    let mut sum = 0u64;
    for row in rows {
        sum = sum.wrapping_add(row.await);
    }
    sum
}
