//! Solutions to the exercises of chapter 8 (Python and Rust, side by side). The Python
//! exercises' solutions are in `python/solutions/ch08.py`, checked by
//! `python/test_solutions.py`.

use std::time::{Duration, Instant};

/// The delays of the tutorial's `measure_performance`, in milliseconds.
pub const DELAYS_MS: [u64; 5] = [100, 200, 100, 300, 100];

/// One I/O task of the tutorial's example: wait, then hand the delay back.
async fn io_task(delay: Duration) -> Duration {
    tokio::time::sleep(delay).await;
    delay
}

/// Exercise 3: the tutorial's `measure_performance` in tokio. Awaits the tasks one after
/// another, then runs them together, and returns both wall times with the results.
/// (`join_all` is the `futures` crates' gather: tokio's `JoinSet` is the spawning version.)
///
/// Sequentially, each `.await` finishes before the next future is even created, so the
/// total is the sum of the delays. Together, `join_all` polls every future in this one task
/// (no spawn needed: they only wait), so the total is the longest delay. The same shape as
/// `asyncio.gather`, and the same answer: Python's figure differs from Rust's only in the
/// cost per task, which five tasks cannot show.
pub fn measure_performance() -> std::io::Result<(Duration, Duration, Vec<Duration>)> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build()?;
    let delays: Vec<Duration> = DELAYS_MS.iter().map(|&ms| Duration::from_millis(ms)).collect();
    Ok(runtime.block_on(async {
        let start = Instant::now();
        let mut sequential = Vec::new();
        for &delay in &delays {
            sequential.push(io_task(delay).await);
        }
        let sequential_time = start.elapsed();

        let start = Instant::now();
        let concurrent = futures_util::future::join_all(delays.iter().map(|&delay| io_task(delay))).await;
        let concurrent_time = start.elapsed();
        assert_eq!(sequential, concurrent, "both ways return the delays in order");
        (sequential_time, concurrent_time, concurrent)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Awaited one by one, the delays add up; joined, the longest one sets the time.
    #[test]
    fn gathered_waits_take_the_longest_not_the_sum() {
        let (sequential, concurrent, results) = measure_performance().unwrap();
        let sum: u64 = DELAYS_MS.iter().sum();
        let longest = *DELAYS_MS.iter().max().unwrap();
        assert_eq!(results.iter().map(|d| d.as_millis() as u64).collect::<Vec<_>>(), DELAYS_MS);
        assert!(sequential >= Duration::from_millis(sum), "{sequential:?}");
        assert!(concurrent >= Duration::from_millis(longest), "{concurrent:?}");
        // Far apart on any machine: 0.8 s against 0.3 s.
        assert!(concurrent < sequential, "{concurrent:?} against {sequential:?}");
    }
}
