//! W4: memory per idle task, measured by the `probe` binary in a fresh child process per
//! size, and the largest number of tasks (threads) one process could hold.
//!
//! Figures, per model and size N:
//! - `rss_bytes_per_task` = (peak RSS with N tasks − peak RSS with 1 task) / N;
//! - `kernel_bytes_per_task` = growth of the kernel's stacks, page tables and slab while
//!   the N tasks started, / N (system-wide counters: approximate);
//! - `largest_n`: the largest N held (for threads, found by a search up to the OS's limit).

use std::path::Path;
use std::time::Duration;

use report::Record;

use super::Harness;
use crate::models::ModelId;
use crate::probe::{self, ProbeReport};

/// One probe may run this long before it is killed and its size reported as failed.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(120);

const WORKLOAD: &str = "idle_tasks";

/// A pause before each model's probes: the kernel frees a finished probe's thread stacks
/// and page tables lazily, and the next probe reads system-wide counters.
const SETTLE: Duration = Duration::from_millis(500);

/// Runs the probes for every selected model and size and adds their records.
pub fn idle_tasks(harness: &mut Harness, probe_exe: &Path) {
    let sizes = workloads::idle::sizes(harness.args.profile);
    let models = harness.models.clone();
    // The thread-limit search is left for last: it leaves the most kernel memory behind.
    let mut limit_search = None;
    for (model_id, model) in models.iter() {
        let info = model.info();
        let id = info.id;
        let all = sizes.for_model(&info);
        let wanted: Vec<usize> =
            all.iter().copied().filter(|n| harness.args.selects(&format!("{WORKLOAD}/{id}/{n}"))).collect();
        if harness.args.list {
            wanted.iter().for_each(|n| println!("{WORKLOAD}/{id}/{n}: benchmark"));
            continue;
        }
        if all.is_empty() {
            // A model that cannot hold waiting tasks says why, at once, without a probe.
            if harness.args.selects(&format!("{WORKLOAD}/{id}")) {
                let reason = match model.idle_tasks(1, &mut |_| {}) {
                    Err(skip) => skip.to_string(),
                    Ok(_) => format!("no sizes for {id} in the {} profile", harness.args.profile.name()),
                };
                harness.records.push(Record::reason(
                    id,
                    WORKLOAD,
                    "rss_bytes_per_task",
                    None,
                    reason.clone(),
                ));
                harness.records.push(Record::reason(id, WORKLOAD, "largest_n", None, reason));
            }
            continue;
        }
        if wanted.is_empty() {
            continue;
        }
        println!("{WORKLOAD}/{id}: probing {wanted:?} tasks, each in a fresh process");
        std::thread::sleep(SETTLE);
        if let Some(known_good) = measure_model(harness, probe_exe, *model_id, &wanted) {
            limit_search = Some(known_good);
        }
    }
    if let (Some(known_good), Some(ceiling)) = (limit_search, sizes.thread_limit_search) {
        search_thread_limit(harness, probe_exe, known_good, ceiling);
    }
}

/// The thread model's `largest_n`: a search up to [`workloads::sizes::THREAD_LIMIT_SEARCH`]
/// with fresh processes, starting from a count already seen to work.
fn search_thread_limit(harness: &mut Harness, probe_exe: &Path, known_good: usize, ceiling: usize) {
    let id = ModelId::Threads.as_str();
    println!("{WORKLOAD}/{id}: searching for the thread limit (up to {ceiling})");
    let limit = probe::find_thread_limit(probe_exe, harness.workers, known_good, ceiling, PROBE_TIMEOUT);
    harness.watchdog.beat();
    harness.notes.push(format!(
        "The thread limit was found with {} probe processes; the kernel allows {} memory mappings per \
         process (vm.max_map_count) and {} threads system-wide (kernel.threads-max).",
        limit.probes,
        read_sysctl("vm/max_map_count"),
        read_sysctl("kernel/threads-max")
    ));
    let record = Record::value(id, WORKLOAD, "largest_n", None, limit.largest as f64, "count")
        .with_note(limit.past_it);
    harness.records.push(record);
}

/// The probes of one model: a baseline of one task, then each size. Returns the largest
/// size held when the limit is still to be searched for (threads, with no limit reached).
fn measure_model(harness: &mut Harness, probe_exe: &Path, model: ModelId, wanted: &[usize]) -> Option<usize> {
    let id = model.as_str();
    let run = |n: usize| probe::run_child(probe_exe, model, n, harness.workers, PROBE_TIMEOUT);
    let baseline = match run(1) {
        Ok(report) => report,
        Err(failure) => {
            let reason = format!("baseline probe (1 task) failed: {failure}");
            harness.records.push(Record::reason(id, WORKLOAD, "rss_bytes_per_task", None, reason));
            return None;
        }
    };
    harness.watchdog.beat();

    let mut largest = None;
    let mut stopped = None;
    for &n in wanted {
        let result = run(n);
        harness.watchdog.beat();
        match result {
            Ok(report) if report.error.is_none() => {
                harness.records.extend(per_task_records(id, n, &report, &baseline));
                println!(
                    "{WORKLOAD}/{id}/{n}: {:.0} bytes per task (RSS)",
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
                harness.records.push(Record::reason(
                    id,
                    WORKLOAD,
                    "rss_bytes_per_task",
                    Some(n as u64),
                    failure.clone(),
                ));
                stopped = Some((largest.unwrap_or(0), failure));
                break;
            }
        }
    }

    let search = workloads::idle::sizes(harness.args.profile).thread_limit_search.is_some();
    let record = match (model, stopped, largest) {
        (_, Some((held, why)), _) => Record::value(id, WORKLOAD, "largest_n", None, held as f64, "count")
            .with_note(format!("past it: {why}")),
        (ModelId::Threads, None, Some(n)) if search => return Some(n),
        (_, None, Some(n)) => Record::value(id, WORKLOAD, "largest_n", None, n as f64, "count")
            .with_note("largest size tried; no limit reached"),
        (_, None, None) => return None,
    };
    harness.records.push(record);
    None
}

/// Peak-RSS growth per task over the one-task baseline.
fn rss_per_task(n: usize, report: &ProbeReport, baseline: &ProbeReport) -> f64 {
    let grown_kib = report.at_peak.peak_rss_kib as f64 - baseline.at_peak.peak_rss_kib as f64;
    grown_kib * 1024.0 / n as f64
}

/// The records of one size: RSS and kernel bytes per task.
fn per_task_records(id: &str, n: usize, report: &ProbeReport, baseline: &ProbeReport) -> Vec<Record> {
    let size = Some(n as u64);
    let kernel_kib = report.at_peak.kernel_growth_kib(&report.before)
        - baseline.at_peak.kernel_growth_kib(&baseline.before);
    vec![
        Record::value(id, WORKLOAD, "rss_bytes_per_task", size, rss_per_task(n, report, baseline), "bytes"),
        Record::value(
            id,
            WORKLOAD,
            "kernel_bytes_per_task",
            size,
            kernel_kib as f64 * 1024.0 / n as f64,
            "bytes",
        )
        .with_note("system-wide KernelStack + PageTables + SUnreclaim growth: approximate"),
    ]
}

fn read_sysctl(name: &str) -> String {
    std::fs::read_to_string(Path::new("/proc/sys").join(name))
        .map_or_else(|_| "?".to_owned(), |s| s.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::Snapshot;

    fn report(n: usize, peak_rss_kib: u64, kernel_stack_before: u64, kernel_stack_after: u64) -> ProbeReport {
        let before = Snapshot { kernel_stack_kib: kernel_stack_before, ..Snapshot::default() };
        let at_peak = Snapshot { peak_rss_kib, kernel_stack_kib: kernel_stack_after, ..Snapshot::default() };
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

    /// Bytes per task are the peak-RSS growth over the one-task baseline, divided by N; the
    /// kernel's share is the probe's own growth less the baseline's.
    #[test]
    fn per_task_figures_subtract_the_baseline() {
        let baseline = report(1, 2_000, 100, 116);
        let big = report(1_000, 12_000, 100, 16_116);
        assert_eq!(rss_per_task(1_000, &big, &baseline), 10_240.0);
        let records = per_task_records("threads", 1_000, &big, &baseline);
        assert_eq!(records[0].metric, "rss_bytes_per_task");
        assert_eq!(records[0].value, Some(10_240.0));
        assert_eq!(records[1].metric, "kernel_bytes_per_task");
        assert_eq!(records[1].value, Some(16_000.0 * 1024.0 / 1_000.0));
        assert_eq!(records[1].n, Some(1_000));
    }
}
