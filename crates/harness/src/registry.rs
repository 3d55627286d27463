//! The registered workloads: one [`Registration`] each, listed in [`all`].
//!
//! A registration takes what a workload declares in its module (its [`Spec`]: which sizes
//! each model runs or why not, which figures it produces, which named sizes the table
//! reads) and says how to measure it, through one of the shapes of [`super::timing`],
//! [`super::latency`] or [`concurrency_models::child`]. Adding a workload to the harness is
//! one registration, listed here.

use criterion::Criterion;
use workloads::Profile;
use workloads::catalogue::Workload;
use workloads::spec::Spec;

use super::compute::{BlockingStall, Kernels};
use super::plan::ModelPoints;
use super::rounds::Round;
use super::{Context, Measured, idle, lifecycle, network, sharing, tasks};
use concurrency_models::kernels::Kernel;
use report::Record;

/// How the harness measures one workload. What the workload declares (its sizes per model,
/// variants, placements, figures, named sizes) is its module's [`Spec`]; a registration adds
/// how it is measured.
pub trait Registration {
    /// What the workload declares, from its module in the workloads crate.
    fn spec(&self) -> &'static dyn Spec;

    /// The workload.
    fn workload(&self) -> &'static Workload {
        self.spec().workload()
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

    /// Whether an extra round ([`Round::extra`]) measures only the points the comparison
    /// table reads ([`super::plan::in_table`]), the harness choosing them; a registration
    /// that picks its own answers `false`.
    fn table_points_in_extra_rounds(&self) -> bool {
        true
    }

    /// Figures computed from the run's figures once every round is in (a speedup over the
    /// baseline's median, say): none by default.
    fn derive(&self, _ctx: &Context, _figures: &[Record]) -> Vec<Record> {
        Vec::new()
    }
}

/// How many rounds `registration` is measured in, in a run of `rounds` rounds of
/// `profile`: its [extra rounds](Spec::extra_rounds) more in a full run of three rounds or
/// more.
pub fn rounds_of(registration: &dyn Registration, profile: Profile, rounds: usize) -> usize {
    if profile == Profile::Full && rounds >= 3 { rounds + registration.spec().extra_rounds() } else { rounds }
}

/// Every workload the harness measures, in the order they run.
pub fn all() -> Vec<Box<dyn Registration>> {
    vec![
        Box::new(tasks::Waits),
        Box::new(tasks::spawn_join()),
        Box::new(tasks::ping_pong()),
        Box::new(lifecycle::Gather),
        Box::new(lifecycle::Cancellation),
        Box::new(lifecycle::Timeouts),
        Box::new(lifecycle::scoped()),
        Box::new(lifecycle::streams()),
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
