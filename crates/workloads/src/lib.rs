//! The contract every model implements, and the one home of the workloads' sizes, inputs
//! and expected answers.
//!
//! A model crate (`model-tokio`, `model-threads`, ...) writes each workload in its own
//! style; everything the models must agree on lives here, so that no model can pick an
//! easier size or check a weaker answer:
//!
//! - [`model`]: the [`Model`] trait (one method per workload), [`ModelInfo`] (the words of
//!   the table) and [`Skip`] (the one-line reason a model cannot run a workload).
//! - [`waits`]: W1 *concurrent waits*, N tasks that each wait D.
//! - [`spawn_join`]: W2 *spawn and join*, N trivial tasks that each return a value.
//! - [`ping_pong`]: W3 *ping-pong*, two tasks pass a token back and forth R times.
//! - [`idle`]: W4 *idle tasks*, N tasks held alive and waiting while memory is read.
//! - [`sizes`]: the named sizes of every workload, per profile (full, quick, smoke, test).
//! - [`rng`]: the one seeded generator every input comes from.
//! - [`workers`]: how many worker threads every multi-threaded model gets.

pub mod idle;
pub mod model;
pub mod ping_pong;
pub mod rng;
pub mod sizes;
pub mod spawn_join;
pub mod waits;
pub mod workers;

pub use model::{Kind, Model, ModelInfo, Skip};

/// A workload's answer did not match the expected one: the run must fail, not report a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrongAnswer {
    /// Which workload.
    pub workload: &'static str,
    /// What was expected and what came back, in words.
    pub detail: String,
}

impl std::fmt::Display for WrongAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: wrong answer: {}", self.workload, self.detail)
    }
}

impl std::error::Error for WrongAnswer {}

/// `Ok` when `got` is `want`, else the [`WrongAnswer`] that shows both.
pub(crate) fn compare<T: PartialEq + std::fmt::Debug>(
    workload: &'static str,
    want: &T,
    got: &T,
) -> Result<(), WrongAnswer> {
    if got == want {
        Ok(())
    } else {
        Err(WrongAnswer { workload, detail: format!("expected {want:?}, got {got:?}") })
    }
}
