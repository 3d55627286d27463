//! What a workload declares about its own measurement: which sizes each model runs (or why
//! not), its variants and the thread placements of each point, which figures a size
//! produces, the sizes the table's rows read, and whether its figures are noisy enough to
//! want more rounds.
//!
//! Each workload's module implements [`Spec`] for a unit struct named `Declared`, next to
//! its ids, sizes and check (the three CPU kernels, which declare the same things but for
//! their ids, share [`crate::cpu::Declared`], as `DECLARED` in each module); the harness
//! reads it ([`Spec`] is the declarative half of a registration) and adds only how the
//! workload is measured.

use crate::ModelInfo;
use crate::catalogue::{Ids, Metric, Placement, Role, Variant, Workload};
use crate::profile::{Profile, Verdict};

/// A size a table row reads (a [`Role`]), with how it reads, e.g. "10 000 waits of 100 ms".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// The role.
    pub role: &'static Role,
    /// The size.
    pub n: usize,
    /// Its label.
    pub label: String,
}

impl Named {
    /// The size `n` in `role`, read as `label`.
    pub fn new(role: &'static Role, n: usize, label: String) -> Self {
        Named { role, n, label }
    }
}

/// The rounds a full run adds for a noisy workload ([`Spec::extra_rounds`]): five in all
/// with the run's three.
pub const NOISY: usize = 2;

/// The rounds a full run adds for the noisiest ones, whose rounds spread by ±40% or more
/// on two cores (timer tails): seven in all, so that the median of a figure whose rounds
/// fall into two clusters rests on enough of each to show both (nine, until the run needed
/// the time: W7's timeout rows agreed within 25% in the pair of nine and of seven alike).
pub const NOISIEST: usize = 4;

/// The rounds a full run adds for a noisy workload measured by a single call per point and
/// round, a call of a few milliseconds (W10's contended lock, W12's channels): seventeen in
/// all. Their extra rounds measure one or two points per model, about a second each, so many
/// short rounds spread over the run cost less than longer calls and sample more of it.
pub const SINGLE_CALLS: usize = 14;

/// The declarative half of a workload's registration.
pub trait Spec: Sync {
    /// Everything the workload names.
    fn ids(&self) -> &'static Ids;

    /// The workload.
    fn workload(&self) -> &'static Workload {
        self.ids().workload
    }

    /// The sizes `model` runs in `profile`, each with `Ok` or the reason it is left out.
    fn sizes(&self, profile: Profile, model: &ModelInfo) -> Vec<(usize, Verdict)>;

    /// The variants measured at every size (`[None]` for a workload without variants).
    fn variants(&self) -> &'static [Option<&'static Variant>] {
        &[None]
    }

    /// The points `model` runs in `profile`: by default every size with every variant. A
    /// workload whose variants have sizes of their own (W12's cases) says which.
    fn points(&self, profile: Profile, model: &ModelInfo) -> Vec<(Option<&'static Variant>, usize, Verdict)> {
        let mut points = Vec::new();
        for (n, verdict) in self.sizes(profile, model) {
            for &variant in self.variants() {
                points.push((variant, n, verdict.clone()));
            }
        }
        points
    }

    /// The placements of the threads the point (`variant`, `n`) is measured under: none by
    /// default (the threads run where the scheduler puts them, and the id names no
    /// placement). A workload of hand-offs between threads, whose figures depend on whether
    /// the threads share a core, names the placements of each point.
    fn placements(
        &self,
        _profile: Profile,
        _variant: Option<&'static Variant>,
        _n: usize,
    ) -> &'static [Placement] {
        &[]
    }

    /// How many rounds a full run adds for this workload past the run's own: none for most;
    /// [`NOISY`] or [`NOISIEST`] for a workload whose figures move most from round to round
    /// (tail percentiles, contention and hand-offs between threads), so that its median
    /// rests on more of them. The extra rounds measure only the points the comparison table
    /// reads, so they cost little beside a whole round.
    fn extra_rounds(&self) -> usize {
        0
    }

    /// The figures a size produces; a size left out gets its reason under each. By default
    /// every metric the workload names; a workload with figures recorded only beside another
    /// (W1's overshoot, W4's kernel share, W11's wall time, the kernels' CPU time and
    /// efficiency) lists the ones that carry a left-out size's reason.
    fn figures(&self) -> &'static [&'static Metric] {
        self.ids().metrics
    }

    /// The named sizes the table's rows read, with their labels.
    fn named_sizes(&self, _profile: Profile) -> Vec<Named> {
        Vec::new()
    }
}
