//! The registered workloads: one [`Registration`] each, listed in [`all`].
//!
//! A registration says, for one workload of the catalogue, which sizes each model runs (or
//! why not), which figures it produces, which named sizes the table reads, and how to
//! measure it, through one of the shapes of [`super::timing`], [`super::latency`] or
//! [`concurrency_models::child`]. Adding a workload to the harness is one registration here.

use criterion::Criterion;
use report::NamedSize;
use workloads::catalogue::{Metric, Placement, Variant, Workload};
use workloads::profile::Verdict;
use workloads::{ModelInfo, Profile};

use super::compute::{BlockingStall, Kernels};
use super::plan::ModelPoints;
use super::rounds::Round;
use super::{Context, Measured, idle, lifecycle, network, sharing, tasks};
use concurrency_models::kernels::Kernel;
use report::Record;

/// How the harness measures one workload.
pub trait Registration {
    /// The workload, from the catalogue.
    fn workload(&self) -> &'static Workload;

    /// The sizes `model` runs in `profile`, each with `Ok` or the reason it is left out.
    fn sizes(&self, profile: Profile, model: &ModelInfo) -> Vec<(usize, Verdict)>;

    /// The variants measured at every size (`[None]` for a workload without variants).
    fn variants(&self) -> &'static [Option<&'static Variant>] {
        &[None]
    }

    /// The points `model` runs in `profile`: by default every size with every variant. A
    /// workload whose variants have sizes of their own (W12's cases) says which.
    fn points(&self, profile: Profile, model: &ModelInfo) -> Vec<(Option<&'static Variant>, usize, Verdict)> {
        let sizes = self.sizes(profile, model);
        let mut points = Vec::new();
        for (n, verdict) in sizes {
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

    /// Whether this workload's figures move most from round to round (tail percentiles,
    /// contention and hand-offs between threads): a full run gives it [`EXTRA_ROUNDS`] more
    /// rounds than the others, so that its median rests on more of them.
    fn noisy(&self) -> bool {
        false
    }

    /// The figures a size produces; a size left out gets its reason under each.
    fn figures(&self) -> &'static [&'static Metric];

    /// The named sizes the table's rows read, with their labels.
    fn named_sizes(&self, _profile: Profile) -> Vec<NamedSize> {
        Vec::new()
    }

    /// Facts for the report about how this workload was measured in `profile`.
    fn notes(&self, _profile: Profile) -> Vec<String> {
        Vec::new()
    }

    /// Measures the planned points once each, model by model in the order of `plan` (the
    /// round's random order), and returns the round's records. The harness calls it once per
    /// round and makes each figure the median of its rounds ([`super::rounds`]).
    fn measure(
        &mut self,
        ctx: &Context,
        criterion: &mut Criterion,
        plan: &[ModelPoints],
        round: Round,
    ) -> Measured;

    /// Figures computed from the run's figures once every round is in (a speedup over the
    /// baseline's median, say): none by default.
    fn derive(&self, _ctx: &Context, _figures: &[Record]) -> Vec<Record> {
        Vec::new()
    }
}

/// The rounds a full run adds for a [noisy](Registration::noisy) workload.
pub const EXTRA_ROUNDS: usize = 2;

/// How many rounds `registration` is measured in, in a run of `rounds` rounds of
/// `profile`: two more for a noisy workload in a full run of three rounds or more.
pub fn rounds_of(registration: &dyn Registration, profile: Profile, rounds: usize) -> usize {
    if registration.noisy() && profile == Profile::Full && rounds >= 3 {
        rounds + EXTRA_ROUNDS
    } else {
        rounds
    }
}

/// Every workload the harness measures, in the order they run.
pub fn all() -> Vec<Box<dyn Registration>> {
    vec![
        Box::new(tasks::Waits),
        Box::new(tasks::SpawnJoin),
        Box::new(tasks::PingPong),
        Box::new(lifecycle::Gather),
        Box::new(lifecycle::Cancellation),
        Box::new(lifecycle::Timeouts),
        Box::new(lifecycle::Scoped),
        Box::new(lifecycle::Streams),
        Box::new(sharing::Locks),
        Box::new(sharing::Semaphore),
        Box::new(sharing::Channels),
        Box::new(BlockingStall),
        Box::new(network::HttpServer),
        Box::new(network::HttpClient),
        Box::new(Kernels::new(Kernel::Mandelbrot)),
        Box::new(Kernels::new(Kernel::MergeSort)),
        Box::new(Kernels::new(Kernel::Hashing)),
        // Last: the probes read system-wide memory counters, best read after the timed runs.
        Box::new(idle::IdleTasks),
    ]
}
