//! The size profiles. Each workload's module says what its sizes are in each profile.
//!
//! [`Profile::Full`] is what `cargo bench` measures; [`Profile::Quick`]
//! (`cargo bench -- --quick`) drops the largest sizes; [`Profile::Smoke`]
//! (`cargo bench -- --test`, run by CI) runs each benchmark once at small sizes;
//! [`Profile::Test`] is what the conformance tests use.

use std::time::Duration;

use crate::model::{Kind, ModelInfo};

/// Which set of sizes a run uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// Every size: what `cargo bench` reports.
    Full,
    /// The largest sizes dropped: `cargo bench -- --quick`.
    Quick,
    /// Each benchmark once at small sizes: `cargo bench -- --test`, for CI.
    Smoke,
    /// What the conformance tests use: sizes that still show the behaviour.
    Test,
}

impl Profile {
    /// Lower-case name, as recorded in the report.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Full => "full",
            Profile::Quick => "quick",
            Profile::Smoke => "smoke",
            Profile::Test => "test",
        }
    }
}

/// Whether a size is run, or the one-line reason it is left out.
pub type Verdict = Result<(), String>;

/// Whether `n` waits of `wait` fit in `budget` on `model`, judged by how the model overlaps
/// waits (all at once, ⌈N / workers⌉ rounds on a pool, N in sequence). A size left out is
/// never silent: the reason says how long it would take.
pub fn fits_budget(model: &ModelInfo, n: usize, wait: Duration, budget: Duration) -> Verdict {
    let expected = model.expected_wait_time(n, wait);
    if expected <= budget {
        return Ok(());
    }
    let formula = match model.kind {
        Kind::Sequential => "N·D".to_owned(),
        Kind::Processes => {
            format!("N process starts of ≈{}, then D", crate::text::duration(crate::PROCESS_START))
        }
        _ => format!("N/{}·D", model.workers),
    };
    Err(format!(
        "not run: would take ≈{:.0} s ({formula}), over the {:.1} s budget per run",
        expected.as_secs_f64(),
        budget.as_secs_f64()
    ))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn info(kind: Kind, workers: usize) -> ModelInfo {
        ModelInfo {
            id: "x",
            name: "x",
            kind,
            workers,
            concurrency: "",
            best_for: "",
            debugging: "",
            cannot: Vec::new(),
            role: crate::Role::Compared,
            references: Vec::new(),
        }
    }

    /// A sequential model is not asked for 10 000 waits of 100 ms, and the reason says why.
    #[test]
    fn budget_reasons_name_the_formula() {
        let wait = Duration::from_millis(100);
        let budget = Duration::from_millis(1_500);
        assert_eq!(fits_budget(&info(Kind::Sequential, 1), 10, wait, budget), Ok(()));
        let err = fits_budget(&info(Kind::Sequential, 1), 10_000, wait, budget).unwrap_err();
        assert!(err.contains("≈1000 s (N·D)"), "{err}");
        let err = fits_budget(&info(Kind::Pool, 2), 1_000, wait, budget).unwrap_err();
        assert!(err.contains("(N/2·D)"), "{err}");
        assert_eq!(fits_budget(&info(Kind::Async, 2), 100_000, wait, budget), Ok(()));
    }
}
