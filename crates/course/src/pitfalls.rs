//! The pitfalls gallery (`docs/09-pitfalls-gallery.md`): each mistake as code that shows
//! it failing, and its fix beside it, both tested.
//!
//! Where the compiler catches the mistake, the failing code is a file of `compile_fail/`
//! checked by a `compile_fail` doctest; where it compiles and misbehaves, a test runs it
//! and asserts the misbehaviour, within a bounded time.
//!
//! The lock guard held across an `.await` lives in [`crate::foundations::send`], where
//! chapter 0 explains `Send`.

pub mod blocking_in_rayon;
pub mod blocking_in_runtime;
pub mod cancellation_cleanup;
pub mod dropped_task;
pub mod forgotten_await;
pub mod lock_while_sending;
pub mod unbounded_channel;
