//! `cargo bench`: every model through every workload, then the comparison table.
//! The harness is the `harness` crate (`crates/harness`); this file only hands it the probe.

fn main() -> std::process::ExitCode {
    harness::main(std::path::Path::new(env!("CARGO_BIN_EXE_probe")))
}
