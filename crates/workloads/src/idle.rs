//! W4, *idle tasks* (the tutorial's "memory usage" row): hold N tasks alive, each waiting on
//! one shared gate, and read the process's memory while they wait. The probe binary runs
//! this in a fresh child process per measurement: bytes per task = (RSS(N) − RSS(1)) / N.

use crate::WrongAnswer;

/// The moment of the measurement: every task that could start has started and is waiting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peak {
    /// Tasks alive and waiting.
    pub started: usize,
    /// Why spawning stopped short of N, if it did (the OS refused another thread...).
    pub error: Option<String>,
}

/// What a W4 run returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdleOutcome {
    /// Tasks asked for.
    pub requested: usize,
    /// Tasks that started and waited at the gate.
    pub started: usize,
    /// Tasks joined after the gate opened.
    pub joined: usize,
    /// Why spawning stopped short, if it did.
    pub error: Option<String>,
}

/// Checks a W4 outcome: every task that started was joined, and all `requested` started
/// unless a limit stopped the spawning (then `error` says which).
pub fn check(got: &IdleOutcome) -> Result<(), WrongAnswer> {
    let wrong = |detail: String| Err(WrongAnswer { workload: "idle_tasks", detail });
    if got.joined != got.started {
        return wrong(format!("{} tasks started but {} were joined", got.started, got.joined));
    }
    if got.error.is_none() && got.started != got.requested {
        return wrong(format!(
            "{} tasks requested but {} started, with no error",
            got.requested, got.started
        ));
    }
    Ok(())
}
