//! The distribution shape: a workload that yields one sample per event (how late each
//! timeout fired, how long each cancellation took to release its resource), run a few
//! times; the samples go into an hdrhistogram and the record carries p50, p99, p99.9 and
//! max, with the mean as its value.
//!
//! Why not criterion: criterion estimates the mean time of a repeated call; here the figure
//! is the spread of many events inside one call, and its tail (p99, max) is the point.

use std::time::Duration;

use hdrhistogram::Histogram;
use report::{Distribution, Record};
use workloads::catalogue::Metric;
use workloads::{NotRun, WrongAnswer};

use super::Context;
use super::plan::Point;

/// Samples are recorded in nanoseconds, from 1 ns to this, with 3 significant digits.
const HIGHEST: Duration = Duration::from_secs(600);

/// What one call returns: its outcome's samples, and a note on how they were made.
pub struct Samples {
    /// One duration per event.
    pub samples: Vec<Duration>,
    /// How the model produced them (e.g. "cooperative: token checked every 1 ms").
    pub note: Option<String>,
}

/// Which figure a distribution is for: a metric, of a model, at a point.
pub struct Target<'a> {
    /// The metric the samples are of.
    pub metric: &'static Metric,
    /// The model's id.
    pub model: &'a str,
    /// The size (and variant) measured.
    pub point: &'a Point,
}

/// Runs `call` once, checks its answer, and records the distribution of its samples under
/// the target's metric (in nanoseconds); or the model's reason if it cannot run it. Panics
/// on a wrong answer: a wrong result has no figure. (Once per round: the figure is the
/// median of the rounds' percentiles.)
pub fn measure<T>(
    ctx: &Context,
    Target { metric, model, point }: Target<'_>,
    call: impl FnOnce() -> Result<T, NotRun>,
    check: impl FnOnce(&T) -> Result<(), WrongAnswer>,
    samples: impl FnOnce(T) -> Samples,
) -> Record {
    let mut histogram =
        Histogram::<u64>::new_with_bounds(1, HIGHEST.as_nanos() as u64, 3).expect("the bounds are valid");
    let answer = match call() {
        Ok(answer) => answer,
        Err(not_run) => return point.reason(model, metric, not_run.to_string()),
    };
    check(&answer).unwrap_or_else(|wrong| panic!("{}: {wrong}", point.id));
    ctx.watchdog.beat();
    let Samples { samples, note } = samples(answer);
    for sample in samples {
        // saturating_record: a sample past HIGHEST counts as HIGHEST rather than failing.
        histogram.saturating_record((sample.as_nanos() as u64).max(1));
    }
    let dist = distribution(&histogram);
    let record = point.record(model, metric, histogram.mean()).with_dist(dist);
    println!(
        "{}: p50 {:.0} ns, p99 {:.0} ns, max {:.0} ns over {} samples",
        point.id, dist.p50, dist.p99, dist.max, dist.count
    );
    match note {
        Some(note) => record.with_note(note),
        None => record,
    }
}

/// The mean of `samples`, in nanoseconds (0 for none).
pub fn mean_ns(samples: &[Duration]) -> f64 {
    samples.iter().map(Duration::as_nanos).sum::<u128>() as f64 / samples.len().max(1) as f64
}

/// The percentiles of `samples`, recorded in nanoseconds.
pub fn distribution_of(samples: &[Duration]) -> Distribution {
    let mut histogram =
        Histogram::<u64>::new_with_bounds(1, HIGHEST.as_nanos() as u64, 3).expect("the bounds are valid");
    for sample in samples {
        histogram.saturating_record((sample.as_nanos() as u64).max(1));
    }
    distribution(&histogram)
}

/// The percentiles of a histogram of nanoseconds.
fn distribution(histogram: &Histogram<u64>) -> Distribution {
    Distribution {
        count: histogram.len(),
        p50: histogram.value_at_quantile(0.50) as f64,
        p99: histogram.value_at_quantile(0.99) as f64,
        p999: histogram.value_at_quantile(0.999) as f64,
        max: histogram.max() as f64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Percentiles come from the samples: 1..=1000 µs has its median near 500 µs and its
    /// 99th percentile near 990 µs (hdrhistogram keeps three significant digits).
    #[test]
    fn percentiles_of_known_samples() {
        let mut h = Histogram::<u64>::new_with_bounds(1, HIGHEST.as_nanos() as u64, 3).unwrap();
        for us in 1..=1000u64 {
            h.record(us * 1_000).unwrap();
        }
        let d = distribution(&h);
        assert_eq!(d.count, 1000);
        assert!((d.p50 - 500_000.0).abs() <= 500.0, "{}", d.p50);
        assert!((d.p99 - 990_000.0).abs() <= 1_000.0, "{}", d.p99);
        assert!((d.max - 1_000_000.0).abs() <= 1_000.0, "{}", d.max);
        assert!(d.p50 <= d.p99 && d.p99 <= d.p999 && d.p999 <= d.max);
    }
}
