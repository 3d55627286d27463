//! `cargo bench`: every model through every workload, then the comparison table.
//! The harness lives in the library (`src/harness`); this file only hands it the probe.

fn main() -> std::process::ExitCode {
    concurrency_models::harness::main(std::path::Path::new(env!("CARGO_BIN_EXE_probe")))
}
