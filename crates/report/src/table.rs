//! The comparison table: one column per model, one row per aspect.
//!
//! The rows are the catalogue's ([`workloads::catalogue::ROWS`]): they follow the table
//! "Asyncio vs Threading vs Multiprocessing" of a Python asyncio tutorial, with measured
//! numbers where the tutorial has words, then the figures of later chapters. Every label and
//! size comes from the catalogue and the report's records; nothing here names a workload.

use workloads::catalogue::{At, Cell, Metric, ROWS, Stat, Variant, Words};

use crate::format::{
    NOT_MEASURED, NOT_YET_MEASURED, format_bytes, format_speedup, format_value, group_thousands,
};
use crate::{Column, Record, Report};

/// Column id of the baseline that speedups are measured against.
pub const BASELINE: &str = "sequential";

/// Column id of the reference HTTP server (hyper on tokio): it has figures in the HTTP
/// server's rows only, and a dash elsewhere.
pub const REFERENCE: &str = "hyper";

/// Kernel memory per task below this many bytes is noise (the kernel's counters are
/// system-wide, and other processes move them too): the memory cell leaves it out, and the
/// docs say "below noise".
pub const KERNEL_NOISE_BYTES: f64 = 512.0;

/// The mark on a figure measured at an earlier commit than the report's latest run.
pub const OLDER_MARK: &str = "†";

/// Renders the comparison table as GitHub-flavoured Markdown.
///
/// A cell shows the measured figure, or the recorded reason why there is none, or
/// `not measured` when no run produced a record for it, or `not yet measured` when its
/// workload is not written yet. A figure from an earlier commit than the latest run's is
/// marked with [`OLDER_MARK`], explained below the table.
///
/// ```
/// use report::{render_table, Column, Record, Report};
/// use workloads::catalogue::SPAWN_NS_PER_TASK;
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
///     records: vec![Record::value("tokio", &SPAWN_NS_PER_TASK, Some(1000), 742.0)],
///     ..Report::default()
/// };
/// let table = render_table(&report);
/// assert!(table.starts_with("| Aspect | tokio |\n| --- | --- |\n"));
/// assert!(table.contains("| **Spawn cost** (ns per task) | 742 ns |"));
/// assert!(table.contains("| **Context switching** (ns per round trip) | not measured |"));
/// assert!(table.contains("| **CPU-bound speedup**, hashing (over sequential, all cores, best way) | not measured |"));
/// ```
pub fn render_table(report: &Report) -> String {
    let header = std::iter::once("Aspect".to_owned()).chain(report.columns.iter().map(|c| c.name.clone()));
    let mut out = markdown_row(header);
    out += &markdown_row(std::iter::repeat_n("---".to_owned(), report.columns.len() + 1));
    let mut marked = false;
    for row in ROWS {
        let cells: Vec<String> = report
            .columns
            .iter()
            .map(|column| {
                let (text, older) = cell(report, column, row.cell);
                marked |= older;
                if older { format!("{text} {OLDER_MARK}") } else { text }
            })
            .collect();
        out += &markdown_row(std::iter::once(aspect(report, row.aspect, row.cell)).chain(cells));
    }
    if marked {
        out += &format!(
            "\n{OLDER_MARK} measured by an earlier run, at another commit than the latest run ({}); the report lists that run.\n",
            report.provenance.commit
        );
    }
    out
}

/// The row's first cell, with `{size}` replaced by the label of the size it reads.
fn aspect(report: &Report, aspect: &str, cell: Cell) -> String {
    let role = match cell {
        Cell::Figure { at: At::Role(role), .. } | Cell::Speedup { at: At::Role(role), .. } => Some(role),
        _ => None,
    };
    let label =
        role.and_then(|role| report.named_size(role)).map_or("the headline size", |s| s.label.as_str());
    aspect.replace("{size}", label)
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

/// The metric a cell reads, if it reads one.
fn metric_of(cell: Cell) -> Option<&'static Metric> {
    match cell {
        Cell::Words(_) => None,
        Cell::Figure { metric, .. }
        | Cell::Speedup { metric, .. }
        | Cell::Held { metric }
        | Cell::Best { metric }
        | Cell::Versus { metric, .. } => Some(metric),
        Cell::Memory { rss, .. } => Some(rss),
        Cell::Efficiency { metrics } => metrics.first().copied(),
    }
}

/// A cell's text, and whether it shows a figure from an earlier commit.
fn cell(report: &Report, column: &Column, cell: Cell) -> (String, bool) {
    if column.id == REFERENCE
        && metric_of(cell).is_some_and(|m| m.workload.id != workloads::catalogue::HTTP_SERVER.id)
    {
        return ("–".to_owned(), false);
    }
    match cell {
        Cell::Words(Words::Concurrency) => (column.concurrency.clone(), false),
        Cell::Words(Words::BestFor) => (column.best_for.clone(), false),
        Cell::Words(Words::Debugging) => (column.debugging.clone(), false),
        Cell::Figure { metric, variant, at, stat, note } => {
            figure_cell(report, column, metric, variant, at, stat, note)
        }
        Cell::Speedup { metric, at } => speedup_cell(report, column, metric, at),
        Cell::Memory { rss, kernel } => memory_cell(report, column, rss, kernel),
        Cell::Held { metric } => held_cell(report, column, metric),
        Cell::Best { metric } => best_cell(report, column, metric),
        Cell::Efficiency { metrics } => {
            let cells: Vec<(String, Option<bool>)> =
                metrics.iter().map(|metric| best_figure(report, column, metric)).collect();
            if cells.iter().all(|(_, older)| older.is_none()) {
                // No figure for any of them: the first one's reason says why.
                return (no_figure(report, column, metrics[0], None), false);
            }
            let older = cells.iter().any(|(_, older)| *older == Some(true));
            let texts: Vec<String> = cells.into_iter().map(|(text, _)| text).collect();
            (texts.join(" · "), older)
        }
        Cell::Versus { metric, from, to, stat } => versus_cell(report, column, metric, from, to, stat),
    }
}

/// The record with the highest value of `metric` at the largest N the model measured it,
/// over all its variants.
fn best_record<'a>(report: &'a Report, column: &'a Column, metric: &'a Metric) -> Option<&'a Record> {
    let n = report.largest_measured(&column.id, metric, None)?.n;
    report
        .records(&column.id, metric, None)
        .filter(|r| r.n == n)
        .filter_map(|r| Some((r, r.value?)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(r, _)| r)
}

/// `×1.95 (work_stealing)`: the best variant's figure, and which variant it is.
fn best_cell(report: &Report, column: &Column, metric: &Metric) -> (String, bool) {
    match best_record(report, column, metric) {
        Some(record) => {
            let text = show(record, Stat::Value, false).unwrap_or_default();
            let text = match &record.variant {
                Some(variant) => format!("{text} ({variant})"),
                None => text,
            };
            (text, report.is_older(record))
        }
        None => (no_figure(report, column, metric, None), false),
    }
}

/// The best variant's figure alone, and whether it is older (`None`: no figure, `–`).
fn best_figure(report: &Report, column: &Column, metric: &Metric) -> (String, Option<bool>) {
    match best_record(report, column, metric).and_then(|r| Some((show(r, Stat::Value, false)?, r))) {
        Some((text, record)) => (text, Some(report.is_older(record))),
        None => ("–".to_owned(), None),
    }
}

/// `52.1 ms → 81 µs`: one statistic of a metric in the problem variant, then the fix.
fn versus_cell(
    report: &Report,
    column: &Column,
    metric: &Metric,
    from: &Variant,
    to: &Variant,
    stat: Stat,
) -> (String, bool) {
    let (before, b_older) = figure_cell(report, column, metric, Some(from), At::Largest, stat, false);
    let (after, a_older) = figure_cell(report, column, metric, Some(to), At::Largest, stat, false);
    let measured = |variant| report.largest_measured(&column.id, metric, Some(variant)).is_some();
    match (measured(from), measured(to)) {
        (true, true) => (format!("{before} → {after}"), b_older || a_older),
        (true, false) => (format!("{before} → {after}"), b_older),
        (false, true) => (format!("{before} → {after}"), a_older),
        (false, false) => (before, false),
    }
}

/// The statistic `stat` of a record, formatted in its unit.
fn show(record: &Record, stat: Stat, note: bool) -> Option<String> {
    let value = match stat {
        Stat::Value => record.value?,
        Stat::P50 => record.dist?.p50,
        Stat::P99 => record.dist?.p99,
        Stat::Max => record.dist?.max,
    };
    let text = format_value(value, &record.unit);
    Some(match (&record.reason, note) {
        (Some(note), true) => format!("{text} ({note})"),
        _ => text,
    })
}

/// The figure at the row's size (the named size, else the largest N measured); when the
/// model has none at the named size, the largest N it did measure and the reason.
fn figure_cell(
    report: &Report,
    column: &Column,
    metric: &Metric,
    variant: Option<&Variant>,
    at: At,
    stat: Stat,
    note: bool,
) -> (String, bool) {
    let largest = report.largest_measured(&column.id, metric, variant);
    let target = match at {
        At::Role(role) => report.named_size(role).map(|s| s.n),
        At::Largest => None,
    };
    if let Some(n) = target {
        let at_target = report.record_at(&column.id, metric, variant, n);
        if let Some(record) = at_target
            && let Some(text) = show(record, stat, note)
        {
            return (text, report.is_older(record));
        }
        if let Some(record) = largest
            && let (Some(text), Some(measured_n)) = (show(record, stat, note), record.n)
        {
            let fallback = format!("N={}: {text}", group_thousands(measured_n));
            let text = match at_target.and_then(|r| r.reason.as_deref()) {
                Some(reason) => format!("{fallback}; {}: {reason}", group_thousands(n)),
                None => fallback,
            };
            return (text, report.is_older(record));
        }
        return (no_figure(report, column, metric, variant), false);
    }
    match largest.and_then(|r| Some((show(r, stat, note)?, report.is_older(r)))) {
        Some(shown) => shown,
        None => (no_figure(report, column, metric, variant), false),
    }
}

/// What a cell says without a figure: the reason at the largest `n`; `not measured` when
/// no run measured it; `not yet measured` when its workload is not written yet.
fn no_figure(report: &Report, column: &Column, metric: &Metric, variant: Option<&Variant>) -> String {
    let reason =
        report.records(&column.id, metric, variant).filter(|r| r.reason.is_some()).max_by_key(|r| r.n);
    match reason.and_then(|r| r.reason.clone()) {
        Some(reason) => reason,
        None if metric.workload.is_written() => NOT_MEASURED.to_owned(),
        None => NOT_YET_MEASURED.to_owned(),
    }
}

/// How many times faster than the sequential baseline the model did the same size.
fn speedup_cell(report: &Report, column: &Column, metric: &Metric, at: At) -> (String, bool) {
    let n = match at {
        At::Role(role) => report.named_size(role).map(|s| s.n),
        At::Largest => report.largest_measured(BASELINE, metric, None).and_then(|r| r.n),
    };
    let time = |model: &str| {
        let record = report.record_at(model, metric, None, n?)?;
        Some((record.value?, report.is_older(record)))
    };
    match (time(BASELINE), time(&column.id)) {
        (Some((_, older)), Some(_)) if column.id == BASELINE => {
            (format!("{} (baseline)", format_speedup(1.0)), older)
        }
        (Some((baseline, b_older)), Some((value, older))) if value > 0.0 => {
            (format_speedup(baseline / value), b_older || older)
        }
        _ => (NOT_MEASURED.to_owned(), false),
    }
}

/// `412 B (N=1 000 000)`, plus the kernel's share when it is large enough to matter
/// (an OS thread's kernel stack and bookkeeping do not show up in the process RSS).
fn memory_cell(report: &Report, column: &Column, rss: &Metric, kernel: &Metric) -> (String, bool) {
    let Some(record @ Record { value: Some(bytes), n, .. }) = report.largest_measured(&column.id, rss, None)
    else {
        return (no_figure(report, column, rss, None), false);
    };
    let mut cell = format_bytes(*bytes);
    if let Some(n) = *n {
        cell += &format!(" (N={})", group_thousands(n));
        let kernel = report.record_at(&column.id, kernel, None, n).and_then(|r| r.value);
        if let Some(kernel) = kernel.filter(|&k| k >= KERNEL_NOISE_BYTES) {
            cell += &format!(" + {} kernel", format_bytes(kernel));
        }
    }
    (cell, report.is_older(record))
}

/// `1 000 000`, and the note on it: what stopped the model, or that no limit was reached.
fn held_cell(report: &Report, column: &Column, metric: &Metric) -> (String, bool) {
    match report.largest_measured(&column.id, metric, None) {
        Some(record @ Record { value: Some(n), reason, .. }) => {
            let held = group_thousands(n.round() as u64);
            let text = match reason {
                Some(reason) => format!("{held} ({reason})"),
                None => held,
            };
            (text, report.is_older(record))
        }
        _ => (no_figure(report, column, metric, None), false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Distribution, NamedSize, Provenance, Stamp};
    use workloads::catalogue::{
        CANCEL_RELEASE, GATHER_AS_COMPLETED, GATHER_HEADLINE, GATHER_IN_ORDER, GATHER_TASKS_PER_SECOND,
        HTTP_REQUESTS_PER_SECOND, IDLE_KERNEL, IDLE_LARGEST_N, IDLE_RSS, PING_PONG_ROUND_TRIP,
        SPAWN_NS_PER_TASK, WAITS_SCALABILITY, WAITS_SPEEDUP, WAITS_WALL_TIME,
    };

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
        let sizes = vec![
            NamedSize::new(&WAITS_SCALABILITY, 10_000, "10 000 waits of 100 ms".to_owned()),
            NamedSize::new(&WAITS_SPEEDUP, 10, "10 waits of 100 ms".to_owned()),
        ];
        Report { columns: ids.iter().map(|id| column(id)).collect(), records, sizes, ..Report::default() }
    }

    /// The cells of the row whose aspect starts with `aspect`, without the aspect itself.
    fn row(table: &str, aspect: &str) -> Vec<String> {
        let line = table
            .lines()
            .find(|l| l.starts_with(&format!("| {aspect}")))
            .unwrap_or_else(|| panic!("no row {aspect} in\n{table}"));
        line.trim_matches('|').split(" | ").skip(1).map(|c| c.trim().to_owned()).collect()
    }

    /// A workload no run measured says `not measured`; a later run's records fill its row.
    #[test]
    fn unmeasured_rows_say_so() {
        let mut r = report(&["tokio"], vec![]);
        let table = render_table(&r);
        assert_eq!(row(&table, "**CPU-bound speedup**, Mandelbrot"), ["not measured"]);
        assert_eq!(row(&table, "**Scalability for I/O**"), ["not measured"]);
        assert_eq!(row(&table, "**Spawn cost**"), ["not measured"]);
        r.records.push(Record::value("tokio", &HTTP_REQUESTS_PER_SECOND, Some(100), 123_456.0));
        assert_eq!(row(&render_table(&r), "**Scalability for I/O**"), ["123 456/s"]);
    }

    /// The best way's speedup at the most workers, named; efficiencies side by side; the
    /// stall before and after offloading.
    #[test]
    fn best_efficiency_and_versus_cells() {
        use workloads::catalogue::{
            HASHING_EFFICIENCY, MANDELBROT_EFFICIENCY, MANDELBROT_SPEEDUP, MANDELBROT_WAYS, STALL_HEARTBEAT,
            STALL_INLINE_CPU, STALL_OFFLOADED_CPU,
        };
        let dist = |p99: f64| Distribution { p50: p99 / 2.0, p99, p999: p99, max: p99, count: 100 };
        let r = report(
            &["threads", "tokio"],
            vec![
                Record::value("threads", &MANDELBROT_SPEEDUP, Some(1), 0.99)
                    .with_variant(Some(&MANDELBROT_WAYS[2])),
                Record::value("threads", &MANDELBROT_SPEEDUP, Some(2), 1.31)
                    .with_variant(Some(&MANDELBROT_WAYS[1])),
                Record::value("threads", &MANDELBROT_SPEEDUP, Some(2), 1.93)
                    .with_variant(Some(&MANDELBROT_WAYS[2])),
                Record::value("threads", &MANDELBROT_EFFICIENCY, Some(2), 0.965)
                    .with_variant(Some(&MANDELBROT_WAYS[2])),
                Record::value("threads", &HASHING_EFFICIENCY, Some(2), 0.99)
                    .with_variant(Some(&MANDELBROT_WAYS[2])),
                Record::value("tokio", &STALL_HEARTBEAT, Some(2), 1.0)
                    .with_dist(dist(52e6))
                    .with_variant(Some(&STALL_INLINE_CPU)),
                Record::value("tokio", &STALL_HEARTBEAT, Some(2), 1.0)
                    .with_dist(dist(81e3))
                    .with_variant(Some(&STALL_OFFLOADED_CPU)),
            ],
        );
        let table = render_table(&r);
        assert_eq!(row(&table, "**CPU-bound speedup**, Mandelbrot"), ["×1.93 (work_queue)", "not measured"]);
        assert_eq!(row(&table, "**Parallel efficiency**"), ["0.96 · – · 0.99", "not measured"]);
        assert_eq!(row(&table, "**Blocking stall**"), ["not measured", "52.00 ms → 81.00 µs"]);
    }

    /// A measured figure is formatted; the largest `n` with a value wins over smaller ones.
    #[test]
    fn value_cell_shows_the_figure_at_the_largest_n() {
        let r = report(
            &["tokio"],
            vec![
                Record::value("tokio", &PING_PONG_ROUND_TRIP, Some(10), 900.0),
                Record::value("tokio", &PING_PONG_ROUND_TRIP, Some(1000), 3_123.0),
            ],
        );
        assert_eq!(row(&render_table(&r), "**Context switching**"), ["3.12 µs"]);
    }

    /// Without a figure the cell gives the recorded reason; without any record, `not measured`.
    #[test]
    fn reason_and_missing_cells() {
        let r = report(
            &["threads", "smol"],
            vec![Record::reason("threads", &SPAWN_NS_PER_TASK, Some(1_000_000), "thread limit")],
        );
        assert_eq!(row(&render_table(&r), "**Spawn cost**"), ["thread limit", "not measured"]);
    }

    /// The memory cell names N, and adds the kernel's share only from 512 bytes on.
    #[test]
    fn memory_cell_with_and_without_kernel_part() {
        let r = report(
            &["threads", "tokio"],
            vec![
                Record::value("threads", &IDLE_RSS, Some(10_000), 8_300.0),
                Record::value("threads", &IDLE_KERNEL, Some(10_000), 28_774.0),
                Record::value("tokio", &IDLE_RSS, Some(1_000_000), 412.0),
                Record::value("tokio", &IDLE_KERNEL, Some(1_000_000), 3.0),
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
                Record::value("threads", &IDLE_LARGEST_N, None, 30_000.0)
                    .with_note("spawn failed: Resource temporarily unavailable"),
                Record::value("tokio", &IDLE_LARGEST_N, None, 1_000_000.0),
            ],
        );
        assert_eq!(
            row(&render_table(&r), "**Scalability**: largest N"),
            ["30 000 (spawn failed: Resource temporarily unavailable)", "1 000 000"]
        );
    }

    /// The row's label and size come from the report's named sizes; without a figure at
    /// that size, the cell falls back to the largest N measured and says why.
    #[test]
    fn named_size_rows_fall_back_to_the_largest_measured_n() {
        let r = report(
            &["sequential", "threads", "tokio"],
            vec![
                Record::value("sequential", &WAITS_WALL_TIME, Some(10), 1_003.0),
                Record::value("threads", &WAITS_WALL_TIME, Some(1_000), 130.0),
                Record::reason("threads", &WAITS_WALL_TIME, Some(10_000), "thread limit"),
                Record::value("tokio", &WAITS_WALL_TIME, Some(10_000), 105.4),
            ],
        );
        let table = render_table(&r);
        assert_eq!(
            row(&table, "**Scalability**: 10 000 waits of 100 ms"),
            ["N=10: 1.00 s", "N=1 000: 130 ms; 10 000: thread limit", "105 ms"]
        );
        // Another size in another run: the label follows the report, not a constant.
        let mut r = r;
        r.sizes[0] = NamedSize::new(&WAITS_SCALABILITY, 1_000, "1 000 waits of 100 ms".to_owned());
        assert_eq!(row(&render_table(&r), "**Scalability**: 1 000 waits")[1], "130 ms");
    }

    /// Speedup divides the sequential wall time by the model's; the baseline says so.
    #[test]
    fn speedup_row() {
        let r = report(
            &["sequential", "tokio", "rayon"],
            vec![
                Record::value("sequential", &WAITS_WALL_TIME, Some(10), 1_003.0),
                Record::value("tokio", &WAITS_WALL_TIME, Some(10), 101.0),
            ],
        );
        assert_eq!(
            row(&render_table(&r), "**Speedup over sequential** (10 waits"),
            ["×1.0 (baseline)", "×9.9", "not measured"]
        );
    }

    /// A row of one variant reads only that variant's records; a distribution row shows
    /// the percentile it names and the record's note.
    #[test]
    fn variants_and_distributions() {
        let mut r = report(
            &["tokio", "threads"],
            vec![
                Record::value("tokio", &GATHER_TASKS_PER_SECOND, Some(10_000), 1_000.0)
                    .with_variant(Some(&GATHER_IN_ORDER)),
                Record::value("tokio", &GATHER_TASKS_PER_SECOND, Some(10_000), 2_000.0)
                    .with_variant(Some(&GATHER_AS_COMPLETED)),
                Record::value("threads", &CANCEL_RELEASE, Some(500), 600_000.0)
                    .with_dist(Distribution {
                        count: 500,
                        p50: 500_000.0,
                        p99: 1_050_000.0,
                        p999: 1e6,
                        max: 2e6,
                    })
                    .with_note("cooperative: token checked every 1 ms"),
            ],
        );
        r.sizes.push(NamedSize::new(&GATHER_HEADLINE, 10_000, "10 000 tasks".to_owned()));
        let table = render_table(&r);
        assert_eq!(row(&table, "**As-completed throughput**"), ["2 000/s", "not measured"]);
        assert_eq!(
            row(&table, "**Cancellation latency**"),
            ["not measured", "1.05 ms (cooperative: token checked every 1 ms)"]
        );
    }

    /// A figure from another commit than the latest run's is marked, and the mark explained.
    #[test]
    fn older_figures_are_marked() {
        let stamp = |commit: &str| Stamp { date: "d".into(), commit: commit.into(), profile: "full".into() };
        let mut r = report(
            &["tokio"],
            vec![
                Record {
                    measured: Some(stamp("old")),
                    ..Record::value("tokio", &SPAWN_NS_PER_TASK, Some(10), 300.0)
                },
                Record {
                    measured: Some(stamp("new")),
                    ..Record::value("tokio", &PING_PONG_ROUND_TRIP, Some(10), 200.0)
                },
            ],
        );
        r.provenance = Provenance { commit: "new".into(), ..Provenance::default() };
        let table = render_table(&r);
        assert_eq!(row(&table, "**Spawn cost**"), [format!("300 ns {OLDER_MARK}")]);
        assert_eq!(row(&table, "**Context switching**"), ["200 ns"]);
        assert!(table.contains(&format!("\n\n{OLDER_MARK} measured by an earlier run")));
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
