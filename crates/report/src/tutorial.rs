//! "The tutorial's table, measured": the Python tutorial's table "Asyncio vs Threading vs
//! Multiprocessing", word by word, with the Python figure and the Rust figure behind each
//! word and a verdict computed from them by a rule stated under the table.
//!
//! Each of the tutorial's columns sits beside its Rust counterparts: asyncio beside tokio
//! and smol, threading beside OS threads, multiprocessing beside processes. A word that
//! names an order (Low, Medium, High) is held when the figures are ordered so; a word that
//! names a mechanism (Cooperative, Explicit) or a feeling (Easier) is not measurable, and the
//! figure that comes closest is shown beside it.

use crate::format::{format_bytes, format_ms, format_ns, format_speedup};
use crate::rows::Stat;
use crate::table::format_spread;
use crate::{Record, Report};
use workloads::catalogue::{Metric, Placement};
use workloads::cpu::Way;
use workloads::idle::IDLE_RSS;
use workloads::mandelbrot::MANDELBROT_SPEEDUP;
use workloads::ping_pong::PING_PONG_ROUND_TRIP;
use workloads::waits::{WAITS_SCALABILITY, WAITS_WALL_TIME};

/// One of the tutorial's columns and the columns that measure it.
#[derive(Debug, Clone, Copy)]
pub struct Family {
    /// The tutorial's heading.
    pub tutorial: &'static str,
    /// The Python column's id.
    pub python: &'static str,
    /// The Rust columns' ids.
    pub rust: &'static [&'static str],
}

/// The tutorial's three columns, in its order.
pub const FAMILIES: [Family; 3] = [
    Family { tutorial: "Asyncio", python: "py-asyncio", rust: &["tokio", "smol"] },
    Family { tutorial: "Threading", python: "py-threading", rust: &["threads"] },
    Family { tutorial: "Multiprocessing", python: "py-multiprocessing", rust: &["processes"] },
];

/// The tutorial's rows: the aspect and its word for each column.
pub const ROWS: [(&str, [&str; 3]); 6] = [
    ("Concurrency model", ["Cooperative", "Preemptive", "Parallel"]),
    ("Memory usage", ["Low", "Medium", "High"]),
    ("Context switching", ["Explicit (await)", "Automatic", "OS-managed"]),
    ("Best for", ["I/O-bound, high concurrency", "I/O-bound, moderate concurrency", "CPU-bound"]),
    ("Debugging", ["Easier", "Moderate", "Complex"]),
    ("Scalability", ["Excellent for I/O", "Limited by GIL", "Limited by cores"]),
];

/// What the figures say about a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The figures are as the word says.
    Held,
    /// The figures contradict it.
    NotBorneOut,
    /// The word names a mechanism or a feeling, not a quantity.
    NotMeasurable,
    /// A figure the rule needs is missing.
    NoFigure,
}

impl Verdict {
    fn words(self) -> &'static str {
        match self {
            Verdict::Held => "**held**",
            Verdict::NotBorneOut => "**not borne out**",
            Verdict::NotMeasurable => "not measurable",
            Verdict::NoFigure => "no figure",
        }
    }

    fn of(holds: Option<bool>) -> Verdict {
        match holds {
            Some(true) => Verdict::Held,
            Some(false) => Verdict::NotBorneOut,
            None => Verdict::NoFigure,
        }
    }
}

/// One judged word: the figures behind it and the verdict, for Python and for Rust.
#[derive(Debug, Clone, PartialEq)]
pub struct Judged {
    /// The Python figure, in words.
    pub python: String,
    /// The Rust figures, in words.
    pub rust: String,
    /// The verdict on the Python figures.
    pub verdict: Verdict,
    /// The same rule on the Rust figures.
    pub in_rust: Verdict,
}

/// The record a cell reads: the largest N with a value.
fn largest<'a>(
    report: &'a Report,
    model: &str,
    metric: &Metric,
    placement: Option<Placement>,
) -> Option<&'a Record> {
    report.largest_measured(model, metric, None, placement)
}

/// The best speedup over every way, at the model's largest worker count.
fn best_speedup<'a>(report: &'a Report, model: &str) -> Option<&'a Record> {
    let speedups = || {
        report
            .records
            .iter()
            .filter(move |r| r.model == model && r.is(&MANDELBROT_SPEEDUP, None) && r.value.is_some())
    };
    let most = speedups().filter_map(|r| r.n).max()?;
    speedups()
        .filter(|r| r.n == Some(most))
        .max_by(|a, b| a.value.unwrap_or_default().total_cmp(&b.value.unwrap_or_default()))
}

/// The wall time of W1 at exactly `n` tasks.
fn waits_at<'a>(report: &'a Report, model: &str, n: u64) -> Option<&'a Record> {
    report.record_at(model, &WAITS_WALL_TIME, None, None, n).filter(|r| r.value.is_some())
}

/// A figure with its spread, its N and, for a speedup, its way.
fn show(record: Option<&Record>, format: fn(f64) -> String, with_n: &str) -> String {
    let Some(record) = record else {
        return "–".to_owned();
    };
    let Some(value) = record.value else {
        return record.reason.clone().unwrap_or_else(|| "–".to_owned());
    };
    let mut text = format(value);
    if let Some(spread) = record.spread(Stat::Value) {
        text = format!("{text} {}", format_spread(&spread));
    }
    if !with_n.is_empty()
        && let Some(n) = record.n
    {
        text = format!("{text} ({with_n}{})", crate::format::format_value(n as f64, "count"));
    }
    if let Some(way) = &record.variant {
        text = format!("{text}, {}", way.replace('_', " "));
    }
    text
}

/// The figures of several Rust columns, each named.
fn show_rust(report: &Report, family: &Family, pick: impl Fn(&str) -> String) -> String {
    family
        .rust
        .iter()
        .map(|id| {
            let name = report.columns.iter().find(|c| c.id == *id).map_or(*id, |c| c.name.as_str());
            format!("{name}: {}", pick(id))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn value(record: Option<&Record>) -> Option<f64> {
    record.and_then(|r| r.value)
}

/// Whether a rule holds for every Rust counterpart of `family`, or `None` when a figure is
/// missing.
fn every_rust(family: &Family, holds: impl Fn(&str) -> Option<bool>) -> Option<bool> {
    family.rust.iter().map(|id| holds(id)).collect::<Option<Vec<bool>>>().map(|v| v.iter().all(|&h| h))
}

/// The best speedup cell of a model.
fn show_speedup(report: &Report, model: &str) -> String {
    show(best_speedup(report, model), format_speedup, "workers: ")
}

/// The wall time of W1 at the table's N, and its cell.
fn wall(report: &Report, model: &str) -> Option<f64> {
    value(waits_at(report, model, many(report)))
}

fn show_waits(report: &Report, model: &str) -> String {
    show(waits_at(report, model, many(report)), format_ms, "")
}

/// Whether `rank`'s figure sits at its place in the order of `figures` (ascending: rank 0
/// the smallest), or `None` when a figure is missing.
fn in_order(figures: [Option<f64>; 3], rank: usize) -> Option<bool> {
    let [a, b, c] = figures;
    let (a, b, c) = (a?, b?, c?);
    Some(match rank {
        0 => a < b && a < c,
        1 => a < b && b < c,
        _ => c > a && c > b,
    })
}

/// Judges the word of `row` for the family at `index`.
pub fn judge(report: &Report, row: usize, index: usize) -> Judged {
    let family = &FAMILIES[index];
    let python = family.python;
    let not_measurable = |python: String, rust: String| Judged {
        python,
        rust,
        verdict: Verdict::NotMeasurable,
        in_rust: Verdict::NotMeasurable,
    };
    let speedup = |model: &str| show_speedup(report, model);
    match row {
        // Concurrency model: the mechanism, except "Parallel", which a speedup shows.
        0 if index == 2 => {
            let holds = |model: &str| value(best_speedup(report, model)).map(|s| s > 1.2);
            Judged {
                python: speedup(python),
                rust: show_rust(report, family, speedup),
                verdict: Verdict::of(holds(python)),
                in_rust: Verdict::of(every_rust(family, holds)),
            }
        }
        0 => {
            let words = |id: &str| {
                report.columns.iter().find(|c| c.id == id).map_or_else(String::new, |c| c.concurrency.clone())
            };
            not_measurable(words(python), show_rust(report, family, |id| words(id)))
        }
        // Memory usage: Low < Medium < High, in bytes per idle task.
        1 => {
            let bytes = |model: &str| value(largest(report, model, &IDLE_RSS, None));
            let shown = |model: &str| show(largest(report, model, &IDLE_RSS, None), format_bytes, "N=");
            let python_order = FAMILIES.map(|f| bytes(f.python));
            // Rust: each counterpart against the others' (the order holds for every choice).
            let in_rust = every_rust(family, |id| {
                let mut figures = FAMILIES.map(|f| f.rust.iter().filter_map(|r| bytes(r)).reduce(f64::max));
                figures[index] = bytes(id);
                in_order(figures, index)
            });
            Judged {
                python: shown(python),
                rust: show_rust(report, family, shown),
                verdict: Verdict::of(in_order(python_order, index)),
                in_rust: Verdict::of(in_rust),
            }
        }
        // Context switching: a mechanism; the round trip of a hand-off is shown.
        2 => {
            let trip = |model: &str| {
                show(largest(report, model, &PING_PONG_ROUND_TRIP, Some(Placement::OneCore)), format_ns, "")
            };
            not_measurable(trip(python), show_rust(report, family, trip))
        }
        // Best for: I/O with many tasks (asyncio), fewer (threading), CPU (multiprocessing).
        3 => best_for(report, index),
        // Debugging: an adjective; the facts of what a failing task does, each tested.
        4 => {
            let (python, rust) = DEBUGGING[index];
            not_measurable(python.to_owned(), rust.to_owned())
        }
        // Scalability.
        _ => scalability(report, index),
    }
}

/// The table's size of W1 ("Scalability": N waits at once), as the run named it.
fn many(report: &Report) -> u64 {
    report.named_size(&WAITS_SCALABILITY).map_or(10_000, |s| s.n)
}

/// "Best for": asyncio's 10 000 waits finish first; threading's finish, later; the
/// multiprocessing model has the best CPU speedup.
fn best_for(report: &Report, index: usize) -> Judged {
    let family = &FAMILIES[index];
    let waits = |model: &str| show_waits(report, model);
    let wall = |model: &str| wall(report, model);
    let speedup = |model: &str| value(best_speedup(report, model));
    match index {
        0 => {
            // Fastest of the three at 10 000 waits (multiprocessing's absence counts as slower).
            let holds = |own: Option<f64>, others: [Option<f64>; 2]| {
                let own = own?;
                Some(others.iter().all(|o| o.is_none_or(|o| own < o)))
            };
            let py = holds(wall("py-asyncio"), [wall("py-threading"), wall("py-multiprocessing")]);
            let rust = every_rust(family, |id| holds(wall(id), [wall("threads"), wall("processes")]));
            Judged {
                python: waits("py-asyncio"),
                rust: show_rust(report, family, waits),
                verdict: Verdict::of(py),
                in_rust: Verdict::of(rust),
            }
        }
        1 => {
            // Moderate: 10 000 waits finish, but later than on the event loop.
            let holds = |own: Option<f64>, event_loop: Option<f64>| Some(own? > event_loop?);
            let fastest_loop = ["tokio", "smol"].iter().filter_map(|id| wall(id)).reduce(f64::min);
            Judged {
                python: waits("py-threading"),
                rust: show_rust(report, family, waits),
                verdict: Verdict::of(holds(wall("py-threading"), wall("py-asyncio"))),
                in_rust: Verdict::of(holds(wall("threads"), fastest_loop)),
            }
        }
        _ => {
            // CPU-bound: a speedup above ×1.2, and above threading's and the event loop's own
            // (asyncio's inline way; its offloaded way is a pool of processes, multiprocessing
            // again).
            let inline = |model: &str| {
                value(
                    report
                        .records(model, &MANDELBROT_SPEEDUP, None)
                        .find(|r| r.variant.as_deref() == Some(Way::Inline.id())),
                )
            };
            let holds = |own: Option<f64>, others: [Option<f64>; 2]| {
                let own = own?;
                Some(own > 1.2 && others.iter().all(|o| o.is_none_or(|o| own > o)))
            };
            let show_speedup = |model: &str| show_speedup(report, model);
            Judged {
                python: show_speedup("py-multiprocessing"),
                rust: show_rust(report, family, show_speedup),
                verdict: Verdict::of(holds(
                    speedup("py-multiprocessing"),
                    [inline("py-asyncio"), speedup("py-threading")],
                )),
                in_rust: Verdict::of(holds(speedup("processes"), [inline("tokio"), speedup("threads")])),
            }
        }
    }
}

/// "Scalability": 10 000 waits at least five times sooner than threads' (asyncio); no CPU
/// speedup from threads under the GIL; a CPU speedup above ×1.2 and at most the worker count
/// (processes).
fn scalability(report: &Report, index: usize) -> Judged {
    let family = &FAMILIES[index];
    let speedup = |model: &str| best_speedup(report, model);
    let show_speedup = |model: &str| show_speedup(report, model);
    match index {
        0 => {
            // Excellent: at least five times sooner than threads, at the table's N waits.
            let threads = |model: &str| if model.starts_with("py-") { "py-threading" } else { "threads" };
            let holds = |model: &str| Some(wall(report, model)? * 5.0 <= wall(report, threads(model))?);
            let waits = |model: &str| show_waits(report, model);
            Judged {
                python: waits("py-asyncio"),
                rust: show_rust(report, family, waits),
                verdict: Verdict::of(holds("py-asyncio")),
                in_rust: Verdict::of(every_rust(family, holds)),
            }
        }
        1 => {
            // Limited by the GIL: threads gain less than 1.2 times on CPU work.
            let holds = |model: &str| value(speedup(model)).map(|s| s < 1.2);
            Judged {
                python: show_speedup("py-threading"),
                rust: show_rust(report, family, show_speedup),
                verdict: Verdict::of(holds("py-threading")),
                in_rust: Verdict::of(every_rust(family, holds)),
            }
        }
        _ => {
            // Limited by cores: a gain, and no more than one per worker (a tenth of slack).
            let holds = |model: &str| {
                let record = speedup(model)?;
                Some(record.value? > 1.2 && record.value? <= record.n? as f64 * 1.1)
            };
            Judged {
                python: show_speedup("py-multiprocessing"),
                rust: show_rust(report, family, show_speedup),
                verdict: Verdict::of(holds("py-multiprocessing")),
                in_rust: Verdict::of(every_rust(family, holds)),
            }
        }
    }
}

/// What an exception or a panic in a task does, per family (Python, Rust): the facts the
/// Debugging row shows in place of an adjective, each checked by a test
/// (`python/test_debugging.py`, `tests/debugging.rs`, `tests/processes.rs`).
pub const DEBUGGING: [(&str, &str); 3] = [
    (
        "an exception is raised again where the task is awaited (or gathered); the other tasks run on; \
         `asyncio.all_tasks()` lists the live tasks, each with the stack where it waits",
        "tokio: a panic ends its task only; awaiting it gives a `JoinError` with the message; smol and async-std: \
         the panic is raised again at the task's await; a backtrace shows the task's chain of awaits down to the \
         runtime, not the code that spawned it; tokio counts its live tasks (tokio-console lists each one, with \
         an unstable build flag)",
    ),
    (
        "an exception ends its thread only; `threading.excepthook` prints it with the thread's name, and \
         `join()` returns normally: the caller learns nothing; `sys._current_frames()` gives every thread's stack",
        "a panic ends its thread only; `join()` returns `Err` with the message; a thread's name reaches the \
         kernel, where gdb and `top -H` show it",
    ),
    (
        "an exception ends the worker with exit code 1 (its traceback on the worker's stderr); a `Pool` raises \
         it again in the parent",
        "a worker that dies mid-task is an error that says it died; no orphan process is left",
    ),
];

/// The rules, in words, under the table.
pub const RULES: &str = "How each verdict is reached, on the Python figures (and, under \"In Rust\", the same \
rule on the Rust ones): **Memory usage**: Low < Medium < High holds when the resident bytes per idle task are \
ordered so (asyncio below both others; threading between; multiprocessing above both). **Concurrency model**, \
Parallel: held when the best CPU speedup over one thread exceeds ×1.2. **Best for**: asyncio's when its 10 000 \
waits of 100 ms finish before threading's and multiprocessing's (a model that could not run 10 000 counts as \
slower); threading's (moderate concurrency) when its 10 000 waits finish, later than asyncio's; \
multiprocessing's (CPU-bound) when its CPU speedup is above ×1.2 and above threading's and the event loop's own \
(asyncio's inline way; its offloaded way hands the work to a pool of processes, which is multiprocessing again). \
**Scalability**: asyncio's when its 10 000 waits of 100 ms finish at least five times sooner than threading's; threading's (limited by the GIL) when threads gain \
less than ×1.2 on CPU work; multiprocessing's (limited by cores) when its speedup is above ×1.2 and at most the \
worker count (with a tenth of slack). Words that name a mechanism (Cooperative, Preemptive, Explicit, Automatic, \
OS-managed) or a feeling (Easier, Moderate, Complex) are not measurable; the nearest figure is shown beside \
them, and for Debugging what a failing task does (each fact is checked by a test: `tests/debugging.rs`, \
`python/test_debugging.py`, `tests/processes.rs`). The Python CPU speedup is measured on a smaller image than the Rust one, over Python's own one-thread time \
(each cell's way and worker count say how it ran).";

/// Renders the table, or `None` when the report has no Python columns.
pub fn render_tutorial_table(report: &Report) -> Option<String> {
    if !report.columns.iter().any(|c| c.part == crate::Part::Python) {
        return None;
    }
    let mut md = String::from(
        "| Aspect | Model | The tutorial says | Python | Rust | Verdict | In Rust |\n\
         | --- | --- | --- | --- | --- | --- | --- |\n",
    );
    for (row, (aspect, words)) in ROWS.iter().enumerate() {
        for (index, family) in FAMILIES.iter().enumerate() {
            let judged = judge(report, row, index);
            md += &format!(
                "| {} | {} | {} | {} | {} | {} | {} |\n",
                if index == 0 { format!("**{aspect}**") } else { String::new() },
                family.tutorial,
                words[index],
                judged.python,
                judged.rust,
                judged.verdict.words(),
                judged.in_rust.words()
            );
        }
    }
    md += &format!("\n{RULES}\n");
    Some(md)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Column, NamedSize, Part};
    use workloads::mandelbrot::MANDELBROT_WAYS;

    fn column(id: &str, part: Part) -> Column {
        Column::for_test(id, part)
    }

    fn speedup(model: &str, way: Way, value: f64) -> Record {
        Record::value(model, &MANDELBROT_SPEEDUP, Some(2), value)
            .with_variant(Some(&MANDELBROT_WAYS[way.index()]))
    }

    /// A report with the figures the rules read, as this machine measured them.
    fn report() -> Report {
        let python = ["py-asyncio", "py-threading", "py-multiprocessing"].map(|id| column(id, Part::Python));
        let rust = ["tokio", "smol", "threads", "processes"].map(|id| column(id, Part::Compared));
        let mut records = vec![
            Record::value("py-asyncio", &IDLE_RSS, Some(100_000), 1_100.0),
            Record::value("py-threading", &IDLE_RSS, Some(1_000), 16_600.0),
            Record::value("py-multiprocessing", &IDLE_RSS, Some(100), 21_000_000.0),
            Record::value("tokio", &IDLE_RSS, Some(1_000_000), 456.0),
            Record::value("smol", &IDLE_RSS, Some(1_000_000), 222.0),
            Record::value("threads", &IDLE_RSS, Some(10_000), 9_900.0),
            Record::value("processes", &IDLE_RSS, Some(1_000), 2_300_000.0),
            Record::value("py-asyncio", &WAITS_WALL_TIME, Some(10_000), 197.0),
            Record::value("py-threading", &WAITS_WALL_TIME, Some(10_000), 2_020.0),
            Record::value("tokio", &WAITS_WALL_TIME, Some(10_000), 111.0),
            Record::value("smol", &WAITS_WALL_TIME, Some(10_000), 106.0),
            Record::value("threads", &WAITS_WALL_TIME, Some(10_000), 1_130.0),
            speedup("py-asyncio", Way::Inline, 1.0),
            speedup("py-asyncio", Way::Offloaded, 1.7),
            speedup("py-threading", Way::WorkQueue, 0.98),
            speedup("py-multiprocessing", Way::WorkQueue, 1.6),
            speedup("tokio", Way::Inline, 1.0),
            speedup("threads", Way::WorkQueue, 1.99),
            speedup("processes", Way::StaticChunks, 1.92),
        ];
        records.push(Record::value("smol", &IDLE_RSS, Some(10), 900.0));
        Report {
            columns: python.into_iter().chain(rust).collect(),
            records,
            sizes: vec![NamedSize { role: WAITS_SCALABILITY.id.into(), n: 10_000, label: String::new() }],
            ..Report::default()
        }
    }

    fn verdicts(report: &Report, row: usize) -> [(Verdict, Verdict); 3] {
        [0, 1, 2].map(|i| {
            let judged = judge(report, row, i);
            (judged.verdict, judged.in_rust)
        })
    }

    #[test]
    fn memory_holds_when_ordered_low_to_high() {
        let report = report();
        assert_eq!(verdicts(&report, 1), [(Verdict::Held, Verdict::Held); 3]);
        let judged = judge(&report, 1, 0);
        assert!(judged.python.starts_with("1.1 KiB") && judged.python.contains("N=100 000"), "{judged:?}");
        assert!(judged.rust.contains("tokio: 456 B") && judged.rust.contains("smol: 222 B"), "{judged:?}");

        // Python threads that cost more than its processes: Medium and High are not borne out.
        let mut upside_down = report.clone();
        upside_down.records[1].value = Some(30_000_000.0);
        let [low, medium, high] = verdicts(&upside_down, 1);
        assert_eq!((low.0, medium.0, high.0), (Verdict::Held, Verdict::NotBorneOut, Verdict::NotBorneOut));
    }

    #[test]
    fn the_gil_limits_python_threads_and_not_rust_ones() {
        let [asyncio, threading, multiprocessing] = verdicts(&report(), 5);
        assert_eq!(asyncio, (Verdict::Held, Verdict::Held), "10 000 waits ten times sooner than threads");
        assert_eq!(threading, (Verdict::Held, Verdict::NotBorneOut), "Rust threads speed CPU work up");
        assert_eq!(multiprocessing, (Verdict::Held, Verdict::Held), "above ×1.2, at most ×2 on 2 workers");
    }

    #[test]
    fn cpu_bound_is_judged_against_threads_and_the_event_loop() {
        let [asyncio, threading, multiprocessing] = verdicts(&report(), 3);
        assert_eq!(asyncio, (Verdict::Held, Verdict::Held));
        assert_eq!(threading, (Verdict::Held, Verdict::Held), "slower than the event loop, but it finishes");
        // Python: processes beat threads (GIL) and the loop; Rust: threads do as well.
        assert_eq!(multiprocessing, (Verdict::Held, Verdict::NotBorneOut));
    }

    #[test]
    fn words_that_name_a_mechanism_are_not_measurable_and_missing_figures_say_so() {
        let report = report();
        assert!(verdicts(&report, 2).iter().all(|v| *v == (Verdict::NotMeasurable, Verdict::NotMeasurable)));
        assert!(verdicts(&report, 4).iter().all(|v| *v == (Verdict::NotMeasurable, Verdict::NotMeasurable)));
        assert!(judge(&report, 4, 1).python.contains("join()` returns normally"));
        let empty = Report { records: Vec::new(), ..report };
        assert_eq!(verdicts(&empty, 1), [(Verdict::NoFigure, Verdict::NoFigure); 3]);
        let table = render_tutorial_table(&empty).expect("Python columns: a table");
        assert_eq!(table.lines().filter(|l| l.starts_with("| ")).count(), 2 + 18, "{table}");
        assert!(render_tutorial_table(&Report::default()).is_none(), "no Python columns: no table");
    }
}
