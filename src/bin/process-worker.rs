//! The worker program of the processes model: `process-worker ROLE ARGS...` runs one
//! workload's child code (see `model_processes::worker`). It is started by the model, not by
//! hand.

fn main() -> std::process::ExitCode {
    model_processes::worker::child_main()
}
