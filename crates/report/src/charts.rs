//! SVG charts of the headline figures, drawn with plotters.
//!
//! plotters is built without its `ttf` feature, so it never loads a system font: the SVG
//! backend writes plain `<text>` elements and the viewer's browser picks the font. That keeps
//! the build free of font libraries and the output the same on every machine.

use std::error::Error;

use plotters::prelude::*;

use workloads::catalogue::{self, Metric, Stat, Variant};

use crate::Report;
use crate::format::{format_bytes, format_ms, format_ns, format_value, group_thousands};

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

/// A bar chart of one metric: one bar per model, at the largest `n` the model reached.
struct BarChart {
    file: &'static str,
    metric: &'static Metric,
    variant: Option<&'static Variant>,
    stat: Stat,
    title: &'static str,
    format: fn(f64) -> String,
}

/// The bar charts, one per headline figure of the table.
const BAR_CHARTS: [BarChart; 9] = [
    BarChart {
        file: "memory.svg",
        metric: &catalogue::IDLE_RSS,
        variant: None,
        stat: Stat::Value,
        title: "Memory per idle task (RSS, at the largest N held)",
        format: format_bytes,
    },
    BarChart {
        file: "context_switch.svg",
        metric: &catalogue::PING_PONG_ROUND_TRIP,
        variant: None,
        stat: Stat::Value,
        title: "Context switching: one ping-pong round trip",
        format: format_ns,
    },
    BarChart {
        file: "spawn.svg",
        metric: &catalogue::SPAWN_NS_PER_TASK,
        variant: None,
        stat: Stat::Value,
        title: "Spawn cost: spawning and joining one task",
        format: format_ns,
    },
    BarChart {
        file: "as_completed.svg",
        metric: &catalogue::GATHER_TASKS_PER_SECOND,
        variant: Some(&catalogue::GATHER_AS_COMPLETED),
        stat: Stat::Value,
        title: "As-completed: tasks per second (at the largest N run)",
        format: format_per_second,
    },
    BarChart {
        file: "cancellation.svg",
        metric: &catalogue::CANCEL_RELEASE,
        variant: None,
        stat: Stat::P99,
        title: "Cancellation: cancel request to resource released (p99)",
        format: format_ns,
    },
    BarChart {
        file: "timeouts.svg",
        metric: &catalogue::TIMEOUT_LATENESS,
        variant: None,
        stat: Stat::P99,
        title: "Timeouts: lateness past the deadline (p99, at the largest N run)",
        format: format_ns,
    },
    BarChart {
        file: "streams.svg",
        metric: &catalogue::STREAM_ITEMS_PER_SECOND,
        variant: None,
        stat: Stat::Value,
        title: "Streams: items per second, one hand-off each",
        format: format_per_second,
    },
    BarChart {
        file: "stall_inline.svg",
        metric: &catalogue::STALL_HEARTBEAT,
        variant: Some(&catalogue::STALL_INLINE_CPU),
        stat: Stat::P99,
        title: "Blocking pitfall: 1 ms heartbeat lateness (p99), 50 ms CPU calls made inline",
        format: format_ns,
    },
    BarChart {
        file: "stall_offloaded.svg",
        metric: &catalogue::STALL_HEARTBEAT,
        variant: Some(&catalogue::STALL_OFFLOADED_CPU),
        stat: Stat::P99,
        title: "Blocking pitfall: 1 ms heartbeat lateness (p99), the same calls offloaded",
        format: format_ns,
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
        metric: &catalogue::MANDELBROT_SPEEDUP,
        title: "Mandelbrot: speedup over sequential against workers",
    },
    SpeedupChart {
        file: "speedup_merge_sort.svg",
        metric: &catalogue::MERGE_SORT_SPEEDUP,
        title: "Merge sort: speedup over sequential against workers",
    },
    SpeedupChart {
        file: "speedup_hashing.svg",
        metric: &catalogue::HASHING_SPEEDUP,
        title: "Hashing: speedup over sequential against workers",
    },
];

/// Events per second: `123 456/s`.
fn format_per_second(value: f64) -> String {
    format_value(value, catalogue::Unit::PerSecond.symbol())
}

/// Errors from drawing; `Send + Sync` so that they convert into `std::io::Error`.
type DrawError = Box<dyn Error + Send + Sync>;

/// One model's data in a chart.
struct Series<'a, T> {
    /// The model's column index: it picks the colour, so a model looks the same in every chart.
    colour: usize,
    name: &'a str,
    data: T,
}

/// The data of every model for which `data` finds some, in column order.
fn per_model<'a, T>(report: &'a Report, data: impl Fn(&str) -> Option<T>) -> Vec<Series<'a, T>> {
    report
        .columns
        .iter()
        .enumerate()
        .filter_map(|(colour, c)| Some(Series { colour, name: &c.name, data: data(&c.id)? }))
        .collect()
}

/// Renders every chart that has data; a chart with no measured model is left out.
pub fn render_charts(report: &Report) -> std::io::Result<Vec<Chart>> {
    let mut charts = Vec::new();
    for spec in &BAR_CHARTS {
        let bars = per_model(report, |model| {
            let record = report.largest_measured(model, spec.metric, spec.variant, None)?;
            let value = match spec.stat {
                Stat::Value => record.value?,
                Stat::P50 => record.dist?.p50,
                Stat::P99 => record.dist?.p99,
                Stat::Max => record.dist?.max,
            };
            (value.is_finite() && value >= 0.0).then_some(value)
        });
        if !bars.is_empty() {
            let svg = bar_chart(spec.title, &bars, spec.format).map_err(std::io::Error::other)?;
            charts.push(Chart { file: spec.file, workload: spec.metric.workload.id, title: spec.title, svg });
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

/// Horizontal bars, one row per model: the name above its bar, the value at its end.
/// Labels are drawn inside the plot rather than on an axis so long names never overlap.
fn bar_chart(title: &str, bars: &[Series<f64>], format: fn(f64) -> String) -> Result<String, DrawError> {
    let mut svg = String::new();
    {
        // The backend borrows `svg` until this block ends and the drawing is finished.
        let height = 90 + 50 * bars.len() as u32;
        let root = SVGBackend::with_string(&mut svg, (800, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let max = bars.iter().map(|bar| bar.data).fold(0.0, f64::max);
        // Room to the right of the longest bar for its value label.
        let x_end = if max > 0.0 { max * 1.25 } else { 1.0 };
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 20))
            .margin(15)
            .x_label_area_size(30)
            .build_cartesian_2d(0.0..x_end, 0.0..bars.len() as f64)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .disable_y_axis()
            .label_style(("sans-serif", 14))
            .x_labels(5)
            .x_label_formatter(&|v| format(*v))
            .draw()?;
        for (row, &Series { colour, name, data: value }) in bars.iter().enumerate() {
            // Row 0 is drawn at the top, so the bars read in column order.
            let y = (bars.len() - 1 - row) as f64;
            let colour = Palette99::pick(colour);
            chart.draw_series([Rectangle::new([(0.0, y + 0.1), (value, y + 0.5)], colour.filled())])?;
            chart.draw_series([Text::new(name.to_owned(), (0.0, y + 0.95), ("sans-serif", 14))])?;
            // An empty anchor at the bar's end plus a text offset in pixels: the label sits
            // just right of the bar whatever the scale.
            let label =
                EmptyElement::at((value, y + 0.3)) + Text::new(format(value), (6, -7), ("sans-serif", 14));
            chart.draw_series([label])?;
        }
        root.present()?;
    }
    Ok(svg)
}

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
    /// Where the legend goes: where the lines leave room.
    legend: SeriesLabelPosition,
}

/// The log-log charts: concurrent waits' wall time (first), then the HTTP server's.
const LOG_CHARTS: [LogChart; 3] = [
    LogChart {
        file: "waits.svg",
        metric: &catalogue::WAITS_WALL_TIME,
        stat: Stat::Value,
        title: "Concurrent waits: wall time against N",
        x: "N (tasks waiting at once)",
        y: "wall time",
        format: format_ms,
        legend: SeriesLabelPosition::UpperMiddle,
    },
    LogChart {
        file: "http_requests.svg",
        metric: &catalogue::HTTP_REQUESTS_PER_SECOND,
        stat: Stat::Value,
        title: "HTTP server: requests per second against connections (closed loop)",
        x: "keep-alive connections",
        y: "requests per second",
        format: format_per_second,
        legend: SeriesLabelPosition::UpperLeft,
    },
    LogChart {
        file: "http_latency.svg",
        metric: &catalogue::HTTP_LATENCY,
        stat: Stat::P99,
        title: "HTTP server: p99 latency against offered load (open loop)",
        x: "requests per second offered",
        y: "p99 latency",
        format: format_ns,
        legend: SeriesLabelPosition::UpperLeft,
    },
];

/// One line per model (the reference column too) of `spec`'s figure against N.
fn log_chart(report: &Report, spec: &LogChart) -> Result<Option<Chart>, DrawError> {
    let series = per_model(report, |model| {
        let mut points: Vec<(f64, f64)> = report
            .records(model, spec.metric, None)
            .filter_map(|r| {
                let y = match spec.stat {
                    Stat::Value => r.value?,
                    Stat::P50 => r.dist?.p50,
                    Stat::P99 => r.dist?.p99,
                    Stat::Max => r.dist?.max,
                };
                Some((r.n? as f64, y))
            })
            .filter(|&(x, y)| x > 0.0 && y > 0.0 && y.is_finite())
            .collect();
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        (!points.is_empty()).then_some(points)
    });
    let all = || series.iter().flat_map(|s| s.data.iter().copied());
    let (Some(x_range), Some(y_range)) = (log_range(all().map(|p| p.0)), log_range(all().map(|p| p.1)))
    else {
        return Ok(None);
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (800, 500)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(spec.title, ("sans-serif", 20))
            .margin(15)
            .x_label_area_size(40)
            .y_label_area_size(80)
            .build_cartesian_2d(x_range.log_scale(), y_range.log_scale())?;
        chart
            .configure_mesh()
            .label_style(("sans-serif", 14))
            .x_desc(spec.x)
            .y_desc(spec.y)
            .x_label_formatter(&|n| group_thousands(n.round() as u64))
            .y_label_formatter(&|v| (spec.format)(*v))
            .draw()?;
        for Series { colour, name, data: points } in &series {
            let colour = Palette99::pick(*colour);
            chart
                .draw_series(LineSeries::new(points.iter().copied(), colour.stroke_width(2)).point_size(3))?
                .label(*name)
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(2)));
        }
        chart
            .configure_series_labels()
            .position(spec.legend.clone())
            .label_font(("sans-serif", 14))
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()?;
        root.present()?;
    }
    Ok(Some(Chart { file: spec.file, workload: spec.metric.workload.id, title: spec.title, svg }))
}

/// A kernel's speedup against the worker count: one line per model and way (variant), and
/// the ideal, speedup = workers, as a thin grey line.
fn speedup_chart(report: &Report, spec: &SpeedupChart) -> Result<Option<Chart>, DrawError> {
    // One line per model and way: its colour, its label and its points.
    struct Line {
        colour: usize,
        label: String,
        points: Vec<(f64, f64)>,
    }
    let mut lines: Vec<Line> = Vec::new();
    for (index, column) in report.columns.iter().enumerate() {
        let mut ways: Vec<&str> =
            report.records(&column.id, spec.metric, None).filter_map(|r| r.variant.as_deref()).collect();
        ways.sort_unstable();
        ways.dedup();
        for way in ways {
            let mut points: Vec<(f64, f64)> = report
                .records(&column.id, spec.metric, None)
                .filter(|r| r.variant.as_deref() == Some(way))
                .filter_map(|r| Some((r.n? as f64, r.value?)))
                .filter(|&(_, v)| v.is_finite() && v > 0.0)
                .collect();
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
            if !points.is_empty() {
                let colour = index * 2 + lines.len() % 2;
                lines.push(Line { colour, label: format!("{} {way}", column.name), points });
            }
        }
    }
    if lines.is_empty() {
        return Ok(None);
    }
    let all = || lines.iter().flat_map(|line| line.points.iter().copied());
    let max_workers = all().map(|p| p.0).fold(1.0, f64::max);
    let max_speedup = all().map(|p| p.1).fold(max_workers, f64::max);

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (800, 560)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(spec.title, ("sans-serif", 20))
            .margin(15)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..max_workers * 1.05 + 0.5, 0.0..max_speedup * 1.1)?;
        chart
            .configure_mesh()
            .label_style(("sans-serif", 14))
            .x_desc("worker threads")
            .y_desc("speedup over sequential")
            .x_label_formatter(&|n| format!("{n:.0}"))
            .y_label_formatter(&|s| format!("×{s:.1}"))
            .draw()?;
        chart
            .draw_series(LineSeries::new([(0.0, 0.0), (max_workers, max_workers)], BLACK.mix(0.3)))?
            .label("ideal: speedup = workers")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], BLACK.mix(0.3)));
        for Line { colour, label, points } in &lines {
            let colour = Palette99::pick(*colour);
            chart
                .draw_series(LineSeries::new(points.iter().copied(), colour.stroke_width(2)).point_size(3))?
                .label(label.as_str())
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(2)));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .label_font(("sans-serif", 12))
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()?;
        root.present()?;
    }
    Ok(Some(Chart { file: spec.file, workload: spec.metric.workload.id, title: spec.title, svg }))
}

/// A range around the values for a log axis, widened a little so no point sits on the edge
/// (and so a single value still gives a range that is not empty).
fn log_range(values: impl Iterator<Item = f64>) -> Option<std::ops::Range<f64>> {
    let (low, high) = values.fold(None, |range, v| match range {
        None => Some((v, v)),
        Some((low, high)) => Some((f64::min(low, v), f64::max(high, v))),
    })?;
    Some(low / 1.5..high * 1.5)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Column, Record};

    fn column(id: &str) -> Column {
        Column {
            id: id.to_owned(),
            name: format!("{id} & co"),
            concurrency: String::new(),
            best_for: String::new(),
            debugging: String::new(),
            workers: 1,
        }
    }

    /// Charts are drawn only for metrics with data, and their SVG holds the labels as text.
    #[test]
    fn charts_contain_their_labels() {
        let report = Report {
            columns: vec![column("sequential"), column("tokio")],
            records: vec![
                Record::value("tokio", &catalogue::SPAWN_NS_PER_TASK, Some(1000), 742.0),
                Record::value("sequential", &catalogue::WAITS_WALL_TIME, Some(10), 1_003.0),
                Record::value("tokio", &catalogue::WAITS_WALL_TIME, Some(10), 101.0),
                Record::value("tokio", &catalogue::WAITS_WALL_TIME, Some(10_000), 105.0),
            ],
            ..Report::default()
        };
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
    }

    /// A kernel's speedup chart has a line per model and way, and the ideal line.
    #[test]
    fn speedup_chart_has_a_line_per_way() {
        let way = |i: usize| Some(&catalogue::MANDELBROT_WAYS[i]);
        let report = Report {
            columns: vec![column("rayon"), column("threads")],
            records: vec![
                Record::value("rayon", &catalogue::MANDELBROT_SPEEDUP, Some(1), 0.98).with_variant(way(3)),
                Record::value("rayon", &catalogue::MANDELBROT_SPEEDUP, Some(2), 1.95).with_variant(way(3)),
                Record::value("threads", &catalogue::MANDELBROT_SPEEDUP, Some(2), 1.2).with_variant(way(1)),
                Record::value("threads", &catalogue::MANDELBROT_SPEEDUP, Some(2), 1.9).with_variant(way(2)),
            ],
            ..Report::default()
        };
        let chart = speedup_chart(&report, &SPEEDUP_CHARTS[0]).unwrap().expect("a chart");
        for label in [
            "rayon &amp; co work_stealing",
            "threads &amp; co static_chunks",
            "threads &amp; co work_queue",
            "ideal",
        ] {
            assert!(chart.svg.contains(label), "{label}");
        }
        assert!(speedup_chart(&report, &SPEEDUP_CHARTS[1]).unwrap().is_none(), "no sort figures, no chart");
    }

    /// The HTTP charts have a line per server, the reference included.
    #[test]
    fn load_charts_have_a_line_per_server() {
        let dist = |p99: f64| crate::Distribution { p50: p99 / 2.0, p99, p999: p99, max: p99, count: 10 };
        let report = Report {
            columns: vec![column("tokio"), column("hyper")],
            records: vec![
                Record::value("tokio", &catalogue::HTTP_REQUESTS_PER_SECOND, Some(1), 30_000.0),
                Record::value("tokio", &catalogue::HTTP_REQUESTS_PER_SECOND, Some(100), 110_000.0),
                Record::value("hyper", &catalogue::HTTP_REQUESTS_PER_SECOND, Some(100), 100_000.0),
                Record::value("tokio", &catalogue::HTTP_LATENCY, Some(50_000), 1.0).with_dist(dist(2e6)),
            ],
            ..Report::default()
        };
        let requests = log_chart(&report, &LOG_CHARTS[1]).unwrap().expect("a chart");
        assert!(requests.svg.contains("tokio &amp; co") && requests.svg.contains("hyper &amp; co"));
        let latency = log_chart(&report, &LOG_CHARTS[2]).unwrap().expect("a chart");
        assert!(latency.svg.contains("tokio &amp; co") && !latency.svg.contains("hyper &amp; co"));
    }

    /// A single value still gives a usable log range around it.
    #[test]
    fn log_range_is_never_empty() {
        assert_eq!(log_range([10.0].into_iter()), Some(10.0 / 1.5..15.0));
        assert_eq!(log_range(std::iter::empty()), None);
    }
}
