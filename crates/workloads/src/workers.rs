//! How many worker threads every multi-threaded runtime and pool gets.
//!
//! Fairness rule: tokio's multi-thread runtime, async-std's pool, smol's executor threads
//! and rayon's pool all get the same count, so a difference between them is the model's,
//! not a bigger pool's.

/// The environment variable that overrides the worker count.
pub const ENV: &str = "BENCH_WORKERS";

/// Worker threads for every multi-threaded model: `BENCH_WORKERS` if set, else the number
/// of cores the OS reports.
///
/// # Errors
/// A `BENCH_WORKERS` that is not a whole number from 1 to 1024, with the reason.
pub fn worker_threads() -> Result<usize, String> {
    match std::env::var(ENV) {
        Ok(text) => parse(&text),
        Err(_) => Ok(std::thread::available_parallelism().map_or(1, usize::from)),
    }
}

fn parse(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=1024).contains(&n) => Ok(n),
        _ => Err(format!("{ENV}={text:?}: expected a whole number of worker threads from 1 to 1024")),
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    /// Valid counts parse; zero, absurd and non-numeric values are refused with the reason.
    #[test]
    fn parses_and_refuses() {
        assert_eq!(parse("4"), Ok(4));
        assert_eq!(parse(" 16 "), Ok(16));
        for bad in ["0", "5000", "four", ""] {
            let err = parse(bad).unwrap_err();
            assert!(err.contains("from 1 to 1024"), "{err}");
        }
    }
}
