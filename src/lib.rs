//! The parts the binaries share: every model, the child processes that measure them, the
//! load generator and the servers. What `cargo bench` runs with them (criterion, the
//! rounds, the report) is the `harness` crate, so that the binaries do not link criterion.
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
//! - [`cli`]: what every binary starts with: its arguments parsed, and its exit codes.
//! - [`tree`]: a process and every process below it, for the measurements of a model whose
//!   tasks are processes of their own.
//!
//! The workloads themselves live in the model crates (`crates/model-*`), their sizes and
//! expected answers in `crates/workloads`, and the table's rendering in `crates/report`.

pub mod child;
pub mod cli;
pub mod kernels;
pub mod load;
pub mod memory;
pub mod models;
pub mod placement;
pub mod probe;
pub mod serve;
pub mod tree;
