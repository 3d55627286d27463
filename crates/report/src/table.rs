//! The comparison table: one column per model, one row per aspect.
//!
//! The rows follow the table "Asyncio vs Threading vs Multiprocessing" of a Python asyncio
//! tutorial, with measured numbers where the tutorial has words. Each row is a function from
//! a column to its cell, so adding a row is adding one line to `ROWS`.

use crate::format::{
    NOT_MEASURED, NOT_YET_MEASURED, format_bytes, format_ms, format_ns, format_speedup, group_thousands,
};
use crate::write::KNOWN_WORKLOADS;
use crate::{Column, Record, Report};

/// The size of the "Scalability" waits row: this many tasks wait 100 ms at once.
pub const SCALABILITY_WAITS: u64 = 10_000;

/// The size of the "Speedup over sequential" row: this many waits of 100 ms.
pub const SPEEDUP_WAITS: u64 = 10;

/// Column id of the baseline that speedups are measured against.
pub const BASELINE: &str = "sequential";

/// Kernel memory per task below this many bytes is noise and is left out of the memory cell.
const KERNEL_BYTES_SHOWN_FROM: f64 = 512.0;

/// Makes one cell of a row from the whole report and the column the cell is in.
type Cell = fn(&Report, &Column) -> String;

/// The rows of the table, in order: the aspect in the first column, then how to fill a cell.
const ROWS: [(&str, Cell); 11] = [
    ("**Concurrency model**", |_, c| c.concurrency.clone()),
    ("**Memory usage** (bytes per idle task)", memory_cell),
    ("**Context switching** (ns per round trip)", |r, c| {
        figure_cell(r, c, "ping_pong", "ns_per_round_trip", format_ns)
    }),
    ("**Spawn cost** (ns per task)", |r, c| figure_cell(r, c, "spawn_join", "ns_per_task", format_ns)),
    ("**Scalability**: largest N held", largest_n_cell),
    ("**Scalability**: 10 000 waits of 100 ms", waits_cell),
    ("**Speedup over sequential** (10 waits of 100 ms)", speedup_cell),
    // Rows that later workloads fill: the tutorial's "Scalability: excellent for I/O" and
    // "Best for: CPU-bound", measured by an HTTP server under load and by CPU kernels.
    ("**Scalability for I/O** (HTTP server, requests per second)", |r, c| {
        figure_cell(r, c, "http_server", "requests_per_second", |v| {
            format!("{} req/s", group_thousands(v as u64))
        })
    }),
    ("**CPU-bound speedup** (over sequential, all cores)", |r, c| {
        figure_cell(r, c, "cpu_kernels", "speedup", format_speedup)
    }),
    ("**Best for**", |_, c| c.best_for.clone()),
    ("**Debugging**", |_, c| c.debugging.clone()),
];

/// Renders the comparison table as GitHub-flavoured Markdown.
///
/// A cell shows the measured figure, or the recorded reason why there is none, or
/// `not measured` when the run produced no record for it at all.
///
/// ```
/// use report::{render_table, Column, Record, Report};
///
/// let tokio = Column {
///     id: "tokio".into(),
///     name: "tokio".into(),
///     concurrency: "async tasks on a thread pool".into(),
///     best_for: "many I/O-bound tasks".into(),
///     debugging: "tokio-console".into(),
///     workers: 4,
/// };
/// let report = Report {
///     columns: vec![tokio],
///     records: vec![Record::value("tokio", "spawn_join", "ns_per_task", Some(1000), 742.0, "ns")],
///     ..Report::default()
/// };
/// let table = render_table(&report);
/// assert!(table.starts_with("| Aspect | tokio |\n| --- | --- |\n"));
/// assert!(table.contains("| **Spawn cost** (ns per task) | 742 ns |"));
/// assert!(table.contains("| **Context switching** (ns per round trip) | not measured |"));
/// assert!(table.contains("| **CPU-bound speedup** (over sequential, all cores) | not yet measured |"));
/// ```
pub fn render_table(report: &Report) -> String {
    let header = std::iter::once("Aspect".to_owned()).chain(report.columns.iter().map(|c| c.name.clone()));
    let mut out = markdown_row(header);
    out += &markdown_row(std::iter::repeat_n("---".to_owned(), report.columns.len() + 1));
    for (aspect, cell) in ROWS {
        let cells = report.columns.iter().map(|column| cell(report, column));
        out += &markdown_row(std::iter::once(aspect.to_owned()).chain(cells));
    }
    out
}

/// One table line. Cells are escaped here, in one place, so no row can break the table.
pub(crate) fn markdown_row(cells: impl IntoIterator<Item = String>) -> String {
    let mut line = String::from("|");
    for cell in cells {
        line += &format!(" {} |", escape_cell(&cell));
    }
    line + "\n"
}

/// A `|` would end the cell early, and a line break would end the table.
pub(crate) fn escape_cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\r', '\n'], " ")
}

/// The figure at the largest measured `n`, else the reason, else `not measured`.
fn figure_cell(
    report: &Report,
    column: &Column,
    workload: &str,
    metric: &str,
    format: fn(f64) -> String,
) -> String {
    match report.largest_measured(&column.id, workload, metric) {
        Some(Record { value: Some(value), .. }) => format(*value),
        _ => no_figure(report, column, workload, metric),
    }
}

/// What a cell says without a figure: the reason at the largest `n`; `not measured` when
/// this run did not measure it; `not yet measured` when the workload is not written yet
/// (not in [`KNOWN_WORKLOADS`] and no record of it anywhere).
fn no_figure(report: &Report, column: &Column, workload: &str, metric: &str) -> String {
    let reason = report
        .records(&column.id, workload, metric)
        .filter(|r| r.reason.is_some())
        .max_by_key(|r| r.n)
        .and_then(|r| r.reason.clone());
    match reason {
        Some(reason) => reason,
        None if KNOWN_WORKLOADS.contains(&workload)
            || report.records.iter().any(|r| r.workload == workload) =>
        {
            NOT_MEASURED.to_owned()
        }
        None => NOT_YET_MEASURED.to_owned(),
    }
}

/// `412 B (N=1 000 000)`, plus the kernel's share when it is large enough to matter
/// (an OS thread's kernel stack and bookkeeping do not show up in the process RSS).
fn memory_cell(report: &Report, column: &Column) -> String {
    let (workload, metric) = ("idle_tasks", "rss_bytes_per_task");
    let Some(Record { value: Some(bytes), n, .. }) = report.largest_measured(&column.id, workload, metric)
    else {
        return no_figure(report, column, workload, metric);
    };
    let mut cell = format_bytes(*bytes);
    if let Some(n) = *n {
        cell += &format!(" (N={})", group_thousands(n));
        let kernel = report.value_at(&column.id, workload, "kernel_bytes_per_task", n);
        if let Some(kernel) = kernel.filter(|&k| k >= KERNEL_BYTES_SHOWN_FROM) {
            cell += &format!(" + {} kernel", format_bytes(kernel));
        }
    }
    cell
}

/// `1 000 000`, and the note on it: what stopped the model, or that no limit was reached.
fn largest_n_cell(report: &Report, column: &Column) -> String {
    let (workload, metric) = ("idle_tasks", "largest_n");
    match report.largest_measured(&column.id, workload, metric) {
        Some(Record { value: Some(n), reason, .. }) => {
            let held = group_thousands(n.round() as u64);
            match reason {
                Some(reason) => format!("{held} ({reason})"),
                None => held,
            }
        }
        _ => no_figure(report, column, workload, metric),
    }
}

/// The wall time of [`SCALABILITY_WAITS`] waits; when a model could not run that many, the
/// largest number it did run, so the cell still says something measured.
fn waits_cell(report: &Report, column: &Column) -> String {
    let (workload, metric) = ("concurrent_waits", "wall_time");
    if let Some(ms) = report.value_at(&column.id, workload, metric, SCALABILITY_WAITS) {
        return format_ms(ms);
    }
    let reason_at_target = report
        .records(&column.id, workload, metric)
        .find(|r| r.n == Some(SCALABILITY_WAITS))
        .and_then(|r| r.reason.as_deref());
    match report.largest_measured(&column.id, workload, metric) {
        Some(Record { value: Some(ms), n: Some(n), .. }) => {
            let fallback = format!("N={}: {}", group_thousands(*n), format_ms(*ms));
            match reason_at_target {
                Some(reason) => format!("{fallback}; {}: {reason}", group_thousands(SCALABILITY_WAITS)),
                None => fallback,
            }
        }
        _ => no_figure(report, column, workload, metric),
    }
}

/// How many times faster than the sequential baseline [`SPEEDUP_WAITS`] waits finish.
fn speedup_cell(report: &Report, column: &Column) -> String {
    let wall_time = |model: &str| report.value_at(model, "concurrent_waits", "wall_time", SPEEDUP_WAITS);
    match (wall_time(BASELINE), wall_time(&column.id)) {
        (Some(_), Some(_)) if column.id == BASELINE => format!("{} (baseline)", format_speedup(1.0)),
        (Some(baseline), Some(ms)) if ms > 0.0 => format_speedup(baseline / ms),
        _ => NOT_MEASURED.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(id: &str) -> Column {
        Column {
            id: id.to_owned(),
            name: id.to_owned(),
            concurrency: format!("{id} model"),
            best_for: "tests".to_owned(),
            debugging: "println!".to_owned(),
            workers: 2,
        }
    }

    fn report(ids: &[&str], records: Vec<Record>) -> Report {
        Report { columns: ids.iter().map(|id| column(id)).collect(), records, ..Report::default() }
    }

    /// The cells of the row whose aspect starts with `aspect`, without the aspect itself.
    fn row(table: &str, aspect: &str) -> Vec<String> {
        let line = table
            .lines()
            .find(|l| l.starts_with(&format!("| {aspect}")))
            .unwrap_or_else(|| panic!("no row {aspect} in\n{table}"));
        line.trim_matches('|').split(" | ").skip(1).map(|c| c.trim().to_owned()).collect()
    }

    /// A row whose workload is not written yet says so; a written workload this run did
    /// not measure says `not measured`; a later workload's records fill its row.
    #[test]
    fn planned_rows_say_not_yet_measured() {
        let mut r = Report { columns: vec![column("tokio")], ..Report::default() };
        let table = render_table(&r);
        assert_eq!(row(&table, "**CPU-bound speedup**"), ["not yet measured"]);
        assert_eq!(row(&table, "**Scalability for I/O**"), ["not yet measured"]);
        assert_eq!(row(&table, "**Spawn cost**"), ["not measured"]);
        r.records.push(Record::value(
            "tokio",
            "http_server",
            "requests_per_second",
            None,
            123_456.0,
            "req/s",
        ));
        assert_eq!(row(&render_table(&r), "**Scalability for I/O**"), ["123 456 req/s"]);
    }

    /// A measured figure is formatted; the largest `n` with a value wins over smaller ones.
    #[test]
    fn value_cell_shows_the_figure_at_the_largest_n() {
        let r = report(
            &["tokio"],
            vec![
                Record::value("tokio", "ping_pong", "ns_per_round_trip", Some(10), 900.0, "ns"),
                Record::value("tokio", "ping_pong", "ns_per_round_trip", Some(1000), 3_123.0, "ns"),
            ],
        );
        assert_eq!(row(&render_table(&r), "**Context switching**"), ["3.12 µs"]);
    }

    /// Without a figure the cell gives the recorded reason; without any record, `not measured`.
    #[test]
    fn reason_and_missing_cells() {
        let r = report(
            &["threads", "smol"],
            vec![Record::reason("threads", "spawn_join", "ns_per_task", Some(1_000_000), "thread limit")],
        );
        assert_eq!(row(&render_table(&r), "**Spawn cost**"), ["thread limit", "not measured"]);
    }

    /// The memory cell names N, and adds the kernel's share only from 512 bytes on.
    #[test]
    fn memory_cell_with_and_without_kernel_part() {
        let r = report(
            &["threads", "tokio"],
            vec![
                Record::value("threads", "idle_tasks", "rss_bytes_per_task", Some(10_000), 8_300.0, "bytes"),
                Record::value(
                    "threads",
                    "idle_tasks",
                    "kernel_bytes_per_task",
                    Some(10_000),
                    28_774.0,
                    "bytes",
                ),
                Record::value("tokio", "idle_tasks", "rss_bytes_per_task", Some(1_000_000), 412.0, "bytes"),
                Record::value("tokio", "idle_tasks", "kernel_bytes_per_task", Some(1_000_000), 3.0, "bytes"),
            ],
        );
        assert_eq!(
            row(&render_table(&r), "**Memory usage**"),
            ["8.1 KiB (N=10 000) + 28.1 KiB kernel", "412 B (N=1 000 000)"]
        );
    }

    /// The largest N held carries what stopped the model, when that was recorded.
    #[test]
    fn largest_n_cell_appends_the_reason() {
        let r = report(
            &["threads", "tokio"],
            vec![
                Record::value("threads", "idle_tasks", "largest_n", None, 30_000.0, "count")
                    .with_note("spawn failed: Resource temporarily unavailable"),
                Record::value("tokio", "idle_tasks", "largest_n", None, 1_000_000.0, "count"),
            ],
        );
        assert_eq!(
            row(&render_table(&r), "**Scalability**: largest N"),
            ["30 000 (spawn failed: Resource temporarily unavailable)", "1 000 000"]
        );
    }

    /// Without a figure at 10 000 waits, the cell falls back to the largest N measured and
    /// says why 10 000 is missing.
    #[test]
    fn waits_cell_falls_back_to_the_largest_measured_n() {
        let r = report(
            &["sequential", "threads", "tokio"],
            vec![
                Record::value("sequential", "concurrent_waits", "wall_time", Some(10), 1_003.0, "ms"),
                Record::value("threads", "concurrent_waits", "wall_time", Some(1_000), 130.0, "ms"),
                Record::reason("threads", "concurrent_waits", "wall_time", Some(10_000), "thread limit"),
                Record::value("tokio", "concurrent_waits", "wall_time", Some(10_000), 105.4, "ms"),
            ],
        );
        assert_eq!(
            row(&render_table(&r), "**Scalability**: 10 000 waits"),
            ["N=10: 1.00 s", "N=1 000: 130 ms; 10 000: thread limit", "105 ms"]
        );
    }

    /// Speedup divides the sequential wall time by the model's; the baseline says so.
    #[test]
    fn speedup_row() {
        let r = report(
            &["sequential", "tokio", "rayon"],
            vec![
                Record::value("sequential", "concurrent_waits", "wall_time", Some(10), 1_003.0, "ms"),
                Record::value("tokio", "concurrent_waits", "wall_time", Some(10), 101.0, "ms"),
            ],
        );
        assert_eq!(
            row(&render_table(&r), "**Speedup over sequential**"),
            ["×1.0 (baseline)", "×9.9", "not measured"]
        );
    }

    /// A `|` inside a cell is escaped so it cannot split the cell.
    #[test]
    fn pipes_in_cells_are_escaped() {
        let mut r = report(&["tokio"], vec![]);
        r.columns[0].name = "tokio | multi".to_owned();
        r.columns[0].best_for = "I/O | network".to_owned();
        let table = render_table(&r);
        assert!(table.starts_with("| Aspect | tokio \\| multi |\n"));
        assert!(table.contains("| **Best for** | I/O \\| network |"));
    }

    /// Header, separator, then one line per row, every line with the same number of cells.
    #[test]
    fn table_shape() {
        let table = render_table(&report(&["a", "b"], vec![]));
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 2 + ROWS.len());
        assert_eq!(lines[1], "| --- | --- | --- |");
        assert!(lines.iter().all(|l| l.matches(" |").count() == 3));
    }
}
