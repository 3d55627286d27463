//! Writing a run to disk: `results.json`, `REPORT.md`, `report.html` and `charts/*.svg`.

use std::fs;
use std::io;
use std::path::Path;

use workloads::catalogue::{self, Workload};

use crate::charts::{Chart, render_charts};
use crate::format::{format_value, group_thousands};
use crate::html;
use crate::provenance::render_provenance;
use crate::rows::Stat;
use crate::table::{OLDER_MARK, OTHER_CONDITIONS_MARK, format_spread, markdown_row, render_table};
use crate::{Record, Report};

/// Creates `dir` and writes `results.json`, `REPORT.md`, the charts that have data, and
/// `report.html`: the tables and the charts on one page ([`html`]).
///
/// The files are written beside their final names and then renamed over them, so a run
/// that fails half-way never leaves a half-written report in place of the last good one.
pub fn write_report(dir: &Path, report: &Report) -> io::Result<()> {
    fs::create_dir_all(dir)?;
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
    let json = serde_json::to_string_pretty(report)? + "\n";
    replace(&dir.join("results.json"), json.as_bytes())?;
    replace(&dir.join("REPORT.md"), render_markdown(report, &charts).as_bytes())?;
    replace(&dir.join(html::FILE), html::render_html(report, &charts, &html::docs_base(dir)).as_bytes())
}

/// Writes `path` through a temporary file in the same folder, then renames it into place.
fn replace(path: &Path, contents: &[u8]) -> io::Result<()> {
    let partial = path.with_extension("partial");
    fs::write(&partial, contents)?;
    fs::rename(&partial, path)
}

/// Reads the report a previous run wrote into `dir`, if there is one.
///
/// # Errors
/// A `results.json` exists but cannot be read or parsed: the caller must not overwrite it.
pub fn read_previous(dir: &Path) -> io::Result<Option<Report>> {
    let path = dir.join("results.json");
    match fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("{}: {e}", path.display()))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Renders REPORT.md: the table, how it was made, then one section per workload with every
/// record and the charts that belong to it.
pub fn render_markdown(report: &Report, charts: &[Chart]) -> String {
    let mut md = String::from("# Concurrency models compared\n\n");
    md += TABLE_INTRO;
    md += "\n\n";
    md += &render_table(report);
    if let Some(tutorial) = crate::tutorial::render_tutorial_table(report) {
        md += &format!("\n## The tutorial's table, measured\n\n{TUTORIAL_INTRO}\n\n");
        md += &tutorial;
    }
    if let Some(chapters) = crate::chapters::render_chapters(report) {
        md += &format!("\n## The chapters in Python and in Rust\n\n{CHAPTERS_INTRO}\n\n");
        md += &chapters;
    }
    md += "\n## How these numbers were made\n\n";
    md += &render_provenance(&report.provenance);
    if let Some(earlier) = earlier_runs(report) {
        md += "\n### Earlier runs\n\n";
        md += &earlier;
    }
    for (workload, title) in workloads(report) {
        md += &format!("\n## {title}\n\n");
        if let Some(workload) = workload {
            md += &format!("{}\n\n", workload.what);
        }
        md += &detail_table(report, workload.map_or(title.as_str(), |w| w.id));
        for chart in charts.iter().filter(|c| workload.is_some_and(|w| c.workload == w.id)) {
            md += &format!("\n![{}](charts/{})\n", chart.title, chart.file);
        }
    }
    md
}

/// What the comparison table shows, above it.
pub(crate) const TABLE_INTRO: &str = "The table puts every model through the same workloads and reproduces the rows \
    of a Python asyncio tutorial's table \"Asyncio vs Threading vs Multiprocessing\", with measured numbers in \
    place of words. A cell without a figure gives the reason the run recorded; the sections below list every \
    record, and `results.json` holds them all.";

/// What the tutorial's table, measured, shows, above it.
pub(crate) const TUTORIAL_INTRO: &str = "The tutorial's own table, word by word: each of its words beside the \
    figure of the Python model it describes (the machine's own `python3`, standard library only) and of its Rust \
    counterparts, and whether the figures bear it out.";

/// What the chapters in Python and in Rust show, above them.
pub(crate) const CHAPTERS_INTRO: &str = "Every figure a Python column measured, beside the same figure of its Rust \
    counterparts (asyncio beside tokio and smol, threading beside OS threads, multiprocessing beside processes). \
    Each cell names its N: Python's is often smaller (an interpreter runs each step slower, and a process per task \
    costs milliseconds to start), and the Rust cell is at the Python N where the Rust model measured it, else at \
    its own largest. A latency shows its mean and its 99th percentile. The web server's row is the table's \
    closed-loop step, over as many connections.";

/// The earlier runs whose figures the report still holds, what their marks mean and one
/// bullet per run; `None` when every figure is the latest run's.
pub(crate) fn earlier_runs(report: &Report) -> Option<String> {
    if report.earlier_runs.is_empty() {
        return None;
    }
    let mut md = format!(
        "Some figures come from earlier runs that the latest one did not repeat (a filtered run keeps every figure \
         it did not measure); each record names its run below, and the table marks figures from another commit with \
         {OLDER_MARK}, and figures measured under other conditions than the latest run with \
         {OTHER_CONDITIONS_MARK}.\n"
    );
    for run in &report.earlier_runs {
        md += &format!(
            "\n- `{}` at `{}`, {} ({})\n",
            run.command,
            run.commit,
            run.date,
            run.stamp().conditions()
        );
    }
    Some(md)
}

/// The workloads present in the records, in the catalogue's order, each with its section
/// title; then any id the catalogue does not know (a results.json from another version).
fn workloads(report: &Report) -> Vec<(Option<&'static Workload>, String)> {
    let present = |id: &str| report.records.iter().any(|r| r.workload == id);
    let mut found: Vec<(Option<&'static Workload>, String)> = catalogue::workloads()
        .filter(|w| present(w.id))
        .map(|w| (Some(w), format!("{}: {} (`{}`)", w.code, w.title, w.id)))
        .collect();
    for record in &report.records {
        if catalogue::workload(&record.workload).is_none()
            && !found.iter().any(|(_, t)| t == &record.workload)
        {
            found.push((None, record.workload.clone()));
        }
    }
    found
}

/// Every record of one workload, in the order measured, with each round's figure and their
/// spread. Columns that no record of the workload uses (variant, placement, distribution,
/// rounds, run) are left out.
fn detail_table(report: &Report, workload: &str) -> String {
    let records: Vec<&Record> = report.records.iter().filter(|r| r.workload == workload).collect();
    let variants = records.iter().any(|r| r.variant.is_some());
    let placements = records.iter().any(|r| r.placement.is_some());
    let dists = records.iter().any(|r| r.dist.is_some());
    let rounds = records.iter().any(|r| !r.rounds.is_empty());
    let older = records.iter().any(|r| report.is_older(r) || report.is_other_conditions(r));
    let mut header = vec!["Model", "Metric"];
    header.extend(variants.then_some("Variant"));
    header.extend(placements.then_some("Placement"));
    header.extend(["N", "Value"]);
    header.extend(rounds.then_some("Rounds (spread)"));
    header.push("95% CI");
    header.extend(dists.then_some("p50 · p99 · p99.9 · max"));
    header.push("Reason / note");
    header.extend(older.then_some("Measured"));
    let mut out = markdown_row(header.iter().map(|h| h.to_string()));
    out += &markdown_row(header.iter().map(|_| "---".to_owned()));
    for r in records {
        let mut cells = vec![report.column_name(&r.model).to_owned(), format!("`{}`", r.metric)];
        if variants {
            cells.push(r.variant.as_deref().map_or_else(String::new, |v| format!("`{v}`")));
        }
        if placements {
            cells.push(r.placement.as_deref().map_or_else(String::new, |p| format!("`{p}`")));
        }
        cells.push(r.n.map_or_else(String::new, group_thousands));
        cells.push(r.value.map_or_else(String::new, |v| format_value(v, &r.unit)));
        if rounds {
            cells.push(rounds_cell(r));
        }
        cells.push(ci(r));
        if dists {
            cells.push(r.dist.map_or_else(String::new, |d| {
                [d.p50, d.p99, d.p999, d.max].map(|v| format_value(v, &r.unit)).join(" · ")
            }));
        }
        cells.push(r.reason.clone().unwrap_or_default());
        if older {
            cells.push(match &r.measured {
                Some(stamp) if report.is_older(r) || report.is_other_conditions(r) => {
                    let mark = if report.is_older(r) { OLDER_MARK } else { OTHER_CONDITIONS_MARK };
                    format!("{mark} `{}`, {} ({})", stamp.commit, stamp.date, stamp.conditions())
                }
                _ => String::new(),
            });
        }
        out += &markdown_row(cells);
    }
    out
}

/// Each round's figure in the order the rounds ran, and their spread: `700 ns · 900 ns ·
/// 800 ns (±12%)`; a distribution's rounds are its p99s.
fn rounds_cell(r: &Record) -> String {
    let stat = if r.dist.is_some() { Stat::P99 } else { Stat::Value };
    let values = r.round_values(stat);
    if values.is_empty() {
        return String::new();
    }
    let shown: Vec<String> = values.iter().map(|v| format_value(*v, &r.unit)).collect();
    let mut text = shown.join(" · ");
    if stat == Stat::P99 {
        text = format!("p99: {text}");
    }
    if let Some(spread) = r.spread(stat) {
        text += &format!(" ({})", format_spread(&spread));
    }
    text
}

/// `3.05 µs – 3.19 µs`, or nothing when the record has no interval.
fn ci(r: &Record) -> String {
    r.ci.map_or_else(String::new, |[low, high]| {
        format!("{} – {}", format_value(low, &r.unit), format_value(high, &r.unit))
    })
}
