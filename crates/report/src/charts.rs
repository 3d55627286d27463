//! SVG charts of the headline figures, drawn with plotters.
//!
//! plotters is built without its `ttf` feature, so it never loads a system font: the SVG
//! backend writes plain `<text>` elements and the viewer's browser picks the font. That keeps
//! the build free of font libraries and the output the same on every machine.
//!
//! Every figure is the median of several rounds, and every chart shows how far those rounds
//! fell: a whisker from the lowest to the highest round across each bar, a vertical range
//! through each point of a line. A figure measured in fewer than two rounds gets none: one
//! pass says nothing about how the next would go.

use std::error::Error;
use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::prelude::*;

use workloads::catalogue::{self, Metric, Placement, Unit, Variant};

use crate::rows::Stat;

use crate::format::{format_bytes, format_ms, format_ns, format_value, group_thousands};
use crate::{KERNEL_NOISE_BYTES, Record, Report, Spread};

/// One rendered chart, and where REPORT.md shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// File name under `charts/`, e.g. `memory.svg`.
    pub file: &'static str,
    /// The workload (its catalogue id) whose section embeds the chart.
    pub workload: &'static str,
    /// The chart's caption, also its alt text in REPORT.md.
    pub title: &'static str,
    /// The SVG document.
    pub svg: String,
}

/// How a bar chart's value axis is scaled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scale {
    /// From zero: bar lengths compare as the figures do.
    Linear,
    /// Logarithmic: for figures that span several powers of ten, where a linear axis would
    /// flatten every bar but the longest.
    Log,
    /// Logarithmic when the bars and their whiskers span more than [`LOG_SPAN`]× (a model a
    /// thousand times slower than the rest, or one round far off), linear otherwise.
    Auto,
}

/// The span of figures above which [`Scale::Auto`] draws a log axis: past it the shortest
/// bars of a linear axis are a few pixels long, their whiskers a blot.
const LOG_SPAN: f64 = 100.0;

/// Which bars name the N they were measured at, after the model's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SizeLabel {
    /// None: every model runs the same N, or N is not a size that matters to the figure.
    Never,
    /// Each bar at a smaller N than the largest any model reached, with a note that it is
    /// not comparable: a sequential loop over waits runs at a hundredth of the others' N.
    Smaller,
    /// Every bar: the figure is the furthest each model got (memory at the most tasks held).
    Always,
}

/// A bar chart of one metric: one bar per model, at the largest `n` the model reached.
struct BarChart {
    file: &'static str,
    metric: &'static Metric,
    variant: Option<&'static Variant>,
    stat: Stat,
    title: &'static str,
    /// What the value axis measures, under it.
    axis: &'static str,
    format: fn(f64) -> String,
    scale: Scale,
    /// Whether the workload is measured under each [`Placement`]: then each model gets one
    /// bar per placement, side by side.
    by_placement: bool,
    /// A metric stacked on each bar, at the bar's N, when it is large enough to matter: the
    /// kernel's memory per task, which the process's RSS does not include.
    stacked: Option<&'static Metric>,
    sizes: SizeLabel,
}

/// The bar charts, one per headline figure of the table.
const BAR_CHARTS: [BarChart; 12] = [
    BarChart {
        file: "memory.svg",
        metric: &workloads::idle::IDLE_RSS,
        variant: None,
        stat: Stat::Value,
        title: "Memory per idle task (RSS, at the largest N held)",
        axis: "bytes per idle task",
        format: format_bytes,
        // Linear: the kernel's share is stacked on the RSS, and stacked lengths add up only
        // on a linear axis.
        scale: Scale::Linear,
        by_placement: false,
        stacked: Some(&workloads::idle::IDLE_KERNEL),
        sizes: SizeLabel::Always,
    },
    BarChart {
        file: "context_switch.svg",
        metric: &workloads::ping_pong::PING_PONG_ROUND_TRIP,
        variant: None,
        stat: Stat::Value,
        title: "Context switching: one ping-pong round trip",
        axis: "time per round trip (two hand-offs)",
        format: format_ns,
        scale: Scale::Auto,
        by_placement: true,
        stacked: None,
        sizes: SizeLabel::Never,
    },
    BarChart {
        file: "spawn.svg",
        metric: &workloads::spawn_join::SPAWN_NS_PER_TASK,
        variant: None,
        stat: Stat::Value,
        title: "Spawn cost: spawning and joining one task",
        axis: "time per task",
        format: format_ns,
        scale: Scale::Auto,
        by_placement: false,
        stacked: None,
        sizes: SizeLabel::Never,
    },
    BarChart {
        file: "as_completed.svg",
        metric: &workloads::gather::GATHER_TASKS_PER_SECOND,
        variant: Some(&workloads::gather::GATHER_AS_COMPLETED),
        stat: Stat::Value,
        title: "As-completed: tasks per second (at the largest N run)",
        axis: "tasks per second",
        format: format_per_second,
        scale: Scale::Auto,
        by_placement: false,
        stacked: None,
        sizes: SizeLabel::Smaller,
    },
    BarChart {
        file: "cancellation.svg",
        metric: &workloads::cancellation::CANCEL_RELEASE,
        variant: None,
        stat: Stat::P99,
        title: "Cancellation: cancel request to resource released (p99)",
        axis: "p99 time from cancel to release",
        format: format_ns,
        scale: Scale::Auto,
        by_placement: false,
        stacked: None,
        sizes: SizeLabel::Never,
    },
    BarChart {
        file: "timeouts.svg",
        metric: &workloads::timeouts::TIMEOUT_LATENESS,
        variant: None,
        stat: Stat::P99,
        title: "Timeouts: lateness past the deadline (p99, at the largest N run)",
        axis: "p99 lateness past the deadline",
        format: format_ns,
        scale: Scale::Auto,
        by_placement: false,
        stacked: None,
        sizes: SizeLabel::Smaller,
    },
    BarChart {
        file: "streams.svg",
        metric: &workloads::streams::STREAM_ITEMS_PER_SECOND,
        variant: None,
        stat: Stat::Value,
        title: "Streams: items per second, one hand-off each",
        // The sequential baseline hands nothing off and runs some hundred times faster than
        // any model: on a linear axis every other bar would be a sliver.
        axis: "items per second",
        format: format_per_second,
        scale: Scale::Log,
        by_placement: true,
        stacked: None,
        sizes: SizeLabel::Never,
    },
    BarChart {
        file: "locks.svg",
        metric: &workloads::locks::LOCK_INCREMENTS_PER_SECOND,
        variant: Some(&workloads::locks::LOCK_SHORT),
        stat: Stat::Value,
        title: "Contended lock, short section: increments per second (at the most workers run)",
        // The file lock between processes is about a hundredth of the others.
        axis: "increments per second",
        format: format_per_second,
        scale: Scale::Auto,
        by_placement: true,
        stacked: None,
        sizes: SizeLabel::Always,
    },
    BarChart {
        file: "channels.svg",
        metric: &workloads::channels::CHANNEL_MESSAGES_PER_SECOND,
        variant: Some(&workloads::channels::CHANNEL_MPMC_64),
        stat: Stat::Value,
        title: "Channels, MPMC of capacity 64: messages per second (at the most producers run)",
        axis: "messages per second",
        format: format_per_second,
        scale: Scale::Auto,
        by_placement: true,
        stacked: None,
        sizes: SizeLabel::Always,
    },
    BarChart {
        file: "client_fan_out.svg",
        metric: &workloads::client::HTTP_CLIENT_WALL_TIME,
        variant: None,
        stat: Stat::Value,
        title: "HTTP client fan-out: wall time for N URLs of /slow?delay=50 (at the largest N run)",
        axis: "wall time of one fan-out",
        format: format_ms,
        scale: Scale::Auto,
        by_placement: false,
        stacked: None,
        sizes: SizeLabel::Smaller,
    },
    BarChart {
        file: "stall_inline.svg",
        metric: &workloads::stall::STALL_HEARTBEAT,
        variant: Some(&workloads::stall::STALL_INLINE_CPU),
        stat: Stat::P99,
        title: "Blocking pitfall: heartbeat lateness (p99), blocking CPU calls made inline",
        axis: "p99 heartbeat lateness",
        format: format_ns,
        scale: Scale::Auto,
        by_placement: false,
        stacked: None,
        sizes: SizeLabel::Never,
    },
    BarChart {
        file: "stall_offloaded.svg",
        metric: &workloads::stall::STALL_HEARTBEAT,
        variant: Some(&workloads::stall::STALL_OFFLOADED_CPU),
        stat: Stat::P99,
        title: "Blocking pitfall: heartbeat lateness (p99), the same calls offloaded",
        axis: "p99 heartbeat lateness",
        format: format_ns,
        scale: Scale::Auto,
        by_placement: false,
        stacked: None,
        sizes: SizeLabel::Never,
    },
];

/// A line chart of a kernel's speedup against the worker count, one line per model and way.
struct SpeedupChart {
    file: &'static str,
    metric: &'static Metric,
    title: &'static str,
}

/// The speedup charts, one per CPU-bound kernel.
const SPEEDUP_CHARTS: [SpeedupChart; 3] = [
    SpeedupChart {
        file: "speedup_mandelbrot.svg",
        metric: &workloads::mandelbrot::MANDELBROT_SPEEDUP,
        title: "Mandelbrot: speedup over sequential against workers",
    },
    SpeedupChart {
        file: "speedup_merge_sort.svg",
        metric: &workloads::merge_sort::MERGE_SORT_SPEEDUP,
        title: "Merge sort: speedup over sequential against workers",
    },
    SpeedupChart {
        file: "speedup_hashing.svg",
        metric: &workloads::hashing::HASHING_SPEEDUP,
        title: "Hashing: speedup over sequential against workers",
    },
];

/// A line chart of a figure against N, one line per model, both axes logarithmic: N spans
/// several powers of ten (tasks, connections, requests per second), and so do the figures.
struct LogChart {
    file: &'static str,
    metric: &'static Metric,
    stat: Stat,
    title: &'static str,
    x: &'static str,
    y: &'static str,
    format: fn(f64) -> String,
    /// The legend's words for a hollow point: a partial figure, and what made it partial.
    partial: &'static str,
}

/// The log-log charts: concurrent waits' wall time (first), then the HTTP server's.
const LOG_CHARTS: [LogChart; 3] = [
    LogChart {
        file: "waits.svg",
        metric: &workloads::waits::WAITS_WALL_TIME,
        stat: Stat::Value,
        title: "Concurrent waits: wall time against N",
        x: "N (tasks waiting at once)",
        y: "wall time",
        format: format_ms,
        partial: "hollow: a partial figure\n(see its note)",
    },
    LogChart {
        file: "http_requests.svg",
        metric: &workloads::server::HTTP_REQUESTS_PER_SECOND,
        stat: Stat::Value,
        title: "HTTP server: requests per second against connections (closed loop)",
        x: "keep-alive connections",
        y: "requests per second",
        format: format_per_second,
        partial: "hollow: partial (failed requests\nor starved connections)",
    },
    LogChart {
        file: "http_latency.svg",
        metric: &workloads::server::HTTP_LATENCY,
        stat: Stat::P99,
        title: "HTTP server: p99 latency against offered load (open loop)",
        x: "requests per second offered",
        y: "p99 latency",
        format: format_ns,
        partial: "hollow: saturated (fell behind\nthe offered rate or starved\nconnections)",
    },
];

/// Events per second: `123 456/s`.
fn format_per_second(value: f64) -> String {
    format_value(value, catalogue::Unit::PerSecond.symbol())
}

/// Errors from drawing; `Send + Sync` so that they convert into `std::io::Error`.
type DrawError = Box<dyn Error + Send + Sync>;

/// The models' colours, by column index, so a model looks the same in every chart. Each has
/// a contrast of at least 3:1 against the white background (no yellow, no pale cyan), and
/// the baseline, first, is a neutral grey.
const PALETTE: [RGBColor; 10] = [
    RGBColor(68, 68, 68),
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(34, 139, 34),
    RGBColor(148, 103, 189),
    RGBColor(217, 95, 2),
    RGBColor(140, 86, 75),
    RGBColor(204, 51, 153),
    RGBColor(0, 128, 128),
    RGBColor(128, 128, 0),
];

/// The colour of the model in column `index`.
fn model_colour(index: usize) -> RGBColor {
    PALETTE[index % PALETTE.len()]
}

/// The whiskers across bars: near black, so they show on every model's colour.
const WHISKER: RGBColor = RGBColor(20, 20, 20);

/// How opaque a pale fill is: the second placement's bars, the kernel's share of memory.
const PALE: f64 = 0.35;

/// Half the length of a whisker's end caps, in pixels.
const CAP_PX: i32 = 5;

/// A value axis with the ticks chosen here rather than by plotters: plotters picks float
/// steps even for integer counts, and on a log axis that spans less than two powers of ten it
/// labels a single tick. One type for linear and log scales keeps one drawing path for both.
#[derive(Debug, Clone)]
struct Axis {
    range: Range<f64>,
    log: bool,
    /// Labelled ticks, with a grid line each.
    ticks: Vec<f64>,
    /// Faint grid lines between the ticks (the 2, 3... 9 of each power of ten).
    minor: Vec<f64>,
}

impl Axis {
    /// A linear axis over `range` with these ticks.
    fn linear(range: Range<f64>, ticks: Vec<f64>) -> Axis {
        Axis { range, log: false, ticks, minor: Vec::new() }
    }

    /// A logarithmic axis over `range` (positive), ticked by [`log_ticks`] unless `ticks`
    /// are given.
    fn log(range: Range<f64>, ticks: Option<Vec<f64>>) -> Axis {
        let (nice, minor) = log_ticks(&range);
        Axis { ticks: ticks.unwrap_or(nice), minor, range, log: true }
    }

    /// `value` moved along the axis by `fraction` of its length.
    fn shift(&self, value: f64, fraction: f64) -> f64 {
        if self.log {
            value * (self.range.end / self.range.start).powf(fraction)
        } else {
            value + (self.range.end - self.range.start) * fraction
        }
    }

    /// Where `value` lies along the axis, 0 at its start and 1 at its end.
    fn fraction(&self, value: f64) -> f64 {
        let (start, end, v) = if self.log {
            // A value at or below zero has no place on a log axis: it sits at the start.
            (self.range.start.ln(), self.range.end.ln(), value.max(self.range.start).ln())
        } else {
            (self.range.start, self.range.end, value)
        };
        if end > start { (v - start) / (end - start) } else { 0.5 }
    }
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        limit.0 + (f64::from(limit.1 - limit.0) * self.fraction(*value)).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        // plotters asks once for the bold points (ticks with labels), once for the light
        // grid lines.
        if hint.weight().allow_light_points() { self.minor.clone() } else { self.ticks.clone() }
    }

    fn range(&self) -> Range<f64> {
        self.range.clone()
    }
}

/// A chart drawn on one of the axes above.
type Plot<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<Axis, Axis>>;

/// About five ticks from zero to `high`, in steps of 1, 2 or 5 times a power of `base`
/// (1 024 for bytes, so that ticks read `10.0 KiB` rather than `9.8 KiB`).
fn linear_ticks(high: f64, base: f64) -> Vec<f64> {
    if !(high > 0.0 && high.is_finite()) {
        return vec![0.0];
    }
    // The unit the labels will use (KiB, MiB... or µs, ms...), then decimal steps within it.
    let unit = base.powf(high.log(base).floor().max(0.0));
    let rough = high / unit / 5.0;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * power).find(|s| high / unit / s <= 6.0);
    let step = step.unwrap_or(10.0 * power) * unit;
    (0..).map(|i| f64::from(i) * step).take_while(|v| *v <= high * (1.0 + 1e-9)).collect()
}

/// Ticks for a log axis: the finest of every digit, 1-2-5, 1-3 or powers of ten that gives
/// no more than ten labels (plotters' own labels a single tick on a range of less than two
/// powers of ten); and the other digits of each power of ten as faint lines.
fn log_ticks(range: &Range<f64>) -> (Vec<f64>, Vec<f64>) {
    let first = range.start.log10().floor() as i32;
    let last = range.end.log10().ceil() as i32;
    let within = |v: &f64| range.start <= *v && *v <= range.end;
    let at = |digits: &[f64]| -> Vec<f64> {
        (first..=last).flat_map(|e| digits.iter().map(move |d| d * 10f64.powi(e))).filter(within).collect()
    };
    let all_digits = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0];
    let ticks = [&all_digits[..], &[1.0, 2.0, 5.0], &[1.0, 3.0]]
        .into_iter()
        .map(at)
        .find(|ticks| ticks.len() <= 10)
        .unwrap_or_else(|| at(&[1.0]));
    let minor = at(&all_digits).into_iter().filter(|v| !ticks.contains(v)).collect();
    (ticks, minor)
}

/// A range around the values for a log axis, widened a little so no point sits on the edge
/// (and so a single value still gives a range that is not empty).
fn log_range(values: impl Iterator<Item = f64>) -> Option<Range<f64>> {
    let (low, high) = values.fold(None, |range, v| match range {
        None => Some((v, v)),
        Some((low, high)) => Some((f64::min(low, v), f64::max(high, v))),
    })?;
    Some(low / 1.5..high * 1.5)
}

/// A tick label: the figure's own format, without the zeros that make a tick read like a
/// measurement (`1 ms`, not `1.00 ms`); rates in k/s, M/s, G/s so long numbers do not crowd.
fn tick_label(value: f64, unit: Unit, format: fn(f64) -> String) -> String {
    if unit == Unit::PerSecond {
        let (scaled, prefix) = [(1e9, " G"), (1e6, " M"), (1e3, " k")]
            .into_iter()
            .find(|(scale, _)| value >= *scale)
            .map_or((value, ""), |(scale, prefix)| (value / scale, prefix));
        return format!("{}{prefix}/s", trim_zeros(&format!("{scaled:.2}")));
    }
    let label = format(value);
    match label.split_once(' ') {
        Some((number, unit)) => format!("{} {unit}", trim_zeros(number)),
        None => label,
    }
}

/// `2.50` → `2.5`, `1.00` → `1`; a number without a decimal point stays as it is.
fn trim_zeros(number: &str) -> &str {
    if number.contains('.') { number.trim_end_matches('0').trim_end_matches('.') } else { number }
}

/// The rounds' range of `record`'s statistic `stat`: `None` with fewer than two rounds.
fn range_of(record: &Record, stat: Stat) -> Option<(f64, f64)> {
    record.spread(stat).map(|Spread { low, high, .. }| (low, high))
}

/// A whisker across a bar: a line from `low` to `high` at height `y`, with end caps.
fn draw_whisker(plot: &mut Plot, (low, high): (f64, f64), y: f64) -> Result<(), DrawError> {
    let style = WHISKER.stroke_width(2);
    plot.draw_series([PathElement::new(vec![(low, y), (high, y)], style)])?;
    for x in [low, high] {
        plot.draw_series([
            EmptyElement::at((x, y)) + PathElement::new(vec![(0, -CAP_PX), (0, CAP_PX)], style)
        ])?;
    }
    Ok(())
}

/// A vertical range through a point of a line: from `low` to `high` at `x`, with end caps.
fn draw_range(plot: &mut Plot, (low, high): (f64, f64), x: f64, colour: RGBColor) -> Result<(), DrawError> {
    let style = colour.stroke_width(1);
    plot.draw_series([PathElement::new(vec![(x, low), (x, high)], style)])?;
    for y in [low, high] {
        plot.draw_series([EmptyElement::at((x, y)) + PathElement::new(vec![(-4, 0), (4, 0)], style)])?;
    }
    Ok(())
}

/// Renders every chart that has data; a chart with no measured model is left out.
pub fn render_charts(report: &Report) -> std::io::Result<Vec<Chart>> {
    let mut charts = Vec::new();
    for spec in &BAR_CHARTS {
        if let Some(chart) = bar_chart(report, spec).map_err(std::io::Error::other)? {
            charts.push(chart);
        }
    }
    if let Some(chart) = log_chart(report, &LOG_CHARTS[0]).map_err(std::io::Error::other)? {
        charts.push(chart);
    }
    for spec in &SPEEDUP_CHARTS {
        if let Some(chart) = speedup_chart(report, spec).map_err(std::io::Error::other)? {
            charts.push(chart);
        }
    }
    for spec in &LOG_CHARTS[1..] {
        if let Some(chart) = log_chart(report, spec).map_err(std::io::Error::other)? {
            charts.push(chart);
        }
    }
    Ok(charts)
}

/// How a bar is filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fill {
    /// The model's colour.
    Solid,
    /// A pale shade of it, outlined in the colour: the second of a model's bars, or the
    /// part stacked on a bar.
    Pale,
}

/// One bar of a bar chart.
#[derive(Debug, Clone, PartialEq)]
struct Bar {
    value: f64,
    /// The rounds' lowest and highest figure, when there were at least two rounds.
    range: Option<(f64, f64)>,
    fill: Fill,
    /// A figure stacked on the bar in the pale shade, and its rounds' range.
    stacked: Option<(f64, Option<(f64, f64)>)>,
    /// The figure in words, at the bar's end.
    label: String,
}

impl Bar {
    /// Where the bar and its whiskers end.
    fn end(&self) -> f64 {
        let own = self.range.map_or(self.value, |(_, high)| high.max(self.value));
        let stacked = self
            .stacked
            .map_or(0.0, |(value, range)| self.value + range.map_or(value, |(_, high)| high.max(value)));
        own.max(stacked)
    }
}

/// One model's row of a bar chart: its name above its bars (one, or one per placement).
#[derive(Debug, Clone, PartialEq)]
struct BarRow {
    /// The model's column index: its colour.
    colour: usize,
    name: String,
    /// The size its figures were measured at.
    n: Option<u64>,
    bars: Vec<Bar>,
}

/// A legend entry of a bar chart: a swatch (none for a note) and its words.
type LegendEntry = (Option<Fill>, String);

/// The rows of a bar chart and its legend entries.
fn bar_rows(report: &Report, spec: &BarChart) -> (Vec<BarRow>, Vec<LegendEntry>) {
    let mut rows = Vec::new();
    let mut any_stacked = false;
    let mut placements_shown = [false; 2];
    for (colour, column) in report.rust_columns().enumerate() {
        let largest = |placement| report.largest_measured(&column.id, spec.metric, spec.variant, placement);
        // One record per placement measured; a report from before placements has records
        // without one, drawn as a single bar.
        let mut records: Vec<(usize, &Record)> = Vec::new();
        if spec.by_placement {
            for (i, placement) in Placement::ALL.into_iter().enumerate() {
                records.extend(largest(Some(placement)).map(|r| (i, r)));
            }
        }
        if records.is_empty() {
            records.extend(largest(None).map(|r| (0, r)));
        }
        let mut bars = Vec::new();
        let mut n = None;
        for (i, record) in records {
            let Some(value) = record.stat(spec.stat) else { continue };
            if !(value.is_finite() && value >= 0.0) || (spec.scale == Scale::Log && value <= 0.0) {
                continue;
            }
            let stacked = spec.stacked.and_then(|metric| {
                let kernel = report.record_at(&column.id, metric, None, None, record.n?)?;
                let bytes = kernel.value.filter(|&b| b >= KERNEL_NOISE_BYTES)?;
                Some((bytes, range_of(kernel, Stat::Value)))
            });
            let label = match stacked {
                Some((bytes, _)) => format!("{} + {} kernel", (spec.format)(value), (spec.format)(bytes)),
                None => (spec.format)(value),
            };
            any_stacked |= stacked.is_some();
            let placed = spec.by_placement && record.placement.is_some();
            placements_shown[i] |= placed;
            let fill = if placed && i == 1 { Fill::Pale } else { Fill::Solid };
            bars.push(Bar { value, range: range_of(record, spec.stat), fill, stacked, label });
            n = n.max(record.n);
        }
        if !bars.is_empty() {
            rows.push(BarRow { colour, name: column.name.clone(), n, bars });
        }
    }

    let mut legend = Vec::new();
    for (i, placement) in Placement::ALL.into_iter().enumerate() {
        if placements_shown[i] {
            let fill = if i == 1 { Fill::Pale } else { Fill::Solid };
            legend.push((Some(fill), placement.label().to_owned()));
        }
    }
    if any_stacked {
        legend.push((Some(Fill::Solid), "resident memory (RSS) per task".to_owned()));
        legend.push((
            Some(Fill::Pale),
            "kernel's share per task (stacks, page tables), outside RSS".to_owned(),
        ));
    }
    // A model that could only run a smaller N (a sequential loop over waits that would take
    // minutes) is not comparable with the rest: its name says the N it was measured at.
    let largest_n = rows.iter().filter_map(|row| row.n).max();
    let mut smaller = false;
    for row in &mut rows {
        let (Some(n), Some(largest)) = (row.n, largest_n) else { continue };
        match spec.sizes {
            SizeLabel::Never => {}
            SizeLabel::Smaller if n < largest => {
                row.name += &format!(" (N={} only)", group_thousands(n));
                smaller = true;
            }
            SizeLabel::Smaller => {}
            SizeLabel::Always => row.name += &format!(" (N={})", group_thousands(n)),
        }
    }
    if smaller {
        let largest = group_thousands(largest_n.unwrap_or_default());
        let note = format!("(N=… only): measured at a smaller N than the rest (N={largest}): not comparable");
        legend.push((None, note));
    }
    (rows, legend)
}

/// Pixels of a bar chart's rows: the name line, each bar and the gap under it, the gap
/// between rows, and each legend line.
const NAME_PX: f64 = 20.0;
const BAR_PX: f64 = 18.0;
const BAR_GAP_PX: f64 = 4.0;
const ROW_GAP_PX: f64 = 10.0;
const LEGEND_LINE_PX: f64 = 22.0;

/// A bar chart of `spec`'s figure, one row per model that has one.
fn bar_chart(report: &Report, spec: &BarChart) -> Result<Option<Chart>, DrawError> {
    let (rows, legend) = bar_rows(report, spec);
    if rows.is_empty() {
        return Ok(None);
    }
    let svg = draw_bar_chart(spec, &rows, &legend)?;
    Ok(Some(Chart { file: spec.file, workload: spec.metric.workload.id, title: spec.title, svg }))
}

/// Horizontal bars, one row per model: the name above its bars, each figure at its bar's
/// end. Labels are drawn inside the plot rather than on an axis so long names never overlap.
/// The y axis counts pixels down from the top of the plot, so rows of one bar and of two
/// share one layout.
fn draw_bar_chart(spec: &BarChart, rows: &[BarRow], legend: &[LegendEntry]) -> Result<String, DrawError> {
    let row_px = |row: &BarRow| NAME_PX + row.bars.len() as f64 * (BAR_PX + BAR_GAP_PX) + ROW_GAP_PX;
    // The legend sits in a band of its own above the rows, where it covers no bar.
    let legend_px = if legend.is_empty() { 0.0 } else { legend.len() as f64 * LEGEND_LINE_PX + 14.0 };
    let plot_px = legend_px + rows.iter().map(row_px).sum::<f64>();
    let bars = || rows.iter().flat_map(|row| row.bars.iter());

    // Room right of the furthest bar end for the longest label (about 7.5 px a character
    // at 14 px), as a fraction of the plot's width.
    let longest_label = bars().map(|bar| bar.label.chars().count()).max().unwrap_or(0);
    let room = ((8.0 + 7.5 * longest_label as f64) / 740.0).min(0.6);
    let max = bars().map(Bar::end).fold(0.0, f64::max);
    let shortest = bars().map(|bar| bar.value).filter(|v| *v > 0.0).fold(f64::INFINITY, f64::min);
    let log = match spec.scale {
        Scale::Linear => false,
        Scale::Log => true,
        Scale::Auto => max / shortest > LOG_SPAN,
    };
    let x = match log {
        false => {
            let end = if max > 0.0 { max / (1.0 - room) } else { 1.0 };
            let base = if spec.metric.unit == Unit::Bytes { 1024.0 } else { 1000.0 };
            Axis::linear(0.0..end, linear_ticks(end, base))
        }
        true => {
            // From a power of ten at least twice below the shortest bar (or its lowest
            // round), so that every bar has a visible length.
            let min = bars()
                .flat_map(|bar| [Some(bar.value), bar.range.map(|r| r.0)])
                .flatten()
                .filter(|v| *v > 0.0)
                .fold(f64::INFINITY, f64::min);
            let start = 10f64.powf((min / 2.0).log10().floor());
            let end = start * (max / start).powf(1.0 / (1.0 - room)).max(10.0);
            Axis::log(start..end, None)
        }
    };
    let start = x.range.start;

    let mut svg = String::new();
    {
        // The backend borrows `svg` until this block ends and the drawing is finished.
        let height = plot_px as u32 + 110;
        let root = SVGBackend::with_string(&mut svg, (800, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut plot = ChartBuilder::on(&root)
            .caption(spec.title, ("sans-serif", 20))
            .margin(15)
            // Room for half the first tick's label, centred on the axis's start.
            .margin_left(30)
            .x_label_area_size(45)
            .build_cartesian_2d(x, Axis::linear(0.0..plot_px, Vec::new()))?;
        plot.configure_mesh()
            .disable_y_mesh()
            .disable_y_axis()
            .light_line_style(BLACK.mix(0.04))
            .label_style(("sans-serif", 14))
            .x_desc(if log { format!("{} (log scale)", spec.axis) } else { spec.axis.to_owned() })
            .x_label_formatter(&|v| tick_label(*v, spec.metric.unit, spec.format))
            .draw()?;
        // Pixels down from the top of the plot, in the y axis's terms.
        let y = |px: f64| plot_px - px;
        let mut top = legend_px;
        for row in rows {
            let colour = model_colour(row.colour);
            let name = Text::new(row.name.clone(), (start, y(top + 2.0)), ("sans-serif", 14));
            plot.draw_series([name])?;
            let mut bar_top = top + NAME_PX;
            for bar in &row.bars {
                let (upper, lower, middle) = (y(bar_top), y(bar_top + BAR_PX), y(bar_top + BAR_PX / 2.0));
                draw_bar(&mut plot, [(start, upper), (bar.value, lower)], colour, bar.fill)?;
                if let Some((kernel, _)) = bar.stacked {
                    draw_bar(
                        &mut plot,
                        [(bar.value, upper), (bar.value + kernel, lower)],
                        colour,
                        Fill::Pale,
                    )?;
                }
                if let Some((low, high)) = bar.range {
                    draw_whisker(&mut plot, (low.max(start), high), middle)?;
                }
                if let Some((_, Some((low, high)))) = bar.stacked {
                    // The kernel's rounds, measured on their own, placed on the RSS figure.
                    draw_whisker(&mut plot, (bar.value + low.max(0.0), bar.value + high), middle)?;
                }
                // An empty anchor at the bar's end plus a text offset in pixels: the label
                // sits just right of the bar and its whisker whatever the scale.
                let label = EmptyElement::at((bar.end(), middle))
                    + Text::new(bar.label.clone(), (8, -7), ("sans-serif", 14));
                plot.draw_series([label])?;
                bar_top += BAR_PX + BAR_GAP_PX;
            }
            top += row_px(row);
        }
        for (fill, words) in legend {
            let (face, edge) = swatch(*fill);
            let corners = [(0, -6), (20, 6)];
            plot.draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())?.label(words.as_str()).legend(
                move |(x, y)| {
                    EmptyElement::at((x, y)) + Rectangle::new(corners, face) + Rectangle::new(corners, edge)
                },
            );
        }
        if !legend.is_empty() {
            plot.configure_series_labels()
                .position(SeriesLabelPosition::UpperRight)
                .label_font(("sans-serif", 14))
                .background_style(WHITE.mix(0.8))
                .border_style(BLACK)
                .draw()?;
        }
        root.present()?;
    }
    Ok(svg)
}

/// A bar from `corners[0]` to `corners[1]` in the model's `colour`, filled as `fill` says.
fn draw_bar(
    plot: &mut Plot,
    corners: [(f64, f64); 2],
    colour: RGBColor,
    fill: Fill,
) -> Result<(), DrawError> {
    match fill {
        Fill::Solid => plot.draw_series([Rectangle::new(corners, colour.filled())])?,
        Fill::Pale => {
            plot.draw_series([Rectangle::new(corners, colour.mix(PALE).filled())])?;
            plot.draw_series([Rectangle::new(corners, colour.stroke_width(1))])?
        }
    };
    Ok(())
}

/// A legend swatch's face and edge: grey, filled as `fill` says (the fill, not the colour,
/// is what an entry explains); blank for a note, an entry of words only.
fn swatch(fill: Option<Fill>) -> (ShapeStyle, ShapeStyle) {
    let grey = PALETTE[0];
    match fill {
        Some(Fill::Solid) => (grey.filled(), grey.stroke_width(1)),
        Some(Fill::Pale) => (grey.mix(PALE).filled(), grey.stroke_width(1)),
        None => (TRANSPARENT.filled(), TRANSPARENT.stroke_width(1)),
    }
}

/// One point of a line: where, the rounds' range, and whether the figure is partial.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Point {
    x: f64,
    y: f64,
    range: Option<(f64, f64)>,
    partial: bool,
}

/// One line of a line chart.
struct Line {
    colour: RGBColor,
    label: String,
    /// Drawn dashed, with triangles: a model's second way.
    dashed: bool,
    points: Vec<Point>,
}

/// What a legend entry of a line chart shows beside its words.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Sample {
    /// A model's line and marker.
    Line { colour: RGBColor, dashed: bool },
    /// A thin grey line: the ideal.
    Ideal,
    /// A hollow marker: a partial figure.
    Hollow,
}

/// Pixels of a line chart: the whole image, and the strip at its right that holds the
/// legend. The legend stands beside the plot rather than on it, where it would hide points.
const LINE_CHART_WIDTH: u32 = 1000;
const LEGEND_WIDTH: u32 = 280;

/// Moves each line's points a little sideways, the first lines left and the last right, so
/// that the points and ranges of models measured at the same N stand side by side rather than
/// on top of each other. The shift is a small fraction of the axis: the points stay well
/// within reach of their tick.
fn dodge(lines: &mut [Line], x: &Axis) {
    let step = (0.1 / lines.len() as f64).min(0.008);
    let middle = (lines.len() as f64 - 1.0) / 2.0;
    for (k, line) in lines.iter_mut().enumerate() {
        for point in &mut line.points {
            point.x = x.shift(point.x, (k as f64 - middle) * step);
        }
    }
}

/// Draws `line`: the line itself, the rounds' range through each point, and a marker on
/// each point, hollow for a partial figure.
fn draw_line(plot: &mut Plot, line: &Line) -> Result<(), DrawError> {
    let Line { colour, dashed, .. } = *line;
    let coords = line.points.iter().map(|p| (p.x, p.y));
    let style = colour.stroke_width(2);
    if dashed {
        plot.draw_series(DashedLineSeries::new(coords, 8, 5, style))?;
    } else {
        plot.draw_series(LineSeries::new(coords, style))?;
    }
    for point in &line.points {
        if let Some(range) = point.range {
            draw_range(plot, range, point.x, colour)?;
        }
    }
    for point in &line.points {
        let marker = marker(colour, dashed, point.partial);
        plot.draw_series([EmptyElement::at((point.x, point.y)) + marker.0 + marker.1])?;
    }
    Ok(())
}

/// A marker's face and outline, in pixels around the point it marks.
type Marker = (Polygon<(i32, i32)>, PathElement<(i32, i32)>);

/// A point's marker, centred on its anchor: a circle (a triangle for a dashed line),
/// filled, or white with a coloured ring for a partial figure so the eye does not read it
/// as a whole one. Polygons, so that both shapes are one type of element.
fn marker(colour: RGBColor, triangle: bool, hollow: bool) -> Marker {
    let (radius, corners) = if triangle { (6.0, 3) } else { (4.5, 16) };
    let radius = if hollow { radius + 1.0 } else { radius };
    let outline: Vec<(i32, i32)> = (0..=corners)
        .map(|i| {
            // From the top, clockwise; a triangle points up.
            let angle =
                std::f64::consts::TAU * f64::from(i) / f64::from(corners) - std::f64::consts::FRAC_PI_2;
            ((radius * angle.cos()).round() as i32, (radius * angle.sin()).round() as i32)
        })
        .collect();
    let face = if hollow { WHITE.filled() } else { colour.filled() };
    let ring = colour.stroke_width(if hollow { 2 } else { 1 });
    (Polygon::new(outline.clone(), face), PathElement::new(outline, ring))
}

/// The legend of a line chart, in the strip `area` beside the plot: one entry a line (or
/// more, for words with line breaks), from the top of the plot down.
fn draw_legend(area: &DrawingArea<SVGBackend, Shift>, entries: &[(Sample, String)]) -> Result<(), DrawError> {
    let mut y = 60;
    for (sample, words) in entries {
        let (style, dashed, marker) = match *sample {
            Sample::Line { colour, dashed } => {
                (Some(colour.stroke_width(2)), dashed, Some(marker(colour, dashed, false)))
            }
            Sample::Ideal => (Some(BLACK.mix(0.3).stroke_width(1)), false, None),
            Sample::Hollow => (None, false, Some(marker(PALETTE[0], false, true))),
        };
        // A stretch of the line, in dashes as the plot draws them when dashed, and the
        // marker on it.
        if let Some(style) = style {
            let dashes: &[(i32, i32)] = if dashed { &[(4, 12), (17, 25), (30, 38)] } else { &[(4, 38)] };
            for &(from, to) in dashes {
                area.draw(&PathElement::new(vec![(from, y), (to, y)], style))?;
            }
        }
        if let Some((face, ring)) = marker {
            area.draw(&(EmptyElement::at((21, y)) + face + ring))?;
        }
        for line in words.lines() {
            area.draw(&Text::new(line.to_owned(), (46, y - 7), ("sans-serif", 13)))?;
            y += 18;
        }
        y += 4;
    }
    Ok(())
}

/// One line per model (the reference column too) of `spec`'s figure against N.
fn log_chart(report: &Report, spec: &LogChart) -> Result<Option<Chart>, DrawError> {
    let mut lines = Vec::new();
    for (index, column) in report.rust_columns().enumerate() {
        let mut points: Vec<Point> = report
            .records(&column.id, spec.metric, None)
            .filter_map(|r| {
                let point = Point {
                    x: r.n? as f64,
                    y: r.stat(spec.stat)?,
                    range: range_of(r, spec.stat).filter(|(low, _)| *low > 0.0),
                    partial: r.partial,
                };
                (point.x > 0.0 && point.y > 0.0 && point.y.is_finite()).then_some(point)
            })
            .collect();
        points.sort_by(|a, b| a.x.total_cmp(&b.x));
        if !points.is_empty() {
            lines.push(Line {
                colour: model_colour(index),
                label: column.name.clone(),
                dashed: false,
                points,
            });
        }
    }
    let all = || lines.iter().flat_map(|line| line.points.iter());
    let ys = all().flat_map(|p| [Some(p.y), p.range.map(|r| r.0), p.range.map(|r| r.1)]).flatten();
    let (Some(x_range), Some(y_range)) = (log_range(all().map(|p| p.x)), log_range(ys)) else {
        return Ok(None);
    };
    // N is a ladder of sizes (rates, connections): tick exactly the sizes measured, when they
    // are few enough to label.
    let mut sizes: Vec<f64> = all().map(|p| p.x).collect();
    sizes.sort_by(f64::total_cmp);
    sizes.dedup();
    let x = Axis::log(x_range, (sizes.len() <= 8).then_some(sizes));
    let y = Axis::log(y_range, None);
    let any_partial = all().any(|p| p.partial);
    dodge(&mut lines, &x);

    let mut legend: Vec<(Sample, String)> = lines
        .iter()
        .map(|l| (Sample::Line { colour: l.colour, dashed: l.dashed }, l.label.clone()))
        .collect();
    if any_partial {
        legend.push((Sample::Hollow, spec.partial.to_owned()));
    }
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (LINE_CHART_WIDTH, 500)).into_drawing_area();
        root.fill(&WHITE)?;
        let (left, right) = root.split_horizontally(LINE_CHART_WIDTH - LEGEND_WIDTH);
        let mut plot = ChartBuilder::on(&left)
            .caption(spec.title, ("sans-serif", 20))
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(85)
            .build_cartesian_2d(x, y)?;
        plot.configure_mesh()
            .label_style(("sans-serif", 14))
            .x_desc(spec.x)
            .y_desc(spec.y)
            .x_label_formatter(&|n| group_thousands(n.round() as u64))
            .y_label_formatter(&|v| tick_label(*v, spec.metric.unit, spec.format))
            .light_line_style(BLACK.mix(0.04))
            .draw()?;
        for line in &lines {
            draw_line(&mut plot, line)?;
        }
        draw_legend(&right, &legend)?;
        root.present()?;
    }
    Ok(Some(Chart { file: spec.file, workload: spec.metric.workload.id, title: spec.title, svg }))
}

/// A kernel's speedup against the worker count: one line per model and way (variant), in
/// the model's colour, its second way dashed; and the ideal, speedup = workers, as a thin
/// grey line.
fn speedup_chart(report: &Report, spec: &SpeedupChart) -> Result<Option<Chart>, DrawError> {
    let mut lines: Vec<Line> = Vec::new();
    for (index, column) in report.rust_columns().enumerate() {
        let mut ways: Vec<&str> =
            report.records(&column.id, spec.metric, None).filter_map(|r| r.variant.as_deref()).collect();
        ways.sort_unstable();
        ways.dedup();
        for (ordinal, way) in ways.into_iter().enumerate() {
            let mut points: Vec<Point> = report
                .records(&column.id, spec.metric, None)
                .filter(|r| r.variant.as_deref() == Some(way))
                .filter_map(|r| {
                    let range = range_of(r, Stat::Value);
                    Some(Point { x: r.n? as f64, y: r.value?, range, partial: r.partial })
                })
                .filter(|p| p.y.is_finite() && p.y > 0.0)
                .collect();
            points.sort_by(|a, b| a.x.total_cmp(&b.x));
            if !points.is_empty() {
                let label = format!("{} {way}", column.name);
                lines.push(Line { colour: model_colour(index), label, dashed: ordinal % 2 == 1, points });
            }
        }
    }
    if lines.is_empty() {
        return Ok(None);
    }
    let all = || lines.iter().flat_map(|line| line.points.iter());
    let max_workers = all().map(|p| p.x).fold(1.0, f64::max);
    let max_speedup = all().map(|p| p.range.map_or(p.y, |r| r.1.max(p.y))).fold(max_workers, f64::max);
    // Worker counts are whole: tick the counts measured (1, 2, 4... up to the cores), not
    // plotters' float steps, which print as "0, 0, 1, 2, 2, 2" once rounded.
    let mut workers: Vec<f64> = all().map(|p| p.x).collect();
    workers.sort_by(f64::total_cmp);
    workers.dedup();
    let x = Axis::linear(0.0..max_workers * 1.05 + 0.5, workers);
    let y_end = max_speedup * 1.1;
    let y = Axis::linear(0.0..y_end, linear_ticks(y_end, 10.0));
    let any_partial = all().any(|p| p.partial);
    dodge(&mut lines, &x);

    let mut legend = vec![(Sample::Ideal, "ideal: speedup = workers".to_owned())];
    legend
        .extend(lines.iter().map(|l| (Sample::Line { colour: l.colour, dashed: l.dashed }, l.label.clone())));
    if any_partial {
        legend.push((Sample::Hollow, "hollow: a partial figure".to_owned()));
    }
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (LINE_CHART_WIDTH, 560)).into_drawing_area();
        root.fill(&WHITE)?;
        let (left, right) = root.split_horizontally(LINE_CHART_WIDTH - LEGEND_WIDTH);
        let mut plot = ChartBuilder::on(&left)
            .caption(spec.title, ("sans-serif", 20))
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d(x, y)?;
        plot.configure_mesh()
            .label_style(("sans-serif", 14))
            .x_desc("worker threads")
            .y_desc("speedup over sequential")
            .x_label_formatter(&|n| format!("{n:.0}"))
            .y_label_formatter(&|s| format!("×{s:.1}"))
            .draw()?;
        plot.draw_series(LineSeries::new([(0.0, 0.0), (max_workers, max_workers)], BLACK.mix(0.3)))?;
        for line in &lines {
            draw_line(&mut plot, line)?;
        }
        draw_legend(&right, &legend)?;
        root.present()?;
    }
    Ok(Some(Chart { file: spec.file, workload: spec.metric.workload.id, title: spec.title, svg }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Column, Distribution, Part, Trial};

    fn column(id: &str) -> Column {
        Column {
            id: id.to_owned(),
            name: format!("{id} & co"),
            concurrency: String::new(),
            best_for: String::new(),
            debugging: String::new(),
            workers: 1,
            part: if id == "sequential" { Part::Baseline } else { Part::Compared },
        }
    }

    fn report(models: &[&str], records: Vec<Record>) -> Report {
        Report { columns: models.iter().map(|m| column(m)).collect(), records, ..Report::default() }
    }

    /// A distribution whose p99 is `p99`.
    fn dist(p99: f64) -> Distribution {
        Distribution { p50: p99 / 2.0, p99, p999: p99, max: p99, count: 10 }
    }

    /// `record` with one round per value (each round's distribution scaled to its p99 for
    /// a record that has one).
    fn with_rounds(mut record: Record, values: &[f64]) -> Record {
        let has_dist = record.dist.is_some();
        record.rounds = values.iter().map(|&v| Trial { value: v, dist: has_dist.then(|| dist(v)) }).collect();
        record
    }

    /// The words of every `<text>` element of `svg`.
    fn texts(svg: &str) -> Vec<&str> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| Some(t[t.find('>')? + 1..t.find("</text>")?].trim()))
            .collect()
    }

    /// How many elements of `svg` are stroked in `colour`.
    fn stroked(svg: &str, colour: RGBColor) -> usize {
        let RGBColor(r, g, b) = colour;
        svg.matches(&format!("stroke=\"#{r:02X}{g:02X}{b:02X}\"")).count()
    }

    /// The widths of the solid bars filled in `colour`, top to bottom.
    fn bar_widths(svg: &str, colour: RGBColor) -> Vec<u32> {
        let RGBColor(r, g, b) = colour;
        let fill = format!("opacity=\"1\" fill=\"#{r:02X}{g:02X}{b:02X}\"");
        svg.lines()
            .filter(|line| line.starts_with("<rect") && line.contains(&fill))
            .filter_map(|line| line.split("width=\"").nth(1)?.split('"').next()?.parse().ok())
            .collect()
    }

    /// Charts are drawn only for metrics with data, and their SVG holds the labels as text.
    #[test]
    fn charts_contain_their_labels() {
        let report = report(
            &["sequential", "tokio"],
            vec![
                Record::value("tokio", &workloads::spawn_join::SPAWN_NS_PER_TASK, Some(1000), 742.0),
                Record::value("sequential", &workloads::waits::WAITS_WALL_TIME, Some(10), 1_003.0),
                Record::value("tokio", &workloads::waits::WAITS_WALL_TIME, Some(10), 101.0),
                Record::value("tokio", &workloads::waits::WAITS_WALL_TIME, Some(10_000), 105.0),
            ],
        );
        let charts = render_charts(&report).unwrap();
        let files: Vec<&str> = charts.iter().map(|c| c.file).collect();
        assert_eq!(files, ["spawn.svg", "waits.svg"]);

        let spawn = &charts[0].svg;
        assert!(spawn.starts_with("<svg") && spawn.trim_end().ends_with("</svg>"));
        assert!(spawn.contains("tokio &amp; co"), "model name, escaped as XML");
        assert!(spawn.contains("742 ns"), "value label");
        assert!(!spawn.contains("sequential"), "models without data are left out");

        let waits = &charts[1].svg;
        assert!(waits.contains("sequential &amp; co"), "legend entry");
        assert!(waits.contains("<polyline"), "the line series");
        assert_eq!(
            texts(waits).iter().filter(|t| ["10", "10 000"].contains(t)).count(),
            2,
            "ticks at the Ns"
        );
    }

    /// A bar gets a whisker from its lowest to its highest round; a figure of one round, or
    /// none, gets none.
    #[test]
    fn bars_have_error_bars_when_rounds_were_measured() {
        let spawn = |rounds: &[f64]| {
            let record = Record::value("tokio", &workloads::spawn_join::SPAWN_NS_PER_TASK, Some(1000), 742.0);
            let report = report(&["tokio"], vec![with_rounds(record, rounds)]);
            bar_chart(&report, &BAR_CHARTS[2]).unwrap().expect("a chart").svg
        };
        // The line and its two end caps.
        assert_eq!(stroked(&spawn(&[700.0, 742.0, 810.0]), WHISKER), 3);
        assert_eq!(stroked(&spawn(&[742.0]), WHISKER), 0, "one round says nothing of the spread");
        assert_eq!(stroked(&spawn(&[]), WHISKER), 0);

        // The whisker reads the statistic the chart shows: the rounds' p99 for timeouts.
        let timeouts = |record: Record| {
            let report = report(&["tokio"], vec![record]);
            bar_chart(&report, &BAR_CHARTS[5]).unwrap().expect("a chart").svg
        };
        let late = Record::value("tokio", &workloads::timeouts::TIMEOUT_LATENESS, Some(10), 1e5)
            .with_dist(dist(2e6));
        assert_eq!(stroked(&timeouts(with_rounds(late.clone(), &[1.8e6, 2e6, 2.5e6])), WHISKER), 3);
        let rows =
            bar_rows(&report(&["tokio"], vec![with_rounds(late, &[1.8e6, 2e6, 2.5e6])]), &BAR_CHARTS[5]).0;
        assert_eq!(rows[0].bars[0].range, Some((1.8e6, 2.5e6)));
    }

    /// Each point of a line chart gets a vertical range (a line and two caps) when its
    /// record has rounds, and none without.
    #[test]
    fn line_points_have_ranges_when_rounds_were_measured() {
        let waits = |rounds: &[f64]| {
            let records = [10, 1000].map(|n| {
                with_rounds(
                    Record::value("tokio", &workloads::waits::WAITS_WALL_TIME, Some(n), 101.0),
                    rounds,
                )
            });
            let report = report(&["tokio"], records.into());
            log_chart(&report, &LOG_CHARTS[0]).unwrap().expect("a chart").svg
        };
        let with = waits(&[100.0, 101.0, 104.0]);
        let without = waits(&[]);
        let polylines = |svg: &str| svg.matches("<polyline").count();
        assert_eq!(polylines(&with) - polylines(&without), 2 * 3, "two points, three strokes each");
        assert_eq!(polylines(&waits(&[101.0])), polylines(&without));
    }

    /// The workers axis is ticked at the worker counts measured, as whole numbers.
    #[test]
    fn worker_axis_has_integer_ticks() {
        let way = Some(&workloads::mandelbrot::MANDELBROT_WAYS[3]);
        let records = [(1, 0.98), (2, 1.95), (4, 3.7)].map(|(n, s)| {
            Record::value("rayon", &workloads::mandelbrot::MANDELBROT_SPEEDUP, Some(n), s).with_variant(way)
        });
        let chart =
            speedup_chart(&report(&["rayon"], records.into()), &SPEEDUP_CHARTS[0]).unwrap().expect("a chart");
        let numbers: Vec<&str> = texts(&chart.svg).into_iter().filter(|t| t.parse::<f64>().is_ok()).collect();
        assert_eq!(numbers, ["1", "2", "4"]);
    }

    /// A kernel's speedup chart has a line per model and way, and the ideal line; a model's
    /// ways share its colour.
    #[test]
    fn speedup_chart_has_a_line_per_way() {
        let way = |i: usize| Some(&workloads::mandelbrot::MANDELBROT_WAYS[i]);
        let report = report(
            &["rayon", "threads"],
            vec![
                Record::value("rayon", &workloads::mandelbrot::MANDELBROT_SPEEDUP, Some(1), 0.98)
                    .with_variant(way(3)),
                Record::value("rayon", &workloads::mandelbrot::MANDELBROT_SPEEDUP, Some(2), 1.95)
                    .with_variant(way(3)),
                Record::value("threads", &workloads::mandelbrot::MANDELBROT_SPEEDUP, Some(2), 1.2)
                    .with_variant(way(1)),
                Record::value("threads", &workloads::mandelbrot::MANDELBROT_SPEEDUP, Some(2), 1.9)
                    .with_variant(way(2)),
            ],
        );
        let chart = speedup_chart(&report, &SPEEDUP_CHARTS[0]).unwrap().expect("a chart");
        for label in [
            "rayon &amp; co work_stealing",
            "threads &amp; co static_chunks",
            "threads &amp; co work_queue",
            "ideal: speedup = workers",
        ] {
            assert!(texts(&chart.svg).contains(&label), "{label}");
        }
        assert!(stroked(&chart.svg, model_colour(1)) > 0 && stroked(&chart.svg, model_colour(2)) == 0);
        assert!(speedup_chart(&report, &SPEEDUP_CHARTS[1]).unwrap().is_none(), "no sort figures, no chart");
    }

    /// The streams chart has a log axis: the baseline's 690 M items/s leaves the models'
    /// bars a visible length, and the ticks are powers of ten.
    #[test]
    fn streams_axis_is_logarithmic() {
        let report = report(
            &["sequential", "threads"],
            vec![
                Record::value(
                    "sequential",
                    &workloads::streams::STREAM_ITEMS_PER_SECOND,
                    Some(10_000),
                    6.9e8,
                ),
                Record::value("threads", &workloads::streams::STREAM_ITEMS_PER_SECOND, Some(10_000), 1e5),
            ],
        );
        let chart = bar_chart(&report, &BAR_CHARTS[6]).unwrap().expect("a chart");
        let texts = texts(&chart.svg);
        for tick in ["100 k/s", "1 M/s", "10 M/s", "100 M/s"] {
            assert!(texts.contains(&tick), "{tick} in {texts:?}");
        }
        assert!(texts.contains(&"items per second (log scale)"));
        let (baseline, threads) =
            (bar_widths(&chart.svg, model_colour(0))[0], bar_widths(&chart.svg, model_colour(1))[0]);
        // About a fifth of the baseline's length, where a linear axis would give it
        // 1/6 900 of it: nothing.
        assert!(threads * 10 > baseline, "{threads} px against {baseline} px");
    }

    /// Log ticks: every digit on a narrow range, powers of ten on a wide one.
    #[test]
    fn log_ticks_suit_the_range() {
        let (ticks, _) = log_ticks(&(18_000.0..117_000.0));
        assert_eq!(ticks.len(), 9);
        assert_eq!((ticks[0], ticks[8]), (20_000.0, 100_000.0));
        let (ticks, minor) = log_ticks(&(1e4..2e9));
        assert_eq!(ticks, [1e4, 1e5, 1e6, 1e7, 1e8, 1e9]);
        assert!(minor.contains(&2e4) && !minor.contains(&1e5));
    }

    /// A model measured only at a smaller N than the others is named with its N, and a
    /// note says it is not comparable; charts where N does not matter name none.
    #[test]
    fn a_smaller_n_is_labelled() {
        let late = |model: &str, n: u64| {
            Record::value(model, &workloads::timeouts::TIMEOUT_LATENESS, Some(n), 1e5).with_dist(dist(2e6))
        };
        let report = report(
            &["sequential", "tokio"],
            vec![late("sequential", 100), late("tokio", 100), late("tokio", 10_000)],
        );
        let chart = bar_chart(&report, &BAR_CHARTS[5]).unwrap().expect("a chart");
        let texts = texts(&chart.svg);
        assert!(texts.contains(&"sequential &amp; co (N=100 only)"), "{texts:?}");
        assert!(texts.contains(&"tokio &amp; co"), "the model at the largest N keeps its name");
        assert!(texts.iter().any(|t| t.contains("smaller N") && t.contains("N=10 000")), "the note");

        let same = crate::Report {
            records: vec![late("sequential", 10_000), late("tokio", 10_000)],
            ..report.clone()
        };
        let texts_same = bar_chart(&same, &BAR_CHARTS[5]).unwrap().expect("a chart").svg;
        assert!(!texts_same.contains("only") && !texts_same.contains("smaller N"));
    }

    /// A saturated server's point is hollow (white inside its ring), and the legend says
    /// what a hollow point means; a chart without one has neither.
    #[test]
    fn saturated_points_are_hollow() {
        let latency = |n: u64, p99: f64| {
            Record::value("tokio", &workloads::server::HTTP_LATENCY, Some(n), 1.0).with_dist(dist(p99))
        };
        let chart = |records: Vec<Record>| {
            log_chart(&report(&["tokio"], records), &LOG_CHARTS[2]).unwrap().expect("a chart").svg
        };
        let hollow = |svg: &str| svg.matches("<polygon opacity=\"1\" fill=\"#FFFFFF\"").count();

        let saturated = chart(vec![
            latency(5_000, 1e6),
            latency(20_000, 9e7).partial("saturated: 12 000/s answered of 20 000/s offered"),
        ]);
        assert_eq!(hollow(&saturated), 2, "the saturated point and the legend's sample");
        assert!(texts(&saturated).iter().any(|t| t.starts_with("hollow: saturated")));

        let whole = chart(vec![latency(5_000, 1e6), latency(20_000, 2e6)]);
        assert_eq!(hollow(&whole), 0);
        assert!(!whole.contains("hollow"));
    }

    /// The HTTP charts have a line per server, the reference included, and their axes
    /// several labelled ticks.
    #[test]
    fn load_charts_have_a_line_per_server() {
        let report = report(
            &["tokio", "hyper"],
            vec![
                Record::value("tokio", &workloads::server::HTTP_REQUESTS_PER_SECOND, Some(1), 30_000.0),
                Record::value("tokio", &workloads::server::HTTP_REQUESTS_PER_SECOND, Some(100), 110_000.0),
                Record::value("hyper", &workloads::server::HTTP_REQUESTS_PER_SECOND, Some(100), 100_000.0),
                Record::value("tokio", &workloads::server::HTTP_LATENCY, Some(50_000), 1.0)
                    .with_dist(dist(2e6)),
            ],
        );
        let requests = log_chart(&report, &LOG_CHARTS[1]).unwrap().expect("a chart");
        assert!(requests.svg.contains("tokio &amp; co") && requests.svg.contains("hyper &amp; co"));
        let texts = texts(&requests.svg);
        assert!(texts.contains(&"1") && texts.contains(&"100"), "connections measured: {texts:?}");
        assert!(texts.iter().filter(|t| t.ends_with("k/s")).count() >= 3, "{texts:?}");
        let latency = log_chart(&report, &LOG_CHARTS[2]).unwrap().expect("a chart");
        assert!(latency.svg.contains("tokio &amp; co") && !latency.svg.contains("hyper &amp; co"));
    }

    /// Workloads measured under both placements get two bars per model, solid for all
    /// threads on one core and pale for threads free on all cores, with a legend.
    #[test]
    fn placements_are_grouped_bars() {
        let trip = |model: &str, placement: Placement, ns: f64| {
            Record::value(model, &workloads::ping_pong::PING_PONG_ROUND_TRIP, Some(10_000), ns)
                .with_placement(Some(placement))
        };
        let placed = report(
            &["threads", "tokio"],
            vec![
                trip("threads", Placement::OneCore, 10_000.0),
                trip("threads", Placement::AllCores, 5_000.0),
                trip("tokio", Placement::OneCore, 300.0),
                trip("tokio", Placement::AllCores, 350.0),
            ],
        );
        let (rows, legend) = bar_rows(&placed, &BAR_CHARTS[1]);
        let fills: Vec<Vec<(f64, Fill)>> =
            rows.iter().map(|row| row.bars.iter().map(|bar| (bar.value, bar.fill)).collect()).collect();
        assert_eq!(
            fills,
            [
                vec![(10_000.0, Fill::Solid), (5_000.0, Fill::Pale)],
                vec![(300.0, Fill::Solid), (350.0, Fill::Pale)]
            ]
        );
        let labels: Vec<&str> = legend.iter().map(|(_, words)| words.as_str()).collect();
        assert_eq!(labels, ["all threads on one core", "threads free on all cores"]);
        let svg = bar_chart(&placed, &BAR_CHARTS[1]).unwrap().expect("a chart").svg;
        for text in ["300 ns", "350 ns", "10.00 µs", "5.00 µs", "threads free on all cores"] {
            assert!(texts(&svg).contains(&text), "{text}");
        }

        // A report from before placements: one bar per model, no legend.
        let unplaced = report(
            &["tokio"],
            vec![Record::value("tokio", &workloads::ping_pong::PING_PONG_ROUND_TRIP, Some(10), 300.0)],
        );
        let (rows, legend) = bar_rows(&unplaced, &BAR_CHARTS[1]);
        assert_eq!(rows[0].bars.len(), 1);
        assert!(legend.is_empty());
    }

    /// The kernel's share is stacked on a model's RSS bar when it is above the noise, with
    /// a legend entry; below the noise it is left out.
    #[test]
    fn memory_stacks_the_kernel_share() {
        let report = report(
            &["threads", "tokio"],
            vec![
                Record::value("threads", &workloads::idle::IDLE_RSS, Some(10_000), 10_000.0),
                Record::value("threads", &workloads::idle::IDLE_KERNEL, Some(10_000), 28_000.0),
                Record::value("tokio", &workloads::idle::IDLE_RSS, Some(100_000), 400.0),
                Record::value("tokio", &workloads::idle::IDLE_KERNEL, Some(100_000), 3.0),
            ],
        );
        let (rows, legend) = bar_rows(&report, &BAR_CHARTS[0]);
        assert_eq!(rows[0].bars[0].stacked, Some((28_000.0, None)));
        assert_eq!(rows[1].bars[0].stacked, None, "3 bytes is noise");
        assert!(
            legend
                .iter()
                .any(|(fill, words)| *fill == Some(Fill::Pale) && words.starts_with("kernel's share"))
        );
        let svg = bar_chart(&report, &BAR_CHARTS[0]).unwrap().expect("a chart").svg;
        let texts = texts(&svg);
        assert!(texts.contains(&"9.8 KiB + 27.3 KiB kernel") && texts.contains(&"400 B"), "{texts:?}");
        assert!(texts.contains(&"threads &amp; co (N=10 000)"), "memory names every N held");
    }

    /// Figures that span more than a hundredfold get a log axis; close ones keep a linear
    /// one.
    #[test]
    fn wide_spans_get_a_log_axis() {
        let spawn = |tokio: f64| {
            let report = report(
                &["sequential", "tokio"],
                vec![
                    Record::value("sequential", &workloads::spawn_join::SPAWN_NS_PER_TASK, Some(1000), 2.0),
                    Record::value("tokio", &workloads::spawn_join::SPAWN_NS_PER_TASK, Some(1000), tokio),
                ],
            );
            bar_chart(&report, &BAR_CHARTS[2]).unwrap().expect("a chart").svg
        };
        assert!(spawn(75_000.0).contains("time per task (log scale)"));
        assert!(!spawn(5.0).contains("log scale"));
    }

    /// Every model's colour stands out on white (a contrast of at least 3:1), and a model's
    /// colour is its column's in every chart.
    #[test]
    fn colours_are_visible_on_white() {
        let luminance = |RGBColor(r, g, b): RGBColor| {
            let channel = |c: u8| {
                let c = f64::from(c) / 255.0;
                if c <= 0.039_28 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
            };
            0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
        };
        for colour in PALETTE {
            let contrast = 1.05 / (luminance(colour) + 0.05);
            assert!(contrast >= 3.0, "{colour:?}: {contrast:.2}");
        }
        let report = report(
            &["sequential", "tokio"],
            vec![
                Record::value("tokio", &workloads::spawn_join::SPAWN_NS_PER_TASK, Some(1000), 742.0),
                Record::value("tokio", &workloads::waits::WAITS_WALL_TIME, Some(10), 101.0),
            ],
        );
        for chart in render_charts(&report).unwrap() {
            let RGBColor(r, g, b) = model_colour(1);
            assert!(chart.svg.contains(&format!("#{r:02X}{g:02X}{b:02X}")), "{}", chart.file);
        }
    }

    /// A single value still gives a usable log range around it.
    #[test]
    fn log_range_is_never_empty() {
        assert_eq!(log_range([10.0].into_iter()), Some(10.0 / 1.5..15.0));
        assert_eq!(log_range(std::iter::empty()), None);
    }
}
