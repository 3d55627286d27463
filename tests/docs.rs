//! The docs never drift from the code or from the committed results.
//!
//! Markdown files under `docs/` and the README carry generated blocks between markers:
//!
//! - `<!-- code: crates/model-tokio/src/waits.rs#concurrent_waits -->`: the item
//!   `concurrent_waits` (a `fn`, `async fn`, `struct`...) copied from that file, as a Rust
//!   code block; from a `.py` file (`python/model_asyncio/waits.py#concurrent_waits`), the
//!   `def`, `async def` or `class` of that name, as a Python code block;
//! - `<!-- table: results/results.json -->`: the comparison table rendered from a committed
//!   run;
//! - `<!-- figures: results/results.json WORKLOAD METRIC[/VARIANT][@PLACEMENT] [p50|p99|max] -->`:
//!   that metric (of that variant, measured under that placement of the threads, that
//!   statistic of its distribution) for every model and size, each figure with its spread;
//!
//! - `<!-- agreement: results/reproducibility/first-run.json results/results.json -->`: how well
//!   two committed runs agree (`report::compare::render_agreement`);
//! - `<!-- file: crates/course/compile_fail/spawn_borrows.rs -->`: a whole small file, as a
//!   code block (Rust or Python by its extension), for an example that is not an item of a
//!   crate, such as one a `compile_fail` doctest includes;
//!
//! each on a line of its own and closed by `<!-- /code -->`, `<!-- /table -->`,
//! `<!-- /figures -->`, `<!-- /agreement -->` or `<!-- /file -->`; and, inside prose,
//!
//! - `<!-- value: results/results.json MODEL WORKLOAD METRIC[/VARIANT][@PLACEMENT] N [p50|p99|max] -->`
//!   one figure, closed by `<!-- /value -->` on the same line, so that no number in a
//!   sentence is typed by hand.
//!
//! Workload, metric and variant ids are checked against the catalogue. This test
//! regenerates every block and fails when a file differs. To refresh them after changing the
//! code or the results: `UPDATE_DOCS=1 cargo test --test docs`.

use std::fs;
use std::path::{Path, PathBuf};

use report::format::{format_value, group_thousands};
use report::rows::Stat;
use report::table::format_spread;
use report::{KERNEL_NOISE_BYTES, Record, Report, render_table};
use workloads::catalogue::{self, Metric, Placement, Variant};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The item `name` from a Rust source: from its first line (`pub fn name`, `pub async fn
/// name`, `fn name`, `pub struct name`...) through the first line that closes it at the
/// same indentation.
fn extract_item(source: &str, name: &str, path: &str) -> String {
    let lines: Vec<&str> = source.lines().collect();
    let is_start = |line: &str| {
        let line = line.trim_start();
        let line = line.strip_prefix("pub ").unwrap_or(line);
        let line = line.strip_prefix("async ").unwrap_or(line);
        ["fn ", "struct ", "enum ", "impl ", "trait "].iter().any(|kind| {
            line.strip_prefix(kind).is_some_and(|rest| {
                rest.starts_with(name)
                    && !rest[name.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
            })
        })
    };
    let start =
        lines.iter().position(|l| is_start(l)).unwrap_or_else(|| panic!("{path}: no item named {name}"));
    let indent = lines[start].len() - lines[start].trim_start().len();
    let close = format!("{}}}", " ".repeat(indent));
    let end =
        (start..lines.len()).find(|&i| lines[i] == close).unwrap_or_else(|| panic!("{path}#{name}: no end"));
    lines[start..=end].iter().map(|l| l.get(indent..).unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// The Python item `name` from a source: its `def`, `async def` or `class` line through the
/// last line indented deeper than it (blank lines inside kept, trailing ones dropped).
fn extract_python_item(source: &str, name: &str, path: &str) -> String {
    let lines: Vec<&str> = source.lines().collect();
    let indent_of = |line: &str| line.len() - line.trim_start().len();
    let is_start = |line: &str| {
        let line = line.trim_start();
        let line = line.strip_prefix("async ").unwrap_or(line);
        ["def ", "class "].iter().any(|kind| {
            line.strip_prefix(kind)
                .is_some_and(|rest| rest.starts_with(name) && rest[name.len()..].starts_with(['(', ':']))
        })
    };
    let start = lines
        .iter()
        .position(|l| is_start(l))
        .unwrap_or_else(|| panic!("{path}: no def or class named {name}"));
    let indent = indent_of(lines[start]);
    let mut end = start;
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        if line.trim().is_empty() {
            continue;
        }
        if indent_of(line) <= indent {
            break;
        }
        end = i;
    }
    lines[start..=end].iter().map(|l| l.get(indent..).unwrap_or("")).collect::<Vec<_>>().join("\n")
}

fn load_report(path: &str) -> Report {
    let text = fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// What a marker names: a metric, of a variant and placement when given, and a statistic.
struct Named {
    metric: &'static Metric,
    variant: Option<&'static Variant>,
    placement: Option<Placement>,
    stat: Stat,
}

/// The catalogue's metric (and variant, and placement) named by
/// `WORKLOAD METRIC[/VARIANT][@PLACEMENT]`, and the statistic named by an optional `p50`,
/// `p99` or `max`: a marker naming an unknown id fails the test.
fn lookup(workload: &str, metric: &str, stat: Option<&str>) -> Named {
    let (metric, placement) = match metric.split_once('@') {
        Some((metric, placement)) => (
            metric,
            Some(Placement::from_id(placement).unwrap_or_else(|| panic!("no placement {placement}"))),
        ),
        None => (metric, None),
    };
    let (metric, variant) = match metric.split_once('/') {
        Some((metric, variant)) => (metric, Some(variant)),
        None => (metric, None),
    };
    let found = catalogue::metric(workload, metric)
        .unwrap_or_else(|| panic!("no metric {workload} {metric} in the catalogue"));
    let variant = variant.map(|v| {
        catalogue::variants()
            .find(|x| x.id == v && x.workload.id == workload)
            .unwrap_or_else(|| panic!("no variant {v} of {workload} in the catalogue"))
    });
    let stat = match stat {
        None => Stat::Value,
        Some("p50") => Stat::P50,
        Some("p99") => Stat::P99,
        Some("max") => Stat::Max,
        Some(other) => panic!("unknown statistic {other}: p50, p99 or max"),
    };
    Named { metric: found, variant, placement, stat }
}

/// A record's figure as the docs show it: the statistic in its unit, or the reason up to
/// its first comma. The kernel's share of an idle task's memory below the noise floor reads
/// "below noise": a teaching table shows no negative bytes.
fn show(record: Option<&Record>, stat: Stat) -> String {
    let Some(record) = record else { return String::new() };
    match (record.stat(stat), &record.reason) {
        (Some(value), _) if record.is(&workloads::idle::IDLE_KERNEL, None) && value < KERNEL_NOISE_BYTES => {
            "below noise".to_owned()
        }
        (Some(value), _) => format_value(value, &record.unit),
        (None, Some(reason)) => reason.split(',').next().unwrap_or("").to_owned(),
        (None, None) => String::new(),
    }
}

/// One metric of one workload: a row per model, a column per size N, each figure with the
/// spread of its rounds. Without a variant or placement in the marker, a model measured in
/// several (the CPU kernels' ways, the hand-offs' placements) gets a row for each.
fn figures(report: &Report, named: &Named) -> String {
    let Named { metric, variant, placement, stat } = *named;
    let mine = |r: &&Record| r.is(metric, variant) && r.placed(placement);
    let mut sizes: Vec<Option<u64>> = report.records.iter().filter(mine).map(|r| r.n).collect();
    sizes.sort();
    sizes.dedup();
    let heading =
        |n: &Option<u64>| n.map_or_else(|| "all N".to_owned(), |n| format!("N = {}", group_thousands(n)));
    let mut out = format!("| Model | {} |\n", sizes.iter().map(heading).collect::<Vec<_>>().join(" | "));
    out += &format!("| --- |{}\n", " --- |".repeat(sizes.len()));
    for column in &report.columns {
        let records: Vec<&Record> = report.records(&column.id, metric, variant).filter(|r| mine(r)).collect();
        // A column with no record of this metric at all (the HTTP reference, outside the
        // HTTP figures) has no row.
        if records.is_empty() {
            continue;
        }
        let mut kinds: Vec<(Option<String>, Option<String>)> = Vec::new();
        for record in &records {
            let kind = (record.variant.clone(), record.placement.clone());
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        let split = kinds.len() > 1;
        let rows: Vec<Option<(Option<String>, Option<String>)>> =
            if split { kinds.into_iter().map(Some).collect() } else { vec![None] };
        for row in rows {
            let cells: Vec<String> = sizes
                .iter()
                .map(|&n| {
                    let found = records.iter().copied().find(|r| {
                        r.n == n && row.as_ref().is_none_or(|(v, p)| &r.variant == v && &r.placement == p)
                    });
                    let mut text = show(found, stat);
                    if let Some(spread) = found.and_then(|r| r.spread(stat)) {
                        text += &format!(" {}", format_spread(&spread));
                    }
                    // A figure of only part of what was asked (a server that fell behind).
                    if found.is_some_and(|r| r.partial && r.value.is_some()) {
                        text += " (partial)";
                    }
                    text
                })
                .collect();
            if split && cells.iter().all(String::is_empty) {
                continue;
            }
            // The row names what the marker left open: the variant, the placement.
            let name = match &row {
                Some((v, p)) => {
                    let v = v.as_deref().filter(|_| variant.is_none());
                    let p = p.as_deref().filter(|_| placement.is_none());
                    let parts: Vec<&str> = [v, p].into_iter().flatten().collect();
                    format!("{}, {}", column.name, parts.join(", "))
                }
                None => column.name.clone(),
            };
            out += &format!("| {name} | {} |\n", cells.join(" | ").replace('\n', " "));
        }
    }
    out
}

/// One figure for prose: `MODEL WORKLOAD METRIC[/VARIANT] N [STAT]`.
fn value(report: &Report, argument: &str) -> String {
    let parts: Vec<&str> = argument.split_whitespace().collect();
    let (model, workload, metric, n, stat) = match parts[..] {
        [model, workload, metric, n] => (model, workload, metric, n, None),
        [model, workload, metric, n, stat] => (model, workload, metric, n, Some(stat)),
        _ => panic!("value marker needs PATH MODEL WORKLOAD METRIC N [STAT]: {argument}"),
    };
    let named = lookup(workload, metric, stat);
    let n: u64 = n.parse().unwrap_or_else(|_| panic!("value marker: {n} is not a size"));
    let placements: Vec<Option<&str>> = report
        .records(model, named.metric, named.variant)
        .filter(|r| r.n == Some(n))
        .map(|r| r.placement.as_deref())
        .collect();
    assert!(
        named.placement.is_some() || placements.iter().all(|p| *p == placements[0]),
        "value marker {argument}: measured under several placements ({placements:?}); name one with @"
    );
    let record = report.record_at(model, named.metric, named.variant, named.placement, n);
    assert!(
        record.is_some(),
        "no record of {model} {} {} at {n} in the results",
        named.metric.workload.id,
        named.metric.id
    );
    show(record, named.stat)
}

/// What goes between an opening marker and its closing one.
fn generate(kind: &str, argument: &str) -> String {
    match kind {
        "code" => {
            let (path, item) =
                argument.split_once('#').unwrap_or_else(|| panic!("code marker needs PATH#ITEM: {argument}"));
            let source = fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
            if path.ends_with(".py") {
                format!("```python\n{}\n```\n", extract_python_item(&source, item, path))
            } else {
                format!("```rust\n{}\n```\n", extract_item(&source, item, path))
            }
        }
        "table" => render_table(&load_report(argument)),
        "agreement" => {
            let (a, b) = argument
                .split_once(' ')
                .unwrap_or_else(|| panic!("agreement marker needs two paths: {argument}"));
            report::compare::render_agreement(&report::compare::compare(
                &load_report(a),
                &load_report(b.trim()),
            ))
        }
        "figures" => {
            let parts: Vec<&str> = argument.split_whitespace().collect();
            let (path, workload, metric, stat) = match parts[..] {
                [path, workload, metric] => (path, workload, metric, None),
                [path, workload, metric, stat] => (path, workload, metric, Some(stat)),
                _ => panic!("figures marker needs PATH WORKLOAD METRIC[/VARIANT] [STAT]: {argument}"),
            };
            figures(&load_report(path), &lookup(workload, metric, stat))
        }
        "file" => {
            let language = match argument.rsplit_once('.') {
                Some((_, "rs")) => "rust",
                Some((_, "py")) => "python",
                _ => panic!("file marker needs a .rs or .py file: {argument}"),
            };
            let source =
                fs::read_to_string(root().join(argument)).unwrap_or_else(|e| panic!("{argument}: {e}"));
            format!("```{language}\n{}\n```\n", source.trim_end())
        }
        other => panic!("unknown marker kind {other}"),
    }
}

/// `line` with every inline `value` marker's figure regenerated.
fn regenerate_values(line: &str) -> String {
    const OPEN: &str = "<!-- value: ";
    const CLOSE: &str = "<!-- /value -->";
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find(OPEN) {
        let after = &rest[start + OPEN.len()..];
        let end = after.find(" -->").unwrap_or_else(|| panic!("unclosed value marker in: {line}"));
        let argument = &after[..end];
        let (path, argument) =
            argument.split_once(' ').unwrap_or_else(|| panic!("value marker needs a path: {line}"));
        let body = &after[end + " -->".len()..];
        let close = body.find(CLOSE).unwrap_or_else(|| panic!("no {CLOSE} on the line of: {line}"));
        out += &rest[..start + OPEN.len() + end + " -->".len()];
        out += &value(&load_report(path), argument);
        out += CLOSE;
        rest = &body[close + CLOSE.len()..];
    }
    out + rest
}

/// `text` with every generated block regenerated.
fn regenerate(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        out += &regenerate_values(line);
        out += "\n";
        let Some(marker) = line.trim().strip_prefix("<!-- ").and_then(|l| l.strip_suffix(" -->")) else {
            continue;
        };
        let Some((kind, argument)) = marker.split_once(": ") else { continue };
        if !["code", "table", "figures", "agreement", "file"].contains(&kind) {
            continue;
        }
        let closing = format!("<!-- /{kind} -->");
        // Skip the old block, then write the new one and the closing marker.
        lines.by_ref().find(|l| l.trim() == closing).unwrap_or_else(|| panic!("no {closing} after {line}"));
        out += &generate(kind, argument.trim());
        out += &closing;
        out += "\n";
    }
    out
}

fn markdown_files() -> Vec<PathBuf> {
    let mut files = vec![root().join("README.md"), root().join("results/README.md")];
    for entry in fs::read_dir(root().join("docs")).expect("docs/ exists") {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// Every code block, table and figure in the docs is what the code and results say now.
#[test]
fn docs_match_the_code_and_the_results() {
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    let mut stale = Vec::new();
    for path in markdown_files() {
        let text = fs::read_to_string(&path).unwrap();
        let fresh = regenerate(&text);
        if fresh != text {
            if update {
                fs::write(&path, fresh).unwrap();
            } else {
                stale.push(path.strip_prefix(root()).unwrap().display().to_string());
            }
        }
    }
    assert!(stale.is_empty(), "out of date: {stale:?}; run `UPDATE_DOCS=1 cargo test --test docs`");
}

/// Items are found by exact name, and end where they close.
#[test]
fn extracts_whole_items_by_exact_name() {
    let source = "use x;\n\n/// Doc.\npub async fn run_all() {}\n\npub async fn run(n: usize) -> u64 {\n    if n > 0 {\n        1\n    }\n}\n\nfn after() {}\n";
    assert_eq!(
        extract_item(source, "run", "x.rs"),
        "pub async fn run(n: usize) -> u64 {\n    if n > 0 {\n        1\n    }\n}"
    );
}

/// Python items end at the first line indented no deeper than their `def`.
#[test]
fn extracts_python_items_by_exact_name() {
    let source = "import x\n\nasync def run_all():\n    pass\n\n\nasync def run(n):\n    \"\"\"Doc.\"\"\"\n\n    return n\n\n\ndef after():\n    pass\n";
    assert_eq!(
        extract_python_item(source, "run", "x.py"),
        "async def run(n):\n    \"\"\"Doc.\"\"\"\n\n    return n"
    );
}

/// Every link to a file in the docs points to a file of this repository that exists: a
/// user's clone has nothing beside it, so a link that leaves the repository is broken.
#[test]
fn links_point_to_real_files() {
    let repository = root().canonicalize().unwrap();
    for path in markdown_files() {
        let text = fs::read_to_string(&path).unwrap();
        let dir = path.parent().unwrap();
        for (_, rest) in text.match_indices("](").map(|(i, _)| ((), &text[i + 2..])) {
            let target = &rest[..rest.find(')').unwrap_or(0)];
            if target.is_empty() || target.contains("://") || target.starts_with('#') {
                continue;
            }
            let file = target.split('#').next().unwrap();
            assert!(
                !Path::new(file).is_absolute(),
                "{}: link {target} is an absolute path, not a file of the repository",
                path.display()
            );
            let resolved = dir.join(file);
            assert!(resolved.exists(), "{}: broken link {target}", path.display());
            assert!(
                resolved.canonicalize().unwrap().starts_with(&repository),
                "{}: link {target} leaves the repository, which a clone has alone",
                path.display()
            );
        }
    }
}

/// The committed REPORT.md is what the report renders from the committed results.json (after
/// a change to the report's layout: `cargo run --bin render-report -- results/results.json results/`).
#[test]
fn committed_report_matches_its_results() {
    let report = load_report("results/results.json");
    let charts = report::render_charts(&report).expect("charts render");
    let committed = fs::read_to_string(root().join("results/REPORT.md")).unwrap();
    assert!(
        committed == report::render_markdown(&report, &charts),
        "results/REPORT.md is stale: run `cargo run --bin render-report -- results/results.json results/`"
    );
}
