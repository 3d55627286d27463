//! The harness: every model, run through the same workloads, measured one way, and turned
//! into one comparison table.
//!
//! - [`models`]: the list of models (one column each) and how each is built.
//! - [`memory`]: reading the process's and the kernel's memory figures from `/proc`.
//! - [`probe`]: W4's measurement, run in a fresh child process per size (the `probe`
//!   binary), and the parent side that starts it, bounds it in time and reads its answer.
//! - [`kernels`]: W16–W18's measurement, one kernel, model and worker count per child
//!   process (the `kernels` binary), and the parent side that starts it.
//! - [`load`]: the load generator (the `load` binary), closed and open loop.
//! - [`placement`]: pinning every thread of the process to one core, or freeing them, for
//!   the workloads whose figures depend on where their threads run.
//! - [`serve`]: the `serve` binary's parts (every model's HTTP server, and hyper's), and
//!   the parent's side that starts it, stops it and reads what it did.
//! - [`child`]: running a child process: spawn it, wait for it with a timeout, read its
//!   answer as one JSON line (the shape of [`probe`]'s and [`kernels`]' measurements).
//! - [`harness`]: what `cargo bench` runs: criterion groups for the timed workloads, the
//!   probes for memory, and the report at the end.
//!
//! The workloads themselves live in the model crates (`crates/model-*`), their sizes and
//! expected answers in `crates/workloads`, and the table's rendering in `crates/report`.

pub mod child;
pub mod harness;
pub mod kernels;
pub mod load;
pub mod memory;
pub mod models;
pub mod placement;
pub mod probe;
pub mod serve;
