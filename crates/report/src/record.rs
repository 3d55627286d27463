//! The data a run produces: one [`Record`] per figure, the model columns, and provenance.

use serde::{Deserialize, Serialize};

/// One figure of one model on one workload, or the reason there is none.
///
/// Exactly one of `value` and `reason` is normally set; a record may carry both when the
/// value needs a caveat (for example "capped by the thread limit").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Column id of the model, e.g. `tokio` or `tokio-ct`.
    pub model: String,
    /// Workload id, e.g. `concurrent_waits`, `spawn_join`, `ping_pong`, `idle_tasks`.
    pub workload: String,
    /// What was measured, e.g. `wall_time`, `overshoot`, `ns_per_task`.
    pub metric: String,
    /// The size the figure was measured at (tasks, rounds...), when it has one.
    pub n: Option<u64>,
    /// The figure itself, in `unit`.
    pub value: Option<f64>,
    /// Unit of `value` and `ci`: `ns`, `ms`, `s`, `bytes`, `count`, `ratio`, `req/s`...
    pub unit: String,
    /// 95% confidence interval of `value`, when the measurement gives one.
    pub ci: Option<[f64; 2]>,
    /// Why there is no value, or a caveat on it. One line.
    pub reason: Option<String>,
}

impl Record {
    /// A measured figure.
    pub fn value(model: &str, workload: &str, metric: &str, n: Option<u64>, value: f64, unit: &str) -> Self {
        Record {
            model: model.to_owned(),
            workload: workload.to_owned(),
            metric: metric.to_owned(),
            n,
            value: Some(value),
            unit: unit.to_owned(),
            ci: None,
            reason: None,
        }
    }

    /// No figure, and the one-line reason why.
    pub fn reason(
        model: &str,
        workload: &str,
        metric: &str,
        n: Option<u64>,
        reason: impl Into<String>,
    ) -> Self {
        Record {
            model: model.to_owned(),
            workload: workload.to_owned(),
            metric: metric.to_owned(),
            n,
            value: None,
            unit: String::new(),
            ci: None,
            reason: Some(reason.into()),
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
    /// Other facts a reader needs: limits that capped a figure, memory settings...
    pub notes: Vec<String>,
}

/// Everything one run produced: what `results.json` holds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Where and how.
    pub provenance: Provenance,
    /// The columns, in table order (the sequential baseline first).
    pub columns: Vec<Column>,
    /// Every figure, in the order measured.
    pub records: Vec<Record>,
}

impl Report {
    /// The records of one model on one workload and metric, in the order measured.
    pub fn records(&self, model: &str, workload: &str, metric: &str) -> impl Iterator<Item = &Record> {
        self.records.iter().filter(move |r| r.model == model && r.workload == workload && r.metric == metric)
    }

    /// The record with a value at the largest `n`: the furthest a model got on a workload.
    ///
    /// Records without a value are skipped, so a failure at a larger size falls back to the
    /// largest size that did work.
    pub fn largest_measured(&self, model: &str, workload: &str, metric: &str) -> Option<&Record> {
        self.records(model, workload, metric).filter(|r| r.value.is_some()).max_by_key(|r| r.n)
    }

    /// The value measured at exactly size `n`, if any.
    pub fn value_at(&self, model: &str, workload: &str, metric: &str, n: u64) -> Option<f64> {
        self.records(model, workload, metric).filter(|r| r.n == Some(n)).find_map(|r| r.value)
    }

    /// The header name of a column id, or the id itself when no column has it.
    pub fn column_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.columns.iter().find(|c| c.id == id).map_or(id, |c| c.name.as_str())
    }
}
