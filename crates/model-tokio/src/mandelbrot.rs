//! W16, Mandelbrot: every row of an image, one task per row. Rows through the set's middle
//! cost many times the rows at its edges, so the kernel tests how well work is balanced.

use std::sync::Arc;

use rayon::ThreadPool;
use workloads::mandelbrot::Mandelbrot;

use crate::offload;

/// Spawns one task per row that computes the row itself, on the runtime's threads, and
/// sums the rows.
///
/// Stresses: the runtime's queues as a work queue. A task that computes never reaches an
/// `.await`, so it holds its worker thread until the row is done: the thread runs nothing
/// else meanwhile, which is harmless here only because nothing else needs the runtime. With
/// a task per row an idle worker steals the next waiting row, so the costly middle rows
/// spread over the threads instead of landing on one, as they would with one fixed range of
/// rows per thread. On the current-thread runtime every row runs on the one thread, one
/// after another (a speedup of 1, whatever the pool).
pub async fn inline(image: &Arc<Mandelbrot>) -> u64 {
    // A spawned task must be `'static`: the runtime may run it after this function has
    // returned, as far as the compiler knows. So each task owns a clone of the `Arc`, a
    // reference count bumped, not the image copied.
    let rows: Vec<_> = (0..image.height)
        .map(|y| {
            let image = Arc::clone(image);
            tokio::spawn(async move { image.row(y) })
        })
        .collect();
    let mut sum = 0u64;
    for row in rows {
        // A tokio `JoinHandle` yields `Err` if its task panicked.
        sum = sum.wrapping_add(row.await.expect("a row's task panicked"));
    }
    sum
}

/// Spawns one task per row that hands the row to the CPU pool ([`offload`]) and awaits it,
/// and sums the rows.
///
/// Stresses: two hand-offs per row, to the pool's queue and back to the task through a
/// `oneshot`, which the inline way does not pay. The runtime's threads only pass the rows on
/// and stay free for other tasks: that is what offloading buys, and what a program that
/// also serves requests needs. The pool wants a `'static` closure, hence the `Arc`. It has
/// `workers` rayon threads, which take queued rows as they come free, so as many threads
/// compute here as in every other model. This is also how the current-thread runtime gets
/// parallel work: its one thread spawns and sums, the pool computes.
pub async fn offloaded(image: &Arc<Mandelbrot>, cpu: &Arc<ThreadPool>) -> u64 {
    let rows: Vec<_> = (0..image.height)
        .map(|y| {
            let (image, cpu) = (Arc::clone(image), Arc::clone(cpu));
            tokio::spawn(async move { offload(&cpu, move || image.row(y)).await })
        })
        .collect();
    let mut sum = 0u64;
    for row in rows {
        sum = sum.wrapping_add(row.await.expect("a row's task panicked"));
    }
    sum
}
