//! The course's exercises, solved.
//!
//! Every chapter of the course (`docs/`) ends with exercises. Each exercise's solution is
//! real code here, one module per chapter, with a test that checks it; the chapter shows
//! the solution through the docs' code markers, so it cannot drift from what compiles.
//!
//! Run one chapter's solutions (each finishes within a minute):
//!
//! ```sh
//! cargo test -p exercises ch01::
//! ```
//!
//! Try an exercise before reading its solution: the chapter states it, with the command
//! that checks your answer.

pub mod ch01;
pub mod ch02;
pub mod ch03;
pub mod ch04;
pub mod ch05;
pub mod ch06;
pub mod ch07;
pub mod ch08;
