//! W1, *concurrent waits* (the tutorial's "Running Multiple Coroutines Concurrently"):
//! start N tasks that each wait D, then join them all. Concurrent models take about D;
//! a sequential program takes N·D.
//!
//! Each task returns its own index, so the joined sum proves every task ran exactly once.

use crate::WrongAnswer;

/// What a W1 run returns: how many tasks were joined and the sum of the indices they
/// returned.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WaitOutcome {
    /// Tasks joined.
    pub completed: usize,
    /// Sum of the indices the tasks returned.
    pub sum: u64,
}

impl WaitOutcome {
    /// Adds one joined task's result.
    pub fn record(&mut self, index: u64) {
        self.completed += 1;
        self.sum = self.sum.wrapping_add(index);
    }

    /// Combines two partial outcomes (for models that reduce in parallel, like rayon).
    pub fn merge(self, other: Self) -> Self {
        WaitOutcome { completed: self.completed + other.completed, sum: self.sum.wrapping_add(other.sum) }
    }
}

/// The answer `n` tasks must give: every index `0..n` exactly once.
pub fn expected(n: usize) -> WaitOutcome {
    let n64 = n as u64;
    WaitOutcome { completed: n, sum: n64 * n64.saturating_sub(1) / 2 }
}

/// Checks a W1 outcome against [`expected`].
pub fn check(n: usize, got: &WaitOutcome) -> Result<(), WrongAnswer> {
    crate::compare("concurrent_waits", &expected(n), got)
}
