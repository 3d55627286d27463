//! The comparison table: one column per model, one row per aspect.
//!
//! The rows are [`crate::rows::ROWS`]: they follow the table
//! "Asyncio vs Threading vs Multiprocessing" of a Python asyncio tutorial, with measured
//! numbers where the tutorial has words, then the figures of later chapters. Every label and
//! size comes from the catalogue and the report's records; nothing here names a workload.
//!
//! Every figure carries how sure it is: `±` half the range of the run's rounds, relative to
//! the figure, or, when the rounds fell into two clusters, both ("844 ns in 2 of 3 rounds,
//! 7.63 µs in 1"). Each row ranks its models (`#1`, `#2`...): models whose rounds overlap
//! cannot be told apart and share a rank, marked `=`.

use workloads::catalogue::{Metric, Placement, Unit, Variant};

use crate::rows::{At, Cell, ROWS, Stat, Words};

use crate::format::{NOT_MEASURED, format_bytes, format_speedup, format_value, group_thousands};
use crate::record::Modes;
use crate::{Column, Part, Record, Report, Spread};

/// Kernel memory per task below this many bytes is noise (the kernel's counters are
/// system-wide, and other processes move them too): the memory cell leaves it out, and the
/// docs say "below noise".
pub const KERNEL_NOISE_BYTES: f64 = 512.0;

/// The mark on a figure measured at an earlier commit than the report's latest run.
pub const OLDER_MARK: &str = "†";

/// The mark on a figure measured under other conditions (profile, worker count, machine)
/// than the report's latest run.
pub const OTHER_CONDITIONS_MARK: &str = "‡";

/// One cell as the table shows it, with the figure behind it.
#[derive(Debug, Clone)]
pub struct Shown<'a> {
    /// The row's first cell (its aspect, sizes filled in).
    pub aspect: String,
    /// The column's id.
    pub column: String,
    /// The cell's text, without its rank.
    pub text: String,
    /// The records the cell reads.
    pub records: Vec<&'a Record>,
    /// The figure a row ranks by, in the cell's statistic, and its rounds' spread; `None`
    /// for words, reasons and cells of several figures.
    pub figure: Option<Figure>,
    /// Its rank in the row (1 is the best), and whether it shares it with another model.
    pub rank: Option<(usize, bool)>,
}

/// A ranked figure: its value and the range of its rounds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figure {
    /// The figure shown.
    pub value: f64,
    /// The lowest and highest round (both the value when the figure has one round).
    pub low: f64,
    /// See `low`.
    pub high: f64,
    /// Whether a higher figure is better.
    pub higher_is_better: bool,
    /// Its two modes, when its rounds fall into two clusters ([`Record::modes`]).
    pub modes: Option<Modes>,
}

impl Figure {
    fn of(value: f64, spread: Option<Spread>, higher_is_better: bool, modes: Option<Modes>) -> Figure {
        let (low, high) = spread.map_or((value, value), |s| (s.low, s.high));
        Figure { value, low, high, higher_is_better, modes }
    }

    /// Whether the two figures' rounds overlap: neither is ahead for sure.
    pub fn ties(&self, other: &Figure) -> bool {
        self.low <= other.high && other.low <= self.high
    }
}

/// Whether a higher figure of `metric` is better: rates, speedups and counts held; lower
/// for times and bytes.
pub fn higher_is_better(metric: &Metric) -> bool {
    matches!(metric.unit, Unit::PerSecond | Unit::Ratio | Unit::Fraction | Unit::Count)
}

/// Renders the comparison table as GitHub-flavoured Markdown.
///
/// A cell shows the measured figure with its spread and its rank in the row, or the
/// recorded reason why there is none, or `not measured` when no run produced a record for
/// it. A figure from an earlier
/// commit than the latest run's is marked with [`OLDER_MARK`], one measured under other
/// conditions with [`OTHER_CONDITIONS_MARK`], both explained below the table.
///
/// ```
/// use report::{render_table, Column, Part, Record, Report};
/// use workloads::spawn_join::SPAWN_NS_PER_TASK;
///
/// let tokio = Column {
///     id: "tokio".into(),
///     name: "tokio".into(),
///     concurrency: "async tasks on a thread pool".into(),
///     best_for: "many I/O-bound tasks".into(),
///     debugging: "tokio-console".into(),
///     workers: 4,
///     part: Part::Compared,
/// };
/// let report = Report {
///     columns: vec![tokio],
///     records: vec![Record::value("tokio", &SPAWN_NS_PER_TASK, Some(1000), 742.0)],
///     ..Report::default()
/// };
/// let table = render_table(&report);
/// assert!(table.starts_with("| Aspect | tokio |\n| --- | --- |\n"));
/// assert!(table.contains("| **Spawn cost** (ns per task) | 742 ns |"));
/// assert!(table.contains("| **Context switching** (ns per round trip, all threads on one core) | not measured |"));
/// assert!(table.contains("| **CPU-bound speedup**, hashing (over sequential, all cores, best way) | not measured |"));
/// ```
pub fn render_table(report: &Report) -> String {
    let header = std::iter::once("Aspect".to_owned()).chain(report.rust_columns().map(|c| c.name.clone()));
    let mut out = markdown_row(header);
    out += &markdown_row(std::iter::repeat_n("---".to_owned(), report.rust_columns().count() + 1));
    let (mut older, mut other) = (false, false);
    for row in shown_rows(report) {
        let aspect = row.first().map(|c| c.aspect.clone()).unwrap_or_default();
        let cells: Vec<String> = row
            .iter()
            .map(|cell| {
                let mut text = cell.text.clone();
                if let Some((rank, shared)) = cell.rank {
                    text += &format!(" #{rank}{}", if shared { "=" } else { "" });
                }
                if cell.records.iter().any(|r| report.is_older(r)) {
                    older = true;
                    text += &format!(" {OLDER_MARK}");
                }
                if cell.records.iter().any(|r| report.is_other_conditions(r)) {
                    other = true;
                    text += &format!(" {OTHER_CONDITIONS_MARK}");
                }
                text
            })
            .collect();
        out += &markdown_row(std::iter::once(aspect).chain(cells));
    }
    if older || other {
        out += "\n";
    }
    if older {
        out += &format!(
            "{OLDER_MARK} measured by an earlier run, at another commit than the latest run ({}); the report lists that run.\n",
            report.provenance.commit
        );
    }
    if other {
        out += &format!(
            "{OTHER_CONDITIONS_MARK} measured under other conditions than the latest run ({}): not comparable with the \
             other figures as it is; the report lists that run.\n",
            report.provenance.stamp().conditions()
        );
    }
    out
}

/// Every row of the table as shown: one [`Shown`] per column, ranked.
pub fn shown_rows(report: &Report) -> Vec<Vec<Shown<'_>>> {
    ROWS.iter()
        .map(|row| {
            let aspect = aspect(report, row.aspect, row.cell);
            let mut cells: Vec<Shown<'_>> = report
                .rust_columns()
                .map(|column| {
                    let (text, records, figure) = cell(report, column, row.cell);
                    Shown {
                        aspect: aspect.clone(),
                        column: column.id.clone(),
                        text,
                        records,
                        figure,
                        rank: None,
                    }
                })
                .collect();
            rank(&mut cells);
            cells
        })
        .collect()
}

/// Ranks the cells of one row that show a figure: a figure's rank is one more than the
/// number of figures certainly ahead of it (better, and with no round in common: their
/// ranges do not overlap), and it is shared (`=`) when its rounds overlap another figure's.
/// So two figures whose rounds overlap are never put in an order by their ranks alone, and
/// a wide figure ties with every figure its rounds reach. A row where every figure ties,
/// or with fewer than two figures, gets no ranks: there is no order to show.
fn rank(cells: &mut [Shown<'_>]) {
    let figures: Vec<(usize, Figure)> =
        cells.iter().enumerate().filter_map(|(i, c)| Some((i, c.figure?))).collect();
    if figures.len() < 2 {
        return;
    }
    let ahead = |a: &Figure, b: &Figure| {
        !a.ties(b) && if a.higher_is_better { a.value > b.value } else { a.value < b.value }
    };
    let ranks: Vec<(usize, usize, bool)> = figures
        .iter()
        .map(|(i, f)| {
            let rank = 1 + figures.iter().filter(|(_, other)| ahead(other, f)).count();
            let shared = figures.iter().any(|(j, other)| j != i && other.ties(f));
            (*i, rank, shared)
        })
        .collect();
    if ranks.iter().all(|&(_, rank, _)| rank == 1) {
        return;
    }
    for (i, rank, shared) in ranks {
        cells[i].rank = Some((rank, shared));
    }
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

/// What a cell builder returns: its text, the records it read, and the figure it ranks by.
type Built<'a> = (String, Vec<&'a Record>, Option<Figure>);

/// A cell's text, the records it shows, and its figure for the row's ranking.
fn cell<'a>(report: &'a Report, column: &Column, cell: Cell) -> Built<'a> {
    // A reference has figures in its own workload's rows only (hyper's in the HTTP server's,
    // reqwest's in the client fan-out's): the rows of a workload it has no record of get a
    // dash, not a "not measured".
    if column.part == Part::Reference
        && metric_of(cell).is_some_and(|m| {
            !report.records.iter().any(|r| r.model == column.id && r.workload == m.workload.id)
        })
    {
        return ("–".to_owned(), Vec::new(), None);
    }
    match cell {
        Cell::Words(Words::Concurrency) => (column.concurrency.clone(), Vec::new(), None),
        Cell::Words(Words::BestFor) => (column.best_for.clone(), Vec::new(), None),
        Cell::Words(Words::Debugging) => (column.debugging.clone(), Vec::new(), None),
        Cell::Figure { metric, variant, placement, at, stat, note } => {
            figure_cell(report, column, Pick { metric, variant, placement }, at, stat, note)
        }
        Cell::Speedup { metric, at } => speedup_cell(report, column, metric, at),
        Cell::Memory { rss, kernel } => memory_cell(report, column, rss, kernel),
        Cell::Held { metric } => held_cell(report, column, metric),
        Cell::Best { metric } => best_cell(report, column, metric),
        Cell::Efficiency { metrics } => {
            let cells: Vec<(String, Option<&Record>)> =
                metrics.iter().map(|metric| best_figure(report, column, metric)).collect();
            if cells.iter().all(|(_, record)| record.is_none()) {
                // No figure for any of them: the first one's reason says why.
                return (no_figure(report, column, Pick::of(metrics[0])), Vec::new(), None);
            }
            let records = cells.iter().filter_map(|(_, r)| *r).collect();
            let texts: Vec<String> = cells.into_iter().map(|(text, _)| text).collect();
            (texts.join(" · "), records, None)
        }
        Cell::Versus { metric, from, to, stat } => versus_cell(report, column, metric, from, to, stat),
    }
}

/// Which records a cell reads: a metric, of one variant and placement when given.
#[derive(Clone, Copy)]
struct Pick {
    metric: &'static Metric,
    variant: Option<&'static Variant>,
    placement: Option<Placement>,
}

impl Pick {
    fn of(metric: &'static Metric) -> Pick {
        Pick { metric, variant: None, placement: None }
    }

    fn largest<'a>(&self, report: &'a Report, column: &Column) -> Option<&'a Record> {
        report.largest_measured(&column.id, self.metric, self.variant, self.placement)
    }

    fn at<'a>(&self, report: &'a Report, column: &Column, n: u64) -> Option<&'a Record> {
        report.record_at(&column.id, self.metric, self.variant, self.placement, n)
    }
}

/// The record with the highest value of `metric` at the largest N the model measured it,
/// over all its variants.
fn best_record<'a>(report: &'a Report, column: &Column, metric: &Metric) -> Option<&'a Record> {
    let n = report.largest_measured(&column.id, metric, None, None)?.n;
    report
        .records
        .iter()
        .filter(|r| r.model == column.id && r.is(metric, None) && r.n == n)
        .filter_map(|r| Some((r, r.value?)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(r, _)| r)
}

/// `×1.95 ±3% (work_stealing)`: the best variant's figure, and which variant it is.
fn best_cell<'a>(report: &'a Report, column: &Column, metric: &'static Metric) -> Built<'a> {
    match best_record(report, column, metric) {
        Some(record) => {
            let text = show(record, Stat::Value, false).unwrap_or_default();
            let text = match &record.variant {
                Some(variant) => format!("{text} ({variant})"),
                None => text,
            };
            let figure = ranked(record, Stat::Value, metric);
            (text, vec![record], figure)
        }
        None => (no_figure(report, column, Pick::of(metric)), Vec::new(), None),
    }
}

/// The best variant's figure alone (`–` when there is none).
fn best_figure<'a>(report: &'a Report, column: &Column, metric: &Metric) -> (String, Option<&'a Record>) {
    match best_record(report, column, metric).and_then(|r| Some((show(r, Stat::Value, false)?, r))) {
        Some((text, record)) => (text, Some(record)),
        None => ("–".to_owned(), None),
    }
}

/// `52.1 ms → 81 µs`: one statistic of a metric in the problem variant, then the fix.
fn versus_cell<'a>(
    report: &'a Report,
    column: &Column,
    metric: &'static Metric,
    from: &'static Variant,
    to: &'static Variant,
    stat: Stat,
) -> Built<'a> {
    let pick = |variant| Pick { metric, variant: Some(variant), placement: None };
    let (before, mut records, _) = figure_cell(report, column, pick(from), At::Largest, stat, false);
    let (after, after_records, _) = figure_cell(report, column, pick(to), At::Largest, stat, false);
    records.extend(after_records);
    let measured = |variant| pick(variant).largest(report, column).is_some();
    let text = if measured(from) || measured(to) { format!("{before} → {after}") } else { before };
    (text, records, None)
}

/// The statistic `stat` of a record, formatted in its unit, with how sure it is: `±` half
/// the range of its rounds relative to the figure, or its two modes; and its note when the
/// row shows notes.
fn show(record: &Record, stat: Stat, note: bool) -> Option<String> {
    let value = record.stat(stat)?;
    let text = match record.modes(stat) {
        Some(modes) => format!(
            "{} in {} of {} rounds, {} in {}",
            format_value(modes.main.0, &record.unit),
            modes.main.1,
            modes.main.1 + modes.other.1,
            format_value(modes.other.0, &record.unit),
            modes.other.1
        ),
        None => {
            let text = format_value(value, &record.unit);
            match record.spread(stat) {
                Some(spread) => format!("{text} {}", format_spread(&spread)),
                None => text,
            }
        }
    };
    Some(match (&record.reason, note) {
        (Some(note), true) => format!("{text} ({note})"),
        _ => text,
    })
}

/// `±4%`: half the range of the rounds, relative to the figure; `±<1%` below one percent.
pub fn format_spread(spread: &Spread) -> String {
    let percent = spread.relative() * 100.0;
    if percent < 1.0 { "±<1%".to_owned() } else { format!("±{percent:.0}%") }
}

/// The figure a row ranks `record` by; none for a partial figure (a server that starved
/// connections or could not keep up with the rate): its caveat says why.
fn ranked(record: &Record, stat: Stat, metric: &Metric) -> Option<Figure> {
    if record.partial {
        return None;
    }
    Some(Figure::of(record.stat(stat)?, record.spread(stat), higher_is_better(metric), record.modes(stat)))
}

/// The figure at the row's size (the named size, else the largest N measured); when the
/// model has none at the named size, the largest N it did measure and the reason.
fn figure_cell<'a>(
    report: &'a Report,
    column: &Column,
    pick: Pick,
    at: At,
    stat: Stat,
    note: bool,
) -> Built<'a> {
    let largest = pick.largest(report, column);
    let target = match at {
        At::Role(role) => report.named_size(role).map(|s| s.n),
        At::Largest => None,
    };
    if let Some(n) = target {
        let at_target = pick.at(report, column, n);
        if let Some(record) = at_target
            && let Some(text) = show(record, stat, note)
        {
            return (text, vec![record], ranked(record, stat, pick.metric));
        }
        if let Some(record) = largest
            && let (Some(text), Some(measured_n)) = (show(record, stat, note), record.n)
        {
            let fallback = format!("N={}: {text}", group_thousands(measured_n));
            let text = match at_target.and_then(|r| r.reason.as_deref()) {
                Some(reason) => format!("{fallback}; {}: {reason}", group_thousands(n)),
                None => fallback,
            };
            // Another size than the row's: not ranked with the others.
            return (text, vec![record], None);
        }
        return (no_figure(report, column, pick), Vec::new(), None);
    }
    match largest.and_then(|r| Some((show(r, stat, note)?, r))) {
        Some((text, record)) => (text, vec![record], ranked(record, stat, pick.metric)),
        None => (no_figure(report, column, pick), Vec::new(), None),
    }
}

/// What a cell says without a figure: the reason at the largest `n`, or `not measured` when
/// no run measured it.
fn no_figure(report: &Report, column: &Column, pick: Pick) -> String {
    let reason = report
        .records(&column.id, pick.metric, pick.variant)
        .filter(|r| r.reason.is_some() && r.placed(pick.placement))
        .max_by_key(|r| r.n);
    reason.and_then(|r| r.reason.clone()).unwrap_or_else(|| NOT_MEASURED.to_owned())
}

/// How many times faster than the sequential baseline the model did the same size: the
/// baseline's figure over the model's, and over each of the model's rounds for the spread.
fn speedup_cell<'a>(report: &'a Report, column: &Column, metric: &'static Metric, at: At) -> Built<'a> {
    let pick = Pick::of(metric);
    let Some(baseline_id) = report.baseline() else {
        return (NOT_MEASURED.to_owned(), Vec::new(), None);
    };
    let n = match at {
        At::Role(role) => report.named_size(role).map(|s| s.n),
        At::Largest => report.largest_measured(baseline_id, metric, None, None).and_then(|r| r.n),
    };
    let baseline = n.and_then(|n| report.record_at(baseline_id, metric, None, None, n));
    let own = n.and_then(|n| pick.at(report, column, n));
    match (baseline, own) {
        (Some(b), Some(_)) if column.part == Part::Baseline && b.value.is_some() => {
            (format!("{} (baseline)", format_speedup(1.0)), vec![b], None)
        }
        (Some(b @ Record { value: Some(baseline), .. }), Some(r @ Record { value: Some(value), .. }))
            if *value > 0.0 =>
        {
            let spread = r.spread(Stat::Value).map(|s| Spread {
                low: baseline / s.high,
                high: baseline / s.low.max(f64::MIN_POSITIVE),
                median: baseline / value,
                rounds: s.rounds,
            });
            let mut text = format_speedup(baseline / value);
            if let Some(spread) = &spread {
                text += &format!(" {}", format_spread(spread));
            }
            (text, vec![b, r], Some(Figure::of(baseline / value, spread, true, None)))
        }
        _ => (NOT_MEASURED.to_owned(), Vec::new(), None),
    }
}

/// `412 B ±2% (N=1 000 000)`, plus the kernel's share when it is large enough to matter
/// (an OS thread's kernel stack and bookkeeping do not show up in the process RSS).
fn memory_cell<'a>(report: &'a Report, column: &Column, rss: &'static Metric, kernel: &Metric) -> Built<'a> {
    let Some(record @ Record { value: Some(bytes), n, .. }) =
        report.largest_measured(&column.id, rss, None, None)
    else {
        return (no_figure(report, column, Pick::of(rss)), Vec::new(), None);
    };
    let mut cell = format_bytes(*bytes);
    if let Some(spread) = record.spread(Stat::Value) {
        cell += &format!(" {}", format_spread(&spread));
    }
    if let Some(n) = *n {
        cell += &format!(" (N={})", group_thousands(n));
        let kernel = report.record_at(&column.id, kernel, None, None, n).and_then(|r| r.value);
        if let Some(kernel) = kernel.filter(|&k| k >= KERNEL_NOISE_BYTES) {
            cell += &format!(" + {} kernel", format_bytes(kernel));
        }
    }
    (cell, vec![record], ranked(record, Stat::Value, rss))
}

/// `1 000 000`, and the note on it: what stopped the model, or that no limit was reached.
fn held_cell<'a>(report: &'a Report, column: &Column, metric: &'static Metric) -> Built<'a> {
    match report.largest_measured(&column.id, metric, None, None) {
        Some(record @ Record { value: Some(n), reason, .. }) => {
            let held = group_thousands(n.round() as u64);
            let text = match reason {
                Some(reason) => format!("{held} ({reason})"),
                None => held,
            };
            (text, vec![record], ranked(record, Stat::Value, metric))
        }
        _ => (no_figure(report, column, Pick::of(metric)), Vec::new(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Distribution, NamedSize, Provenance, Stamp, Trial};

    const ONE: Placement = Placement::OneCore;
    use workloads::cancellation::CANCEL_RELEASE;
    use workloads::gather::{GATHER_AS_COMPLETED, GATHER_HEADLINE, GATHER_IN_ORDER, GATHER_TASKS_PER_SECOND};
    use workloads::idle::{IDLE_KERNEL, IDLE_LARGEST_N, IDLE_RSS};
    use workloads::ping_pong::PING_PONG_ROUND_TRIP;
    use workloads::server::HTTP_REQUESTS_PER_SECOND;
    use workloads::spawn_join::SPAWN_NS_PER_TASK;
    use workloads::waits::{WAITS_SCALABILITY, WAITS_SPEEDUP, WAITS_WALL_TIME};

    fn column(id: &str) -> Column {
        Column {
            id: id.to_owned(),
            name: id.to_owned(),
            concurrency: format!("{id} model"),
            best_for: "tests".to_owned(),
            debugging: "println!".to_owned(),
            workers: 2,
            part: match id {
                "sequential" => Part::Baseline,
                "hyper" | "reqwest" => Part::Reference,
                _ => Part::Compared,
            },
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

    /// A reference has figures in the rows of its own workload and a dash in every other:
    /// hyper in the HTTP server's, reqwest in the client fan-out's.
    #[test]
    fn references_fill_their_own_rows_only() {
        use workloads::client::{HTTP_CLIENT_HEADLINE, HTTP_CLIENT_WALL_TIME};
        let mut r = report(
            &["tokio", "hyper", "reqwest"],
            vec![
                Record::value("tokio", &HTTP_REQUESTS_PER_SECOND, Some(100), 100_000.0),
                Record::value("hyper", &HTTP_REQUESTS_PER_SECOND, Some(100), 90_000.0),
                Record::value("tokio", &HTTP_CLIENT_WALL_TIME, Some(1_000), 86.0),
                Record::value("reqwest", &HTTP_CLIENT_WALL_TIME, Some(1_000), 95.0),
            ],
        );
        r.sizes.push(NamedSize::new(&HTTP_CLIENT_HEADLINE, 1_000, "1 000 URLs of /slow?delay=50".to_owned()));
        let table = render_table(&r);
        let server = row(&table, "**Scalability for I/O**");
        assert!(server[1].starts_with("90 000/s") && server[2] == "–", "{server:?}");
        let client = row(&table, "**HTTP client fan-out**");
        assert!(client[1] == "–" && client[2].starts_with("95"), "{client:?}");
        assert_eq!(row(&table, "**Context switching**"), ["not measured", "–", "–"]);
    }

    /// The best way's speedup at the most workers, named; efficiencies side by side; the
    /// stall before and after offloading.
    #[test]
    fn best_efficiency_and_versus_cells() {
        use workloads::hashing::HASHING_EFFICIENCY;
        use workloads::mandelbrot::{MANDELBROT_EFFICIENCY, MANDELBROT_SPEEDUP, MANDELBROT_WAYS};
        use workloads::stall::{STALL_HEARTBEAT, STALL_INLINE_CPU, STALL_OFFLOADED_CPU};
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
                Record::value("tokio", &PING_PONG_ROUND_TRIP, Some(10), 900.0).with_placement(Some(ONE)),
                Record::value("tokio", &PING_PONG_ROUND_TRIP, Some(1000), 3_123.0).with_placement(Some(ONE)),
                // Another placement: not this row's.
                Record::value("tokio", &PING_PONG_ROUND_TRIP, Some(10_000), 1.0)
                    .with_placement(Some(Placement::AllCores)),
            ],
        );
        assert_eq!(row(&render_table(&r), "**Context switching**"), ["3.12 µs"]);
    }

    /// A record of several rounds shows its spread; rounds in two tight clusters show both.
    #[test]
    fn spreads_and_modes() {
        let rounds = |values: &[f64]| values.iter().map(|&value| Trial { value, dist: None }).collect();
        let r = report(
            &["threads", "tokio"],
            vec![
                Record {
                    rounds: rounds(&[850.0, 7_600.0, 880.0]),
                    ..Record::value("threads", &PING_PONG_ROUND_TRIP, Some(10), 880.0)
                        .with_placement(Some(ONE))
                },
                Record {
                    rounds: rounds(&[700.0, 760.0, 730.0]),
                    ..Record::value("tokio", &PING_PONG_ROUND_TRIP, Some(10), 730.0).with_placement(Some(ONE))
                },
            ],
        );
        assert_eq!(
            row(&render_table(&r), "**Context switching**"),
            ["880 ns in 2 of 3 rounds, 7.60 µs in 1 #2", "730 ns ±4% #1"]
        );
    }

    /// A row ranks its figures, best first; figures whose rounds overlap share a rank.
    #[test]
    fn ranks_and_ties() {
        let rounds = |values: &[f64]| values.iter().map(|&value| Trial { value, dist: None }).collect();
        let spawn = |model: &str, values: &[f64]| Record {
            rounds: rounds(values),
            ..Record::value(model, &SPAWN_NS_PER_TASK, Some(10), values[1])
        };
        let r = report(
            &["a", "b", "c", "d"],
            vec![
                spawn("a", &[400.0, 410.0, 420.0]),
                spawn("b", &[300.0, 310.0, 320.0]),
                spawn("c", &[315.0, 330.0, 340.0]),
                spawn("d", &[100.0, 110.0, 120.0]),
            ],
        );
        assert_eq!(
            row(&render_table(&r), "**Spawn cost**"),
            ["410 ns ±2% #4", "310 ns ±3% #2=", "330 ns ±4% #2=", "110 ns ±9% #1"]
        );
        // Ties need not chain: b's rounds reach both a's and c's, c's do not reach a's. So a
        // and b share the first rank, c is second (only a is certainly ahead of it) and shares
        // it with b, whose rounds it reaches.
        let chain = report(
            &["a", "b", "c"],
            vec![
                spawn("a", &[100.0, 110.0, 120.0]),
                spawn("b", &[115.0, 125.0, 130.0]),
                spawn("c", &[128.0, 140.0, 150.0]),
            ],
        );
        assert_eq!(
            row(&render_table(&chain), "**Spawn cost**"),
            ["110 ns ±9% #1=", "125 ns ±6% #1=", "140 ns ±8% #2="]
        );
        // Every figure tied: no order to show.
        let all = report(&["a", "b"], vec![spawn("a", &[1.0, 2.0, 3.0]), spawn("b", &[2.0, 4.0, 3.0])]);
        assert_eq!(row(&render_table(&all), "**Spawn cost**"), ["2 ns ±50%", "4 ns ±25%"]);
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
            ["8.1 KiB (N=10 000) + 28.1 KiB kernel #2", "412 B (N=1 000 000) #1"]
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
            ["30 000 (spawn failed: Resource temporarily unavailable) #2", "1 000 000 #1"]
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
        let provenance = Provenance { commit: "new".into(), profile: "full".into(), ..Provenance::default() };
        let stamp = |commit: &str| Stamp { commit: commit.into(), ..provenance.stamp() };
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
        r.records[1] = r.records[1].clone().with_placement(Some(ONE));
        r.provenance = provenance.clone();
        let table = render_table(&r);
        assert_eq!(row(&table, "**Spawn cost**"), [format!("300 ns {OLDER_MARK}")]);
        assert_eq!(row(&table, "**Context switching**"), ["200 ns"]);
        assert!(table.contains(&format!("\n\n{OLDER_MARK} measured by an earlier run")));
        assert!(!table.contains(OTHER_CONDITIONS_MARK));

        // A figure measured with one worker, beside a latest run with two: marked apart.
        r.provenance.workers = 2;
        let table = render_table(&r);
        assert_eq!(row(&table, "**Spawn cost**"), [format!("300 ns {OLDER_MARK} {OTHER_CONDITIONS_MARK}")]);
        assert!(table.contains(&format!(
            "{OTHER_CONDITIONS_MARK} measured under other conditions than the latest run (full profile, 2 workers"
        )));
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
