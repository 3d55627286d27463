//! Comparing two saved runs: the two small runs in `fixtures/` differ in known ways (one
//! figure moved beyond its spread, one more than twice, one only in one run, a distribution,
//! and a row whose order changed), and each test checks that the comparison finds exactly
//! that.

use report::Report;
use report::compare::{Comparison, apart, compare, render};
use report::rows::Stat;
use workloads::cancellation::CANCEL_RELEASE;
use workloads::ping_pong::PING_PONG_ROUND_TRIP;
use workloads::spawn_join::SPAWN_NS_PER_TASK;

fn load(name: &str) -> Report {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn fixtures() -> (Report, Report) {
    (load("run-a.json"), load("run-b.json"))
}

/// The compared figure of `model` on `metric` (statistic `stat`).
fn figure<'a>(c: &'a Comparison, model: &str, metric: &str, stat: Stat) -> &'a report::compare::Compared {
    c.figures
        .iter()
        .find(|f| f.key.model == model && f.key.metric == metric && f.key.stat == stat)
        .unwrap_or_else(|| panic!("no figure {model} {metric} {stat:?}"))
}

/// Every figure both runs have is counted once, each percentile of a distribution as a
/// figure of its own; the agreement counts are cumulative and one figure is 2.5× apart.
#[test]
fn summary_counts_every_figure() {
    let (a, b) = fixtures();
    let c = compare(&a, &b);
    let s = c.summary;
    // 3 ping-pong + 2 spawn + 2 distributions × (value, p50, p99).
    assert_eq!(s.compared, 11);
    assert_eq!(s.within_10_percent, 8);
    assert_eq!(s.within_25_percent, 10);
    assert_eq!(s.more_than_twice, 1);
    assert_eq!(s.beyond_spreads, 4);
    assert_eq!((s.only_in_a, s.only_in_b, s.only_in_one()), (1, 1, 2));
}

/// B/A is B's figure over A's; a change whose rounds do not overlap is flagged, one whose
/// rounds overlap is not, even when it is larger than another that is flagged.
#[test]
fn ratios_and_flags() {
    let (a, b) = fixtures();
    let c = compare(&a, &b);

    // threads: 800 ns (780–820) → 950 ns (940–960): 19% slower, beyond both spreads.
    let threads = figure(&c, "threads", PING_PONG_ROUND_TRIP.id, Stat::Value);
    assert_eq!(threads.ratio, Some(950.0 / 800.0));
    assert!(threads.beyond_spreads);
    assert_eq!(threads.key.placement.as_deref(), Some("one_core"));

    // tokio: 900 → 850, within 10% and still beyond: its rounds are tight.
    let tokio = figure(&c, "tokio", PING_PONG_ROUND_TRIP.id, Stat::Value);
    assert!(tokio.apart < 1.10 && tokio.beyond_spreads);

    // smol: 500 (490–510) → 510 (500–520): the ranges overlap, so no flag.
    let smol = figure(&c, "smol", PING_PONG_ROUND_TRIP.id, Stat::Value);
    assert_eq!(smol.ratio, Some(510.0 / 500.0));
    assert!(!smol.beyond_spreads);

    // threads' spawn cost went from 20 µs to 50 µs: more than twice.
    let spawn = figure(&c, "threads", SPAWN_NS_PER_TASK.id, Stat::Value);
    assert_eq!(spawn.ratio, Some(2.5));
    assert!(spawn.apart > 2.0 && spawn.beyond_spreads);
    assert_eq!(spawn.a.text(), "20.00 µs ±5%");
}

/// A distribution is compared by its value, median and 99th percentile, each with the
/// spread of its own rounds: tokio's p99 moved beyond, its median did not.
#[test]
fn distributions_compare_their_percentiles() {
    let (a, b) = fixtures();
    let c = compare(&a, &b);
    let stats: Vec<Stat> = c
        .figures
        .iter()
        .filter(|f| f.key.model == "tokio" && f.key.metric == CANCEL_RELEASE.id)
        .map(|f| f.key.stat)
        .collect();
    assert_eq!(stats, [Stat::Value, Stat::P50, Stat::P99]);

    let p99 = figure(&c, "tokio", CANCEL_RELEASE.id, Stat::P99);
    assert_eq!((p99.a.value, p99.b.value), (40_000.0, 45_000.0));
    assert_eq!(p99.ratio, Some(1.125));
    assert_eq!(p99.a.range(), (39_000.0, 41_000.0));
    assert!(p99.beyond_spreads);

    let p50 = figure(&c, "tokio", CANCEL_RELEASE.id, Stat::P50);
    assert!(!p50.beyond_spreads);
}

/// A figure only one run has is not compared but listed: smol's spawn cost only in A,
/// tokio's overshoot only in B; a record with a reason and no value is no figure at all.
#[test]
fn figures_in_one_run_only() {
    let (a, b) = fixtures();
    let c = compare(&a, &b);
    assert_eq!(c.only_in_a.len(), 1);
    assert_eq!(
        (c.only_in_a[0].model.as_str(), c.only_in_a[0].metric.as_str()),
        ("smol", SPAWN_NS_PER_TASK.id)
    );
    assert_eq!(c.only_in_b.len(), 1);
    assert_eq!(c.only_in_b[0].to_string(), "tokio: concurrent_waits/overshoot, N=10");
    assert!(c.figures.iter().all(|f| f.key.n != Some(100_000)), "the thread limit has no value");
}

/// The table's figures are the ranked cells of both tables, matched by row and column,
/// with their own counts; smol's spawn cost is ranked in A's table only.
#[test]
fn the_tables_figures() {
    let (a, b) = fixtures();
    let c = compare(&a, &b);
    let s = c.table_summary;
    assert_eq!(
        (s.compared, s.within_10_percent, s.within_25_percent, s.more_than_twice, s.beyond_spreads),
        (7, 4, 6, 1, 4)
    );
    assert_eq!((s.only_in_a, s.only_in_b), (1, 0));
    assert_eq!(c.table_only_in_a[0].column, "smol");
    assert!(c.table_only_in_a[0].aspect.starts_with("**Spawn cost**"));

    // The cancellation row reads the 99th percentile, with the record's note.
    let cancel = c
        .table
        .iter()
        .find(|f| f.cell.aspect.starts_with("**Cancellation latency**") && f.cell.column == "tokio")
        .expect("tokio's cancellation latency in both tables");
    assert_eq!((cancel.a.value, cancel.b.value), (40_000.0, 45_000.0));
    assert_eq!(cancel.a_text, "40.00 µs ±2%");
    assert!(cancel.beyond_spreads);
}

/// A row whose two models trade places is a swap, named with both runs' ranks; a row that
/// ranks a model in one run only (smol's spawn cost) has none.
#[test]
fn rank_swaps_are_found() {
    let (a, b) = fixtures();
    let c = compare(&a, &b);
    assert_eq!(c.swaps.len(), 1, "{:?}", c.swaps);
    assert_eq!(c.swaps[0].to_string(), "Context switching: threads and tokio swap: #2/#3 in A, #3/#2 in B");
}

/// Models that share a rank in one run are in no order there, so no swap: B's threads
/// rounds now overlap tokio's.
#[test]
fn shared_ranks_are_not_swaps() {
    let (a, mut b) = fixtures();
    let threads = b
        .records
        .iter_mut()
        .find(|r| r.model == "threads" && r.metric == PING_PONG_ROUND_TRIP.id)
        .expect("threads' ping-pong in B");
    threads.value = Some(860.0);
    for (round, value) in threads.rounds.iter_mut().zip([845.0, 870.0, 860.0]) {
        round.value = value;
    }
    let c = compare(&a, &b);
    assert!(c.swaps.is_empty(), "{:?}", c.swaps);
}

/// A figure whose rounds fall into two modes in both runs, in other proportions, agrees
/// mode by mode: its median moved from the lower mode to the upper (×2.33), its modes by 2%.
/// It counts as within 25% by mode, no longer as more than twice apart, and its ratio says
/// both.
#[test]
fn two_modes_are_compared_mode_by_mode() {
    let (mut a, mut b) = fixtures();
    let set = |report: &mut Report, rounds: [f64; 5], value: f64| {
        let spawn = report
            .records
            .iter_mut()
            .find(|r| r.model == "threads" && r.metric == SPAWN_NS_PER_TASK.id && r.value.is_some())
            .expect("threads' spawn cost");
        spawn.rounds = rounds.iter().map(|&value| report::Trial { value, dist: None }).collect();
        spawn.value = Some(value);
    };
    set(&mut a, [20_000.0, 20_500.0, 50_000.0, 51_000.0, 21_000.0], 21_000.0);
    set(&mut b, [50_000.0, 49_000.0, 20_000.0, 51_000.0, 21_000.0], 49_000.0);
    let c = compare(&a, &b);
    let spawn = figure(&c, "threads", SPAWN_NS_PER_TASK.id, Stat::Value);
    assert_eq!(spawn.ratio, Some(49_000.0 / 21_000.0));
    assert!(spawn.by_mode && spawn.apart < 1.03, "{spawn:?}");
    let s = c.summary;
    assert_eq!((s.within_25_percent, s.within_25_percent_by_mode, s.more_than_twice), (11, 1, 0));
    assert!(render(&c, true).contains("| ×2.33 (modes 1.02× apart) |"));
    // The table's cell too.
    let cell = c
        .table
        .iter()
        .find(|f| f.cell.aspect.starts_with("**Spawn cost**") && f.cell.column == "threads")
        .expect("threads' spawn cost in both tables");
    assert!(cell.by_mode && cell.apart < 1.03);
    assert!(cell.a_text.contains("in 3 of 5 rounds"), "{}", cell.a_text);
}

/// A run compared with itself: everything agrees, nothing moved, nothing swapped.
#[test]
fn a_run_agrees_with_itself() {
    let (a, _) = fixtures();
    let c = compare(&a, &a);
    let s = c.summary;
    // A's 12 figures: the 11 B shares, and smol's spawn cost.
    assert_eq!((s.compared, s.within_10_percent, s.more_than_twice, s.beyond_spreads), (12, 12, 0, 0));
    assert_eq!(s.only_in_one(), 0);
    assert!(c.figures.iter().all(|f| f.ratio == Some(1.0)));
    assert!(c.swaps.is_empty() && c.differences().is_empty());
    assert!(
        render(&c, false).contains("Same commit, machine, profile, worker count, compiler and idle setting")
    );
}

/// Agreement is the larger over the smaller, the same both ways round; zero is equal to
/// zero and infinitely far from anything else.
#[test]
fn agreement_is_symmetric() {
    assert_eq!(apart(800.0, 950.0), apart(950.0, 800.0));
    assert_eq!(apart(-2.0, 4.0), 2.0);
    assert_eq!(apart(0.0, 0.0), 1.0);
    assert!(apart(5.0, 0.0).is_infinite());
}

/// The header sets the runs' provenance side by side and says plainly what differs.
#[test]
fn the_header_names_what_differs() {
    let (a, mut b) = fixtures();
    let c = compare(&a, &b);
    assert_eq!(c.differences(), ["two commits"]);
    let md = render(&c, false);
    assert!(md.contains("| Commit | `1111aaa` | `2222bbb` |"), "{md}");
    assert!(md.contains("| Machine | Example CPU (2 cores) | Example CPU (2 cores) |"));
    assert!(
        md.contains("**Two commits**, same machine, profile, worker count, compiler and idle setting.\n"),
        "{md}"
    );
    assert!(md.contains("| Idle cores | as the system sets them | as the system sets them |"), "{md}");
    assert!(!md.contains("Host steal time"), "not recorded in either run: no row");

    b.provenance.cpu = "Another CPU".to_owned();
    b.provenance.profile = "full".to_owned();
    let c = compare(&a, &b);
    assert_eq!(c.differences(), ["two commits", "two machines", "two profiles"]);
    assert!(render(&c, false).contains(
        "**Two commits, two machines, two profiles**, same worker count, compiler and idle setting."
    ));

    b.provenance.idle = "awake".to_owned();
    b.provenance.steal = Some(0.004);
    let c = compare(&a, &b);
    assert!(c.differences().contains(&"two idle settings"));
    let md = render(&c, false);
    assert!(md.contains("| Idle cores | as the system sets them | kept awake |"), "{md}");
    assert!(md.contains("| Host steal time | not recorded | 0.4% of the CPU time |"), "{md}");
    assert!(md.contains("- Two idle settings: one run kept the cores out of deep idle"), "{md}");
}

/// The default rendering has the summary, the swap, the table's figures and the flagged
/// figures; the full one adds every figure by workload and what only one run has.
#[test]
fn rendering() {
    let (a, b) = fixtures();
    let mut c = compare(&a, &b);
    c.runs[0].source = Some("run-a.json".to_owned());
    let md = render(&c, false);
    assert!(md.contains("| File | `run-a.json` |  |"), "{md}");
    assert!(md.contains("| All figures | 11 | 8 | 10 | 0 | 1 | 4 | 1 | 1 |"), "{md}");
    assert!(md.contains("| The table's figures | 7 | 4 | 6 | 0 | 1 | 4 | 1 | 0 |"));
    assert!(md.contains("- Context switching: threads and tokio swap: #2/#3 in A, #3/#2 in B\n"));
    assert!(md.contains(
        "| **Context switching** (ns per round trip, all threads on one core) | threads | 800 ns ±2% | 950 ns ±1% | ×1.19 | beyond spreads |"
    ));
    assert!(md.contains("Ranked in A's table only:\n\n- **Spawn cost** (ns per task): smol\n"));
    // The flagged figures among all: four rows below the header and its separator.
    let flagged = md.split("## Figures beyond both spreads").nth(1).expect("the flagged section");
    assert_eq!(flagged.lines().filter(|l| l.starts_with('|')).count(), 2 + 4);
    assert!(flagged.contains(
        "| tokio | cancellation/release_latency, p99 | 500 | 40.00 µs ±2% | 45.00 µs ±2% | ×1.12 |"
    ));
    assert!(!md.contains("## Every figure"));

    let full = render(&c, true);
    assert!(full.starts_with(&md));
    assert!(full.contains("### W3: ping-pong (`ping_pong`)"), "{full}");
    assert!(full.contains("### W2: spawn and join (`spawn_join`)"));
    assert!(
        full.contains("| smol | ns_per_round_trip, one_core | 10 000 | 500 ns ±2% | 510 ns ±2% | ×1.02 |  |")
    );
    assert!(full.contains("### Only in A\n\n- smol: spawn_join/ns_per_task, N=1 000\n"));
    assert!(full.contains("### Only in B\n\n- tokio: concurrent_waits/overshoot, N=10\n"));
}
