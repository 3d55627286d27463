//! What every binary of the workspace starts with: its arguments parsed, and one exit code
//! for each way a run can end.

use std::process::ExitCode;

/// Exit code of a run that did what it was asked to.
pub const EXIT_OK: u8 = 0;
/// Exit code of a run that failed once started (a runtime that would not start, a server
/// that failed, a report not written).
pub const EXIT_FAILED: u8 = 1;
/// Exit code of bad input: a bad argument or environment variable, a file that is not what
/// it should be, a filter that matches nothing. clap uses it too.
pub const EXIT_BAD_INPUT: u8 = 2;

/// The exit code of bad input, as an [`ExitCode`].
pub fn bad_input() -> ExitCode {
    ExitCode::from(EXIT_BAD_INPUT)
}

/// The worker count: `--workers` if given, else `BENCH_WORKERS` or the core count
/// ([`workloads::workers::worker_threads`]). A bad `BENCH_WORKERS` prints why and gives back
/// the exit code of bad input.
///
/// # Errors
/// The exit code of bad input.
pub fn workers(given: Option<u64>) -> Result<usize, ExitCode> {
    match given {
        Some(n) => Ok(n as usize),
        None => workloads::workers::worker_threads().map_err(|message| {
            eprintln!("error: {message}");
            bad_input()
        }),
    }
}

/// Parses the command line into `A`. `--help` and `--version` print and exit 0: they are
/// not errors. A bad argument prints clap's message, which names it, then `hint` (the valid
/// values, say) if there is one, and gives back the exit code of bad input for `main` to
/// return.
///
/// # Errors
/// The arguments do not parse: the exit code to return.
pub fn parse<A: clap::Parser>(hint: Option<&dyn Fn() -> String>) -> Result<A, ExitCode> {
    match A::try_parse() {
        Ok(args) => Ok(args),
        Err(e) if !e.use_stderr() => e.exit(),
        Err(e) => {
            eprint!("{e}");
            if let Some(hint) = hint {
                eprintln!("{}", hint());
            }
            Err(bad_input())
        }
    }
}
