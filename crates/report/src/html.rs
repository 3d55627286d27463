//! `report.html`: the report as one page that opens in any browser, with nothing beside it.
//!
//! The page holds what a class looks at first: the comparison table with each figure's
//! spread and rank, the tutorial's table measured, the chapters in Python and in Rust, every
//! chart, and how the numbers were made, with links into the course (`docs/`). Each chart's
//! SVG is written into the page itself, and the style sheet too, so the one file can be
//! mailed, opened from a USB stick or printed; there is no framework and nothing to fetch.
//!
//! The tables are not laid out a second time here. Their renderers ([`render_table`],
//! [`render_tutorial_table`], [`render_chapters`], [`render_provenance`]) write Markdown,
//! and [`markdown_to_html`] turns that Markdown into HTML: the few shapes those renderers
//! write (tables, paragraphs, bullet lists, `**bold**` and `` `code` ``), not Markdown at
//! large. So the page and REPORT.md cannot disagree about a cell.
//!
//! A short script at the end of the page counts the charts the browser drew and writes the
//! count on `<body data-charts="…">`, beside the number the page holds
//! (`data-expected-charts`): `tests/html.rs` opens the page in a headless browser and
//! compares the two.

use std::path::Path;

use workloads::catalogue::{self, Chapter};

use crate::chapters::render_chapters;
use crate::charts::Chart;
use crate::provenance::render_provenance;
use crate::table::render_table;
use crate::tutorial::render_tutorial_table;
use crate::write::{CHAPTERS_INTRO, TABLE_INTRO, TUTORIAL_INTRO, earlier_runs};
use crate::{Provenance, Report};

/// The page's file name, beside REPORT.md.
pub const FILE: &str = "report.html";

/// Where the course is from a report folder of the repository (`results/`, or one of
/// `target/`'s when no `docs/` is found above it): its sibling `docs/`.
pub const DOCS_BASE: &str = "../docs/";

/// The course's pages, in the order of its contents, each with the words its link shows.
pub const COURSE: [(&str, &str); 12] = [
    ("README.md", "Contents"),
    ("00-from-python.md", "0. From Python's asyncio"),
    ("01-tasks.md", "1. Tasks"),
    ("02-lifecycle.md", "2. Task lifecycles"),
    ("03-sharing.md", "3. Shared state and queues"),
    ("04-http-client.md", "4. An HTTP client"),
    ("05-web-server.md", "5. A web server under load"),
    ("06-pitfalls.md", "6. Pitfalls: blocking"),
    ("07-cpu-bound.md", "7. CPU-bound work"),
    ("08-python-and-rust.md", "8. Python and Rust"),
    ("choosing.md", "Choosing a model"),
    ("09-pitfalls-gallery.md", "The pitfalls gallery"),
];

/// The course's pages that explain a chapter's workloads: the network and compute parts
/// of the model contract have two each.
pub fn chapter_pages(chapter: Chapter) -> &'static [&'static str] {
    match chapter {
        Chapter::Tasks => &["01-tasks.md"],
        Chapter::Lifecycle => &["02-lifecycle.md"],
        Chapter::Sharing => &["03-sharing.md"],
        Chapter::Network => &["04-http-client.md", "05-web-server.md"],
        Chapter::Compute => &["06-pitfalls.md", "07-cpu-bound.md"],
    }
}

/// The relative link from a report written into `dir` to the course's folder: `docs/` of
/// the nearest folder above `dir` that has `docs/README.md` (`../docs/` from `results/`,
/// `../../docs/` from `target/report/`), else [`DOCS_BASE`].
pub fn docs_base(dir: &Path) -> String {
    let Ok(dir) = dir.canonicalize() else {
        return DOCS_BASE.to_owned();
    };
    dir.ancestors()
        .enumerate()
        .skip(1)
        .find(|(_, folder)| folder.join("docs").join("README.md").is_file())
        .map_or_else(|| DOCS_BASE.to_owned(), |(up, _)| format!("{}docs/", "../".repeat(up)))
}

/// The text with the five characters that HTML gives a meaning (`&`, `<`, `>`, `"`, `'`)
/// written as character references: safe inside an element and inside a quoted attribute.
///
/// ```
/// assert_eq!(report::html::escape("<b> & \"x\""), "&lt;b&gt; &amp; &quot;x&quot;");
/// ```
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One line of Markdown text as HTML: `` `code` `` and `**bold**` become `<code>` and
/// `<strong>`, everything else is escaped. Inside a code span nothing is markup. A marker
/// without its pair is shown as it is.
pub fn inline(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    // An odd count of backticks leaves one unpaired: then none of them is markup.
    if parts.len().is_multiple_of(2) {
        return bold(text);
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| if i % 2 == 1 { format!("<code>{}</code>", escape(part)) } else { bold(part) })
        .collect()
}

/// `**bold**` as `<strong>`, the rest escaped.
fn bold(text: &str) -> String {
    let parts: Vec<&str> = text.split("**").collect();
    if parts.len().is_multiple_of(2) {
        return escape(text);
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| if i % 2 == 1 { format!("<strong>{}</strong>", escape(part)) } else { escape(part) })
        .collect()
}

/// The cells of one Markdown table line, trimmed, with `\|` read back as `|` (the table
/// renderers escape a pipe inside a cell so; [`crate::table`]).
pub fn cells(line: &str) -> Vec<String> {
    let line = line.trim();
    let line = line.strip_prefix('|').unwrap_or(line);
    let line = line.strip_suffix('|').unwrap_or(line);
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '|' => cells.push(std::mem::take(&mut cell).trim().to_owned()),
            c => cell.push(c),
        }
    }
    cells.push(cell.trim().to_owned());
    cells
}

/// Whether a table line is the one under the header (`| --- | --- |`).
fn is_separator(line: &str) -> bool {
    cells(line).iter().all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':')))
}

/// A Markdown table as an HTML table in a box that scrolls sideways when it is wider than
/// the page: the first line is the header, each row's first cell heads the row.
fn table(lines: &[&str], id: Option<&str>) -> String {
    let id = id.map_or_else(String::new, |id| format!(" id=\"{}\"", escape(id)));
    let mut html = format!("<div class=\"scroll\"><table{id}>\n");
    let mut rows = lines.iter().filter(|line| !is_separator(line));
    if let Some(header) = rows.next() {
        html += "<thead><tr>";
        for cell in cells(header) {
            html += &format!("<th scope=\"col\">{}</th>", inline(&cell));
        }
        html += "</tr></thead>\n";
    }
    html += "<tbody>\n";
    for row in rows {
        html += "<tr>";
        for (i, cell) in cells(row).iter().enumerate() {
            if i == 0 {
                html += &format!("<th scope=\"row\">{}</th>", inline(cell));
            } else {
                html += &format!("<td>{}</td>", inline(cell));
            }
        }
        html += "</tr>\n";
    }
    html + "</tbody></table></div>\n"
}

/// The Markdown that the report's renderers write, as HTML: tables (the first one given
/// `table_id`), bullet lists, and paragraphs (lines up to a blank line).
pub fn markdown_to_html(md: &str, table_id: Option<&str>) -> String {
    let lines: Vec<&str> = md.lines().collect();
    let mut html = String::new();
    let mut table_id = table_id;
    let mut i = 0;
    let starts_block = |line: &str| line.starts_with('|') || line.starts_with("- ") || line.trim().is_empty();
    while i < lines.len() {
        let line = lines[i];
        if line.trim().is_empty() {
            i += 1;
        } else if line.starts_with('|') {
            let start = i;
            while i < lines.len() && lines[i].starts_with('|') {
                i += 1;
            }
            html += &table(&lines[start..i], table_id.take());
        } else if line.starts_with("- ") {
            html += "<ul>\n";
            while let Some(item) = lines.get(i).and_then(|l| l.strip_prefix("- ")) {
                html += &format!("<li>{}</li>\n", inline(item));
                i += 1;
            }
            html += "</ul>\n";
        } else {
            let start = i;
            i += 1;
            while i < lines.len() && !starts_block(lines[i]) {
                i += 1;
            }
            html += &format!("<p>{}</p>\n", inline(&lines[start..i].join(" ")));
        }
    }
    html
}

/// How the run's note about the Python columns begins (the harness writes it; the page
/// reads the interpreter out of it).
pub const PYTHON_NOTE: &str = "Python columns: ";

/// What follows the interpreter's words in that note, when the columns were measured.
pub const PYTHON_NOTE_RUNNING: &str = ", running ";

/// The interpreter behind the Python columns, from the note the run left about them
/// (`Python columns: CPython 3.11.7 (python3, …), running python/bench.py …`), or `None`
/// when the run had no Python columns to speak of.
pub fn python_words(p: &Provenance) -> Option<String> {
    let note = p.notes.iter().find_map(|n| n.strip_prefix(PYTHON_NOTE))?;
    let words = note.split(PYTHON_NOTE_RUNNING).next().unwrap_or(note);
    let words = words.split("; ").next().unwrap_or(words);
    Some(words.trim_end_matches('.').to_owned())
}

/// The facts a reader checks first, as a list of terms: where, when, with what.
fn run_facts(p: &Provenance) -> String {
    let python = python_words(p).unwrap_or_else(|| "no Python columns in this run".to_owned());
    let facts = [
        ("Machine", p.machine()),
        ("Commit", p.commit.clone()),
        ("Date", p.date.clone()),
        ("Toolchain", p.rustc.clone()),
        ("Worker threads", p.workers.to_string()),
        ("Python", python),
        ("Profile", p.profile.clone()),
        ("Command", p.command.clone()),
    ];
    let mut html = String::from("<dl class=\"facts\">\n");
    for (term, fact) in facts {
        html += &format!("<dt>{term}</dt><dd>{}</dd>\n", escape(&fact));
    }
    html + "</dl>\n"
}

/// The course's contents, each page a link from `docs` (the folder, ending in `/`).
fn course_nav(docs: &str) -> String {
    let links: Vec<String> = COURSE
        .iter()
        .map(|(page, words)| {
            format!("<a href=\"{}\">{}</a>", escape(&format!("{docs}{page}")), escape(words))
        })
        .collect();
    format!("<nav aria-label=\"The course\"><strong>The course:</strong> {}</nav>\n", links.join(" · "))
}

/// Every chart, workload by workload in the catalogue's order, each section linking to
/// the pages of the course that explain it. A chart of a workload the catalogue does not
/// know comes last, so no chart is ever left out.
fn charts_html(charts: &[Chart], docs: &str) -> String {
    let mut html = String::new();
    let mut shown = vec![false; charts.len()];
    for workload in catalogue::workloads() {
        let mine: Vec<usize> = (0..charts.len()).filter(|&i| charts[i].workload == workload.id).collect();
        if mine.is_empty() {
            continue;
        }
        let pages: Vec<String> = chapter_pages(workload.chapter)
            .iter()
            .map(|page| {
                let words = COURSE.iter().find(|(p, _)| p == page).map_or(*page, |(_, w)| *w);
                format!("<a href=\"{}\">{}</a>", escape(&format!("{docs}{page}")), escape(words))
            })
            .collect();
        html += &format!(
            "<section class=\"charts\">\n<h3>{}: {} <span class=\"course\">(in the course: {})</span></h3>\n",
            escape(workload.code),
            escape(workload.title),
            pages.join(", ")
        );
        for i in mine {
            html += &figure(&charts[i]);
            shown[i] = true;
        }
        html += "</section>\n";
    }
    let rest: Vec<&Chart> = charts.iter().zip(&shown).filter(|(_, shown)| !**shown).map(|(c, _)| c).collect();
    if !rest.is_empty() {
        html += "<section class=\"charts\">\n<h3>Other charts</h3>\n";
        for chart in rest {
            html += &figure(chart);
        }
        html += "</section>\n";
    }
    html
}

/// One chart: its SVG written into the page, labelled with its title for screen readers,
/// and the title as its caption.
fn figure(chart: &Chart) -> String {
    // An XML declaration has no place inside an HTML page: the SVG starts at its element.
    let svg = chart.svg.find("<svg").map_or(chart.svg.as_str(), |at| &chart.svg[at..]);
    let svg = svg.replacen("<svg", &format!("<svg role=\"img\" aria-label=\"{}\"", escape(chart.title)), 1);
    format!(
        "<figure class=\"chart\" id=\"chart-{}\">\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
        escape(chart.file.trim_end_matches(".svg")),
        svg.trim_end(),
        escape(chart.title)
    )
}

/// The style sheet: readable on a screen, tables that scroll sideways with their first
/// column held in view, and a printout without the scroll boxes.
const STYLE: &str = "
body { font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1b1b1b;
       margin: 1.5rem auto; padding: 0 1rem; max-width: 120rem; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
h2 { font-size: 1.3rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
a { color: #0b5cad; }
nav { margin: .4rem 0 1rem; }
.course { font-weight: normal; font-size: .9rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .5rem 0 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.scroll { overflow-x: auto; border: 1px solid #ccc; margin: .6rem 0; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid #ddd; padding: .3rem .45rem; vertical-align: top; text-align: left; }
thead th { background: #eef2f7; }
tbody th { font-weight: normal; background: #f8f8f8; position: sticky; left: 0; min-width: 13rem; max-width: 22rem; }
td { min-width: 7rem; }
tbody tr:nth-child(even) td { background: #fbfbfc; }
code { font-size: .92em; background: #f2f2f2; padding: 0 .2em; border-radius: 3px; }
section.charts { margin-bottom: 1rem; }
figure.chart { display: inline-block; vertical-align: top; margin: .5rem 1rem .8rem 0; max-width: 100%; }
figure.chart svg { display: block; max-width: 100%; height: auto; border: 1px solid #e2e2e2; }
figcaption { font-size: .85rem; color: #444; margin-top: .2rem; }
@media print {
  body { font-size: 9pt; max-width: none; margin: 0; }
  nav { display: none; }
  .scroll { overflow: visible; border: 0; }
  tbody th { position: static; }
  tr, figure.chart { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
";

/// The script that counts the drawn charts: an SVG whose box the browser laid out with a
/// width and whose drawing has one (it parsed and drew its contents).
const COUNT_CHARTS: &str = "
(function () {
  function count() {
    var drawn = 0;
    document.querySelectorAll('figure.chart svg').forEach(function (svg) {
      var box = svg.getBoundingClientRect();
      if (box.width > 0 && box.height > 0 && svg.getBBox().width > 0) drawn += 1;
    });
    document.body.dataset.charts = String(drawn);
  }
  count();
  window.addEventListener('load', count);
})();
";

/// Renders the page for a report written into a folder from which the course is at `docs`
/// (a relative link ending in `/`, e.g. [`DOCS_BASE`]; see [`docs_base`]).
pub fn render_html(report: &Report, charts: &[Chart], docs: &str) -> String {
    let p = &report.provenance;
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Concurrency models compared ({} profile, {})</title>\n<style>{STYLE}</style>\n</head>\n\
         <body data-expected-charts=\"{}\">\n<header>\n<h1>Concurrency models compared</h1>\n",
        escape(&p.profile),
        escape(&p.date),
        charts.len()
    );
    html += &course_nav(docs);
    html += &run_facts(p);
    html += "<p>The same figures as <a href=\"REPORT.md\">REPORT.md</a>, which also lists every record \
             workload by workload; <a href=\"results.json\">results.json</a> holds them all. Contents: \
             <a href=\"#table\">the comparison table</a>, <a href=\"#tutorial\">the tutorial's table, \
             measured</a>, <a href=\"#chapters\">the chapters in Python and in Rust</a>, \
             <a href=\"#charts\">the charts</a>, <a href=\"#provenance\">how these numbers were made</a>.</p>\n\
             </header>\n<main>\n";
    html += "<h2 id=\"table\">The comparison table</h2>\n";
    html += &markdown_to_html(TABLE_INTRO, None);
    html += &markdown_to_html(&render_table(report), Some("comparison"));
    if let Some(tutorial) = render_tutorial_table(report) {
        html += "<h2 id=\"tutorial\">The tutorial's table, measured</h2>\n";
        html += &markdown_to_html(TUTORIAL_INTRO, None);
        html += &markdown_to_html(&tutorial, Some("tutorial"));
    }
    if let Some(chapters) = render_chapters(report) {
        html += "<h2 id=\"chapters\">The chapters in Python and in Rust</h2>\n";
        html += &markdown_to_html(CHAPTERS_INTRO, None);
        html += &markdown_to_html(&chapters, Some("chapters"));
    }
    if !charts.is_empty() {
        html += "<h2 id=\"charts\">Charts</h2>\n";
        html += &charts_html(charts, docs);
    }
    html += "<h2 id=\"provenance\">How these numbers were made</h2>\n";
    html += &markdown_to_html(&render_provenance(p), None);
    if let Some(earlier) = earlier_runs(report) {
        html += "<h3>Earlier runs</h3>\n";
        html += &markdown_to_html(&earlier, None);
    }
    html += &format!("</main>\n<script>{COUNT_CHARTS}</script>\n</body>\n</html>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Column, Part, Record};
    use workloads::spawn_join::SPAWN_NS_PER_TASK;

    fn report() -> Report {
        let mut report = Report {
            columns: ["sequential", "tokio", "smol"]
                .iter()
                .map(|id| {
                    Column::for_test(id, if *id == "sequential" { Part::Baseline } else { Part::Compared })
                })
                .collect(),
            records: vec![
                Record::value("sequential", &SPAWN_NS_PER_TASK, Some(1000), 2.0),
                Record::value("tokio", &SPAWN_NS_PER_TASK, Some(1000), 742.0),
            ],
            ..Report::default()
        };
        report.provenance = Provenance {
            command: "cargo bench".to_owned(),
            date: "2026-12-03T08:00:47Z".to_owned(),
            commit: "d62327d37353".to_owned(),
            rustc: "rustc 1.95.0".to_owned(),
            cpu: "AMD EPYC".to_owned(),
            cores: 2,
            workers: 2,
            profile: "full".to_owned(),
            notes: vec![
                "Python columns: CPython 3.11.7 (python3, the GIL on), running python/bench.py (standard \
                 library only); each figure is the median of its rounds."
                    .to_owned(),
            ],
            ..Provenance::default()
        };
        report
    }

    /// The five characters with a meaning in HTML are escaped; the rest, `±`, `†`, `‡`
    /// included, pass as they are.
    #[test]
    fn escapes_what_html_reads_as_markup() {
        assert_eq!(escape("a < b && c > \"d\" 'e'"), "a &lt; b &amp;&amp; c &gt; &quot;d&quot; &#39;e&#39;");
        assert_eq!(escape("±3% † ‡ ×1.9 µs"), "±3% † ‡ ×1.9 µs");
        assert_eq!(escape("<script>"), "&lt;script&gt;");
    }

    /// A cell's `**bold**` becomes `<strong>`, its code `<code>`, and a `<` inside either is
    /// escaped; a lone marker stays text.
    #[test]
    fn inline_markup_and_escaping() {
        assert_eq!(
            inline("**Spawn cost** (ns per task) 300 ns ±2% † <1%"),
            "<strong>Spawn cost</strong> (ns per task) 300 ns ±2% † &lt;1%"
        );
        assert_eq!(inline("`a<b` and **x & y**"), "<code>a&lt;b</code> and <strong>x &amp; y</strong>");
        assert_eq!(inline("2 ** 3, a ` alone"), "2 ** 3, a ` alone");
        assert_eq!(inline("`**not bold**`"), "<code>**not bold**</code>");
    }

    /// A table line splits on its pipes, but not on an escaped one.
    #[test]
    fn cells_split_on_unescaped_pipes() {
        assert_eq!(cells("| **Best for** | I/O \\| network |  |"), ["**Best for**", "I/O | network", ""]);
        assert!(is_separator("| --- | :---: |"));
        assert!(!is_separator("| - | x |"));
    }

    /// A table cell with bold and a dagger reads as the Markdown table shows it, in a row
    /// headed by its aspect; the marks' explanation follows as a paragraph.
    #[test]
    fn a_table_cell_with_bold_and_a_dagger() {
        let md = "| Aspect | tokio |\n| --- | --- |\n| **Spawn cost** (ns per task) | 300 ns ±2% #1= † |\n\n\
                  † measured by an earlier run, at another commit than the latest run (`abc`).\n";
        let html = markdown_to_html(md, Some("comparison"));
        assert!(html.contains("<table id=\"comparison\">"), "{html}");
        assert!(
            html.contains(
                "<thead><tr><th scope=\"col\">Aspect</th><th scope=\"col\">tokio</th></tr></thead>"
            )
        );
        assert!(
            html.contains(
                "<tr><th scope=\"row\"><strong>Spawn cost</strong> (ns per task)</th><td>300 ns ±2% #1= †</td></tr>"
            ),
            "{html}"
        );
        assert!(html.contains(
            "<p>† measured by an earlier run, at another commit than the latest run (<code>abc</code>).</p>"
        ));
        assert_eq!(html.matches("<tr>").count(), 2, "the separator is no row");
    }

    /// The page holds the three tables, every chart's SVG itself (not a link to it), the
    /// provenance, and links into the course.
    #[test]
    fn the_page_holds_tables_charts_and_provenance() {
        let report = report();
        let charts = crate::render_charts(&report).unwrap();
        assert!(!charts.is_empty());
        let html = render_html(&report, &charts, DOCS_BASE);
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(html.contains("<table id=\"comparison\">"));
        assert_eq!(
            html.split("<table id=\"comparison\">")
                .nth(1)
                .unwrap()
                .split("</table>")
                .next()
                .unwrap()
                .matches("<tr>")
                .count(),
            1 + crate::rows::ROWS.len()
        );
        assert!(html.contains("<th scope=\"row\"><strong>Spawn cost</strong> (ns per task)</th>"));
        assert!(html.contains("<td>742 ns #2</td>"), "a figure and its rank");
        for chart in &charts {
            let body = chart.svg.trim_start_matches(|c| c != '<').split_once('>').unwrap().1.trim_end();
            assert!(html.contains(body), "{} is embedded", chart.file);
            assert!(!html.contains(&format!("charts/{}", chart.file)), "{} is not linked", chart.file);
        }
        assert_eq!(html.matches("<figure class=\"chart\"").count(), charts.len());
        assert!(html.contains(&format!("data-expected-charts=\"{}\"", charts.len())));
        for fact in [
            "<dt>Machine</dt><dd>AMD EPYC (2 cores)</dd>",
            "<dt>Commit</dt><dd>d62327d37353</dd>",
            "<dt>Date</dt><dd>2026-12-03T08:00:47Z</dd>",
            "<dt>Toolchain</dt><dd>rustc 1.95.0</dd>",
            "<dt>Worker threads</dt><dd>2</dd>",
            "<dt>Python</dt><dd>CPython 3.11.7 (python3, the GIL on)</dd>",
            "<dt>Profile</dt><dd>full</dd>",
            "<li>Command: <code>cargo bench</code></li>",
        ] {
            assert!(html.contains(fact), "{fact}");
        }
        assert!(html.contains("<a href=\"../docs/01-tasks.md\">1. Tasks</a>"));
        assert!(
            !html.contains(" src=") && !html.contains("<link") && !html.contains("href=\"http"),
            "nothing to fetch"
        );
        assert!(!html.contains("id=\"tutorial\""), "no Python columns: no tutorial table");
    }

    /// Text from a record cannot inject markup: a reason with a tag reads as text.
    #[test]
    fn record_text_is_escaped() {
        let mut report = report();
        report.records.push(Record::reason(
            "smol",
            &SPAWN_NS_PER_TASK,
            Some(1000),
            "<b>failed</b> & \"why\"",
        ));
        let html = render_html(&report, &[], DOCS_BASE);
        assert!(html.contains("<td>&lt;b&gt;failed&lt;/b&gt; &amp; &quot;why&quot;</td>"), "{html}");
        assert!(!html.contains("<b>failed"));
    }

    /// From a folder without a course above it the link falls back to `../docs/`; with one,
    /// it climbs as many folders as it takes.
    #[test]
    fn docs_base_finds_the_course() {
        let root = tempfile::tempdir().unwrap();
        let report = root.path().join("target/report");
        std::fs::create_dir_all(&report).unwrap();
        assert_eq!(docs_base(&report), DOCS_BASE);
        std::fs::create_dir_all(root.path().join("docs")).unwrap();
        std::fs::write(root.path().join("docs/README.md"), "# course\n").unwrap();
        assert_eq!(docs_base(&report), "../../docs/");
        assert_eq!(docs_base(&root.path().join("target")), "../docs/");
    }

    /// The interpreter is read from the Python columns' note, whichever shape it has.
    #[test]
    fn python_words_from_the_note() {
        let with = |note: &str| Provenance { notes: vec![note.to_owned()], ..Provenance::default() };
        assert_eq!(
            python_words(&with("Python columns: off (BENCH_PYTHON=off).")).unwrap(),
            "off (BENCH_PYTHON=off)"
        );
        assert_eq!(
            python_words(&with(
                "Python columns: CPython 3.12.1 (python3, that is /usr/bin/python3.12, libpython shared, the GIL on), \
                 running python/bench.py (standard library only); more."
            ))
            .unwrap(),
            "CPython 3.12.1 (python3, that is /usr/bin/python3.12, libpython shared, the GIL on)"
        );
        assert_eq!(python_words(&Provenance::default()), None);
    }
}
