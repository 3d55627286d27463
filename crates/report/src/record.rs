//! The data a run produces: one [`Record`] per figure, the model columns, the named sizes
//! the table reads, and provenance.
//!
//! Records name their workload and metric by the catalogue's ids
//! (`workloads::catalogue`); the constructors take the catalogue's [`Metric`] so that no
//! caller types an id.

use serde::{Deserialize, Serialize};
use workloads::catalogue::{Metric, Placement, Role, Variant};

use crate::rows::Stat;

/// One figure of one model on one workload, or the reason there is none.
///
/// Exactly one of `value` and `reason` is normally set; a record may carry both when the
/// value needs a caveat (for example "capped by the thread limit").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Column id of the model, e.g. `tokio` or `tokio-ct`.
    pub model: String,
    /// Workload id (the catalogue's), e.g. `concurrent_waits`.
    pub workload: String,
    /// Metric id (the catalogue's), e.g. `wall_time`.
    pub metric: String,
    /// The variant measured (the catalogue's id), when the workload has several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// Where the threads were allowed to run (the catalogue's placement id, e.g. `one_core`),
    /// for a workload whose figures depend on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placement: Option<String>,
    /// The size the figure was measured at (tasks, rounds...), when it has one.
    pub n: Option<u64>,
    /// The figure itself, in `unit`: the median of the run's rounds (each round's figure a
    /// mean for timed figures, the mean of the samples for distributions).
    pub value: Option<f64>,
    /// Unit of `value`, `ci` and `dist`: `ns`, `ms`, `bytes`, `count`, `ratio`, `/s`.
    pub unit: String,
    /// criterion's 95% confidence interval of the median round's figure, when the
    /// measurement gives one: how sure one round is, not how much the rounds differ (that
    /// is [`Record::spread`]).
    pub ci: Option<[f64; 2]>,
    /// Percentiles of the samples, for figures that are distributions (latencies): each the
    /// median of the rounds' percentiles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dist: Option<Distribution>,
    /// Each round's figure, in the order the rounds ran. The run measures every model of a
    /// workload once per round, in a new random order each round, and spreads the rounds over
    /// the run; `value` and `dist` are the median of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rounds: Vec<Trial>,
    /// Why there is no value, or a caveat on it. One line.
    pub reason: Option<String>,
    /// The figure describes only part of what was asked (a server that starved some
    /// connections, failed requests, or was offered more than it could answer): the caveat
    /// says how, and the table does not rank it against whole figures.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    /// The run that measured it. A filtered run keeps the figures of earlier runs it did not
    /// measure again, each with its own stamp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measured: Option<Stamp>,
}

/// Percentiles of a distribution of samples, in the record's unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    /// Samples.
    pub count: u64,
    /// Median.
    pub p50: f64,
    /// 99th percentile.
    pub p99: f64,
    /// 99.9th percentile.
    pub p999: f64,
    /// Largest sample.
    pub max: f64,
}

/// One round's figure of a record.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Trial {
    /// The round's figure, in the record's unit.
    pub value: f64,
    /// The round's percentiles, for a distribution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dist: Option<Distribution>,
}

impl Trial {
    /// The statistic `stat` of this round, if it has it.
    pub fn stat(&self, stat: Stat) -> Option<f64> {
        pick(Some(self.value), self.dist, stat)
    }
}

/// The statistic `stat` of a figure or a round: its value, or a percentile of its
/// distribution. The one place a statistic is picked.
fn pick(value: Option<f64>, dist: Option<Distribution>, stat: Stat) -> Option<f64> {
    match stat {
        Stat::Value => value,
        Stat::P50 => dist.map(|d| d.p50),
        Stat::P99 => dist.map(|d| d.p99),
        Stat::Max => dist.map(|d| d.max),
    }
}

/// How far apart a figure's rounds fell: the lowest and highest round.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    /// The lowest round's figure.
    pub low: f64,
    /// The highest round's figure.
    pub high: f64,
    /// The median, the figure shown.
    pub median: f64,
    /// How many rounds.
    pub rounds: usize,
}

impl Spread {
    /// The rounds' range relative to the median, as a fraction: half the range over the
    /// median (`±` this much). Zero for a median of zero.
    pub fn relative(&self) -> f64 {
        if self.median == 0.0 { 0.0 } else { (self.high - self.low) / 2.0 / self.median.abs() }
    }

    /// Whether two figures' ranges overlap: the rounds cannot tell them apart.
    pub fn overlaps(&self, other: &Spread) -> bool {
        self.low <= other.high && other.low <= self.high
    }
}

/// Two clusters of rounds, when a figure's rounds fall into two: a figure that depends on
/// something a run does not control (where the scheduler put two threads, whether a spin
/// caught a reply) shows one value in some rounds and another in the rest.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Modes {
    /// The cluster holding the median: its median and how many rounds it holds.
    pub main: (f64, usize),
    /// The other cluster: its median and how many rounds it holds.
    pub other: (f64, usize),
}

impl Modes {
    /// The lower cluster's median and the upper's.
    pub fn values(&self) -> (f64, f64) {
        let (a, b) = (self.main.0, self.other.0);
        if a <= b { (a, b) } else { (b, a) }
    }
}

/// Rounds whose consecutive figures (sorted) differ by at least this ratio are in different
/// clusters, when no other gap between consecutive rounds comes near it (see
/// [`Record::modes`]).
pub const MODE_GAP: f64 = 1.5;

/// The median of `values` (the upper one of an even count, so the median is always a
/// figure some round showed); `None` when there are none.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted: Vec<f64> = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied()
}

/// Which run measured a record, and under what conditions: a figure measured with another
/// profile, worker count or machine than the rest cannot be compared with them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// UTC date and time of the run, RFC 3339.
    pub date: String,
    /// Git commit of the workspace, with `-dirty` when the tree had changes.
    pub commit: String,
    /// Size profile of the run.
    pub profile: String,
    /// Worker threads of every multi-threaded runtime and pool (0: not recorded).
    #[serde(default)]
    pub workers: usize,
    /// The machine: CPU model and core count (empty: not recorded).
    #[serde(default)]
    pub machine: String,
    /// How its cores idled: `awake` (held out of deep idle for the run), `default`, or empty
    /// (not recorded: a run before this was recorded, which idled by default).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub idle: String,
}

impl Stamp {
    /// Whether a figure with this stamp was measured under the same conditions as one with
    /// `other`: the same profile, worker count, machine and idle setting (commits may differ).
    pub fn same_conditions(&self, other: &Stamp) -> bool {
        self.profile == other.profile
            && self.workers == other.workers
            && self.machine == other.machine
            && self.idle_setting() == other.idle_setting()
    }

    /// The idle setting, `default` where none was recorded.
    pub fn idle_setting(&self) -> &str {
        if self.idle.is_empty() { "default" } else { &self.idle }
    }

    /// How the cores idled, in words: `kept awake` or `as the system sets them`.
    pub fn idle_words(&self) -> &'static str {
        if self.idle_setting() == "awake" { "kept awake" } else { "as the system sets them" }
    }

    /// The conditions in words, e.g. `quick profile, 1 worker, Intel Xeon (2 cores)`.
    pub fn conditions(&self) -> String {
        let workers = match self.workers {
            0 => "workers not recorded".to_owned(),
            1 => "1 worker".to_owned(),
            n => format!("{n} workers"),
        };
        let machine = if self.machine.is_empty() { "machine not recorded" } else { &self.machine };
        let idle = match self.idle_setting() {
            "awake" => "cores kept awake",
            _ => "cores idling by default",
        };
        format!("{} profile, {workers}, {machine}, {idle}", self.profile)
    }
}

impl Record {
    /// A measured figure of `metric`, in the metric's unit.
    pub fn value(model: &str, metric: &Metric, n: Option<u64>, value: f64) -> Self {
        Record {
            model: model.to_owned(),
            workload: metric.workload.id.to_owned(),
            metric: metric.id.to_owned(),
            variant: None,
            placement: None,
            n,
            value: Some(value),
            unit: metric.unit.symbol().to_owned(),
            ci: None,
            dist: None,
            rounds: Vec::new(),
            reason: None,
            partial: false,
            measured: None,
        }
    }

    /// No figure of `metric`, and the one-line reason why.
    pub fn reason(model: &str, metric: &Metric, n: Option<u64>, reason: impl Into<String>) -> Self {
        Record {
            value: None,
            unit: String::new(),
            reason: Some(reason.into()),
            ..Record::value(model, metric, n, 0.0)
        }
    }

    /// Adds a 95% confidence interval.
    pub fn with_ci(mut self, low: f64, high: f64) -> Self {
        self.ci = Some([low, high]);
        self
    }

    /// Adds a caveat to a measured figure.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.reason = Some(note.into());
        self
    }

    /// Marks the figure as describing only part of what was asked, with the caveat that
    /// says how.
    pub fn partial(mut self, caveat: impl Into<String>) -> Self {
        self.partial = true;
        self.with_note(caveat)
    }

    /// Marks the variant measured.
    pub fn with_variant(mut self, variant: Option<&Variant>) -> Self {
        self.variant = variant.map(|v| v.id.to_owned());
        self
    }

    /// Adds the distribution of the samples.
    pub fn with_dist(mut self, dist: Distribution) -> Self {
        self.dist = Some(dist);
        self
    }

    /// Marks the placement of the threads it was measured under.
    pub fn with_placement(mut self, placement: Option<Placement>) -> Self {
        self.placement = placement.map(|p| p.id().to_owned());
        self
    }

    /// Whether this is a record of `metric` (and of `variant`, when given).
    pub fn is(&self, metric: &Metric, variant: Option<&Variant>) -> bool {
        self.workload == metric.workload.id
            && self.metric == metric.id
            && variant.is_none_or(|v| self.variant.as_deref() == Some(v.id))
    }

    /// Whether it was measured under `placement` (`None`: any, or a workload without
    /// placements).
    pub fn placed(&self, placement: Option<Placement>) -> bool {
        placement.is_none_or(|p| self.placement.as_deref() == Some(p.id()))
    }

    /// The statistic `stat` of the figure: its value, or a percentile of its distribution.
    pub fn stat(&self, stat: Stat) -> Option<f64> {
        pick(self.value, self.dist, stat)
    }

    /// The rounds' figures of statistic `stat`, in the order the rounds ran.
    pub fn round_values(&self, stat: Stat) -> Vec<f64> {
        self.rounds.iter().filter_map(|t| t.stat(stat)).collect()
    }

    /// How far apart the rounds fell for statistic `stat`: `None` with fewer than two rounds
    /// (a single pass says nothing about how the next run would go).
    pub fn spread(&self, stat: Stat) -> Option<Spread> {
        let values = self.round_values(stat);
        if values.len() < 2 {
            return None;
        }
        let low = values.iter().copied().fold(f64::INFINITY, f64::min);
        let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Some(Spread { low, high, median: self.stat(stat).or_else(|| median(&values))?, rounds: values.len() })
    }

    /// The two clusters of the rounds of `stat`, when they fall into two: sorted, one gap
    /// between consecutive rounds stands out, at least [`MODE_GAP`]× and, on a log scale, at
    /// least twice as wide as any other gap (its ratio at least the square of theirs). An
    /// even spread, however wide, has no gap that stands out. A figure of two modes is never
    /// averaged: the record's value is the median round, which lies in the larger cluster
    /// (or the upper one of two equal clusters), and this says where the others fell.
    pub fn modes(&self, stat: Stat) -> Option<Modes> {
        let mut values = self.round_values(stat);
        if values.len() < 3 || values.iter().any(|v| *v <= 0.0) {
            return None;
        }
        values.sort_by(f64::total_cmp);
        let ratio = |i: usize| values[i + 1] / values[i];
        let gap = (0..values.len() - 1).max_by(|&a, &b| ratio(a).total_cmp(&ratio(b)))?;
        if ratio(gap) < MODE_GAP {
            return None;
        }
        let (lower, upper) = values.split_at(gap + 1);
        let second = (0..values.len() - 1).filter(|&i| i != gap).map(ratio).fold(1.0, f64::max);
        if ratio(gap) < second * second {
            return None;
        }
        let shown = self.stat(stat).or_else(|| median(&values))?;
        let (lower, upper) = ((median(lower)?, lower.len()), (median(upper)?, upper.len()));
        let (main, other) = if shown >= upper.0 { (upper, lower) } else { (lower, upper) };
        Some(Modes { main, other })
    }

    /// What identifies a figure across runs: a later run's record with the same key
    /// replaces this one.
    pub fn key(&self) -> (&str, &str, &str, Option<&str>, Option<&str>, Option<u64>) {
        (
            &self.model,
            &self.workload,
            &self.metric,
            self.variant.as_deref(),
            self.placement.as_deref(),
            self.n,
        )
    }
}

/// One column of the table: a model, or a variant of one shown as its own column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// Short id used in records and benchmark ids, e.g. `tokio-ct`.
    pub id: String,
    /// Name shown in the table header, e.g. `tokio (current thread)`.
    pub name: String,
    /// The "Concurrency model" row, in words.
    pub concurrency: String,
    /// The "Best for" row, in words.
    pub best_for: String,
    /// The "Debugging" row, in words.
    pub debugging: String,
    /// Threads that run this model's tasks during the run.
    pub workers: usize,
    /// The part it plays in the table: a model compared with the others, the baseline the
    /// speedups divide by, or a reference. Read from what the model declares, never from
    /// its id.
    #[serde(default)]
    pub part: Part,
}

#[cfg(test)]
impl Column {
    /// A column for the tests: its id as its name, no words, 2 workers.
    pub(crate) fn for_test(id: &str, part: Part) -> Column {
        Column {
            id: id.into(),
            name: id.into(),
            concurrency: String::new(),
            best_for: String::new(),
            debugging: String::new(),
            workers: 2,
            part,
        }
    }
}

/// The part a [`Column`] plays in the table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    /// A model, compared with the others.
    #[default]
    Compared,
    /// The baseline every speedup divides by (the sequential model).
    Baseline,
    /// A reference measured beside the models in the rows it applies to, with a dash in the
    /// others (hyper's server, in the HTTP rows).
    Reference,
    /// One of the tutorial's Python models: shown in the table "The tutorial's table,
    /// measured" beside its Rust counterparts, not in the Rust models' table and charts.
    Python,
}

/// A named size of a workload (the catalogue's [`Role`]) as one run defined it: the N that
/// a table row reads, and how that size reads in the row's label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedSize {
    /// The role's id.
    pub role: String,
    /// The size.
    pub n: u64,
    /// How it reads, e.g. "10 000 waits of 100 ms".
    pub label: String,
}

impl From<workloads::spec::Named> for NamedSize {
    fn from(named: workloads::spec::Named) -> Self {
        NamedSize::new(named.role, named.n, named.label)
    }
}

impl NamedSize {
    /// The size `n` in `role`, with its label.
    pub fn new(role: &Role, n: usize, label: String) -> Self {
        NamedSize { role: role.id.to_owned(), n: n as u64, label }
    }
}

/// Where and how the numbers were made.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// The exact command, e.g. `cargo bench -- --quick`.
    pub command: String,
    /// UTC date and time of the run, RFC 3339.
    pub date: String,
    /// Git commit of the workspace, with `-dirty` when the tree had changes.
    pub commit: String,
    /// `rustc -V`.
    pub rustc: String,
    /// CPU model name.
    pub cpu: String,
    /// Logical cores the OS reports.
    pub cores: usize,
    /// Worker threads given to every multi-threaded runtime and pool.
    pub workers: usize,
    /// Size profile: `full`, `quick` or `smoke`.
    pub profile: String,
    /// Resolved versions of the crates under comparison, `(name, version)`.
    pub crates: Vec<(String, String)>,
    /// How the cores idled during the run: `awake` or `default` (empty: not recorded).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub idle: String,
    /// The share of the machine's CPU time that the host took while the run measured
    /// (steal time in `/proc/stat`), where it could be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steal: Option<f64>,
    /// Other facts a reader needs: limits that capped a figure, memory settings...
    pub notes: Vec<String>,
    /// How long each step of the run took, in seconds, by step (a workload's code, e.g.
    /// `W4`, a mean over its rounds; `W10 extra` for its extra rounds; `python`): what the
    /// next run's progress lines estimate the time left from. Empty in runs before it was
    /// recorded.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub step_seconds: std::collections::BTreeMap<String, f64>,
}

impl Provenance {
    /// The stamp this run puts on its records.
    pub fn stamp(&self) -> Stamp {
        Stamp {
            date: self.date.clone(),
            commit: self.commit.clone(),
            profile: self.profile.clone(),
            workers: self.workers,
            machine: self.machine(),
            idle: self.idle.clone(),
        }
    }

    /// The machine in a few words: the CPU model and the core count.
    pub fn machine(&self) -> String {
        format!("{} ({} cores)", self.cpu, self.cores)
    }
}

/// Everything one run produced, merged with what earlier runs measured and this one did
/// not: what `results.json` holds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Where and how the latest run was made.
    pub provenance: Provenance,
    /// Earlier runs some of whose figures the report still holds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub earlier_runs: Vec<Provenance>,
    /// The columns, in table order (the sequential baseline first).
    pub columns: Vec<Column>,
    /// The named sizes the table's rows read.
    #[serde(default)]
    pub sizes: Vec<NamedSize>,
    /// Every figure, in the order measured.
    pub records: Vec<Record>,
}

impl Report {
    /// The records of one model on one metric (of one variant, when given), in the order
    /// measured.
    pub fn records<'a>(
        &'a self,
        model: &'a str,
        metric: &'a Metric,
        variant: Option<&'a Variant>,
    ) -> impl Iterator<Item = &'a Record> {
        self.records.iter().filter(move |r| r.model == model && r.is(metric, variant))
    }

    /// The record with a value at the largest `n`: the furthest a model got on a workload
    /// (under `placement`, when given).
    ///
    /// Records without a value are skipped, so a failure at a larger size falls back to the
    /// largest size that did work.
    pub fn largest_measured(
        &self,
        model: &str,
        metric: &Metric,
        variant: Option<&Variant>,
        placement: Option<Placement>,
    ) -> Option<&Record> {
        self.records
            .iter()
            .filter(|r| r.model == model && r.is(metric, variant) && r.placed(placement) && r.value.is_some())
            .max_by_key(|r| r.n)
    }

    /// The record at exactly size `n` (under `placement`, when given), if any.
    pub fn record_at(
        &self,
        model: &str,
        metric: &Metric,
        variant: Option<&Variant>,
        placement: Option<Placement>,
        n: u64,
    ) -> Option<&Record> {
        self.records
            .iter()
            .find(|r| r.model == model && r.is(metric, variant) && r.placed(placement) && r.n == Some(n))
    }

    /// The size this report gives `role`, if the run that defined it recorded it.
    pub fn named_size(&self, role: &Role) -> Option<&NamedSize> {
        self.sizes.iter().find(|s| s.role == role.id)
    }

    /// The id of the baseline's column, if the report has one.
    pub fn baseline(&self) -> Option<&str> {
        self.columns.iter().find(|c| c.part == Part::Baseline).map(|c| c.id.as_str())
    }

    /// The columns of the Rust models and the reference: every column but the Python ones,
    /// which have a table of their own.
    pub fn rust_columns(&self) -> impl Iterator<Item = &Column> {
        self.columns.iter().filter(|c| c.part != Part::Python)
    }

    /// The header name of a column id, or the id itself when no column has it.
    pub fn column_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.columns.iter().find(|c| c.id == id).map_or(id, |c| c.name.as_str())
    }

    /// Whether `record` was measured by an earlier commit than this report's latest run.
    pub fn is_older(&self, record: &Record) -> bool {
        record.measured.as_ref().is_some_and(|stamp| stamp.commit != self.provenance.commit)
    }

    /// Whether `record` was measured under other conditions (profile, worker count,
    /// machine) than this report's latest run: a figure that cannot be compared with the
    /// rest as it is.
    pub fn is_other_conditions(&self, record: &Record) -> bool {
        record.measured.as_ref().is_some_and(|stamp| !stamp.same_conditions(&self.provenance.stamp()))
    }

    /// This run (`self`) merged into `earlier`: every figure this run measured replaces the
    /// earlier one with the same model, workload, metric, variant and size; every other
    /// earlier figure stays, with the stamp of the run that measured it. Nothing an earlier
    /// run measured is lost to a filtered run.
    pub fn merged_into(mut self, earlier: Report) -> Report {
        let stamp = self.provenance.stamp();
        for record in &mut self.records {
            record.measured.get_or_insert_with(|| stamp.clone());
        }
        let earlier_stamp = earlier.provenance.stamp();
        let mut records = Vec::with_capacity(earlier.records.len() + self.records.len());
        let mut fresh: Vec<Option<Record>> = self.records.into_iter().map(Some).collect();
        let mut kept_earlier = false;
        for mut old in earlier.records {
            let replacement = fresh.iter_mut().find(|r| r.as_ref().is_some_and(|r| r.key() == old.key()));
            match replacement {
                // In place, so the order of the sections stays stable from run to run.
                Some(slot) => records.push(slot.take().expect("found above")),
                None => {
                    old.measured.get_or_insert_with(|| earlier_stamp.clone());
                    kept_earlier = true;
                    records.push(old);
                }
            }
        }
        records.extend(fresh.into_iter().flatten());

        let mut columns = self.columns;
        for column in earlier.columns {
            if !columns.iter().any(|c| c.id == column.id) {
                columns.push(column);
            }
        }
        let mut sizes = self.sizes;
        for size in earlier.sizes {
            if !sizes.iter().any(|s| s.role == size.role) {
                sizes.push(size);
            }
        }
        let mut earlier_runs = Vec::new();
        if kept_earlier {
            let cited = |p: &Provenance| {
                records
                    .iter()
                    .any(|r| r.measured.as_ref().is_some_and(|s| s.date == p.date && s.commit == p.commit))
            };
            if cited(&earlier.provenance) {
                earlier_runs.push(earlier.provenance);
            }
            earlier_runs.extend(earlier.earlier_runs.into_iter().filter(|p| cited(p)));
        }
        Report { provenance: self.provenance, earlier_runs, columns, sizes, records }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use workloads::ping_pong::PING_PONG_ROUND_TRIP;
    use workloads::spawn_join::SPAWN_NS_PER_TASK;
    use workloads::waits::WAITS_WALL_TIME;

    fn run(commit: &str, records: Vec<Record>) -> Report {
        let provenance =
            Provenance { commit: commit.to_owned(), date: format!("{commit}-date"), ..Provenance::default() };
        Report { provenance, records, ..Report::default() }
    }

    /// A filtered run replaces only the figures it measured; the rest keep their stamps and
    /// the earlier run stays listed while any of its figures remain.
    #[test]
    fn a_filtered_run_keeps_what_it_did_not_measure() {
        let full = run(
            "aaa",
            vec![
                Record::value("tokio", &WAITS_WALL_TIME, Some(10), 101.0),
                Record::value("tokio", &PING_PONG_ROUND_TRIP, Some(10_000), 300.0),
                Record::value("tokio", &SPAWN_NS_PER_TASK, Some(10_000), 320.0),
            ],
        );
        let full = full.merged_into(Report::default());
        let ping = run("bbb", vec![Record::value("tokio", &PING_PONG_ROUND_TRIP, Some(10_000), 280.0)]);
        let merged = ping.merged_into(full);
        assert_eq!(merged.records.len(), 3);
        assert_eq!(merged.records[1].value, Some(280.0));
        assert_eq!(merged.records[1].measured.as_ref().unwrap().commit, "bbb");
        assert_eq!(merged.records[0].measured.as_ref().unwrap().commit, "aaa");
        assert!(merged.is_older(&merged.records[0]) && !merged.is_older(&merged.records[1]));
        assert_eq!(merged.provenance.commit, "bbb");
        assert_eq!(merged.earlier_runs.len(), 1);
        assert_eq!(merged.earlier_runs[0].commit, "aaa");

        // A full run later replaces everything, and the earlier run is no longer cited.
        let again =
            run("ccc", merged.records.iter().map(|r| Record { measured: None, ..r.clone() }).collect());
        let merged = again.merged_into(merged);
        assert!(merged.earlier_runs.is_empty());
        assert!(merged.records.iter().all(|r| !merged.is_older(r)));
    }

    /// A figure measured with the cores kept awake is not compared with one measured with
    /// the cores idling by default; a stamp from before the setting was recorded idled by
    /// default.
    #[test]
    fn the_idle_setting_is_a_condition() {
        let awake = Provenance { idle: "awake".into(), ..Provenance::default() }.stamp();
        let default = Provenance { idle: "default".into(), ..Provenance::default() }.stamp();
        let unrecorded = Provenance::default().stamp();
        assert!(!awake.same_conditions(&default) && !awake.same_conditions(&unrecorded));
        assert!(default.same_conditions(&unrecorded));
        assert!(awake.conditions().ends_with("cores kept awake"), "{}", awake.conditions());
        assert!(unrecorded.conditions().ends_with("cores idling by default"), "{}", unrecorded.conditions());
    }
}
