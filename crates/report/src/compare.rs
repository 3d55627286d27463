//! Two runs side by side: which figures moved, by how much, and whether a move is larger
//! than the runs' own noise.
//!
//! A benchmark's figures change from run to run even when nothing else changed: the machine
//! is busy with other things, caches and frequencies differ, the scheduler decides
//! otherwise. So "B is 8% slower than A" means little on its own. Every figure here is the
//! median of several rounds, and the rounds' range says how far that run's own figures
//! wandered. A figure whose two ranges do not overlap moved *beyond both spreads*: no round
//! of one run came as close as any round of the other, which is the same test the table
//! uses to decide whether two models can be told apart ([`Figure::ties`]), applied to one
//! model across two runs.
//!
//! [`compare`] pairs the figures of two reports; [`render`] writes the comparison as
//! Markdown.
//!
//! ```
//! use report::Report;
//! use report::compare::{compare, render};
//!
//! let run = Report::default();
//! let comparison = compare(&run, &run);
//! assert_eq!(comparison.summary.compared, 0);
//! assert!(render(&comparison, false).contains("## Summary"));
//! ```

use std::collections::{HashMap, HashSet};
use std::fmt;

use workloads::catalogue;

use crate::rows::Stat;

use crate::format::{format_value, group_thousands};
use crate::record::Modes;
use crate::table::{Figure, Shown, format_spread, markdown_row, shown_rows};
use crate::{Provenance, Record, Report, Spread};

/// Two figures agree "within 10%" when the larger is at most this many times the smaller.
pub const WITHIN_10_PERCENT: f64 = 1.10;

/// Two figures agree "within 25%" when the larger is at most this many times the smaller.
pub const WITHIN_25_PERCENT: f64 = 1.25;

/// Two figures are "more than 2× apart" when the larger is more than this many times the
/// smaller.
pub const TWICE: f64 = 2.0;

/// The statistics compared: a record's value, and for a distribution its median and 99th
/// percentile too. The 99.9th percentile and the maximum rest on a handful of samples, so
/// two runs rarely agree on them and comparing them would mostly report noise.
const STATS: [Stat; 3] = [Stat::Value, Stat::P50, Stat::P99];

/// A cell's rank in its row, and whether another model shares it (as [`Shown::rank`]).
pub type Rank = (usize, bool);

/// What identifies a record across runs ([`Record::key`]), borrowed.
type RecordKey<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, Option<&'a str>, Option<u64>);

/// Everything two runs have in common and where they part: built by [`compare`], written
/// out by [`render`].
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The two runs, A first.
    pub runs: [Run; 2],
    /// Every figure both runs have, in the order A measured them.
    pub figures: Vec<Compared>,
    /// Figures only A has, in the order A measured them.
    pub only_in_a: Vec<FigureKey>,
    /// Figures only B has, in the order B measured them.
    pub only_in_b: Vec<FigureKey>,
    /// Every table cell that shows a ranked figure in both runs, row by row.
    pub table: Vec<TableFigure>,
    /// Table cells that show a ranked figure in A and not in B.
    pub table_only_in_a: Vec<TableCell>,
    /// Table cells that show a ranked figure in B and not in A.
    pub table_only_in_b: Vec<TableCell>,
    /// The counts over [`Comparison::figures`].
    pub summary: Summary,
    /// The counts over [`Comparison::table`].
    pub table_summary: Summary,
    /// Pairs of models whose order in a table row the two runs disagree on.
    pub swaps: Vec<Swap>,
}

/// One of the two runs: where and how it was made.
#[derive(Debug, Clone)]
pub struct Run {
    /// The run's provenance.
    pub provenance: Provenance,
    /// How many earlier runs the report still holds figures of (a filtered run keeps the
    /// figures it did not measure again).
    pub earlier_runs: usize,
    /// Where the report was read from, when the caller says so: shown in the header.
    pub source: Option<String>,
}

/// One figure: a record's key and the statistic read from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureKey {
    /// Column id of the model.
    pub model: String,
    /// Workload id.
    pub workload: String,
    /// Metric id.
    pub metric: String,
    /// The variant, when the workload has several.
    pub variant: Option<String>,
    /// The placement of the threads, when the workload's figures depend on it.
    pub placement: Option<String>,
    /// The size the figure was measured at.
    pub n: Option<u64>,
    /// Which statistic of the record: its value, or a percentile of its distribution.
    pub stat: Stat,
}

impl FigureKey {
    fn of(record: &Record, stat: Stat) -> FigureKey {
        FigureKey {
            model: record.model.clone(),
            workload: record.workload.clone(),
            metric: record.metric.clone(),
            variant: record.variant.clone(),
            placement: record.placement.clone(),
            n: record.n,
            stat,
        }
    }

    /// The metric with what narrows it, e.g. `ns_per_round_trip, one_core` or
    /// `release_latency, p99`; without the model, workload and size.
    pub fn what(&self) -> String {
        let mut parts = vec![self.metric.clone()];
        parts.extend(self.variant.clone());
        parts.extend(self.placement.clone());
        if self.stat != Stat::Value {
            parts.push(stat_name(self.stat).to_owned());
        }
        parts.join(", ")
    }
}

impl fmt::Display for FigureKey {
    /// `tokio: ping_pong/ns_per_round_trip, one_core, N=10 000`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}/{}", self.model, self.workload, self.what())?;
        if let Some(n) = self.n {
            write!(f, ", N={}", group_thousands(n))?;
        }
        Ok(())
    }
}

/// One run's side of a compared figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Side {
    /// The figure (the median of the run's rounds).
    pub value: f64,
    /// Its unit, as the record gives it.
    pub unit: String,
    /// The range of its rounds; `None` with fewer than two rounds.
    pub spread: Option<Spread>,
    /// Its two modes, when its rounds fall into two clusters ([`Record::modes`]).
    pub modes: Option<Modes>,
}

impl Side {
    fn of(record: &Record, stat: Stat) -> Option<Side> {
        Some(Side {
            value: record.stat(stat)?,
            unit: record.unit.clone(),
            spread: record.spread(stat),
            modes: record.modes(stat),
        })
    }

    /// The lowest and highest round; both the value itself when there is no spread, since
    /// then nothing says how far the figure could wander.
    pub fn range(&self) -> (f64, f64) {
        self.spread.map_or((self.value, self.value), |s| (s.low, s.high))
    }

    /// `742 ns ±3%`, or `742 ns (no spread)` with fewer than two rounds.
    pub fn text(&self) -> String {
        let value = format_value(self.value, &self.unit);
        match &self.spread {
            Some(spread) => format!("{value} {}", format_spread(spread)),
            None => format!("{value} (no spread)"),
        }
    }
}

/// A figure both runs have.
#[derive(Debug, Clone, PartialEq)]
pub struct Compared {
    /// Which figure.
    pub key: FigureKey,
    /// A's figure.
    pub a: Side,
    /// B's figure.
    pub b: Side,
    /// B's figure over A's; `None` when A's is zero.
    pub ratio: Option<f64>,
    /// How far apart the two runs' figures are ([`agreement`]): how many times the larger
    /// is the smaller, mode by mode for a figure of two modes.
    pub apart: f64,
    /// Whether `apart` is closer by mode than the two figures themselves.
    pub by_mode: bool,
    /// The two runs' ranges of rounds do not overlap: the change is larger than either
    /// run's own noise.
    pub beyond_spreads: bool,
}

/// A table cell that shows a ranked figure in both runs.
#[derive(Debug, Clone, PartialEq)]
pub struct TableFigure {
    /// The cell's place.
    pub cell: TableCell,
    /// The row's first cell in B, when it reads otherwise than in A (the runs named
    /// other sizes, so the row reads figures at other sizes).
    pub aspect_in_b: Option<String>,
    /// The cell's text in A, without its rank.
    pub a_text: String,
    /// The cell's text in B, without its rank.
    pub b_text: String,
    /// A's figure and the range of its rounds.
    pub a: Figure,
    /// B's figure and the range of its rounds.
    pub b: Figure,
    /// B's figure over A's; `None` when A's is zero.
    pub ratio: Option<f64>,
    /// How far apart the two runs' figures are ([`agreement`]).
    pub apart: f64,
    /// Whether `apart` is closer by mode than the two figures themselves.
    pub by_mode: bool,
    /// The two runs' ranges of rounds do not overlap.
    pub beyond_spreads: bool,
}

/// The place of a cell in the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCell {
    /// The row's index in the table (the catalogue's `ROWS`).
    pub row: usize,
    /// The row's first cell, as A shows it (as B shows it for a cell only B has).
    pub aspect: String,
    /// The column's id.
    pub column: String,
    /// The column's name in the table header.
    pub name: String,
}

/// Counts over a set of compared figures.
///
/// The agreement counts are cumulative: a figure within 10% is also within 25%.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Figures both runs have.
    pub compared: usize,
    /// Of those, how many agree within 10% ([`WITHIN_10_PERCENT`]).
    pub within_10_percent: usize,
    /// Of those, how many agree within 25% ([`WITHIN_25_PERCENT`]).
    pub within_25_percent: usize,
    /// Of those, how many are more than twice apart ([`TWICE`]).
    pub more_than_twice: usize,
    /// Of those, how many moved beyond both runs' spreads.
    pub beyond_spreads: usize,
    /// Of those, how many agree within 25% by mode only: a figure of two modes whose
    /// modes the other run shows too, in other proportions, so that its median fell in the
    /// other mode ([`agreement`]).
    pub within_25_percent_by_mode: usize,
    /// Figures only A has.
    pub only_in_a: usize,
    /// Figures only B has.
    pub only_in_b: usize,
}

impl Summary {
    fn of(pairs: impl Iterator<Item = (f64, bool, bool)>, only_in_a: usize, only_in_b: usize) -> Summary {
        let mut summary = Summary { only_in_a, only_in_b, ..Summary::default() };
        for (apart, by_mode, beyond) in pairs {
            summary.compared += 1;
            summary.within_25_percent_by_mode += usize::from(by_mode && apart <= WITHIN_25_PERCENT);
            summary.within_10_percent += usize::from(apart <= WITHIN_10_PERCENT);
            summary.within_25_percent += usize::from(apart <= WITHIN_25_PERCENT);
            summary.more_than_twice += usize::from(apart > TWICE);
            summary.beyond_spreads += usize::from(beyond);
        }
        summary
    }

    /// Figures that only one of the two runs has.
    pub fn only_in_one(&self) -> usize {
        self.only_in_a + self.only_in_b
    }
}

/// Two models that a table row puts in opposite orders in the two runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Swap {
    /// The row's index in the table.
    pub row: usize,
    /// The row's name in short, e.g. `Context switching`.
    pub aspect: String,
    /// The model A ranks ahead (the column's name).
    pub first: String,
    /// The model B ranks ahead.
    pub second: String,
    /// Their ranks in A, `first`'s then `second`'s, each with whether it is shared.
    pub in_a: [Rank; 2],
    /// Their ranks in B, `first`'s then `second`'s.
    pub in_b: [Rank; 2],
}

impl fmt::Display for Swap {
    /// `Context switching: threads and tokio swap: #2/#3 in A, #3/#2 in B`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rank = |(rank, shared): Rank| format!("#{rank}{}", if shared { "=" } else { "" });
        write!(
            f,
            "{}: {} and {} swap: {}/{} in A, {}/{} in B",
            self.aspect,
            self.first,
            self.second,
            rank(self.in_a[0]),
            rank(self.in_a[1]),
            rank(self.in_b[0]),
            rank(self.in_b[1])
        )
    }
}

/// How many times the larger of two figures is the smaller, by absolute value: 1 for equal
/// figures (both zero included), infinite when one is zero and the other is not.
///
/// A ratio B/A reads differently in the two directions (×0.5 and ×2 are the same
/// distance), so agreement is measured this way, the same both ways round.
///
/// ```
/// use report::compare::apart;
///
/// assert_eq!(apart(100.0, 125.0), 1.25);
/// assert_eq!(apart(125.0, 100.0), 1.25);
/// assert_eq!(apart(0.0, 0.0), 1.0);
/// assert_eq!(apart(0.0, 3.0), f64::INFINITY);
/// ```
pub fn apart(a: f64, b: f64) -> f64 {
    let (low, high) = if a.abs() <= b.abs() { (a.abs(), b.abs()) } else { (b.abs(), a.abs()) };
    if low == high {
        1.0
    } else if low == 0.0 {
        f64::INFINITY
    } else {
        high / low
    }
}

/// How far apart two runs' figures are, and whether they are closer by mode: a figure whose
/// rounds fall into two clusters is shown as its two modes ([`Record::modes`]), and the
/// share of rounds in each changes from run to run, so its median may lie in one mode in
/// one run and in the other in the next. Such a figure is compared mode by mode:
///
/// - both runs show two modes: the lower modes and the upper modes, and the figure is as
///   far apart as the worse of the two pairs;
/// - one run shows two modes: the other run's figure against the nearer of them (the
///   other mode only when it holds at least two rounds, not a single stray one).
///
/// The result is the closer of that and the figures themselves ([`apart`]); the flag says
/// whether the modes made it closer.
///
/// ```
/// use report::compare::agreement;
/// use report::record::Modes;
///
/// // rayon's spawn cost: 145 ns in 3 of 5 rounds and 426 ns in 2, then 147 ns in 1 and 462 ns in 4.
/// let a = Modes { main: (145.0, 3), other: (426.0, 2) };
/// let b = Modes { main: (462.0, 4), other: (147.0, 1) };
/// let (how_far, by_mode) = agreement(145.0, Some(a), 462.0, Some(b));
/// assert!(by_mode && (how_far - 462.0 / 426.0).abs() < 1e-9);
/// // A single figure against the mode of two rounds it matches.
/// assert_eq!(agreement(430.0, None, 145.0, Some(a)), (430.0 / 426.0, true));
/// // Without modes, the figures themselves.
/// assert_eq!(agreement(100.0, None, 125.0, None), (1.25, false));
/// ```
pub fn agreement(a: f64, a_modes: Option<Modes>, b: f64, b_modes: Option<Modes>) -> (f64, bool) {
    let plain = apart(a, b);
    let nearest = |value: f64, modes: Modes| {
        let main = apart(value, modes.main.0);
        if modes.other.1 >= 2 { main.min(apart(value, modes.other.0)) } else { main }
    };
    let by_mode = match (a_modes, b_modes) {
        (Some(ma), Some(mb)) => {
            let ((a_low, a_high), (b_low, b_high)) = (ma.values(), mb.values());
            Some(apart(a_low, b_low).max(apart(a_high, b_high)))
        }
        (Some(ma), None) => Some(nearest(b, ma)),
        (None, Some(mb)) => Some(nearest(a, mb)),
        (None, None) => None,
    };
    match by_mode {
        Some(m) if m < plain => (m, true),
        _ => (plain, false),
    }
}

/// B's figure over A's; `None` when A's is zero (no ratio to give).
fn ratio(a: f64, b: f64) -> Option<f64> {
    (a != 0.0).then(|| b / a)
}

/// Whether two ranges `[low, high]` have no point in common.
fn disjoint((a_low, a_high): (f64, f64), (b_low, b_high): (f64, f64)) -> bool {
    !(a_low <= b_high && b_low <= a_high)
}

/// Compares run `b` with run `a`: every figure both have, the table's figures, what only
/// one of them has, and the table rows whose order changed.
pub fn compare(a: &Report, b: &Report) -> Comparison {
    let (figures, only_in_a, only_in_b) = compare_figures(a, b);
    let rows_a = shown_rows(a);
    let rows_b = shown_rows(b);
    let (table, table_only_in_a, table_only_in_b) = compare_table(a, b, &rows_a, &rows_b);
    let swaps = find_swaps(a, &rows_a, &rows_b);
    let summary = Summary::of(
        figures.iter().map(|f| (f.apart, f.by_mode, f.beyond_spreads)),
        only_in_a.len(),
        only_in_b.len(),
    );
    let table_summary = Summary::of(
        table.iter().map(|f| (f.apart, f.by_mode, f.beyond_spreads)),
        table_only_in_a.len(),
        table_only_in_b.len(),
    );
    let run = |report: &Report| Run {
        provenance: report.provenance.clone(),
        earlier_runs: report.earlier_runs.len(),
        source: None,
    };
    Comparison {
        runs: [run(a), run(b)],
        figures,
        only_in_a,
        only_in_b,
        table,
        table_only_in_a,
        table_only_in_b,
        summary,
        table_summary,
        swaps,
    }
}

/// Every figure of a run, once each, in the order measured: each record's value, and its
/// median and 99th percentile when it has a distribution. A record without a value (a
/// reason instead) has no figure to compare.
fn figures_of(report: &Report) -> Vec<(RecordKey<'_>, Stat, &Record)> {
    let mut seen = HashSet::new();
    let mut figures = Vec::new();
    for record in &report.records {
        // A report holds one record per key (a later run's record replaces an earlier
        // one); should one hold two, the first one counts.
        if record.value.is_none() || !seen.insert(record.key()) {
            continue;
        }
        let stats = if record.dist.is_some() { &STATS[..] } else { &STATS[..1] };
        figures.extend(
            stats
                .iter()
                .filter(|&&stat| record.stat(stat).is_some())
                .map(|&stat| (record.key(), stat, record)),
        );
    }
    figures
}

/// The figures both runs have, and those only one has.
fn compare_figures(a: &Report, b: &Report) -> (Vec<Compared>, Vec<FigureKey>, Vec<FigureKey>) {
    let in_a = figures_of(a);
    let in_b = figures_of(b);
    // `Stat` cannot be hashed; its name stands in for it.
    let index_a: HashSet<(RecordKey<'_>, &str)> = in_a.iter().map(|(k, s, _)| (*k, stat_name(*s))).collect();
    let index_b: HashMap<(RecordKey<'_>, &str), &Record> =
        in_b.iter().map(|(k, s, r)| ((*k, stat_name(*s)), *r)).collect();

    let mut compared = Vec::new();
    let mut only_in_a = Vec::new();
    for &(key, stat, record_a) in &in_a {
        let sides = index_b
            .get(&(key, stat_name(stat)))
            .and_then(|record_b| Some((Side::of(record_a, stat)?, Side::of(record_b, stat)?)));
        match sides {
            Some((a, b)) => {
                let (apart, by_mode) = agreement(a.value, a.modes, b.value, b.modes);
                compared.push(Compared {
                    key: FigureKey::of(record_a, stat),
                    ratio: ratio(a.value, b.value),
                    apart,
                    by_mode,
                    beyond_spreads: disjoint(a.range(), b.range()),
                    a,
                    b,
                })
            }
            None => only_in_a.push(FigureKey::of(record_a, stat)),
        }
    }
    let only_in_b = in_b
        .iter()
        .filter(|(key, stat, _)| !index_a.contains(&(*key, stat_name(*stat))))
        .map(|(_, stat, record)| FigureKey::of(record, *stat))
        .collect();
    (compared, only_in_a, only_in_b)
}

/// The cells of the same row and column that show a ranked figure in both tables, and
/// those that show one in only one of them.
fn compare_table(
    a: &Report,
    b: &Report,
    rows_a: &[Vec<Shown<'_>>],
    rows_b: &[Vec<Shown<'_>>],
) -> (Vec<TableFigure>, Vec<TableCell>, Vec<TableCell>) {
    let mut both = Vec::new();
    let mut only_in_a = Vec::new();
    let mut only_in_b = Vec::new();
    let place = |report: &Report, row: usize, cell: &Shown<'_>| TableCell {
        row,
        aspect: cell.aspect.clone(),
        column: cell.column.clone(),
        name: report.column_name(&cell.column).to_owned(),
    };
    // Both tables have the catalogue's rows, in the same order; the columns may differ.
    for (row, (cells_a, cells_b)) in rows_a.iter().zip(rows_b).enumerate() {
        for cell_a in cells_a {
            let Some(fig_a) = cell_a.figure else { continue };
            match figure_in(cells_b, &cell_a.column) {
                Some(cell_b) => {
                    let fig_b = cell_b.figure.expect("found with a figure");
                    let (apart, by_mode) = agreement(fig_a.value, fig_a.modes, fig_b.value, fig_b.modes);
                    both.push(TableFigure {
                        cell: place(a, row, cell_a),
                        aspect_in_b: (cell_b.aspect != cell_a.aspect).then(|| cell_b.aspect.clone()),
                        a_text: cell_a.text.clone(),
                        b_text: cell_b.text.clone(),
                        a: fig_a,
                        b: fig_b,
                        ratio: ratio(fig_a.value, fig_b.value),
                        apart,
                        by_mode,
                        beyond_spreads: !fig_a.ties(&fig_b),
                    });
                }
                None => only_in_a.push(place(a, row, cell_a)),
            }
        }
        for cell_b in cells_b.iter().filter(|c| c.figure.is_some()) {
            if figure_in(cells_a, &cell_b.column).is_none() {
                only_in_b.push(place(b, row, cell_b));
            }
        }
    }
    (both, only_in_a, only_in_b)
}

/// The cell of `column` among a row's `cells`, when it shows a ranked figure.
fn figure_in<'s, 'r>(cells: &'s [Shown<'r>], column: &str) -> Option<&'s Shown<'r>> {
    cells.iter().find(|c| c.column == column && c.figure.is_some())
}

/// Every pair of models that a row ranks in both runs, and that A puts strictly one way
/// and B strictly the other. Models whose rounds overlap in a run are not in any order
/// there, so a tie that becomes an order (or back) is not a swap: the rounds could not tell
/// the two apart in that run.
fn find_swaps(a: &Report, rows_a: &[Vec<Shown<'_>>], rows_b: &[Vec<Shown<'_>>]) -> Vec<Swap> {
    let mut swaps = Vec::new();
    for (row, (cells_a, cells_b)) in rows_a.iter().zip(rows_b).enumerate() {
        // Each ranked model: its column, and its rank and figure in A and in B.
        type Placed<'c> = (&'c str, Rank, Rank, Figure, Figure);
        let ranked: Vec<Placed<'_>> = cells_a
            .iter()
            .filter_map(|cell| {
                let in_b = cells_b.iter().find(|c| c.column == cell.column)?;
                Some((cell.column.as_str(), cell.rank?, in_b.rank?, cell.figure?, in_b.figure?))
            })
            .collect();
        let Some(aspect) = cells_a.first().map(|c| short_aspect(&c.aspect)) else { continue };
        for (i, x) in ranked.iter().enumerate() {
            for y in &ranked[i + 1..] {
                // Put the model A ranks ahead first. Two models whose rounds overlap in a run
                // are in no order in that run, whatever their ranks.
                let (first, second) = if x.1.0 < y.1.0 { (x, y) } else { (y, x) };
                let a_orders = first.1.0 < second.1.0 && !first.3.ties(&second.3);
                let b_reverses = second.2.0 < first.2.0 && !first.4.ties(&second.4);
                if a_orders && b_reverses {
                    swaps.push(Swap {
                        row,
                        aspect: aspect.clone(),
                        first: a.column_name(first.0).to_owned(),
                        second: a.column_name(second.0).to_owned(),
                        in_a: [first.1, second.1],
                        in_b: [first.2, second.2],
                    });
                }
            }
        }
    }
    swaps
}

/// A row's name without its Markdown emphasis and its parenthesised details:
/// `**Context switching** (ns per round trip, …)` reads `Context switching`.
fn short_aspect(aspect: &str) -> String {
    let plain = aspect.replace("**", "");
    plain.split(" (").next().unwrap_or(&plain).trim().to_owned()
}

/// The name of a statistic as the report writes it.
fn stat_name(stat: Stat) -> &'static str {
    match stat {
        Stat::Value => "value",
        Stat::P50 => "p50",
        Stat::P99 => "p99",
        Stat::Max => "max",
    }
}

/// `×1.19`: how many times A's figure B's is; `–` when A's is zero.
fn format_ratio(ratio: Option<f64>) -> String {
    match ratio {
        None => "–".to_owned(),
        Some(r) if r.abs() >= 100.0 => format!("×{r:.0}"),
        Some(r) if r.abs() >= 0.1 => format!("×{r:.2}"),
        Some(r) => format!("×{r:.3}"),
    }
}

/// B/A, and how far apart the modes are when they are closer than the figures.
fn ratio_text(ratio: Option<f64>, apart: f64, by_mode: bool) -> String {
    let text = format_ratio(ratio);
    if by_mode { format!("{text} (modes {apart:.2}× apart)") } else { text }
}

/// The flag column's text.
fn flag(beyond: bool) -> String {
    if beyond { "beyond spreads".to_owned() } else { String::new() }
}

impl Comparison {
    /// What differs between the two runs' conditions, in words: `two commits`,
    /// `two machines`, `two profiles`, `two worker counts`, `two compilers`.
    pub fn differences(&self) -> Vec<&'static str> {
        let [a, b] = [&self.runs[0].provenance, &self.runs[1].provenance];
        let mut differences = Vec::new();
        if a.commit != b.commit {
            differences.push("two commits");
        }
        if a.machine() != b.machine() {
            differences.push("two machines");
        }
        if a.profile != b.profile {
            differences.push("two profiles");
        }
        if a.workers != b.workers {
            differences.push("two worker counts");
        }
        if a.rustc != b.rustc {
            differences.push("two compilers");
        }
        if a.stamp().idle_setting() != b.stamp().idle_setting() {
            differences.push("two idle settings");
        }
        differences
    }
}

/// Renders a comparison as Markdown: the two runs, the summary, the rank swaps, the
/// table's figures side by side, and the figures that moved beyond both spreads. With
/// `all`, every compared figure too, grouped by workload, and every figure only one run
/// has.
pub fn render(c: &Comparison, all: bool) -> String {
    let mut md = String::from("# Two runs compared\n\n");
    md += &render_header(c);
    md += &render_summary(c);
    md += &render_swaps(c);
    md += &render_table_figures(c);
    md += "\n## Figures beyond both spreads\n\n";
    let flagged: Vec<&Compared> = c.figures.iter().filter(|f| f.beyond_spreads).collect();
    if flagged.is_empty() {
        md += "None: every figure's rounds in B overlap its rounds in A.\n";
    } else {
        md += "Figures whose rounds in A and in B do not overlap, of every figure compared.";
        // A figure of one round (or from a report made before rounds were kept) has only its
        // value as its range, so a small change flags it; the reader should know how many
        // flags rest on so little.
        let bare = flagged.iter().filter(|f| f.a.spread.is_none() || f.b.spread.is_none()).count();
        if bare > 0 {
            md += &format!(
                " {bare} of these {} have no spread in one run or both (fewer than two rounds), \
                 so even a small change flags them.",
                flagged.len()
            );
        }
        md += "\n\n";
        md += &figure_table(&flagged, true, false);
    }
    if all {
        md += &render_every_figure(c);
    }
    md
}

/// The two runs' provenance side by side, and what differs in words.
fn render_header(c: &Comparison) -> String {
    let [a, b] = [&c.runs[0], &c.runs[1]];
    let (pa, pb) = (&a.provenance, &b.provenance);
    let mut md = markdown_row(["".to_owned(), "A".to_owned(), "B".to_owned()]);
    md += &markdown_row(["---".to_owned(), "---".to_owned(), "---".to_owned()]);
    let mut line = |name: &str, a: String, b: String| md += &markdown_row([name.to_owned(), a, b]);
    if a.source.is_some() || b.source.is_some() {
        let source = |r: &Run| r.source.as_ref().map_or_else(String::new, |s| format!("`{s}`"));
        line("File", source(a), source(b));
    }
    line("Commit", format!("`{}`", pa.commit), format!("`{}`", pb.commit));
    line("Date", pa.date.clone(), pb.date.clone());
    line("Profile", pa.profile.clone(), pb.profile.clone());
    line("Worker threads", pa.workers.to_string(), pb.workers.to_string());
    line("Machine", pa.machine(), pb.machine());
    line("Compiler", pa.rustc.clone(), pb.rustc.clone());
    line("Command", format!("`{}`", pa.command), format!("`{}`", pb.command));
    let idle = |p: &Provenance| p.stamp().idle_words().to_owned();
    line("Idle cores", idle(pa), idle(pb));
    if pa.steal.is_some() || pb.steal.is_some() {
        let steal = |p: &Provenance| {
            p.steal.map_or_else(|| "not recorded".to_owned(), crate::provenance::steal_words)
        };
        line("Host steal time", steal(pa), steal(pb));
    }
    if a.earlier_runs + b.earlier_runs > 0 {
        line("Earlier runs kept", a.earlier_runs.to_string(), b.earlier_runs.to_string());
    }
    md += "\n";

    let differences = c.differences();
    if differences.is_empty() {
        md += "Same commit, machine, profile, worker count, compiler and idle setting: a difference \
               below is the runs' own noise, or something outside the code (another load on the \
               machine, the host's steal time, its temperature), not a change in what was measured.\n";
    } else {
        let mut words = differences.join(", ");
        words[..1].make_ascii_uppercase();
        let same: Vec<&str> = [
            ("two commits", "commit"),
            ("two machines", "machine"),
            ("two profiles", "profile"),
            ("two worker counts", "worker count"),
            ("two compilers", "compiler"),
            ("two idle settings", "idle setting"),
        ]
        .iter()
        .filter(|(difference, _)| !differences.contains(difference))
        .map(|(_, what)| *what)
        .collect();
        md += &match same.split_last() {
            None => format!("**{words}.**\n\n"),
            Some((last, [])) => format!("**{words}**, same {last}.\n\n"),
            Some((last, rest)) => format!("**{words}**, same {} and {last}.\n\n", rest.join(", ")),
        };
        for difference in &differences {
            md += match *difference {
                "two commits" => {
                    "- Two commits: the code changed between the runs, so a figure may have moved \
                     because of the change and not only by chance.\n"
                }
                "two machines" => {
                    "- Two machines: figures of two machines are not expected to agree; the order \
                     of the models in a row says more than the figures themselves.\n"
                }
                "two profiles" => {
                    "- Two profiles: the runs measured other sizes. A figure is compared only at \
                     the same size, but a table row may read another size in each run.\n"
                }
                "two worker counts" => {
                    "- Two worker counts: the runtimes and pools had other numbers of threads, \
                     which changes what a multi-threaded model can do.\n"
                }
                "two idle settings" => {
                    "- Two idle settings: one run kept the cores out of deep idle and the other did \
                     not, which moves every figure that waits for a wake-up (the tail rows most).\n"
                }
                _ => "- Two compilers: the code was built by other versions of the compiler.\n",
            };
        }
    }
    for (name, run) in [("A", a), ("B", b)] {
        if run.provenance.commit.ends_with("-dirty") {
            md += &format!(
                "\n{name}'s working tree had uncommitted changes: its commit alone does not say what \
                 code ran.\n"
            );
        }
    }
    md
}

/// The columns of a [`Summary`] in both its renderings: a set of figures, then its counts.
const COUNT_COLUMNS: [&str; 7] = [
    "Figures",
    "Compared",
    "Within 10%",
    "Within 25%",
    "Of which by mode",
    "More than 2× apart",
    "Beyond both spreads",
];

/// The counts for every figure and for the table's figures.
fn render_summary(c: &Comparison) -> String {
    let mut md = String::from("\n## Summary\n\n");
    md += "A figure agrees within 10% when the larger of its two values is at most 1.10 times the \
           smaller (within 25%: 1.25 times; the counts include the closer ones). It moved *beyond \
           both spreads* when the range of its rounds in A and the range in B do not overlap; a \
           figure of fewer than two rounds has its value as its range, so any change takes it \
           beyond. A figure whose rounds fall into two modes is compared mode by mode (the column \
           *by mode* counts those within 25% only that way: the other run showed the same modes, in \
           other proportions).\n\n";
    let header: Vec<&str> = COUNT_COLUMNS.into_iter().chain(["Only in A", "Only in B"]).collect();
    md += &markdown_row(header.iter().map(|h| h.to_string()));
    md += &markdown_row(header.iter().map(|_| "---".to_owned()));
    for (name, s) in [("All figures", &c.summary), ("The table's figures", &c.table_summary)] {
        md += &markdown_row([
            name.to_owned(),
            s.compared.to_string(),
            s.within_10_percent.to_string(),
            s.within_25_percent.to_string(),
            s.within_25_percent_by_mode.to_string(),
            s.more_than_twice.to_string(),
            s.beyond_spreads.to_string(),
            s.only_in_a.to_string(),
            s.only_in_b.to_string(),
        ]);
    }
    md
}

/// How well two runs agree, in a few lines for a README: for the table's figures and for
/// all figures, how many agree within 10% and 25% and how many are more than 2× apart (with
/// their shares), and the rows where two models swapped places.
pub fn render_agreement(c: &Comparison) -> String {
    let share = |n: usize, of: usize| {
        if of == 0 { n.to_string() } else { format!("{n} ({:.0}%)", n as f64 * 100.0 / of as f64) }
    };
    let mut md = markdown_row(COUNT_COLUMNS.map(str::to_owned));
    md += &markdown_row(COUNT_COLUMNS.map(|_| "---".to_owned()));
    for (name, s) in [("The table's figures", &c.table_summary), ("All figures", &c.summary)] {
        md += &markdown_row([
            name.to_owned(),
            s.compared.to_string(),
            share(s.within_10_percent, s.compared),
            share(s.within_25_percent, s.compared),
            s.within_25_percent_by_mode.to_string(),
            share(s.more_than_twice, s.compared),
            share(s.beyond_spreads, s.compared),
        ]);
    }
    md += "\n";
    if c.swaps.is_empty() {
        md += "No two models swapped places in a row: every pair that both runs rank keeps its order.\n";
    } else {
        md += &format!("{} pair(s) of models swapped places in a row:\n\n", c.swaps.len());
        for swap in &c.swaps {
            md += &format!("- {swap}\n");
        }
    }
    md
}

/// The pairs of models whose order in a row changed.
fn render_swaps(c: &Comparison) -> String {
    let mut md = String::from("\n## Rank swaps\n\n");
    if c.swaps.is_empty() {
        md += "None: every pair of models that both runs rank in a row keeps its order (models \
               that share a rank are in no order).\n";
    } else {
        md += "Pairs of models that both runs rank in a row, in opposite orders (models that share \
               a rank are in no order, so are not listed):\n\n";
        for swap in &c.swaps {
            md += &format!("- {swap}\n");
        }
    }
    md
}

/// The table's ranked figures side by side, and the cells only one run fills.
fn render_table_figures(c: &Comparison) -> String {
    let mut md = String::from("\n## The table's figures\n\n");
    if c.table.is_empty() {
        md += "No table cell shows a ranked figure in both runs.\n";
    } else {
        let header = ["Aspect", "Model", "A", "B", "B/A", "Beyond spreads"];
        md += &markdown_row(header.map(str::to_owned));
        md += &markdown_row(header.map(|_| "---".to_owned()));
        for f in &c.table {
            let aspect = match &f.aspect_in_b {
                Some(other) => format!("{} (in B: {other})", f.cell.aspect),
                None => f.cell.aspect.clone(),
            };
            md += &markdown_row([
                aspect,
                f.cell.name.clone(),
                f.a_text.clone(),
                f.b_text.clone(),
                ratio_text(f.ratio, f.apart, f.by_mode),
                flag(f.beyond_spreads),
            ]);
        }
    }
    for (name, cells) in [("A", &c.table_only_in_a), ("B", &c.table_only_in_b)] {
        if !cells.is_empty() {
            md += &format!("\nRanked in {name}'s table only:\n\n");
            for cell in cells {
                md += &format!("- {}: {}\n", cell.aspect, cell.name);
            }
        }
    }
    md
}

/// Every compared figure, one section per workload, then every figure only one run has.
fn render_every_figure(c: &Comparison) -> String {
    let mut md = String::from("\n## Every figure, by workload\n");
    // Workloads in the order A measured them first.
    let mut order: Vec<&str> = Vec::new();
    for figure in &c.figures {
        if !order.contains(&figure.key.workload.as_str()) {
            order.push(&figure.key.workload);
        }
    }
    for workload in order {
        let title = match catalogue::workload(workload) {
            Some(w) => format!("{}: {} (`{}`)", w.code, w.title, w.id),
            None => format!("`{workload}`"),
        };
        md += &format!("\n### {title}\n\n");
        let figures: Vec<&Compared> = c.figures.iter().filter(|f| f.key.workload == workload).collect();
        md += &figure_table(&figures, false, true);
    }
    for (name, keys) in [("A", &c.only_in_a), ("B", &c.only_in_b)] {
        if !keys.is_empty() {
            md += &format!("\n### Only in {name}\n\n");
            for key in keys {
                md += &format!("- {key}\n");
            }
        }
    }
    md
}

/// A table of compared figures: model, figure, size, both sides, the ratio, and (when
/// `flags`) the flag column. `workload` adds the workload to the figure's name.
fn figure_table(figures: &[&Compared], workload: bool, flags: bool) -> String {
    let mut header = vec!["Model", "Figure", "N", "A", "B", "B/A"];
    if flags {
        header.push("Beyond spreads");
    }
    let mut md = markdown_row(header.iter().map(|h| h.to_string()));
    md += &markdown_row(header.iter().map(|_| "---".to_owned()));
    for f in figures {
        let what = if workload { format!("{}/{}", f.key.workload, f.key.what()) } else { f.key.what() };
        let mut cells = vec![
            f.key.model.clone(),
            what,
            f.key.n.map_or_else(String::new, group_thousands),
            f.a.text(),
            f.b.text(),
            ratio_text(f.ratio, f.apart, f.by_mode),
        ];
        if flags {
            cells.push(flag(f.beyond_spreads));
        }
        md += &markdown_row(cells);
    }
    md
}
