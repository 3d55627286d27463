//! The contract every model implements, and the one home of the workloads' names, sizes,
//! inputs and expected answers.
//!
//! A model crate (`model-tokio`, `model-threads`, ...) writes each workload in its own
//! style; everything the models must agree on lives here, so that no model can pick an
//! easier size or check a weaker answer:
//!
//! - [`catalogue`]: the types of the ids, and the index of every workload's ids ([`INDEX`]).
//! - [`model`]: the contract: one trait per chapter ([`Tasks`], [`Lifecycle`], [`Sharing`],
//!   [`Compute`], [`Network`]), [`Model`]
//!   (all of them, plus [`ModelInfo`]: identity, properties, and the workloads it does not
//!   run with their reasons, [`Cannot`]) and [`NotRun`] (a method's "cannot" or "failed").
//! - One module per workload, each with its ids, its sizes per profile, its inputs and its
//!   check:
//!   - chapter 1, tasks: [`waits`] (W1), [`spawn_join`] (W2), [`ping_pong`] (W3),
//!     [`idle`] (W4);
//!   - chapter 2, task lifecycles: [`gather`] (W5), [`cancellation`] (W6), [`timeouts`]
//!     (W7), [`scoped`] (W8), [`streams`] (W9);
//!   - chapter 3, shared state and queues: [`locks`] (W10), [`semaphore`] (W11),
//!     [`channels`] (W12).
//!   - CPU-bound work (the docs' chapters 6 and 7): [`mandelbrot`] (W16), [`merge_sort`] (W17), [`hashing`]
//!     (W18), all three run the [`cpu`] ways; [`stall`] (W19), the blocking pitfall.
//!   - the network (the docs' chapters 4 and 5): [`server`] (W13: the load steps and their sizes),
//!     [`client`] (W15: the fan-outs, their check, the blocking fetch the models without a
//!     runtime share, and the error texts every client uses), and [`http`], the HTTP/1.1
//!     protocol core both share.
//! - [`resource`]: the counted resource W6 and W8 acquire and must release.
//! - [`profile`]: the size profiles (full, quick, smoke, test) and the time budget rule.
//! - [`rng`]: the one seeded generator every input comes from.
//! - [`workers`]: how many worker threads every multi-threaded model gets.
//! - [`text`]: numbers as people read them.

pub mod blocking;
pub mod cancellation;
pub mod catalogue;
pub mod channels;
pub mod client;
pub mod cpu;
pub mod gather;
pub mod hashing;
pub mod http;
pub mod idle;
pub mod locks;
pub mod mandelbrot;
pub mod merge_sort;
pub mod model;
pub mod ping_pong;
pub mod profile;
pub mod resource;
pub mod rng;
pub mod scoped;
pub mod semaphore;
pub mod server;
pub mod spawn_join;
pub mod spec;
pub mod stall;
pub mod streams;
pub mod text;
pub mod timeouts;
pub mod waits;
pub mod workers;

pub use model::{
    Cannot, Compute, Kind, Lifecycle, Model, ModelInfo, Network, NotRun, PROCESS_START, Reference, Role,
    Sharing, Tasks,
};
pub use profile::Profile;

/// Every workload's ids, in the order of the course: the index [`catalogue`] reads. A new
/// workload adds its module above and its `IDS` here.
pub const INDEX: &[&catalogue::Ids] = &[
    &waits::IDS,
    &spawn_join::IDS,
    &ping_pong::IDS,
    &idle::IDS,
    &gather::IDS,
    &cancellation::IDS,
    &timeouts::IDS,
    &scoped::IDS,
    &streams::IDS,
    &locks::IDS,
    &semaphore::IDS,
    &channels::IDS,
    &server::IDS,
    &client::IDS,
    &mandelbrot::IDS,
    &merge_sort::IDS,
    &hashing::IDS,
    &stall::IDS,
];

/// A workload's answer did not match the expected one: the run must fail, not report a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrongAnswer {
    /// Which workload (its catalogue id).
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
