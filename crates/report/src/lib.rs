//! Turns the records of a benchmark run into the comparison table, `results.json`,
//! `REPORT.md`, SVG charts and `report.html`.
//!
//! - [`record`]: the data a run produces ([`Record`], [`Column`], [`Provenance`], [`Report`]).
//! - [`format`](mod@format): how numbers read: `742 ns`, `3.12 µs`, `28.1 KiB`, `1 000 000`.
//! - [`rows`]: the comparison table's rows: what each shows, and how its cells read the
//!   records ([`rows::ROWS`]).
//! - [`table`]: the Markdown comparison table, one column per model ([`render_table`]).
//! - [`tutorial`]: the tutorial's own table, word by word, with the Python and Rust figures
//!   behind each word and a verdict.
//! - [`chapters`]: every figure a Python column measured, beside its Rust counterparts.
//! - [`charts`]: SVG bar and line charts drawn with plotters ([`render_charts`]).
//! - [`html`]: `report.html`, the tables and every chart on one self-contained page
//!   ([`html::render_html`]).
//! - [`provenance`]: collecting where and how the numbers were made ([`Provenance::collect`]).
//! - [`write`](mod@write): writing everything into one directory ([`write_report`]).
//! - [`compare`](mod@compare): two runs side by side, and which figures moved beyond their spreads.

pub mod chapters;
pub mod charts;
pub mod compare;
pub mod format;
pub mod html;
pub mod provenance;
pub mod record;
pub mod rows;
pub mod table;
pub mod tutorial;
pub mod write;

pub use charts::{Chart, render_charts};
pub use provenance::render_provenance;
pub use record::*;
pub use table::{KERNEL_NOISE_BYTES, OLDER_MARK, render_table};
pub use write::{read_previous, render_markdown, write_report};
