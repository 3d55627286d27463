//! Writing a run to disk: `results.json`, `REPORT.md` and `charts/*.svg`.

use std::fs;
use std::io;
use std::path::Path;

use crate::charts::{Chart, render_charts};
use crate::format::{format_value, group_thousands};
use crate::provenance::render_provenance;
use crate::table::{markdown_row, render_table};
use crate::{Record, Report};

/// The workloads written so far: their sections come first, in this order, and a table cell
/// of theirs without a record says `not measured` (rather than `not yet measured`). Any other
/// workload found in the records follows, so a new one shows up even before it is listed.
pub const KNOWN_WORKLOADS: [&str; 4] = ["concurrent_waits", "spawn_join", "ping_pong", "idle_tasks"];

/// Creates `dir` and writes `results.json`, `REPORT.md` and the charts that have data.
pub fn write_report(dir: &Path, report: &Report) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    let json = serde_json::to_string_pretty(report)?;
    fs::write(dir.join("results.json"), json + "\n")?;

    let charts = render_charts(report)?;
    // Charts of an earlier run that this one has no data for must not linger beside it.
    match fs::remove_dir_all(dir.join("charts")) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    if !charts.is_empty() {
        fs::create_dir_all(dir.join("charts"))?;
    }
    for chart in &charts {
        fs::write(dir.join("charts").join(chart.file), &chart.svg)?;
    }
    fs::write(dir.join("REPORT.md"), render_markdown(report, &charts))
}

/// Renders REPORT.md: the table, how it was made, then one section per workload with every
/// record and the charts that belong to it.
pub fn render_markdown(report: &Report, charts: &[Chart]) -> String {
    let mut md = String::from("# Concurrency models compared\n\n");
    md += "The table puts every model through the same workloads and reproduces the rows of a \
           Python asyncio tutorial's table \"Asyncio vs Threading vs Multiprocessing\", with \
           measured numbers in place of words. A cell without a figure gives the reason the \
           run recorded; the sections below list every record, and `results.json` holds them \
           all.\n\n";
    md += &render_table(report);
    md += "\n## How these numbers were made\n\n";
    md += &render_provenance(&report.provenance);
    for workload in workloads(report) {
        md += &format!("\n## `{workload}`\n\n");
        md += &detail_table(report, workload);
        for chart in charts.iter().filter(|c| c.workload == workload) {
            md += &format!("\n![{}](charts/{})\n", chart.title, chart.file);
        }
    }
    md
}

/// The workload ids present in the records: known ones first, then the rest as first seen.
fn workloads(report: &Report) -> Vec<&str> {
    let mut found: Vec<&str> =
        KNOWN_WORKLOADS.into_iter().filter(|w| report.records.iter().any(|r| r.workload == *w)).collect();
    for record in &report.records {
        if !found.contains(&record.workload.as_str()) {
            found.push(&record.workload);
        }
    }
    found
}

/// Every record of one workload, in the order measured.
fn detail_table(report: &Report, workload: &str) -> String {
    let header = ["Model", "Metric", "N", "Value", "95% CI", "Reason / note"];
    let mut out = markdown_row(header.map(String::from));
    out += &markdown_row(header.map(|_| "---".to_owned()));
    for r in report.records.iter().filter(|r| r.workload == workload) {
        out += &markdown_row([
            report.column_name(&r.model).to_owned(),
            format!("`{}`", r.metric),
            r.n.map_or_else(String::new, group_thousands),
            r.value.map_or_else(String::new, |v| format_value(v, &r.unit)),
            ci(r),
            r.reason.clone().unwrap_or_default(),
        ]);
    }
    out
}

/// `3.05 µs – 3.19 µs`, or nothing when the record has no interval.
fn ci(r: &Record) -> String {
    r.ci.map_or_else(String::new, |[low, high]| {
        format!("{} – {}", format_value(low, &r.unit), format_value(high, &r.unit))
    })
}
