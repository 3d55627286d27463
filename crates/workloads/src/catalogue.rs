//! The catalogue: the types every workload names itself with ([`Workload`], [`Metric`],
//! [`Variant`], [`Role`], [`Placement`]), and the index of them all.
//!
//! Each workload's module defines its own ids (its `Workload`, `Metric`s, `Variant`s and
//! `Role`s, e.g. [`crate::locks::LOCKS`]) and gathers them in its `IDS`; [`crate::INDEX`]
//! lists every module's `IDS` in the order of the course, and the functions here
//! ([`workloads`], [`metrics`], [`variants`], [`roles`], [`workload`], [`metric`]) read it.
//! The harness records figures under these ids, the report finds them by these ids, and the
//! docs generator checks its markers against them. No other file types an id as a string
//! (`tests/catalogue.rs` checks that), so a renamed id cannot leave a stale copy behind, and
//! a size changed in a workload's module cannot silently empty a table cell: the table
//! reads sizes from the records. A row of the comparison table is the report's
//! (`report::rows`).

/// A part of the model contract, one trait each; the docs give the first three a chapter
/// each and the last two two each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chapter {
    /// Chapter 1, [`crate::Tasks`]: waiting together, spawning, switching, holding.
    Tasks,
    /// Chapter 2, [`crate::Lifecycle`]: gather, as-completed, cancellation, timeouts,
    /// scoped resources, streams.
    Lifecycle,
    /// Chapter 3, [`crate::Sharing`]: locks, semaphores, channels and queues.
    Sharing,
    /// [`crate::Compute`] (the docs' chapters 6 and 7): CPU-bound kernels, and the
    /// blocking pitfall.
    Compute,
    /// [`crate::Network`] (the docs' chapters 4 and 5): an HTTP server and client on real
    /// sockets.
    Network,
}

/// One workload: the same job written in every model.
#[derive(Debug, PartialEq, Eq)]
pub struct Workload {
    /// Id in benchmark ids, records and docs markers, e.g. `concurrent_waits`.
    pub id: &'static str,
    /// Short code used in prose, e.g. `W1`.
    pub code: &'static str,
    /// Title, e.g. "concurrent waits".
    pub title: &'static str,
    /// What it does and what it stresses, one sentence.
    pub what: &'static str,
    /// The chapter (and so the model trait) it belongs to.
    pub chapter: Chapter,
}

/// The unit of a metric's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Nanoseconds.
    Ns,
    /// Milliseconds.
    Ms,
    /// Bytes.
    Bytes,
    /// A plain count.
    Count,
    /// A ratio (×).
    Ratio,
    /// A fraction of an ideal (1 is the ideal).
    Fraction,
    /// Events per second.
    PerSecond,
}

impl Unit {
    /// The unit as written in `results.json`.
    pub const fn symbol(self) -> &'static str {
        match self {
            Unit::Ns => "ns",
            Unit::Ms => "ms",
            Unit::Bytes => "bytes",
            Unit::Count => "count",
            Unit::Ratio => "ratio",
            Unit::Fraction => "fraction",
            Unit::PerSecond => "/s",
        }
    }
}

/// One figure a workload produces.
#[derive(Debug, PartialEq, Eq)]
pub struct Metric {
    /// The workload that measures it.
    pub workload: &'static Workload,
    /// Id in records, e.g. `wall_time`.
    pub id: &'static str,
    /// Unit of its values.
    pub unit: Unit,
    /// What it measures, one sentence.
    pub what: &'static str,
}

/// A variant of a workload measured side by side (e.g. results in submission order vs in
/// completion order); records carry its id.
#[derive(Debug, PartialEq, Eq)]
pub struct Variant {
    /// The workload it is a variant of.
    pub workload: &'static Workload,
    /// Id in records and benchmark ids, e.g. `as_completed`.
    pub id: &'static str,
}

/// Where the threads of a measurement may run, for the workloads whose figures depend on it:
/// a hand-off between two threads costs a context switch on one core, and on two cores
/// either a spin that catches the reply or a wake-up sent across cores, whichever the
/// scheduler's placement and the timing give. The harness measures those workloads under
/// each placement, named in their ids and records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Every thread of the process pinned to one core: each hand-off is a switch on that
    /// core. The steady figure of the hand-off itself.
    OneCore,
    /// Every thread free to run on every core the run may use (the default of any program):
    /// the scheduler decides, and figures may fall into two modes.
    AllCores,
}

impl Placement {
    /// Both placements, in the order they are measured and shown.
    pub const ALL: [Placement; 2] = [Placement::OneCore, Placement::AllCores];

    /// Id in benchmark ids and records.
    pub const fn id(self) -> &'static str {
        match self {
            Placement::OneCore => "one_core",
            Placement::AllCores => "all_cores",
        }
    }

    /// How a table row names it.
    pub const fn label(self) -> &'static str {
        match self {
            Placement::OneCore => "all threads on one core",
            Placement::AllCores => "threads free on all cores",
        }
    }

    /// Both placements at the size the table shows, the scheduler's choice at the others: a
    /// workload with many points per round (W10 has 42, W12 90) could not measure both
    /// everywhere within the run's time budget.
    pub fn both_at_headline(headline: bool) -> &'static [Placement] {
        if headline { &Placement::ALL } else { &[Placement::AllCores] }
    }

    /// The placement of an id, if it is one.
    pub fn from_id(id: &str) -> Option<Placement> {
        Placement::ALL.into_iter().find(|p| p.id() == id)
    }
}

/// A named size of a workload that a table row reads, e.g. "the scalability size of W1".
/// The workload's module says which N it is in each profile; the harness writes it into the
/// report with a label, and the row reads the figure at that N.
#[derive(Debug, PartialEq, Eq)]
pub struct Role {
    /// The workload whose size it names.
    pub workload: &'static Workload,
    /// Id in the report, e.g. `waits_scalability`.
    pub id: &'static str,
}

/// Everything one workload names, gathered in its module as `IDS` and listed in
/// [`crate::INDEX`]: the index this module reads.
#[derive(Debug)]
pub struct Ids {
    /// The workload.
    pub workload: &'static Workload,
    /// Its figures.
    pub metrics: &'static [&'static Metric],
    /// Its variants (none for most).
    pub variants: &'static [&'static Variant],
    /// Its named sizes (none for some).
    pub roles: &'static [&'static Role],
}

/// Every workload, in the order of the course.
pub fn workloads() -> impl Iterator<Item = &'static Workload> {
    crate::INDEX.iter().map(|ids| ids.workload)
}

/// Every metric, workload by workload.
pub fn metrics() -> impl Iterator<Item = &'static Metric> {
    crate::INDEX.iter().flat_map(|ids| ids.metrics.iter().copied())
}

/// Every variant, workload by workload.
pub fn variants() -> impl Iterator<Item = &'static Variant> {
    crate::INDEX.iter().flat_map(|ids| ids.variants.iter().copied())
}

/// Every named size, workload by workload.
pub fn roles() -> impl Iterator<Item = &'static Role> {
    crate::INDEX.iter().flat_map(|ids| ids.roles.iter().copied())
}

/// The workload with this id.
pub fn workload(id: &str) -> Option<&'static Workload> {
    workloads().find(|w| w.id == id)
}

/// The metric `metric` of workload `workload`.
pub fn metric(workload: &str, metric: &str) -> Option<&'static Metric> {
    metrics().find(|m| m.workload.id == workload && m.id == metric)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ids are unique: two workloads, two metrics or two variants of one workload, two
    /// roles never share one.
    #[test]
    fn ids_are_unique() {
        fn unique<T: Ord + std::fmt::Debug>(mut ids: Vec<T>) {
            let count = ids.len();
            ids.sort();
            ids.dedup();
            assert_eq!(ids.len(), count, "a repeated id among {ids:?}");
        }
        unique(workloads().map(|w| w.id).collect());
        unique(workloads().map(|w| w.code).collect());
        unique(metrics().map(|m| (m.workload.id, m.id)).collect());
        unique(variants().map(|v| (v.workload.id, v.id)).collect());
        unique(roles().map(|r| r.id).collect());
    }

    /// Each module's `IDS` lists only its own workload's metrics, variants and roles, and
    /// at least one metric.
    #[test]
    fn every_index_entry_names_its_own_workload() {
        for ids in crate::INDEX {
            let own = ids.workload;
            assert!(!ids.metrics.is_empty(), "{} has no metric", own.id);
            for m in ids.metrics {
                assert_eq!(m.workload, own, "{} lists {}", own.id, m.id);
            }
            for v in ids.variants {
                assert_eq!(v.workload, own, "{} lists {}", own.id, v.id);
            }
            for r in ids.roles {
                assert_eq!(r.workload, own, "{} lists {}", own.id, r.id);
            }
        }
    }

    /// A metric is found by its workload's id and its own.
    #[test]
    fn metrics_are_found_by_id() {
        let rate = &crate::gather::GATHER_TASKS_PER_SECOND;
        assert_eq!(metric(rate.workload.id, rate.id), Some(rate));
        assert_eq!(metric(rate.workload.id, "no_such_metric"), None);
    }
}
