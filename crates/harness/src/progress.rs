//! Where a long run is, and about how long is left: one line on stderr before each step.
//!
//! A full run takes about twenty minutes and most of its steps print nothing while they
//! measure, so without a word it looks hung. Before each step (one workload's round, or
//! the Python columns' round) the run prints
//!
//! ```text
//! [round 2 of 3] W4 idle tasks (7 of 19 in this round; about 6 min left)
//! ```
//!
//! or, in a full run whose noisy workloads get extra rounds between the others' (so that
//! passes and rounds differ), `[pass 9 of 17] W1 concurrent waits, round 2 of 3 (1 of 6
//! in this pass; about 9 min left)`.
//!
//! The time left is the sum of an estimate for every step not yet done, the one starting
//! included. A step's estimate is, in this order:
//!
//! 1. the mean of the same step in this run's earlier rounds (this machine, now);
//! 2. the same step's time in the previous run of the same profile, which the report
//!    records ([`report::Provenance::step_seconds`]);
//! 3. a rough rate per point (one model at one size) for the profile, times the step's
//!    points ([`rough_seconds_per_point`]);
//!
//! and when a step has none of them, the time left is unknown. The schedule is planned
//! before the first step ([`schedule`]) from the same rules the run follows, so the counts
//! are exact.

use std::collections::BTreeMap;
use std::time::Duration;

use workloads::Profile;
use workloads::catalogue::Workload;

use crate::plan::{ModelPoints, Plan};
use crate::registry::{self, Registration};
use crate::rounds::{self, Round};

/// The key of the Python columns' step in [`report::Provenance::step_seconds`].
pub const PYTHON: &str = "python";

/// One step of the run: a workload's round, or the Python columns' round.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The pass it runs in, from 0.
    pub pass: usize,
    /// What it measures, in words: `W4 idle tasks`, `Python columns`.
    pub label: String,
    /// Its time's key: the workload's code (`W4`), `W10 extra` for an extra round (which
    /// measures only the points the table reads), [`PYTHON`].
    pub key: String,
    /// Its round, from 0.
    pub round: usize,
    /// How many rounds it makes in the run.
    pub of: usize,
    /// How many points it measures (one model at one size, or one Python point).
    pub points: usize,
}

impl Step {
    /// A workload's step in `round`.
    pub fn workload(pass: usize, workload: &Workload, round: Round, points: usize) -> Step {
        Step {
            pass,
            label: format!("{} {}", workload.code, workload.title),
            key: key(workload.code, round.extra),
            round: round.index,
            of: round.of,
            points,
        }
    }

    /// The Python columns' step in round `round` of `of`.
    pub fn python(pass: usize, round: usize, of: usize, points: usize) -> Step {
        Step { pass, label: "Python columns".to_owned(), key: PYTHON.to_owned(), round, of, points }
    }
}

/// A workload's key: its code, and whether the round is an extra one.
pub fn key(code: &str, extra: bool) -> String {
    if extra { format!("{code} extra") } else { code.to_owned() }
}

/// The points `registration` measures in `round`: the plan's, or in an extra round only
/// those the table reads (when the registration leaves that to the harness); `None` when it
/// has nothing to measure and nothing to leave out, and so skips the round.
pub fn round_points(
    plan: &Plan,
    registration: &dyn Registration,
    profile: Profile,
    round: Round,
) -> Option<Vec<ModelPoints>> {
    let mut points = plan.points(registration.workload());
    if round.extra && registration.table_points_in_extra_rounds() {
        // An extra round is for the figures the table shows.
        let spec = registration.spec();
        for model in &mut points {
            model.points.retain(|point| crate::plan::in_table(spec, profile, point));
            model.left_out.clear();
        }
    }
    (!points.iter().all(|p| p.points.is_empty() && p.left_out.is_empty())).then_some(points)
}

/// Every step of a run of `rounds` rounds in `most` passes, in the order the run makes
/// them: pass by pass, the registrations in their order, then the Python columns in the
/// passes of the run's own rounds.
pub fn schedule(
    plan: &Plan,
    registrations: &[Box<dyn Registration>],
    profile: Profile,
    (rounds, most, seed): (usize, usize, u64),
    python_points: usize,
) -> Vec<Step> {
    let mut steps = Vec::new();
    for pass in 0..most {
        for registration in registrations {
            let own = registry::rounds_of(registration.as_ref(), profile, rounds);
            if let Some(round) = rounds::round_in(pass, own, rounds, most, seed)
                && let Some(points) = round_points(plan, registration.as_ref(), profile, round)
            {
                let count = points.iter().map(|p| p.points.len()).sum();
                steps.push(Step::workload(pass, registration.workload(), round, count));
            }
        }
        if python_points > 0
            && let Some(index) = rounds::passes(rounds, most).iter().position(|&p| p == pass)
        {
            steps.push(Step::python(pass, index, rounds, python_points));
        }
    }
    steps
}

/// A rough time per point for a profile's sizes, for a step neither this run nor the last
/// has timed: a full run's twenty minutes over its point-rounds, a quick run's two, a smoke
/// run's. `None` for the tests' sizes, whose runs are too short to be worth a guess.
pub fn rough_seconds_per_point(profile: Profile) -> Option<f64> {
    match profile {
        Profile::Full => Some(ROUGH_FULL),
        Profile::Quick => Some(ROUGH_QUICK),
        Profile::Smoke => Some(ROUGH_SMOKE),
        Profile::Test => None,
    }
}

/// Seconds per point of a full run: 19 min 1 s over its 1 999 point-rounds, on two cores.
const ROUGH_FULL: f64 = 0.57;
/// Seconds per point of a quick run: 2 min 11 s over its 435 points.
const ROUGH_QUICK: f64 = 0.3;
/// Seconds per point of a smoke run (`--test`): 79 s over its 519 points.
const ROUGH_SMOKE: f64 = 0.15;

/// How long `step` will take: this run's mean for its key, else the previous run's, else
/// its points at the rough `rate`; `None` when there is none of them.
pub fn estimate(
    step: &Step,
    done: &[(String, f64)],
    previous: &BTreeMap<String, f64>,
    rate: Option<f64>,
) -> Option<f64> {
    let own: Vec<f64> = done.iter().filter(|(key, _)| *key == step.key).map(|(_, s)| *s).collect();
    if !own.is_empty() {
        return Some(own.iter().sum::<f64>() / own.len() as f64);
    }
    previous.get(&step.key).copied().or_else(|| Some(rate? * step.points as f64))
}

/// The time the steps `left` will take, or `None` when one of them has no estimate.
pub fn time_left(
    left: &[Step],
    done: &[(String, f64)],
    previous: &BTreeMap<String, f64>,
    rate: Option<f64>,
) -> Option<f64> {
    left.iter().map(|step| estimate(step, done, previous, rate)).sum()
}

/// The time left in words: `about 6 min left`, `under a minute left`, `about 1 h 5 min
/// left`, or why there is no estimate.
pub fn left_words(seconds: Option<f64>) -> String {
    let Some(seconds) = seconds else {
        return "time left unknown: no earlier run".to_owned();
    };
    let minutes = (seconds / 60.0).round() as u64;
    match minutes {
        0 => "under a minute left".to_owned(),
        1..60 => format!("about {minutes} min left"),
        _ => format!("about {} h {} min left", minutes / 60, minutes % 60),
    }
}

/// The line printed before `steps[index]` starts, in a run of `most` passes and `rounds`
/// rounds, given the time left.
pub fn line(steps: &[Step], index: usize, most: usize, rounds: usize, left: Option<f64>) -> String {
    let step = &steps[index];
    let in_pass: Vec<&Step> = steps.iter().filter(|s| s.pass == step.pass).collect();
    let nth = steps[..index].iter().filter(|s| s.pass == step.pass).count() + 1;
    let left = left_words(left);
    if most == rounds {
        // Every workload runs in every pass: a pass is a round.
        format!(
            "[round {} of {most}] {} ({nth} of {} in this round; {left})",
            step.pass + 1,
            step.label,
            in_pass.len()
        )
    } else {
        format!(
            "[pass {} of {most}] {}, round {} of {} ({nth} of {} in this pass; {left})",
            step.pass + 1,
            step.label,
            step.round + 1,
            step.of,
            in_pass.len()
        )
    }
}

/// A run's progress: its schedule, what is done, and the previous run's step times.
#[derive(Debug)]
pub struct Progress {
    steps: Vec<Step>,
    most: usize,
    rounds: usize,
    /// Where in the schedule the run is: no step before this one starts again.
    next: usize,
    /// The step started and not yet finished.
    current: Option<usize>,
    /// Each finished step's key and seconds, in the order they ran.
    done: Vec<(String, f64)>,
    previous: BTreeMap<String, f64>,
    rate: Option<f64>,
}

impl Progress {
    /// The progress of a run that makes `steps` in `most` passes of `rounds` rounds, with
    /// the previous run's step times (empty when there was none) and a rough rate per point.
    pub fn new(
        steps: Vec<Step>,
        (rounds, most): (usize, usize),
        previous: BTreeMap<String, f64>,
        rate: Option<f64>,
    ) -> Progress {
        Progress { steps, most, rounds, next: 0, current: None, done: Vec::new(), previous, rate }
    }

    /// Prints the line of the step with `key` in `pass`, the next such step of the
    /// schedule, on stderr; returns the line, or `None` for a step the schedule does not
    /// hold (it then prints nothing).
    pub fn start(&mut self, pass: usize, key: &str) -> Option<String> {
        let index = (self.next..self.steps.len())
            .find(|&i| self.steps[i].pass == pass && self.steps[i].key == key)?;
        self.next = index;
        self.current = Some(index);
        let left = time_left(&self.steps[index..], &self.done, &self.previous, self.rate);
        let line = line(&self.steps, index, self.most, self.rounds, left);
        eprintln!("{line}");
        Some(line)
    }

    /// Records that the step last started took `took` (nothing, when [`Progress::start`]
    /// found no step).
    pub fn finish(&mut self, took: Duration) {
        if let Some(index) = self.current.take() {
            self.done.push((self.steps[index].key.clone(), took.as_secs_f64()));
            self.next = index + 1;
        }
    }

    /// Each step's mean time in this run, by key, to a tenth of a second: what the next
    /// run's estimate reads.
    pub fn step_seconds(&self) -> BTreeMap<String, f64> {
        let mut sums: BTreeMap<String, (f64, usize)> = BTreeMap::new();
        for (key, seconds) in &self.done {
            let entry = sums.entry(key.clone()).or_default();
            entry.0 += seconds;
            entry.1 += 1;
        }
        sums.into_iter().map(|(key, (sum, n))| (key, (sum / n as f64 * 10.0).round() / 10.0)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(pass: usize, key: &str, points: usize) -> Step {
        Step { pass, label: format!("{key} work"), key: key.to_owned(), round: pass, of: 3, points }
    }

    fn previous(times: &[(&str, f64)]) -> BTreeMap<String, f64> {
        times.iter().map(|(k, s)| (k.to_string(), *s)).collect()
    }

    /// A step this run has done before is estimated from this run; else from the previous
    /// run; else from its points at the rough rate; else not at all.
    #[test]
    fn estimate_prefers_this_run_then_the_last_then_the_rough_rate() {
        let w4 = step(1, "W4", 10);
        let done = vec![("W4".to_owned(), 60.0), ("W1".to_owned(), 5.0), ("W4".to_owned(), 80.0)];
        let last = previous(&[("W4", 100.0)]);
        assert_eq!(estimate(&w4, &done, &last, Some(1.0)), Some(70.0));
        assert_eq!(estimate(&w4, &[], &last, Some(1.0)), Some(100.0));
        assert_eq!(estimate(&w4, &[], &BTreeMap::new(), Some(1.5)), Some(15.0));
        assert_eq!(estimate(&w4, &[], &BTreeMap::new(), None), None);
    }

    /// The time left adds every step left; one step without an estimate makes it unknown.
    #[test]
    fn time_left_sums_the_steps_left() {
        let left = [step(2, "W1", 4), step(2, "W4", 10), step(2, PYTHON, 20)];
        let done = [("W1".to_owned(), 12.0)];
        let last = previous(&[("W4", 70.2), (PYTHON, 30.0)]);
        let total = time_left(&left, &done, &last, None).unwrap();
        assert!((total - 112.2).abs() < 1e-9, "{total}");
        assert_eq!(time_left(&left, &done, &previous(&[("W4", 70.2)]), None), None);
        assert_eq!(time_left(&left, &done, &previous(&[("W4", 70.2)]), Some(0.5)), Some(12.0 + 70.2 + 10.0));
        assert_eq!(time_left(&[], &done, &last, None), Some(0.0));
    }

    /// Minutes are rounded; under half a minute is "under a minute"; hours are split out.
    #[test]
    fn time_left_in_words() {
        assert_eq!(left_words(Some(20.0)), "under a minute left");
        assert_eq!(left_words(Some(6.0 * 60.0 + 10.0)), "about 6 min left");
        assert_eq!(left_words(Some(65.0 * 60.0)), "about 1 h 5 min left");
        assert_eq!(left_words(None), "time left unknown: no earlier run");
    }

    /// With as many passes as rounds a pass is a round; otherwise the line names both, and
    /// counts the steps of the pass.
    #[test]
    fn lines_name_the_round_and_count_the_pass() {
        let steps: Vec<Step> = (0..2).flat_map(|pass| [step(pass, "W1", 1), step(pass, "W4", 1)]).collect();
        assert_eq!(
            line(&steps, 3, 2, 2, Some(360.0)),
            "[round 2 of 2] W4 work (2 of 2 in this round; about 6 min left)"
        );
        let mut extra = steps.clone();
        extra.push(Step {
            pass: 2,
            label: "W10 locks".to_owned(),
            key: "W10 extra".to_owned(),
            round: 2,
            of: 17,
            points: 2,
        });
        assert_eq!(
            line(&extra, 4, 17, 3, None),
            "[pass 3 of 17] W10 locks, round 3 of 17 (1 of 1 in this pass; time left unknown: no earlier run)"
        );
    }

    /// A run's progress moves along its schedule, learns from the steps it times, and
    /// records each key's mean.
    #[test]
    fn progress_follows_the_schedule_and_records_step_times() {
        let steps: Vec<Step> = (0..3).flat_map(|pass| [step(pass, "W1", 2), step(pass, "W4", 2)]).collect();
        let mut progress = Progress::new(steps, (3, 3), previous(&[("W1", 10.0), ("W4", 50.0)]), None);
        let first = progress.start(0, "W1").unwrap();
        assert!(first.ends_with("(1 of 2 in this round; about 3 min left)"), "{first}");
        progress.finish(Duration::from_secs(20));
        progress.start(0, "W4").unwrap();
        progress.finish(Duration::from_secs(40));
        // Now this run's own times: 20 s and 40 s a round, two rounds left.
        let third = progress.start(1, "W1").unwrap();
        assert!(
            third.starts_with("[round 2 of 3] W1 work (1 of 2 in this round; about 2 min left)"),
            "{third}"
        );
        progress.finish(Duration::from_secs(30));
        assert_eq!(progress.start(0, "W1"), None, "a step already passed is not started again");
        assert_eq!(progress.step_seconds(), previous(&[("W1", 25.0), ("W4", 40.0)]));
    }
}
