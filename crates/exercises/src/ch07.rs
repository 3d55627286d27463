//! Solutions to the exercises of chapter 07 (CPU-bound work: speedup and efficiency).
//!
//! Every solution computes the shared kernels' own units ([`Mandelbrot::row`],
//! [`Blocks::hash`]) and checks its answer against the workload's expected one, as the
//! benchmarks do.
//!
//! - [`mandelbrot_scaling`]: speedup and efficiency, measured as the report measures them.
//! - [`static_shares`]: how much of the image's work each static range holds.
//! - [`rows_by_thread`]: which threads draw the rows, inline and offloaded, on a
//!   current-thread runtime.
//! - [`hash_in_batches`]: offloading hashing in batches, one hand-off per batch.

use std::collections::HashSet;
use std::io;
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use rayon::ThreadPool;
use workloads::hashing::Blocks;
use workloads::mandelbrot::{self, Mandelbrot};
use workloads::merge_sort::leaf;

/// The median of some durations (the lower middle one of an even count).
///
/// # Panics
/// If `times` is empty.
pub fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[(sorted.len() - 1) / 2]
}

/// A parallel way's scaling against the sequential one, as the report computes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scaling {
    /// The sequential model's median wall time.
    pub sequential: Duration,
    /// The parallel way's median wall time.
    pub parallel: Duration,
    /// Worker threads of the parallel way.
    pub workers: usize,
    /// `sequential / parallel`: how many times faster.
    pub speedup: f64,
    /// `speedup / workers`: 1 when every worker is fully used.
    pub efficiency: f64,
}

/// Draws `image` `rounds` times one row after another (the sequential model's
/// `one_thread`) and `rounds` times with rayon's work stealing on a pool of `workers`
/// threads, the two alternated; checks every answer and returns the speedup and efficiency
/// of the medians.
///
/// The rounds alternate so that a slow spell of the machine falls on both ways rather than
/// on one; the medians leave out one slow round either way. The denominator is the
/// sequential model's median wall time, as in the report.
///
/// # Errors
/// The pool could not be built, or a way gave the wrong answer.
pub fn mandelbrot_scaling(image: &Mandelbrot, workers: usize, rounds: usize) -> io::Result<Scaling> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(workers).build().map_err(io::Error::other)?;
    let want = image.expected();
    let (mut sequential, mut parallel) = (Vec::new(), Vec::new());
    for _ in 0..rounds.max(1) {
        let start = Instant::now();
        let got = model_sequential::mandelbrot::one_thread(image);
        sequential.push(start.elapsed());
        mandelbrot::check(want, got).map_err(io::Error::other)?;

        let start = Instant::now();
        // `install` runs the parallel iterator on this pool, not on rayon's global one.
        let got = pool.install(|| model_rayon::mandelbrot::work_stealing(image));
        parallel.push(start.elapsed());
        mandelbrot::check(want, got).map_err(io::Error::other)?;
    }
    let (sequential, parallel) = (median(&sequential), median(&parallel));
    let speedup = sequential.as_secs_f64() / parallel.as_secs_f64();
    Ok(Scaling { sequential, parallel, workers, speedup, efficiency: speedup / workers as f64 })
}

/// Each of `workers` static ranges' share of the time it takes to draw `image`: the cut the
/// threads model's `static_chunks` makes (contiguous ranges of rows, as even as whole rows
/// allow), each range timed on this one thread.
///
/// Each range is timed three times and its fastest time kept, so that a pause of the
/// machine in one timing does not move the shares.
///
/// Cut in four, the image's two middle ranges hold about 46% of the work each: four threads
/// given those ranges finish when the slowest does, a speedup of about 1 / 0.46 ≈ 2.2 at
/// best, where four workers could reach 4. Cut in two, the halves mirror each other and
/// hold half each, which is why static chunks look fair on two cores.
pub fn static_shares(image: &Mandelbrot, workers: usize) -> Vec<f64> {
    let times: Vec<f64> = (0..workers)
        .map(|t| {
            (0..3)
                .map(|_| {
                    let start = Instant::now();
                    let sum =
                        leaf(image.height, workers, t).fold(0u64, |sum, y| sum.wrapping_add(image.row(y)));
                    std::hint::black_box(sum);
                    start.elapsed().as_secs_f64()
                })
                .fold(f64::INFINITY, f64::min)
        })
        .collect();
    let total: f64 = times.iter().sum();
    times.iter().map(|t| t / total).collect()
}

/// Which threads drew the rows of one image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowThreads {
    /// Rows drawn on the thread that runs the runtime (the caller of `block_on`).
    pub on_runtime_thread: usize,
    /// Rows drawn on any other thread.
    pub elsewhere: usize,
    /// How many different threads drew rows.
    pub threads: usize,
    /// The image's checksum, checked.
    pub checksum: u64,
}

/// Draws `image` on a tokio current-thread runtime, one task per row as
/// `crates/model-tokio/src/mandelbrot.rs` does, each row computed in its task (`offload`
/// false) or handed to a CPU pool of `pool_threads` threads (`offload` true); notes which
/// thread drew each row.
///
/// Inline, every row is drawn on the runtime's one thread, however many tasks there are:
/// tasks are concurrency, not parallelism. Offloaded, none is, and the pool's threads draw
/// them all in parallel.
///
/// # Errors
/// The runtime or the pool could not be built, or the checksum was wrong.
pub fn rows_by_thread(image: &Arc<Mandelbrot>, offload: bool, pool_threads: usize) -> io::Result<RowThreads> {
    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    let cpu = Arc::new(
        rayon::ThreadPoolBuilder::new().num_threads(pool_threads).build().map_err(io::Error::other)?,
    );
    let drawn_on: Arc<Mutex<Vec<ThreadId>>> = Arc::default();
    let checksum = runtime.block_on(async {
        let rows: Vec<_> = (0..image.height)
            .map(|y| {
                let (image, cpu, drawn_on) = (Arc::clone(image), Arc::clone(&cpu), Arc::clone(&drawn_on));
                // The row, and a note of the thread that drew it.
                let draw = move || {
                    drawn_on.lock().expect("no thread panics holding it").push(thread::current().id());
                    image.row(y)
                };
                tokio::spawn(
                    async move { if offload { model_tokio::offload(&cpu, draw).await } else { draw() } },
                )
            })
            .collect();
        let mut sum = 0u64;
        for row in rows {
            sum = sum.wrapping_add(row.await.expect("a row's task panicked"));
        }
        sum
    });
    mandelbrot::check(image.expected(), checksum).map_err(io::Error::other)?;
    let me = thread::current().id();
    let drawn_on = drawn_on.lock().expect("no thread panics holding it");
    let on_runtime_thread = drawn_on.iter().filter(|&&t| t == me).count();
    Ok(RowThreads {
        on_runtime_thread,
        elsewhere: drawn_on.len() - on_runtime_thread,
        threads: drawn_on.iter().collect::<HashSet<_>>().len(),
        checksum,
    })
}

/// Hashes every block on `cpu` from tasks of a tokio runtime, `batch` blocks per hand-off
/// (the last batch may be shorter); returns the checksum and the number of hand-offs.
///
/// `crates/model-tokio/src/hashing.rs#offloaded` hands off one block at a time: a spawn, a
/// trip to the pool, a oneshot and a wake-up for a few tens of microseconds of hashing. A
/// batch pays that once for `batch` blocks; large enough, the hand-offs vanish beside the
/// work, and there are still enough batches to keep every pool thread busy.
pub async fn hash_in_batches(blocks: &Arc<Blocks>, cpu: &Arc<ThreadPool>, batch: usize) -> (u64, usize) {
    let count = blocks.count();
    let batch = batch.max(1);
    let batches: Vec<_> = (0..count)
        .step_by(batch)
        .map(|first| {
            let (blocks, cpu) = (Arc::clone(blocks), Arc::clone(cpu));
            let range = first..(first + batch).min(count);
            tokio::spawn(async move {
                model_tokio::offload(&cpu, move || {
                    range.fold(0u64, |sum, i| sum.wrapping_add(blocks.hash(i)))
                })
                .await
            })
        })
        .collect();
    let hand_offs = batches.len();
    let mut sum = 0u64;
    for batch in batches {
        sum = sum.wrapping_add(batch.await.expect("a batch's task panicked"));
    }
    (sum, hand_offs)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The median is the middle value, whatever the order; of an even count, the lower middle.
    #[test]
    fn scaling_median_is_the_middle_value() {
        let ms = Duration::from_millis;
        assert_eq!(median(&[ms(30), ms(10), ms(20)]), ms(20));
        assert_eq!(median(&[ms(40), ms(10), ms(30), ms(20)]), ms(20));
    }

    /// Speedup is the sequential median over the parallel one, efficiency the speedup per
    /// worker, and both ways drew the right image. (How fast is the machine's business: a
    /// loaded 2-core machine may show no speedup at all, so none is asserted.)
    #[test]
    fn scaling_speedup_and_efficiency_follow_their_definitions() {
        let image = Mandelbrot::with_size(128, 256);
        let got = mandelbrot_scaling(&image, 2, 3).unwrap();
        // Shown with `-- --nocapture`; in a release build it is the speedup worth reading.
        println!("{got:?}");
        assert!(got.speedup > 0.0);
        let speedup = got.sequential.as_secs_f64() / got.parallel.as_secs_f64();
        assert!((got.speedup - speedup).abs() < 1e-12);
        assert!((got.efficiency - got.speedup / 2.0).abs() < 1e-12);
    }

    /// Cut in four static ranges, the image's two middle ranges hold most of the work
    /// (about 90%): an even cut of the rows is not an even cut of the work.
    #[test]
    fn static_ranges_split_the_work_unevenly() {
        let image = Mandelbrot::with_size(256, 512);
        let shares = static_shares(&image, 4);
        println!("{shares:?}");
        assert!((shares.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        // Generous: an even split of the work would give the middle ranges half.
        assert!(shares[1] + shares[2] > 0.5, "{shares:?}");
        assert!(shares[1] > shares[0] && shares[2] > shares[3], "{shares:?}");
    }

    /// Inline on a current-thread runtime, the runtime's one thread draws every row;
    /// offloaded, it draws none, and at most the pool's threads do.
    #[test]
    fn threads_a_current_thread_runtime_computes_on_one_unless_it_offloads() {
        let image = Arc::new(Mandelbrot::with_size(64, 128));
        let inline = rows_by_thread(&image, false, 2).unwrap();
        assert_eq!((inline.on_runtime_thread, inline.elsewhere, inline.threads), (64, 0, 1));
        let offloaded = rows_by_thread(&image, true, 2).unwrap();
        assert_eq!((offloaded.on_runtime_thread, offloaded.elsewhere), (0, 64));
        assert!(offloaded.threads <= 2, "{offloaded:?}");
    }

    /// Batches of any size give the same checksum as hashing one block at a time, with one
    /// hand-off per batch.
    #[test]
    fn batches_give_the_same_answer_with_fewer_hand_offs() {
        let blocks = Arc::new(Blocks::new(32));
        let cpu = Arc::new(rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap());
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).build().unwrap();
        for (batch, hand_offs) in [(1, 32), (5, 7), (8, 4), (32, 1), (100, 1)] {
            let (sum, made) = runtime.block_on(hash_in_batches(&blocks, &cpu, batch));
            workloads::hashing::check(blocks.expected(), sum).unwrap();
            assert_eq!(made, hand_offs, "batch of {batch}");
        }
    }
}
