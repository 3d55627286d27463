//! Solutions to the exercises at the end of each chapter, with the tests that check them.

pub mod ch00;
