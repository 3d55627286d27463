//! Chapter 1's timed workloads, W1 to W3, registered with the harness. (W4, idle tasks,
//! is measured in child processes: [`super::idle`].)

use std::time::Duration;

use criterion::Criterion;
use workloads::ping_pong::PingPongOutcome;
use workloads::spawn_join::SpawnOutcome;
use workloads::spec::Spec;
use workloads::{Profile, ping_pong, spawn_join, text, waits};

use super::plan::ModelPoints;
use super::registry::Registration;
use super::rounds::Round;
use super::timing::{Per, PerPoint, Timed};
use super::{Context, Measured};

/// Chapter 1's benchmarks are measured for this long each, per round, in a full run: their
/// rounds' spread, not the window, is what limits them, and the whole run must keep within
/// its budget with every model in it.
pub(crate) const WINDOW: Duration = Duration::from_millis(700);

/// W1's window: its figures are a timer's wait plus the tasks' cost, the steadiest of the
/// run (their rounds agree within 2%), and four calls of 100 ms are enough.
const WAITS_WINDOW: Duration = Duration::from_millis(400);

/// W1, concurrent waits: wall time at every size the model can do within the budget, and
/// the overshoot past the model's ideal.
pub struct Waits;

impl Registration for Waits {
    fn spec(&self) -> &'static dyn Spec {
        &workloads::waits::Declared
    }

    fn notes(&self, profile: Profile) -> Vec<String> {
        let sizes = waits::sizes(profile);
        let mut notes = vec![format!(
            "{} waits last {} each; a size whose expected time is over {} per run is not run, and its cell says so.",
            waits::WAITS.code,
            text::duration(sizes.wait),
            text::duration(sizes.budget)
        )];
        if profile == Profile::Full {
            notes.push(format!(
                "Chapter 1's benchmarks are measured for {} per benchmark and round (W1, whose rounds agree within \
                 2%: {}), to keep the whole run within its time budget.",
                text::duration(WINDOW),
                text::duration(WAITS_WINDOW)
            ));
        }
        notes
    }

    fn measure(
        &mut self,
        ctx: &Context,
        criterion: &mut Criterion,
        plan: &[ModelPoints],
        _: Round,
    ) -> Measured {
        let sizes = waits::sizes(ctx.profile);
        let mut timed = Timed::new(ctx, criterion, self.workload(), WAITS_WINDOW);
        let mut measured = Measured::default();
        for selected in plan {
            let entry = &ctx.models[selected.model];
            for point in &selected.points {
                let n = point.n;
                let call = || entry.model.concurrent_waits(n, sizes.wait);
                let per = Per::Call(1e6);
                let (record, estimate) =
                    timed.measure(&waits::WAITS_WALL_TIME, per, entry.info.id, point, call, |got| {
                        waits::check(n, got)
                    });
                measured.records.push(record);
                // Overshoot: past the model's ideal (D when the waits overlap, N·D in
                // sequence, ⌈N/workers⌉·D on a pool), what the tasks themselves cost.
                if let Some(e) = estimate {
                    let ideal = entry.info.expected_wait_time(n, sizes.wait).as_secs_f64() * 1e3;
                    let overshoot = e.mean_ns / 1e6 - ideal;
                    measured.records.push(point.record(entry.info.id, &waits::WAITS_OVERSHOOT, overshoot));
                }
            }
        }
        timed.finish();
        measured
    }
}

/// W2, spawn and join: nanoseconds per task.
pub fn spawn_join() -> PerPoint<SpawnOutcome, SpawnOutcome> {
    PerPoint {
        spec: &spawn_join::Declared,
        figure: (&spawn_join::SPAWN_NS_PER_TASK, Per::per_item),
        // The expected answer, once per size, outside every clock.
        want: spawn_join::expected,
        call: |model, n| model.spawn_join(n),
        check: spawn_join::check,
        window: WINDOW,
        notes: |_, _| Vec::new(),
    }
}

/// W3, ping-pong: nanoseconds per round trip.
pub fn ping_pong() -> PerPoint<usize, PingPongOutcome> {
    PerPoint {
        spec: &ping_pong::Declared,
        figure: (&ping_pong::PING_PONG_ROUND_TRIP, Per::per_item),
        want: |rounds| rounds,
        call: |model, rounds| model.ping_pong(rounds),
        check: |&rounds, got| ping_pong::check(rounds, got),
        window: WINDOW,
        notes: |_, _| Vec::new(),
    }
}
