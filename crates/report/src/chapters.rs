//! "The chapters in Python and in Rust": every figure a Python column measured, on a row
//! of its own, beside the same figure of its Rust counterparts (asyncio beside tokio and
//! smol, threading beside OS threads, multiprocessing beside processes; the families of
//! [`crate::tutorial::FAMILIES`]).
//!
//! The tutorial's table ([`crate::tutorial`]) judges six words; this view is the rest of
//! the tutorial: its chapters' workloads (tasks, cancellation, timeouts, locks, semaphores,
//! queues, the web server, the blocking pitfall, the CPU kernel), each measured in both
//! languages by the same run. A Python figure may be at a smaller N than the Rust one (a
//! process per task costs milliseconds to start, an interpreter's loop is slower): every
//! cell names its N, and the Rust cell is at the Python N where the Rust model measured it.

use std::collections::BTreeSet;

use workloads::catalogue::{self, Placement};
use workloads::mandelbrot::MANDELBROT_WALL_TIME;
use workloads::waits::WAITS_GC_TIME;

use crate::format::{format_ns, format_value};
use crate::rows::Stat;
use crate::table::format_spread;
use crate::tutorial::FAMILIES;
use crate::{Part, Record, Report};

/// What a row shows: one figure of one workload (and variant, and placement).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    /// The workload's place in the catalogue, for the rows' order.
    order: usize,
    workload: String,
    metric: String,
    variant: Option<String>,
    placement: Option<String>,
}

impl Key {
    fn of(record: &Record) -> Key {
        Key {
            order: catalogue::workloads().position(|w| w.id == record.workload).unwrap_or(usize::MAX),
            workload: record.workload.clone(),
            metric: record.metric.clone(),
            variant: record.variant.clone(),
            placement: record.placement.clone(),
        }
    }

    fn matches(&self, record: &Record) -> bool {
        record.workload == self.workload
            && record.metric == self.metric
            && record.variant == self.variant
            && record.placement == self.placement
    }

    /// The row's heading: the workload's code and title, the figure, its variant.
    fn label(&self) -> String {
        let workload = catalogue::workload(&self.workload)
            .map_or_else(|| self.workload.clone(), |w| format!("{} {}", w.code, w.title));
        let mut label = format!("**{workload}**: {}", self.metric.replace('_', " "));
        for extra in [&self.variant, &self.placement].into_iter().flatten() {
            label += &format!(", {}", extra.replace('_', " "));
        }
        label
    }
}

/// Whether a Python figure has a row: not the Mandelbrot wall time, which Python measures
/// on a smaller image than Rust (its speedup, a ratio, has a row).
fn has_row(record: &Record) -> bool {
    !(record.workload == MANDELBROT_WALL_TIME.workload.id && record.metric == MANDELBROT_WALL_TIME.id)
}

/// The record of `model` a cell reads for `key`: at `n` where the model measured it there,
/// else at the model's largest N with a figure, else any record with a reason.
///
/// Where the Python figure has no placement and the Rust model measured the workload only
/// under named placements (W10's and W12's threads on all cores or on one), the Rust cell
/// reads the placement with the cores free, and says so.
fn pick<'a>(report: &'a Report, model: &str, key: &Key, n: Option<u64>) -> Option<&'a Record> {
    let mut candidates: Vec<&Record> =
        report.records.iter().filter(|r| r.model == model && key.matches(r)).collect();
    if candidates.is_empty() && key.placement.is_none() {
        let free = Key { placement: Some(Placement::AllCores.id().to_owned()), ..key.clone() };
        candidates = report.records.iter().filter(|r| r.model == model && free.matches(r)).collect();
    }
    candidates.sort_by_key(|r| r.n);
    let measured = || candidates.iter().copied().filter(|r| r.value.is_some());
    measured().find(|r| r.n == n).or_else(|| measured().next_back()).or_else(|| candidates.first().copied())
}

/// A figure with its spread, its N, its 99th percentile where it has a distribution, and its
/// placement where it is not the row's.
fn cell(record: Option<&Record>, key: &Key) -> String {
    let Some(record) = record else {
        return "–".to_owned();
    };
    let Some(value) = record.value else {
        return record.reason.clone().unwrap_or_else(|| "–".to_owned());
    };
    let mut text = format_value(value, &record.unit);
    if let Some(spread) = record.spread(Stat::Value) {
        text += &format!(" {}", format_spread(&spread));
    }
    if let Some(dist) = &record.dist {
        text += &format!(", p99 {}", format_ns(dist.p99));
    }
    if let Some(n) = record.n {
        text += &format!(" (N={})", format_value(n as f64, "count"));
    }
    // A placement other than the row's (a Rust figure read with its threads on all cores).
    if let Some(placement) = record.placement.as_ref().filter(|_| record.placement != key.placement) {
        text += &format!(", {}", placement.replace('_', " "));
    }
    if record.partial {
        text += " (partial)";
    }
    text
}

/// A Rust cell on the garbage collector's row: there is nothing to measure.
const NO_COLLECTOR: &str = "no collector: a task's memory is freed when it ends";

/// Renders the view, or `None` when the report has no Python figures.
pub fn render_chapters(report: &Report) -> Option<String> {
    let python: Vec<&Record> = report
        .records
        .iter()
        .filter(|r| report.columns.iter().any(|c| c.id == r.model && c.part == Part::Python))
        .filter(|r| has_row(r))
        .collect();
    let keys: BTreeSet<Key> = python.iter().map(|r| Key::of(r)).collect();
    if keys.is_empty() {
        return None;
    }
    let name =
        |id: &str| report.columns.iter().find(|c| c.id == id).map_or(id, |c| c.name.as_str()).to_owned();
    let mut heading = vec!["Figure".to_owned()];
    for family in &FAMILIES {
        heading.push(name(family.python));
        heading.extend(family.rust.iter().map(|id| name(id)));
    }
    let mut md = format!("| {} |\n|{}\n", heading.join(" | "), " --- |".repeat(heading.len()));
    for key in &keys {
        let mut cells = vec![key.label()];
        for family in &FAMILIES {
            let own = pick(report, family.python, key, None);
            let n = own.and_then(|r| r.n);
            cells.push(cell(own, key));
            cells.extend(family.rust.iter().map(|id| match pick(report, id, key, n) {
                None if key.metric == WAITS_GC_TIME.id => NO_COLLECTOR.to_owned(),
                rust => cell(rust, key),
            }));
        }
        md += &format!("| {} |\n", cells.join(" | "));
    }
    Some(md)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Column, Trial};
    use workloads::cancellation::CANCEL_RELEASE;
    use workloads::locks::{LOCK_INCREMENTS_PER_SECOND, LOCK_SHORT};
    use workloads::server::HTTP_REQUESTS_PER_SECOND;

    /// A column whose name differs from its id, to see that the heading shows names.
    fn column(id: &str, part: Part) -> Column {
        Column { name: format!("name of {id}"), ..Column::for_test(id, part) }
    }

    fn report(records: Vec<Record>) -> Report {
        let mut columns: Vec<Column> =
            ["tokio", "smol", "threads", "processes"].iter().map(|id| column(id, Part::Compared)).collect();
        columns.extend(
            ["py-asyncio", "py-threading", "py-multiprocessing"].iter().map(|id| column(id, Part::Python)),
        );
        Report { columns, records, ..Report::default() }
    }

    fn rounds(record: Record, values: &[f64]) -> Record {
        Record { rounds: values.iter().map(|&value| Trial { value, dist: None }).collect(), ..record }
    }

    #[test]
    fn each_python_figure_sits_beside_its_rust_counterparts() {
        let report = report(vec![
            rounds(
                Record::value("py-asyncio", &HTTP_REQUESTS_PER_SECOND, Some(100), 6_000.0),
                &[5_800.0, 6_200.0],
            ),
            Record::value("tokio", &HTTP_REQUESTS_PER_SECOND, Some(1), 20_000.0),
            Record::value("tokio", &HTTP_REQUESTS_PER_SECOND, Some(100), 100_000.0),
            Record::value("tokio", &HTTP_REQUESTS_PER_SECOND, Some(1_000), 90_000.0),
            // smol measured it at another N only: its largest is shown, with that N.
            Record::value("smol", &HTTP_REQUESTS_PER_SECOND, Some(1_000), 80_000.0),
            Record::reason("processes", &HTTP_REQUESTS_PER_SECOND, Some(100), "could not start"),
            Record::value("py-threading", &CANCEL_RELEASE, Some(200), 550_000.0),
            // Python's lock has no placement; the Rust one was measured on all cores.
            Record::value("py-threading", &LOCK_INCREMENTS_PER_SECOND, Some(16), 800_000.0)
                .with_variant(Some(&LOCK_SHORT)),
            Record::value("threads", &LOCK_INCREMENTS_PER_SECOND, Some(256), 6_000_000.0)
                .with_variant(Some(&LOCK_SHORT))
                .with_placement(Some(Placement::AllCores)),
            // A Python wall time of the kernel has no row (Python's image is smaller).
            Record::value("py-threading", &MANDELBROT_WALL_TIME, Some(2), 1_800.0),
            // The collector's time: no Rust model has one, and its cells say why.
            Record::value("py-asyncio", &WAITS_GC_TIME, Some(100_000), 1_400.0),
        ]);
        let md = render_chapters(&report).expect("Python figures give a view");
        let lines: Vec<&str> = md.lines().collect();
        // A heading, its rule, and one row per Python figure.
        assert_eq!(lines.len(), 6, "{md}");
        let collector = lines.iter().find(|l| l.contains("gc time")).expect("the collector's row");
        assert!(collector.contains("1.40 s (N=100 000)"), "{collector}");
        assert_eq!(collector.matches(NO_COLLECTOR).count(), 4, "every Rust column: {collector}");
        let lock = lines.iter().find(|l| l.contains("increments per second")).expect("the lock's row");
        assert!(lock.contains("6 000 000/s (N=256), all cores"), "{lock}");
        assert!(
            lines[0].starts_with("| Figure | name of py-asyncio | name of tokio | name of smol |"),
            "{md}"
        );
        let http = lines.iter().find(|l| l.contains("requests per second")).expect("the server's row");
        assert!(http.contains("6 000/s ±"), "{http}");
        // tokio at the Python N, not at its own largest.
        assert!(http.contains("100 000/s (N=100)"), "{http}");
        assert!(http.contains("80 000/s (N=1 000)"), "{http}");
        assert!(http.contains("could not start"), "{http}");
        // Threading's cancellation has no Rust figure: a dash.
        let cancel = lines.iter().find(|l| l.contains("release latency")).expect("the cancellation row");
        assert!(cancel.contains("(N=200)") && cancel.contains("| – |"), "{cancel}");
        assert!(!md.contains("wall time"), "{md}");
    }

    #[test]
    fn no_python_figures_no_view() {
        let report = report(vec![Record::value("tokio", &HTTP_REQUESTS_PER_SECOND, Some(100), 100_000.0)]);
        assert_eq!(render_chapters(&report), None);
    }
}
