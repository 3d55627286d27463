//! What `cargo bench` runs (`benches/compare.rs` only calls [`main`]).
//!
//! 1. Read the arguments ([`args`]) and build the run's [`Context`]: the profile (sizes),
//!    the worker count, every model built once (so no figure includes a runtime's
//!    start-up). The context never changes during the run.
//! 2. Plan ([`plan`]): every benchmark id of every registered workload ([`registry`]), and
//!    which ones the filter selects. A filter that selects nothing stops here, with exit
//!    code 2 and the report untouched; `--list` prints the ids and stops.
//! 3. Measure, in rounds ([`rounds`]): each round, every workload's registration measures
//!    its planned points once, the models in a new random order, through one of the
//!    measurement shapes, and returns its records (before each step, a line on stderr says
//!    where the run is and about how long is left: [`progress`]):
//!    - [`timing`]: a timed call with a checked answer (criterion);
//!    - [`latency`]: a distribution of samples (p50, p99, p99.9, max, from hdrhistogram);
//!    - [`concurrency_models::child`]: a measurement in a child process (memory, limits that abort a process);
//!    - [`timing::once`]: one timed call, for matrices of many cases where criterion's
//!      statistics would not fit the time budget.
//!
//!    Workloads of hand-offs between threads are measured under named placements of their
//!    threads ([`concurrency_models::placement`]).
//! 4. Make each figure the median of its rounds, with the rounds kept beside it
//!    ([`rounds::aggregate`]), and derive the figures computed from others (speedups over
//!    the baseline's median).
//! 5. Merge the records into the last report of the same profile
//!    ([`report::Report::merged_into`]), print the comparison table and write
//!    `target/report/` (REPORT.md, results.json, charts). A filtered run replaces only the
//!    figures it measured.

pub mod args;
pub mod compute;
pub mod host;
pub mod idle;
pub mod latency;
pub mod lifecycle;
pub mod network;
pub mod plan;
pub mod progress;
pub mod python;
pub mod registry;
pub mod rounds;
pub mod sharing;
pub mod tasks;
pub mod timing;
pub mod watchdog;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use criterion::Criterion;
use report::{Column, Part, Provenance, Record, Report};
use workloads::catalogue::Placement;
use workloads::{Model, ModelInfo, Profile, Role, catalogue};

use args::Args;
use concurrency_models::models::ModelId;
use plan::{ModelPoints, Plan, Point};
use registry::Registration;
use watchdog::Watchdog;

/// A benchmark that makes no progress for this long has hung: the run stops with an error.
pub const HANG_LIMIT: Duration = Duration::from_secs(300);

/// The exit codes of a run, the same as every binary's: 0 measured what it was asked to (or
/// listed the ids), 1 failed, 2 bad input (a bad argument or `BENCH_WORKERS`, a filter that
/// matches nothing).
pub use concurrency_models::cli::{EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK};

/// A model, built, with what it says about itself.
pub struct Entry {
    /// Its id.
    pub id: ModelId,
    /// Its identity and properties.
    pub info: ModelInfo,
    /// The model.
    pub model: Box<dyn Model>,
}

/// What one run is asked to do, fixed before anything is measured.
pub struct Context {
    /// What the command line asked for.
    pub args: Args,
    /// The sizes in force.
    pub profile: Profile,
    /// Worker threads of every multi-threaded model.
    pub workers: usize,
    /// Every model, built, in table order.
    pub models: Vec<Entry>,
    /// The `probe` binary, for measurements in a child process.
    pub probe_exe: PathBuf,
    /// The `kernels` binary, for the CPU-bound kernels; cargo builds it beside `probe`.
    pub kernels_exe: PathBuf,
    /// The `serve` binary: each model's HTTP server in a process of its own.
    pub serve_exe: PathBuf,
    /// The `load` binary: the load generator.
    pub load_exe: PathBuf,
    /// How the cores idle while the run measures (held out of deep idle, unless turned off).
    pub idle: host::Idle,
    /// Stops the run if a benchmark hangs (measurements call `beat` as they progress).
    pub watchdog: Watchdog,
    /// How many times each criterion benchmark id has been measured in this run (once per
    /// round): criterion files the second and later under folders of their own.
    pub criterion_runs: std::sync::Mutex<std::collections::HashMap<String, usize>>,
}

impl Context {
    /// Every planned point with the model that runs it, model by model in the plan's order.
    pub fn points<'a>(&'a self, plan: &'a [ModelPoints]) -> impl Iterator<Item = (&'a Entry, &'a Point)> {
        plan.iter()
            .flat_map(move |selected| selected.points.iter().map(move |p| (&self.models[selected.model], p)))
    }

    /// The model that declares itself the baseline ([`workloads::Role::Baseline`]), if one
    /// does: the one every speedup divides by.
    pub fn baseline(&self) -> Option<&Entry> {
        self.models.iter().find(|e| e.info.role == Role::Baseline)
    }
}

/// What a stage measured: records for the table, notes for the report's provenance.
#[derive(Debug, Default)]
pub struct Measured {
    /// Figures, and reasons where there is no figure.
    pub records: Vec<Record>,
    /// Facts a reader needs (a limit that capped a figure, a shortened window).
    pub notes: Vec<String>,
}

impl Measured {
    /// Adds what another stage measured.
    pub fn extend(&mut self, other: Measured) {
        self.records.extend(other.records);
        self.notes.extend(other.notes);
    }
}

/// The workspace's root: this crate is `crates/harness` in it.
pub fn workspace_root() -> &'static Path {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().and_then(Path::parent).unwrap_or(manifest)
}

/// Where cargo puts build outputs, and so criterion's results and our report.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => dir.into(),
        None => workspace_root().join("target"),
    }
}

/// Where a run's report goes: one folder per profile, so that a report never mixes figures
/// of different sizes: `target/report/` (full), `target/report-quick/` (`--quick`) and
/// `target/report-smoke/` (`--test`, whose single-pass figures must never replace measured
/// ones).
pub fn report_dir(profile: Profile) -> PathBuf {
    target_dir().join(match profile {
        Profile::Full => "report",
        Profile::Quick => "report-quick",
        Profile::Smoke | Profile::Test => "report-smoke",
    })
}

/// Runs everything; `probe` is the path of the `probe` binary.
pub fn main(probe: &Path) -> ExitCode {
    let args = match Args::from_env() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let report_dir = report_dir(args.profile);
    ExitCode::from(run(args, probe, &report_dir, Criterion::default().configure_from_args()))
}

/// Runs what `args` asks for and merges the result into the report in `report_dir`.
/// [`main`] calls it with criterion configured from the command line; tests call it with
/// a criterion of their own and a temporary folder. Returns the exit code.
pub fn run(args: Args, probe: &Path, report_dir: &Path, criterion: Criterion) -> u8 {
    let settings = workloads::workers::worker_threads().and_then(|workers| {
        Ok((
            workers,
            rounds::count(args.profile)?,
            rounds::seed()?,
            host::parse_setting(std::env::var(host::ENV).ok().as_deref())?,
            python::Python::from_env()?,
        ))
    });
    let (workers, rounds, seed, latency, python) = match settings {
        Ok(settings) => settings,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_BAD_INPUT;
        }
    };
    let mut models = Vec::new();
    for id in ModelId::ALL {
        match id.build(workers) {
            Ok(model) => models.push(Entry { id, info: model.info(), model }),
            Err(message) => {
                eprintln!("error: {message}");
                return EXIT_FAILED;
            }
        }
    }
    let ctx = Context {
        profile: args.profile,
        args,
        workers,
        models,
        probe_exe: probe.to_owned(),
        kernels_exe: probe.with_file_name("kernels"),
        serve_exe: probe.with_file_name("serve"),
        load_exe: probe.with_file_name("load"),
        watchdog: Watchdog::start(HANG_LIMIT),
        criterion_runs: Default::default(),
        // Held only when something is measured (below), not for --list or a bad filter.
        idle: host::Idle::unheld(),
    };

    let mut registrations = registry::all();
    let plan = Plan::new(&ctx, &registrations);
    let python_points: Vec<python::PyPoint> = match python {
        python::Python::Off => Vec::new(),
        _ => python::points(ctx.profile, workers)
            .into_iter()
            .filter(|p| ctx.args.selects(&p.point.id))
            .collect(),
    };
    if ctx.args.list {
        plan.ids()
            .chain(python_points.iter().map(|p| p.point.id.as_str()))
            .for_each(|id| println!("{id}: benchmark"));
        return EXIT_OK;
    }
    if plan.is_empty() && python_points.is_empty() {
        eprintln!(
            "error: no benchmark id matches {}; nothing was measured and {} is unchanged.\n\
             Ids are workload/model/size, e.g. {}; `cargo bench -- --list` lists them all.",
            ctx.args.filter_text().unwrap_or("the filter"),
            report_dir.display(),
            // Every run plans ids even when the filter selects none of them: an id typed here
            // could go stale, one from the plan cannot.
            plan.example_id().unwrap_or_default(),
        );
        return EXIT_BAD_INPUT;
    }

    // No criterion plots: the report draws its own charts, and criterion's take seconds of
    // CPU per benchmark on a small machine.
    let mut criterion = criterion.without_plots();
    // Where and how, read before measuring: the commit (and whether the tree had changes) is
    // that of the code this run built, not of edits made while it ran.
    let provenance =
        Provenance::collect(workspace_root(), ctx.workers, ctx.args.command.clone(), ctx.profile.name());
    let mut ctx = ctx;
    ctx.idle = host::Idle::from_setting(latency);
    println!("{}", ctx.idle.words);
    let run_started = host::CpuTimes::now();
    let mut stolen: Vec<String> = Vec::new();
    let mut trials = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let most =
        registrations.iter().map(|r| registry::rounds_of(r.as_ref(), ctx.profile, rounds)).max().unwrap_or(1);
    // The last run of this profile timed its steps: the progress lines estimate from them.
    let previous_steps = report::read_previous(report_dir)
        .ok()
        .flatten()
        .map(|r| r.provenance.step_seconds)
        .unwrap_or_default();
    let schedule =
        progress::schedule(&plan, &registrations, ctx.profile, (rounds, most, seed), python_points.len());
    let rate = progress::rough_seconds_per_point(ctx.profile);
    let mut progress = progress::Progress::new(schedule, (rounds, most), previous_steps.clone(), rate);
    for pass in 0..most {
        if most > 1 {
            println!("\n== Pass {} of {most} ==", pass + 1);
        }
        for registration in registrations.iter_mut() {
            let own = registry::rounds_of(registration.as_ref(), ctx.profile, rounds);
            let Some(round) = rounds::round_in(pass, own, rounds, most, seed) else {
                continue;
            };
            let index = round.index;
            let Some(mut points) = progress::round_points(&plan, registration.as_ref(), ctx.profile, round)
            else {
                continue;
            };
            if index == 0 {
                trials.extend(plan::left_out(registration.as_ref(), &points, &ctx).records);
            }
            round.shuffle(registration.workload().id, &mut points);
            progress.start(pass, &progress::key(registration.workload().code, round.extra));
            let started = std::time::Instant::now();
            let cpu = host::CpuTimes::now();
            let measured = registration.measure(&ctx, &mut criterion, &points, round);
            progress.finish(started.elapsed());
            let steal = host::CpuTimes::now().steal_since(&cpu);
            println!(
                "-- {} (round {} of {own}): {:.1} s{}",
                registration.workload().id,
                index + 1,
                started.elapsed().as_secs_f64(),
                steal.map_or_else(String::new, |s| format!(
                    ", host steal {}",
                    report::provenance::steal_words(s)
                ))
            );
            if let Some(share) = steal.filter(|&s| s > host::STEAL_WORTH_A_NOTE) {
                stolen.push(format!(
                    "{} round {} ({})",
                    registration.workload().code,
                    index + 1,
                    report::provenance::steal_words(share)
                ));
            }
            trials.extend(measured.records);
            for note in measured.notes {
                if !notes.contains(&note) {
                    notes.push(note);
                }
            }
        }
        // The Python columns, in the passes of the run's own rounds, in a new order each.
        if !python_points.is_empty()
            && let Some(index) = rounds::passes(rounds, most).iter().position(|&p| p == pass)
        {
            let round = rounds::Round { index, of: rounds, extra: false, seed };
            progress.start(pass, progress::PYTHON);
            let started = std::time::Instant::now();
            trials.extend(python::measure(&ctx, &python, &python_points, round).records);
            progress.finish(started.elapsed());
            println!("-- python (round {} of {rounds}): {:.1} s", index + 1, started.elapsed().as_secs_f64());
        }
    }
    criterion.final_summary();
    let steal = host::CpuTimes::now().steal_since(&run_started);
    if !stolen.is_empty() {
        notes.push(format!(
            "The host took more than {:.0}% of the CPU time (steal time) during {}: figures that wait for a \
             wake-up may be slower in those rounds.",
            host::STEAL_WORTH_A_NOTE * 100.0,
            stolen.join(", ")
        ));
    }
    let mut records = rounds::aggregate(trials);
    for registration in &registrations {
        let derived = registration.derive(&ctx, &records);
        records.extend(derived);
    }
    records.extend(python::derive(&records));
    notes.insert(
        0,
        if rounds > 1 {
            let noisy: Vec<String> = registrations
                .iter()
                .filter(|r| plan.measures(r.workload()))
                .filter_map(|r| {
                    let own = registry::rounds_of(r.as_ref(), ctx.profile, rounds);
                    (own > rounds).then(|| format!("{} {own}", r.workload().code))
                })
                .collect();
            let extra = if noisy.is_empty() {
                String::new()
            } else {
                let base: Vec<String> =
                    rounds::passes(rounds, most).iter().map(|p| (p + 1).to_string()).collect();
                format!(
                    " The workloads whose figures move most from round to round (tail percentiles, contention, \
                     spawning from outside a runtime) had more rounds ({}), the extra ones measuring only the \
                     points the table reads: the run made {most} passes, the other workloads ran in passes {} and \
                     these in passes spread over all {most}, so that their extra rounds fall between the others' \
                     rather than together at the end.",
                    noisy.join(", "),
                    base.join(", ")
                )
            };
            format!(
                "Every figure is the median of {rounds} rounds. Each round measured every workload once, and \
                 each workload's models in a new random order (seed {seed}; {}={seed} repeats the order); \
                 the rounds follow each other, so a model's rounds are spread over the run. The spread shown \
                 beside a figure (±) is half the range of its rounds, relative to the figure.{extra}",
                rounds::SEED_ENV
            )
        } else {
            "One round: each figure was measured once, with no spread to show.".to_owned()
        },
    );
    if plan.pins_threads() {
        notes.insert(
            1,
            format!(
                "Hand-offs between threads (W3, W9, and the table's sizes of W10 and W12) were measured twice: with \
                 every thread of the process pinned to core {} (`{}`: each hand-off a switch on one core), and with \
                 every thread free on the {} core(s) the run may use (`{}`: the scheduler's choice, as any program \
                 runs by default). Each row of the table names the placement it shows.",
                concurrency_models::placement::ONE_CORE,
                Placement::OneCore.id(),
                concurrency_models::placement::current_cores().len(),
                Placement::AllCores.id()
            ),
        );
    }
    let measured = Measured { records, notes };
    // A filtered run times only part of each step: the next run estimates from the last
    // whole run's times instead.
    let step_seconds =
        if ctx.args.filter_text().is_none() { progress.step_seconds() } else { previous_steps };

    let report = new_report(
        &ctx,
        &registrations,
        &plan,
        measured,
        Provenance { steal, step_seconds, ..provenance },
        &python,
    );
    let report = match report::read_previous(report_dir) {
        Ok(Some(previous)) => report.merged_into(previous),
        Ok(None) => report.merged_into(Report::default()),
        Err(e) => {
            // Never overwrite what cannot be read: it may hold an hour of measurements.
            let kept = report_dir.join("results.json.unreadable");
            eprintln!("warning: {e}; kept it as {} and started a new report", kept.display());
            if let Err(e) = std::fs::rename(report_dir.join("results.json"), &kept) {
                eprintln!("error: could not move it aside: {e}; the report is not written");
                return EXIT_FAILED;
            }
            report.merged_into(Report::default())
        }
    };
    println!("\n{}", report::render_table(&report));
    if let Some(tutorial) = report::tutorial::render_tutorial_table(&report) {
        println!("The tutorial's table, measured:\n\n{tutorial}");
    }
    match report::write_report(report_dir, &report) {
        Ok(()) => {
            println!("Report written to {}", report_dir.join("REPORT.md").display());
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: could not write the report to {}: {e}", report_dir.display());
            EXIT_FAILED
        }
    }
}

/// This run's report: columns, the named sizes the rows read, records and provenance.
fn new_report(
    ctx: &Context,
    registrations: &[Box<dyn Registration>],
    plan: &Plan,
    measured: Measured,
    mut provenance: Provenance,
    python: &python::Python,
) -> Report {
    // One column per model, and one per reference a model's runtime hosts, right after
    // the models; each with the part its model declares.
    let columns: Vec<Column> = ctx
        .models
        .iter()
        .map(|Entry { info, .. }| Column {
            id: info.id.to_owned(),
            name: info.name.to_owned(),
            concurrency: info.concurrency.to_owned(),
            best_for: info.best_for.to_owned(),
            debugging: info.debugging.to_owned(),
            workers: info.workers,
            part: match info.role {
                Role::Baseline => Part::Baseline,
                Role::Compared => Part::Compared,
            },
        })
        .chain(ctx.models.iter().flat_map(|Entry { info, .. }| {
            info.references.iter().map(move |reference| Column {
                id: reference.id.to_owned(),
                name: reference.name.to_owned(),
                concurrency: reference.concurrency.to_owned(),
                best_for: reference.best_for.to_owned(),
                debugging: reference.debugging.to_owned(),
                workers: info.workers,
                part: Part::Reference,
            })
        }))
        .chain(python.columns(ctx.workers))
        .collect();
    provenance.idle = ctx.idle.code.to_owned();
    provenance.notes.push(ctx.idle.words.clone());
    provenance.notes.push(python.note());
    provenance.notes.push(format!(
        "Every multi-threaded runtime and pool ran {} worker threads ({}={}).",
        ctx.workers,
        workloads::workers::ENV,
        std::env::var(workloads::workers::ENV).unwrap_or_else(|_| "unset: one per core".to_owned())
    ));
    let mut sizes = Vec::new();
    for registration in registrations.iter().filter(|r| plan.measures(r.workload())) {
        provenance.notes.extend(registration.notes(ctx.profile));
        sizes.extend(registration.spec().named_sizes(ctx.profile).into_iter().map(report::NamedSize::from));
    }
    provenance.notes.extend(measured.notes);
    // The order of the report's sections and rows: catalogue order, then table order, then
    // size (a size's reason, recorded before anything ran, goes where its size belongs).
    let mut records = measured.records;
    let workload_index = |id: &str| catalogue::workloads().position(|w| w.id == id).unwrap_or(usize::MAX);
    let model_index = |id: &str| ctx.models.iter().position(|e| e.info.id == id).unwrap_or(usize::MAX);
    let variant_index = |id: &Option<String>| catalogue::variants().position(|v| Some(v.id) == id.as_deref());
    records.sort_by_key(|r| {
        (
            workload_index(&r.workload),
            model_index(&r.model),
            variant_index(&r.variant),
            r.n.unwrap_or(u64::MAX),
        )
    });
    Report { provenance, earlier_runs: Vec::new(), columns, sizes, records }
}
