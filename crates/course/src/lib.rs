//! The course's foundations and its pitfalls gallery, as small functions that compile and
//! are tested.
//!
//! The model crates answer "how fast, and at what cost"; this crate answers the questions a
//! reader coming from Python's asyncio asks first: what is a future, who runs it, why does
//! `tokio::spawn` want `Send + 'static`, what does cancelling do, and what goes wrong. Each
//! function is shown in the course by a marker, so the code in the docs is this code.
//!
//! **Layout**:
//! - [`foundations`]: chapter 0, "From Python's asyncio to Rust" (`docs/00-from-python.md`).
//!   - [`foundations::lazy`]: a future does nothing until it is polled; a spawned task runs
//!     at once.
//!   - [`foundations::executor`]: a whole executor in twenty lines: `block_on` with a waker
//!     that unparks a thread.
//!   - [`foundations::runtimes`]: what `#[tokio::main]` writes for you, and `smol::block_on`.
//!   - [`foundations::send`]: why `tokio::spawn` asks for `Send + 'static`, and what to do
//!     about it (move, `Arc`, a `LocalSet`, the right mutex).
//!   - [`foundations::joining`]: `join!`, `join_all` and `FuturesUnordered` in one task, and
//!     spawned tasks.
//!   - [`foundations::cancel_safety`]: `select!` drops the losing branch; a read that keeps
//!     its bytes and one that loses them.
//!   - [`foundations::files`]: `tokio::fs`, the tutorial's aiofiles, and what it does under
//!     the hood.
//!   - [`foundations::streams`]: a `Stream` written by hand, the tutorial's `__anext__`.
//!   - [`foundations::budget`]: tokio's cooperative budget, which makes a busy task yield.
//! - [`pitfalls`]: the gallery (`docs/09-pitfalls-gallery.md`): each mistake as code that
//!   shows it failing, beside its fix.
//! - [`solutions`]: the solutions of chapter 0's exercises.
//! - `compile_fail/`: the mistakes the compiler refuses, one small file each, checked by the
//!   `compile_fail` doctests of the functions that fix them (`cargo test -p course --doc`).
//! - `examples/asyncio_run.rs`: `#[tokio::main]`, Rust's `asyncio.run`
//!   (`cargo run -p course --example asyncio_run`).

pub mod foundations;
pub mod pitfalls;
pub mod solutions;
