//! What `cargo bench` runs (`benches/compare.rs` only calls [`main`]).
//!
//! 1. Read the arguments ([`args`]): the filter, `--test`, `--quick`, `--list`.
//! 2. Build every model once, with the same worker count, so that no figure includes a
//!    runtime's start-up.
//! 3. Time W1 to W3 with criterion ([`timing`]), checking every answer.
//! 4. Measure W4's memory in child processes ([`idle`]).
//! 5. Print the comparison table and write `target/report/` (REPORT.md, results.json,
//!    charts), with the provenance of the run.

pub mod args;
pub mod idle;
pub mod timing;
pub mod watchdog;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use criterion::Criterion;
use report::{Column, Provenance, Record, Report};
use workloads::Model;

use crate::models::ModelId;
use args::Args;
use watchdog::Watchdog;

/// A benchmark that makes no progress for this long has hung: the run stops with an error.
pub const HANG_LIMIT: Duration = Duration::from_secs(300);

/// The state of one `cargo bench` run.
pub struct Harness {
    /// What the command line asked for.
    pub args: Args,
    /// Worker threads of every multi-threaded model.
    pub workers: usize,
    /// Every model, built, in table order.
    pub models: Arc<Vec<(ModelId, Box<dyn Model>)>>,
    /// Every figure measured so far.
    pub records: Vec<Record>,
    /// Facts for the report's provenance (limits hit, settings).
    pub notes: Vec<String>,
    /// Stops the run if a benchmark hangs.
    pub watchdog: Watchdog,
}

/// Where cargo puts build outputs, and so criterion's results and our report.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => dir.into(),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
    }
}

/// Runs everything; `probe` is the path of the `probe` binary.
pub fn main(probe: &Path) -> ExitCode {
    let args = match Args::from_env() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let workers = match workloads::workers::worker_threads() {
        Ok(n) => n,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let mut models = Vec::new();
    for id in ModelId::ALL {
        match id.build(workers) {
            Ok(model) => models.push((id, model)),
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::FAILURE;
            }
        }
    }
    let mut harness = Harness {
        args,
        workers,
        models: Arc::new(models),
        records: Vec::new(),
        notes: Vec::new(),
        watchdog: Watchdog::start(HANG_LIMIT),
    };

    // No criterion plots: the report draws its own charts, and criterion's take seconds of
    // CPU per benchmark on a small machine.
    let mut criterion = Criterion::default().without_plots().configure_from_args();
    timing::concurrent_waits(&mut harness, &mut criterion);
    timing::spawn_join(&mut harness, &mut criterion);
    timing::ping_pong(&mut harness, &mut criterion);
    idle::idle_tasks(&mut harness, probe);
    criterion.final_summary();
    if harness.args.list {
        return ExitCode::SUCCESS;
    }

    let report = harness.into_report();
    println!("\n{}", report::render_table(&report));
    let dir = target_dir().join("report");
    match report::write_report(&dir, &report) {
        Ok(()) => {
            println!("Report written to {}", dir.join("REPORT.md").display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: could not write the report to {}: {e}", dir.display());
            ExitCode::FAILURE
        }
    }
}

impl Harness {
    /// Turns the run into the report: columns, records and provenance.
    fn into_report(self) -> Report {
        let columns = self
            .models
            .iter()
            .map(|(_, model)| {
                let info = model.info();
                Column {
                    id: info.id.to_owned(),
                    name: info.name.to_owned(),
                    concurrency: info.concurrency.to_owned(),
                    best_for: info.best_for.to_owned(),
                    debugging: info.debugging.to_owned(),
                    workers: info.workers,
                }
            })
            .collect();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut provenance =
            Provenance::collect(root, self.workers, self.args.command.clone(), self.args.profile.name());
        let sizes = workloads::waits::sizes(self.args.profile);
        provenance.notes.push(format!(
            "Every multi-threaded runtime and pool ran {} worker threads ({}={}).",
            self.workers,
            workloads::workers::ENV,
            std::env::var(workloads::workers::ENV).unwrap_or_else(|_| "unset: one per core".to_owned())
        ));
        provenance.notes.push(format!(
            "W1 waits last {} ms each; a size whose expected time is over {:.1} s per run is not run, and its cell says so.",
            sizes.wait.as_millis(),
            sizes.budget.as_secs_f64()
        ));
        provenance.notes.extend(self.notes);
        Report { provenance, columns, records: self.records }
    }
}
