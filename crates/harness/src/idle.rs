//! W4: memory per idle task, measured by the `probe` binary in a fresh child process per
//! size (the [child-process shape](concurrency_models::child)), and the largest number of tasks
//! (threads) one process could hold.
//!
//! Figures, per model and size N:
//! - `rss_bytes_per_task` = (peak RSS with N tasks − peak RSS with 1 task) / N; for a model
//!   whose tasks are processes, the RSS summed over the process tree at the peak;
//! - `pss_bytes_per_task` = the same growth of the proportional set size summed over the
//!   process tree: what a tree of processes costs once shared pages are counted once;
//! - `kernel_bytes_per_task` = growth of the kernel's stacks, page tables and slab while
//!   the N tasks started, / N (system-wide counters: approximate);
//! - `largest_n`: the largest N held (for a model bounded by a limit of the OS, its thread
//!   limit or the open files of the parent of its processes, found by a search up to it).

use std::path::Path;
use std::time::Duration;

use criterion::Criterion;
use report::Record;
use workloads::idle;
use workloads::idle::{IDLE_KERNEL, IDLE_LARGEST_N, IDLE_PSS, IDLE_RSS};
use workloads::spec::Spec;

use super::plan::ModelPoints;
use super::registry::Registration;
use super::rounds::Round;
use super::{Context, Entry, Measured};
use concurrency_models::models::ModelId;
use concurrency_models::probe::{self, ProbeReport};

/// One probe may run this long before it is killed and its size reported as failed.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(120);

/// A pause before each model's probes: the kernel frees a finished probe's thread stacks
/// and page tables lazily, and the next probe reads system-wide counters.
const SETTLE: Duration = Duration::from_millis(500);

/// W4, idle tasks, in child processes.
#[derive(Debug)]
pub struct IdleTasks;

impl Registration for IdleTasks {
    fn spec(&self) -> &'static dyn Spec {
        &workloads::idle::Declared
    }

    fn measure(
        &mut self,
        ctx: &Context,
        _criterion: &mut Criterion,
        plan: &[ModelPoints],
        round: Round,
    ) -> Measured {
        let mut measured = Measured::default();
        // The limit searches are left for last, in the last round: they leave the most
        // kernel memory behind, and a limit is one figure per run, not a spread.
        let mut limit_searches = Vec::new();
        for selected in plan.iter().filter(|s| !s.points.is_empty()) {
            let entry = &ctx.models[selected.model];
            let id = entry.info.id;
            let wanted: Vec<usize> = selected.points.iter().map(|p| p.n).collect();
            println!("{}/{id}: probing {wanted:?} tasks, each in a fresh process", idle::IDLE.id);
            std::thread::sleep(SETTLE);
            let (records, held) = measure_model(ctx, entry, &wanted);
            measured.records.extend(records);
            if let Some(held) = held {
                limit_searches.push((entry.id, held));
            }
        }
        if let (Some(ceiling), true) = (idle::sizes(ctx.profile).thread_limit_search, round.is_last()) {
            for (model, known_good) in limit_searches {
                measured.extend(search_os_limit(ctx, model, known_good, ceiling));
            }
        }
        measured
    }
}

/// The `largest_n` of a model bounded by a limit of the OS: a search up to `ceiling` with
/// fresh probe processes, starting from a count already seen to work.
fn search_os_limit(ctx: &Context, model: ModelId, known_good: usize, ceiling: usize) -> Measured {
    let id = model.as_str();
    println!("{}/{id}: searching for the limit (up to {ceiling})", idle::IDLE.id);
    let limit = probe::find_limit(&ctx.probe_exe, model, ctx.workers, known_good, ceiling, PROBE_TIMEOUT);
    ctx.watchdog.beat();
    let note = format!(
        "The limit of {id} was found with {} probe processes; the kernel allows {} memory mappings per \
         process (vm.max_map_count), {} threads system-wide (kernel.threads-max), {} process ids \
         (kernel.pid_max), and a process {} open files (RLIMIT_NOFILE, which bounds the pipes a parent \
         holds to its worker processes).",
        limit.probes,
        read_sysctl("vm/max_map_count"),
        read_sysctl("kernel/threads-max"),
        read_sysctl("kernel/pid_max"),
        open_file_limit()
    );
    let record = Record::value(id, &IDLE_LARGEST_N, None, limit.largest as f64).with_note(limit.past_it);
    Measured { records: vec![record], notes: vec![note] }
}

/// The probes of one model: a baseline of one task, then each size. Returns the records,
/// and the largest size held when the limit is still to be searched for (a model bounded by
/// the thread limit, with no limit reached).
fn measure_model(ctx: &Context, entry: &Entry, wanted: &[usize]) -> (Vec<Record>, Option<usize>) {
    let id = entry.info.id;
    let run = |n: usize| probe::run_child(&ctx.probe_exe, entry.id, n, ctx.workers, PROBE_TIMEOUT);
    let mut records = Vec::new();
    let baseline = match run(1) {
        Ok(report) => report,
        Err(failure) => {
            let reason = format!("baseline probe (1 task) failed: {failure}");
            records.push(Record::reason(id, &IDLE_RSS, None, reason));
            return (records, None);
        }
    };
    ctx.watchdog.beat();

    let mut largest = None;
    let mut stopped = None;
    for &n in wanted {
        let result = run(n);
        ctx.watchdog.beat();
        match result {
            Ok(report) if report.error.is_none() => {
                records.extend(per_task_records(id, n, &report, &baseline));
                println!(
                    "{}/{id}/{n}: {:.0} bytes per task (RSS)",
                    idle::IDLE.id,
                    rss_per_task(n, &report, &baseline)
                );
                largest = Some(n);
            }
            Ok(report) => {
                // The probe survived a limit and says where it stopped.
                stopped = Some((report.started, report.error.unwrap_or_default()));
                break;
            }
            Err(failure) => {
                records.push(Record::reason(id, &IDLE_RSS, Some(n as u64), failure.clone()));
                stopped = Some((largest.unwrap_or(0), failure));
                break;
            }
        }
    }

    let search = idle::sizes(ctx.profile).thread_limit_search.is_some();
    let record = match (stopped, largest) {
        (Some((held, why)), _) => {
            Record::value(id, &IDLE_LARGEST_N, None, held as f64).with_note(format!("past it: {why}"))
        }
        (None, Some(n)) if search && entry.info.has_os_limit() => return (records, Some(n)),
        (None, Some(n)) => Record::value(id, &IDLE_LARGEST_N, None, n as f64)
            .with_note("largest size tried; no limit reached"),
        (None, None) => return (records, None),
    };
    records.push(record);
    (records, None)
}

/// Resident growth per task over the one-task baseline (the peak of one process, or the sum
/// over a tree of processes: `Snapshot::resident_kib`).
fn rss_per_task(n: usize, report: &ProbeReport, baseline: &ProbeReport) -> f64 {
    let grown_kib = report.at_peak.resident_kib() as f64 - baseline.at_peak.resident_kib() as f64;
    grown_kib * 1024.0 / n as f64
}

/// Proportional-set growth per task over the one-task baseline, summed over the process tree.
fn pss_per_task(n: usize, report: &ProbeReport, baseline: &ProbeReport) -> f64 {
    let grown_kib = report.at_peak.tree_pss_kib as f64 - baseline.at_peak.tree_pss_kib as f64;
    grown_kib * 1024.0 / n as f64
}

/// The records of one size: RSS, PSS and kernel bytes per task.
fn per_task_records(id: &str, n: usize, report: &ProbeReport, baseline: &ProbeReport) -> Vec<Record> {
    let size = Some(n as u64);
    let kernel_kib = report.at_peak.kernel_growth_kib(&report.before)
        - baseline.at_peak.kernel_growth_kib(&baseline.before);
    vec![
        Record::value(id, &IDLE_RSS, size, rss_per_task(n, report, baseline)),
        Record::value(id, &IDLE_PSS, size, pss_per_task(n, report, baseline))
            .with_note("proportional set size summed over the process and the processes it started"),
        Record::value(id, &IDLE_KERNEL, size, kernel_kib as f64 * 1024.0 / n as f64)
            .with_note("system-wide KernelStack + PageTables + SUnreclaim growth: approximate"),
    ]
}

/// This process's soft limit on open files, from `/proc/self/limits` ("?" if unreadable).
fn open_file_limit() -> String {
    std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|limits| {
            let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
            line.split_whitespace().nth(3).map(str::to_owned)
        })
        .unwrap_or_else(|| "?".to_owned())
}

fn read_sysctl(name: &str) -> String {
    std::fs::read_to_string(Path::new("/proc/sys").join(name))
        .map_or_else(|_| "?".to_owned(), |s| s.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use concurrency_models::memory::Snapshot;

    fn report(n: usize, peak_rss_kib: u64, kernel_stack_before: u64, kernel_stack_after: u64) -> ProbeReport {
        let before = Snapshot { kernel_stack_kib: kernel_stack_before, ..Snapshot::default() };
        // One process: its tree is itself, its proportional set a little under its resident one.
        let at_peak = Snapshot {
            peak_rss_kib,
            kernel_stack_kib: kernel_stack_after,
            tree_rss_kib: peak_rss_kib / 2,
            tree_pss_kib: peak_rss_kib / 4,
            ..Snapshot::default()
        };
        ProbeReport {
            model: "threads".into(),
            requested: n,
            started: n,
            joined: n,
            error: None,
            skipped: None,
            before,
            at_peak,
            malloc_arena_max: None,
        }
    }

    /// Bytes per task are the peak-RSS growth over the one-task baseline, divided by N (PSS:
    /// the tree's growth); the kernel's share is the probe's own growth less the baseline's.
    #[test]
    fn per_task_figures_subtract_the_baseline() {
        let baseline = report(1, 2_000, 100, 116);
        let big = report(1_000, 12_000, 100, 16_116);
        assert_eq!(rss_per_task(1_000, &big, &baseline), 10_240.0);
        let records = per_task_records("threads", 1_000, &big, &baseline);
        assert_eq!(records[0].metric, IDLE_RSS.id);
        assert_eq!(records[0].value, Some(10_240.0));
        assert_eq!(records[1].metric, IDLE_PSS.id);
        assert_eq!(records[1].value, Some(2_500.0 * 1024.0 / 1_000.0));
        assert_eq!(records[2].metric, IDLE_KERNEL.id);
        assert_eq!(records[2].value, Some(16_000.0 * 1024.0 / 1_000.0));
        assert_eq!(records[2].n, Some(1_000));
    }

    /// A tree of processes: its resident sum, not the parent's own peak, is what grew.
    #[test]
    fn a_tree_of_processes_counts_its_sum() {
        let mut baseline = report(1, 2_000, 100, 116);
        baseline.at_peak.tree_rss_kib = 3_000;
        let mut big = report(1_000, 2_100, 100, 116);
        big.at_peak.tree_rss_kib = 503_000;
        assert_eq!(rss_per_task(1_000, &big, &baseline), 500.0 * 1024.0);
    }
}
