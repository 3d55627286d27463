//! Chapter 0, "From Python's asyncio to Rust": one module per section, each a few small
//! functions and the tests that show what they claim.

pub mod budget;
pub mod cancel_safety;
pub mod executor;
pub mod files;
pub mod joining;
pub mod lazy;
pub mod runtimes;
pub mod send;
pub mod streams;
