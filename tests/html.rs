//! `report.html` from the committed run, and what a real browser makes of it.
//!
//! `render-report` writes the page from `results/results.json` into a temporary folder, as
//! it does for `results/`. The page must hold every chart's SVG itself and link only to
//! pages of the course that exist. Then Chromium, headless, opens it: the comparison table
//! must be there with one row per aspect and a cell that reads as REPORT.md's, and every
//! chart must have been drawn (the page's own script counts the SVGs the browser laid out
//! and writes the count on `<body data-charts>`).
//!
//! Without Chromium the browser test says so on stderr and passes, unless
//! `REQUIRE_CHROMIUM` is set (CI sets it, after installing Chromium): then it fails. The
//! browser is killed, with every process it started, after [`BROWSER_LIMIT`].

use std::fs;
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use report::Report;

const RENDER_REPORT: &str = env!("CARGO_BIN_EXE_render-report");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// How long the browser may take to load, lay out and dump or photograph the page: a few
/// seconds on two busy cores; past this it has hung.
const BROWSER_LIMIT: Duration = Duration::from_secs(60);

/// The committed run, and the page `render-report` writes from it into `dir`.
fn render(dir: &Path) -> (Report, String) {
    let results = Path::new(ROOT).join("results/results.json");
    let output = Command::new(RENDER_REPORT).arg(&results).arg(dir).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(printed.lines().any(|l| l.ends_with("report.html")), "{printed}");
    let report = serde_json::from_str(&fs::read_to_string(&results).unwrap()).unwrap();
    (report, fs::read_to_string(dir.join("report.html")).unwrap())
}

/// The SVG files `render-report` wrote beside the page.
fn chart_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> =
        fs::read_dir(dir.join("charts")).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}

/// The part of `html` from the element that starts with `open` to the first `close` after it.
fn element<'a>(html: &'a str, open: &str, close: &str) -> &'a str {
    let start = html.find(open).unwrap_or_else(|| panic!("no {open} in the page"));
    let rest = &html[start..];
    &rest[..rest.find(close).map_or(rest.len(), |end| end + close.len())]
}

/// The text of an HTML fragment: tags dropped, the character references HTML writers use
/// read back.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&nbsp;", "\u{a0}")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The value of `name="…"` in a tag.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(tag[start..].split('"').next()?.to_owned())
}

/// Every chart's SVG is in the page itself, none is linked, nothing is fetched, and every
/// link into the course names a page that exists from `results/report.html`.
#[test]
fn the_page_holds_every_chart_and_links_into_the_course() {
    let dir = tempfile::tempdir().unwrap();
    let (_, html) = render(dir.path());
    let files = chart_files(dir.path());
    assert!(files.len() >= 10, "the committed run has charts: {files:?}");
    for file in &files {
        let svg = fs::read_to_string(file).unwrap();
        let body = svg.split_once('>').unwrap().1.trim_end();
        assert!(html.contains(body), "{} is in the page", file.display());
    }
    assert_eq!(html.matches("<figure class=\"chart\"").count(), files.len());
    assert!(!html.contains("charts/"), "no chart is linked");
    assert!(!html.contains(" src=") && !html.contains("<link"), "the page fetches nothing");
    let results = Path::new(ROOT).join("results");
    let links: Vec<&str> = html.split("href=\"").skip(1).filter_map(|s| s.split('"').next()).collect();
    let course: Vec<&&str> = links.iter().filter(|l| l.starts_with("../docs/")).collect();
    assert!(course.len() >= report::html::COURSE.len(), "{links:?}");
    for link in course {
        assert!(results.join(link).is_file(), "{link} from results/ is no page of the course");
    }
    for id in ["comparison", "tutorial", "chapters"] {
        assert!(html.contains(&format!("<table id=\"{id}\">")), "table {id}");
    }
}

/// Where Chromium is, if it is installed.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Runs headless Chromium with `args` and the page's URL, its standard output into `out`;
/// kills it, and every process it started, when it runs past [`BROWSER_LIMIT`].
fn browse(chromium: &Path, profile: &Path, args: &[String], out: &Path) {
    let mut child = Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"])
        .args(["--no-default-browser-check", "--disable-extensions", "--hide-scrollbars"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdin(Stdio::null())
        .stdout(fs::File::create(out).unwrap())
        .stderr(Stdio::null())
        // A group of its own: the browser starts helper processes, and a kill must reach them.
        .process_group(0)
        .spawn()
        .unwrap();
    let group = Pid::from_raw(child.id() as i32);
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > BROWSER_LIMIT {
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    // Helpers that outlive the browser, or a browser that hung: none may stay behind.
    let _ = killpg(group, Signal::SIGKILL);
    let _ = child.wait();
    match status {
        Some(status) => assert!(status.success(), "chromium {args:?} failed: {status}"),
        None => panic!("chromium {args:?} ran past {BROWSER_LIMIT:?} and was killed"),
    }
}

/// In a real browser the comparison table shows one row per aspect, under a header, with
/// the cells REPORT.md shows, and every chart is drawn; a full-page screenshot is a PNG.
#[test]
fn a_browser_shows_the_table_and_draws_every_chart() {
    let Some(chromium) = chromium() else {
        assert!(
            std::env::var_os("REQUIRE_CHROMIUM").is_none(),
            "REQUIRE_CHROMIUM is set, but chromium is not installed (apt-get install chromium)"
        );
        // Straight to stderr, past the test harness's capture, so the skip is seen.
        let _ = writeln!(
            std::io::stderr(),
            "tests/html.rs: chromium is not installed: the page was not opened in a browser (passing; \
             REQUIRE_CHROMIUM=1 makes this a failure)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (report, _) = render(dir.path());
    let page = format!("file://{}", dir.path().join("report.html").display());
    let profile = dir.path().join("browser-profile");
    let dom_file = dir.path().join("dom.html");
    browse(&chromium, &profile, &["--dump-dom".to_owned(), page.clone()], &dom_file);
    let dom = fs::read_to_string(&dom_file).unwrap();

    let charts = chart_files(dir.path()).len();
    let body = element(&dom, "<body", ">");
    assert_eq!(attribute(body, "data-expected-charts"), Some(charts.to_string()), "{body}");
    assert_eq!(attribute(body, "data-charts"), Some(charts.to_string()), "charts drawn: {body}");

    let table = element(&dom, "<table id=\"comparison\">", "</table>");
    assert_eq!(table.matches("<tr>").count(), 1 + report::rows::ROWS.len(), "a header and a row per aspect");
    let markdown = report::render_table(&report);
    let spawn =
        markdown.lines().find(|l| l.starts_with("| **Spawn cost**")).expect("a spawn row in REPORT.md");
    let expected: Vec<String> = report::html::cells(spawn).iter().map(|c| c.replace("**", "")).collect();
    let row = table.split("<tr>").find(|r| r.contains("<strong>Spawn cost</strong>")).expect("the spawn row");
    let shown = row.split("</th>").flat_map(|part| part.split("</td>")).map(|c| text(c).trim().to_owned());
    let shown: Vec<String> = shown.filter(|c| !c.is_empty()).collect();
    assert_eq!(shown, expected, "the spawn row reads as REPORT.md's");
    let tutorial = element(&dom, "<table id=\"tutorial\">", "</table>");
    let words = report::tutorial::ROWS.len() * report::tutorial::FAMILIES.len();
    assert_eq!(tutorial.matches("<tr>").count(), 1 + words, "a row per word of the tutorial's table");

    let png = dir.path().join("report.png");
    browse(
        &chromium,
        &profile,
        &[format!("--screenshot={}", png.display()), "--window-size=1600,4000".to_owned(), page],
        &dir.path().join("screenshot.log"),
    );
    let bytes = fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 10_000, "{} bytes", bytes.len());
}
