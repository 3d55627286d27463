//! The plan of a run: every benchmark id of every registered workload, worked out before
//! anything runs, and which of them the filter selects.
//!
//! Ids are `workload/model/size`, or `workload/model/variant/size` for a workload measured
//! in several variants, e.g. `gather/tokio/as_completed/10000`. Planning first is what lets
//! a filter that matches nothing stop the run before it touches the report, and lets
//! `--list` print every id without measuring.

use report::rows::{At, Cell, ROWS};
use workloads::Profile;
use workloads::catalogue::{Metric, Placement, Variant, Workload};
use workloads::spec::Spec;

use super::registry::Registration;
use super::{Context, Measured};
use report::Record;

/// One thing to measure: a size, a variant when the workload has several, and a placement
/// of the threads when the workload's figures depend on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Point {
    /// The size.
    pub n: usize,
    /// The variant, if the workload has variants.
    pub variant: Option<&'static Variant>,
    /// Where the threads may run while it is measured, if the workload is measured under
    /// placements ([`concurrency_models::placement`] applies it).
    pub placement: Option<Placement>,
    /// The benchmark id.
    pub id: String,
}

impl Point {
    /// A figure of `metric` measured at this point by `model`: its size, variant and
    /// placement set.
    pub fn record(&self, model: &str, metric: &Metric, value: f64) -> Record {
        Record::value(model, metric, Some(self.n as u64), value)
            .with_variant(self.variant)
            .with_placement(self.placement)
    }

    /// No figure of `metric` at this point, and why.
    pub fn reason(&self, model: &str, metric: &Metric, reason: impl Into<String>) -> Record {
        Record::reason(model, metric, Some(self.n as u64), reason)
            .with_variant(self.variant)
            .with_placement(self.placement)
    }
}

/// The selected points of one model on one workload.
#[derive(Debug, Clone)]
pub struct ModelPoints {
    /// Index of the model in [`Context::models`].
    pub model: usize,
    /// Points to measure.
    pub points: Vec<Point>,
    /// Selected points left out for this model, each with the reason: a run that would take
    /// far longer than its budget, or one the model says it does not run
    /// ([`workloads::ModelInfo::cannot`]).
    pub left_out: Vec<(Point, String)>,
}

/// Every id of the run, and the points the filter selects, per workload.
pub struct Plan {
    all_ids: Vec<String>,
    per_workload: Vec<(&'static Workload, Vec<ModelPoints>)>,
}

/// The benchmark id of a point: `workload/model[/variant][/placement]/size`.
pub fn id(
    workload: &Workload,
    model: &str,
    variant: Option<&Variant>,
    placement: Option<Placement>,
    n: usize,
) -> String {
    let mut id = format!("{}/{model}", workload.id);
    if let Some(variant) = variant {
        id = format!("{id}/{}", variant.id);
    }
    if let Some(placement) = placement {
        id = format!("{id}/{}", placement.id());
    }
    format!("{id}/{n}")
}

impl Plan {
    /// Plans every registration over every model of `ctx`.
    pub fn new(ctx: &Context, registrations: &[Box<dyn Registration>]) -> Plan {
        let mut all_ids = Vec::new();
        let mut per_workload = Vec::new();
        for registration in registrations {
            let workload = registration.workload();
            let mut per_model = Vec::new();
            for (index, entry) in ctx.models.iter().enumerate() {
                let mut selected = ModelPoints { model: index, points: Vec::new(), left_out: Vec::new() };
                for (variant, n, verdict) in registration.spec().points(ctx.profile, &entry.info) {
                    let placements: Vec<Option<Placement>> =
                        match registration.spec().placements(ctx.profile, variant, n) {
                            [] => vec![None],
                            some => some.iter().copied().map(Some).collect(),
                        };
                    for placement in placements {
                        let id = id(workload, entry.info.id, variant, placement, n);
                        all_ids.push(id.clone());
                        if !ctx.args.selects(&id) {
                            continue;
                        }
                        let point = Point { n, variant, placement, id };
                        // What the model says it does not run is never asked of it: the
                        // point is left out with the model's reason, which the table shows.
                        let verdict = match entry.info.cannot_run(workload, variant) {
                            Some(why) => Err(why.to_owned()),
                            None => verdict.clone(),
                        };
                        match verdict {
                            Ok(()) => selected.points.push(point),
                            Err(reason) => selected.left_out.push((point, reason)),
                        }
                    }
                }
                per_model.push(selected);
            }
            per_workload.push((workload, per_model));
        }
        Plan { all_ids, per_workload }
    }

    /// The selected ids, in the order they run.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.per_workload
            .iter()
            .flat_map(|(_, models)| models.iter())
            .flat_map(|m| m.points.iter().chain(m.left_out.iter().map(|(p, _)| p)))
            .map(|p| p.id.as_str())
    }

    /// Whether any selected point pins its threads to one core.
    pub fn pins_threads(&self) -> bool {
        self.per_workload
            .iter()
            .flat_map(|(_, models)| models.iter())
            .flat_map(|m| m.points.iter())
            .any(|p| p.placement == Some(Placement::OneCore))
    }

    /// Whether the filter selected nothing at all.
    pub fn is_empty(&self) -> bool {
        self.ids().next().is_none()
    }

    /// An id to show in a message.
    pub fn example_id(&self) -> Option<&str> {
        self.all_ids.first().map(String::as_str)
    }

    /// The selected points of `workload`, per model.
    pub fn points(&self, workload: &Workload) -> Vec<ModelPoints> {
        self.per_workload
            .iter()
            .find(|(w, _)| w.id == workload.id)
            .map(|(_, m)| m.clone())
            .unwrap_or_default()
    }

    /// Whether the run measures anything of `workload`.
    pub fn measures(&self, workload: &Workload) -> bool {
        self.points(workload).iter().any(|m| !m.points.is_empty() || !m.left_out.is_empty())
    }
}

/// The records of the points a workload's sizes leave out: the reason, under each of the
/// workload's headline figures, so a table cell says why rather than "not measured".
pub fn left_out(registration: &dyn Registration, plan: &[ModelPoints], ctx: &Context) -> Measured {
    let mut measured = Measured::default();
    for model in plan {
        let id = ctx.models[model.model].info.id;
        for (point, reason) in &model.left_out {
            measured.records.extend(reasons(registration, id, point, reason));
        }
    }
    measured
}

/// One record per headline figure of `registration`, each with `reason` in place of a
/// figure: for a point left out, or one the model cannot run.
pub fn reasons<'a>(
    registration: &'a dyn Registration,
    model: &'a str,
    point: &'a Point,
    reason: &'a str,
) -> impl Iterator<Item = Record> + 'a {
    registration.spec().figures().iter().map(move |metric| point.reason(model, metric, reason))
}

/// Whether the comparison table reads a figure of `spec`'s workload at `point` in a run of
/// `profile`: some row reads one of its metrics, in the point's variant and placement (or
/// any, when the row names none), at the point's size (the row's named size; a row that
/// reads the largest size, or another kind of cell, takes any size). The extra rounds of a
/// noisy workload measure only these points ([`super::registry::Registration`]).
pub fn in_table(spec: &dyn Spec, profile: Profile, point: &Point) -> bool {
    let workload = spec.workload();
    let named = spec.named_sizes(profile);
    ROWS.iter().any(|row| match row.cell {
        Cell::Figure { metric, variant, placement, at, .. } => {
            metric.workload.id == workload.id
                && variant.is_none_or(|v| point.variant.is_some_and(|p| p.id == v.id))
                && placement.is_none_or(|p| point.placement == Some(p))
                && match at {
                    At::Largest => true,
                    At::Role(role) => named.iter().filter(|s| s.role.id == role.id).all(|s| s.n == point.n),
                }
        }
        Cell::Speedup { metric, .. }
        | Cell::Held { metric }
        | Cell::Best { metric }
        | Cell::Versus { metric, .. }
        | Cell::Memory { rss: metric, .. } => metric.workload.id == workload.id,
        Cell::Efficiency { metrics } => metrics.iter().any(|m| m.workload.id == workload.id),
        Cell::Words(_) => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use workloads::gather::{GATHER, GATHER_AS_COMPLETED};
    use workloads::ping_pong::PING_PONG;

    /// The extra rounds of W12 measure the one case the table reads (MPMC, capacity 64,
    /// the headline producer count, threads free on all cores), not the other fourteen nor
    /// the pinned placement; a workload the table reads at its largest size keeps every
    /// size; one the table never reads keeps nothing.
    #[test]
    fn table_points_are_the_ones_a_row_reads() {
        use workloads::channels::{self, CHANNEL_MPMC_64, CHANNEL_MPSC_1, HEADLINE_PRODUCERS};
        let point = |variant: &'static Variant, placement: Option<Placement>, n: usize| Point {
            n,
            variant: Some(variant),
            placement,
            id: String::new(),
        };
        let spec = &channels::Declared;
        let full = Profile::Full;
        assert!(in_table(
            spec,
            full,
            &point(&CHANNEL_MPMC_64, Some(Placement::AllCores), HEADLINE_PRODUCERS)
        ));
        assert!(!in_table(
            spec,
            full,
            &point(&CHANNEL_MPMC_64, Some(Placement::OneCore), HEADLINE_PRODUCERS)
        ));
        assert!(!in_table(spec, full, &point(&CHANNEL_MPMC_64, None, 4 * HEADLINE_PRODUCERS)));
        assert!(!in_table(spec, full, &point(&CHANNEL_MPSC_1, None, HEADLINE_PRODUCERS)));
        let spawn = Point { n: 7, variant: None, placement: None, id: String::new() };
        assert!(in_table(&workloads::spawn_join::Declared, full, &spawn), "the table reads its largest size");
        assert!(!in_table(&workloads::scoped::Declared, full, &spawn), "no row reads W7");
    }

    /// An id is workload/model/size, with the variant and then the placement between model
    /// and size when there are.
    #[test]
    fn ids_name_the_variant_and_placement_between_model_and_size() {
        assert_eq!(id(&PING_PONG, "tokio", None, None, 10_000), format!("{}/tokio/10000", PING_PONG.id));
        assert_eq!(
            id(&GATHER, "smol", Some(&GATHER_AS_COMPLETED), None, 100),
            format!("{}/smol/{}/100", GATHER.id, GATHER_AS_COMPLETED.id)
        );
        assert_eq!(
            id(&PING_PONG, "threads", None, Some(Placement::OneCore), 10_000),
            format!("{}/threads/one_core/10000", PING_PONG.id)
        );
    }
}
