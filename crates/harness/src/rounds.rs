//! Interleaved trials: how a run turns noisy measurements into figures that the next run
//! reproduces.
//!
//! A figure measured once, in one stretch of time, says as much about the machine at that
//! moment (which core a thread landed on, what the host was doing) as about the model. So a
//! run measures in **rounds**: each round measures every workload once, and inside a
//! workload every model once, in a new random order each round; the rounds follow each
//! other, so each model's rounds are spread over the whole run. A figure is the median of
//! its rounds, and the rounds themselves stay in the record ([`report::Record::rounds`]),
//! so the table can show how far apart they fell. This is the method of randomized
//! multiple interleaved trials (Abedi and Brecht, ICPE 2017).
//!
//! The order is seeded: `BENCH_SEED` repeats a run's order, and the report records the seed.

use std::collections::HashMap;

use report::{Distribution, Record, Trial, median};
use workloads::Profile;
use workloads::rng::mix;

/// The environment variable that sets the number of rounds.
pub const ROUNDS_ENV: &str = "BENCH_ROUNDS";

/// The environment variable that sets the seed of the rounds' order.
pub const SEED_ENV: &str = "BENCH_SEED";

/// The most rounds a run may ask for: each round is a whole pass over the workloads.
pub const MOST_ROUNDS: usize = 20;

/// One round of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    /// Which round, from 0.
    pub index: usize,
    /// How many rounds this workload is measured in.
    pub of: usize,
    /// Whether this is one of the extra rounds a noisy workload gets past the run's own
    /// ([`workloads::spec::Spec::extra_rounds`]): a workload may measure only the points
    /// the table reads in them.
    pub extra: bool,
    /// The run's seed.
    pub seed: u64,
}

impl Round {
    /// Whether this is the run's last round (where a measurement made once per run goes).
    pub fn is_last(&self) -> bool {
        self.index + 1 == self.of
    }

    /// Shuffles `items` into this round's order for the workload `workload`: a different
    /// order for every round and workload, the same for the same seed.
    pub fn shuffle<T>(&self, workload: &str, items: &mut [T]) {
        let mut state =
            self.seed ^ mix(self.index as u64) ^ workload.bytes().fold(0u64, |h, b| mix(h ^ b as u64));
        // Fisher–Yates, drawing from SplitMix64.
        for i in (1..items.len()).rev() {
            state = mix(state);
            let j = (state % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// The passes of a run, out of `most`, in which a workload measured in `own` rounds runs:
/// every pass when it has as many rounds as the run has passes, else `own` passes spread
/// evenly from the first to the last, so that its rounds, too, span the whole run.
pub fn passes(own: usize, most: usize) -> Vec<usize> {
    if own >= most {
        (0..most).collect()
    } else if own <= 1 {
        vec![0]
    } else {
        (0..own).map(|i| i * (most - 1) / (own - 1)).collect()
    }
}

/// The round a workload measured in `own` rounds makes in pass `pass` of a run of `most`
/// passes whose own count is `base` rounds, if it runs in that pass. A workload with more
/// rounds than the run's ([`workloads::spec::Spec::extra_rounds`]) makes its extra rounds in
/// the passes between the run's own, not after them: a stretch of host noise near the end of
/// a run then spoils one of its rounds, not every extra one.
pub fn round_in(pass: usize, own: usize, base: usize, most: usize, seed: u64) -> Option<Round> {
    let index = passes(own, most).iter().position(|&p| p == pass)?;
    let extra = own > base && !passes(base, most).contains(&pass);
    Some(Round { index, of: own, extra, seed })
}

/// How many rounds a run makes: `BENCH_ROUNDS` if set, else three for a full run, one for a
/// quick one (a first look within four minutes with every model and the Python columns in
/// it: two rounds took six; its figures have no spread, and the spreads, ranks and ties
/// are the full run's), and one for a smoke run (each benchmark once, to see that it works).
///
/// # Errors
/// `BENCH_ROUNDS` is not a number from 1 to [`MOST_ROUNDS`].
pub fn count(profile: Profile) -> Result<usize, String> {
    match std::env::var(ROUNDS_ENV) {
        Ok(text) => match text.trim().parse::<usize>() {
            Ok(n) if (1..=MOST_ROUNDS).contains(&n) => Ok(n),
            _ => Err(format!("{ROUNDS_ENV}={text:?}: expected a number of rounds from 1 to {MOST_ROUNDS}")),
        },
        Err(_) => Ok(match profile {
            Profile::Full => 3,
            Profile::Quick | Profile::Smoke | Profile::Test => 1,
        }),
    }
}

/// The seed of the rounds' order: `BENCH_SEED` if set, else one drawn from the clock.
///
/// # Errors
/// `BENCH_SEED` is not a number.
pub fn seed() -> Result<u64, String> {
    match std::env::var(SEED_ENV) {
        Ok(text) => text.trim().parse().map_err(|_| format!("{SEED_ENV}={text:?}: expected a whole number")),
        Err(_) => Ok(std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64 % 1_000_000_000)),
    }
}

/// One record per figure from the records of every round (each round's records in the order
/// they came): the rounds of a figure are its records with the same key, in round order.
///
/// - Every round gave a value: the value is the median round, the distribution the median of
///   each percentile (its count the sum), criterion's interval and the note those of the
///   median round, and every round is kept in `rounds`.
/// - Some rounds gave a reason instead (a failed step): the figure comes from the others,
///   with a note that says how many rounds failed and why.
/// - No round gave a value: the last round's reason.
pub fn aggregate(trials: Vec<Record>) -> Vec<Record> {
    let mut order: Vec<Vec<Record>> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for record in trials {
        let key = format!("{:?}", record.key());
        match index.get(&key) {
            Some(&i) => order[i].push(record),
            None => {
                index.insert(key, order.len());
                order.push(vec![record]);
            }
        }
    }
    order.into_iter().map(combine).collect()
}

/// The one record of a figure's rounds.
fn combine(rounds: Vec<Record>) -> Record {
    let measured: Vec<&Record> = rounds.iter().filter(|r| r.value.is_some()).collect();
    let failed: Vec<&Record> = rounds.iter().filter(|r| r.value.is_none()).collect();
    if measured.is_empty() {
        return rounds.last().cloned().expect("a figure has at least one round");
    }
    let values: Vec<f64> = measured.iter().filter_map(|r| r.value).collect();
    let value = median(&values).expect("at least one value");
    let middle = measured.iter().find(|r| r.value == Some(value)).expect("the median is a round's value");
    let mut record = Record {
        value: Some(value),
        dist: median_distribution(&measured),
        rounds: measured.iter().map(|r| Trial { value: r.value.unwrap_or_default(), dist: r.dist }).collect(),
        ..(*middle).clone()
    };
    if measured.len() == 1 && rounds.len() == 1 {
        // One round: nothing to spread.
        record.rounds.clear();
    }
    if let Some(failure) = failed.last() {
        let why = failure.reason.clone().unwrap_or_default();
        let note = format!("{} of {} rounds failed: {why}", failed.len(), rounds.len());
        record.reason = Some(match record.reason.take() {
            Some(own) => format!("{own}; {note}"),
            None => note,
        });
    }
    record
}

/// The median of each percentile over the rounds, and the total count of samples.
fn median_distribution(rounds: &[&Record]) -> Option<Distribution> {
    let dists: Vec<Distribution> = rounds.iter().filter_map(|r| r.dist).collect();
    if dists.is_empty() {
        return None;
    }
    let of =
        |f: fn(&Distribution) -> f64| median(&dists.iter().map(f).collect::<Vec<_>>()).unwrap_or_default();
    Some(Distribution {
        count: dists.iter().map(|d| d.count).sum(),
        p50: of(|d| d.p50),
        p99: of(|d| d.p99),
        p999: of(|d| d.p999),
        max: of(|d| d.max),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use report::rows::Stat;
    use workloads::ping_pong::PING_PONG_ROUND_TRIP;
    use workloads::spawn_join::SPAWN_NS_PER_TASK;

    /// The figure is the median round, every round is kept, and the spread is their range.
    #[test]
    fn a_figure_is_the_median_of_its_rounds() {
        let trials = vec![
            Record::value("tokio", &PING_PONG_ROUND_TRIP, Some(10), 700.0),
            Record::value("tokio", &SPAWN_NS_PER_TASK, Some(10), 300.0),
            Record::value("tokio", &PING_PONG_ROUND_TRIP, Some(10), 900.0).with_ci(850.0, 950.0),
            Record::value("tokio", &SPAWN_NS_PER_TASK, Some(10), 320.0),
            Record::value("tokio", &PING_PONG_ROUND_TRIP, Some(10), 800.0).with_ci(790.0, 810.0),
        ];
        let figures = aggregate(trials);
        assert_eq!(figures.len(), 2);
        let ping = &figures[0];
        assert_eq!(ping.value, Some(800.0));
        assert_eq!(ping.ci, Some([790.0, 810.0]), "the median round's interval");
        assert_eq!(ping.round_values(Stat::Value), [700.0, 900.0, 800.0]);
        let spread = ping.spread(Stat::Value).unwrap();
        assert_eq!((spread.low, spread.high, spread.rounds), (700.0, 900.0, 3));
        assert!((spread.relative() - 0.125).abs() < 1e-9);
        // Two rounds: the upper median, a figure one round showed.
        assert_eq!(figures[1].value, Some(320.0));
    }

    /// A round that failed leaves the others' figure, and says so.
    #[test]
    fn failed_rounds_are_counted_not_hidden() {
        let trials = vec![
            Record::value("threads", &PING_PONG_ROUND_TRIP, Some(10), 7_000.0),
            Record::reason("threads", &PING_PONG_ROUND_TRIP, Some(10), "server lost"),
            Record::value("threads", &PING_PONG_ROUND_TRIP, Some(10), 7_200.0),
        ];
        let figure = &aggregate(trials)[0];
        assert_eq!(figure.value, Some(7_200.0));
        assert_eq!(figure.reason.as_deref(), Some("1 of 3 rounds failed: server lost"));
        let only_reasons = vec![
            Record::reason("rayon", &PING_PONG_ROUND_TRIP, None, "no channels"),
            Record::reason("rayon", &PING_PONG_ROUND_TRIP, None, "no channels"),
        ];
        let figure = &aggregate(only_reasons)[0];
        assert_eq!((figure.value, figure.reason.as_deref()), (None, Some("no channels")));
    }

    /// A single round keeps its figure and claims no spread.
    #[test]
    fn one_round_has_no_spread() {
        let figure = &aggregate(vec![Record::value("smol", &PING_PONG_ROUND_TRIP, Some(10), 5.0)])[0];
        assert!(figure.rounds.is_empty() && figure.spread(Stat::Value).is_none());
    }

    /// Rounds that fall into two tight clusters are two modes; the shown figure is in the
    /// larger one. A wide but even spread is not.
    #[test]
    fn two_clusters_are_two_modes() {
        let record = |values: &[f64]| {
            let trials = values.iter().map(|&v| Record::value("threads", &PING_PONG_ROUND_TRIP, Some(10), v));
            aggregate(trials.collect()).remove(0)
        };
        let modes = record(&[850.0, 7_600.0, 880.0]).modes(Stat::Value).unwrap();
        assert_eq!(modes.main, (880.0, 2));
        assert_eq!(modes.other, (7_600.0, 1));
        assert!(record(&[800.0, 1_000.0, 1_300.0]).modes(Stat::Value).is_none(), "no gap of 1.5×");
        assert!(
            record(&[600.0, 1_000.0, 2_000.0]).modes(Stat::Value).is_none(),
            "the lower side is as wide as the gap (1.67× against 2×)"
        );
        // Clusters wider than 1.15× are two modes when the gap is wider still: rayon's
        // contended lock on both cores, in one run, at about 6 M/s or 15 M/s.
        let modes = record(&[4.6e6, 15.1e6, 7.35e6, 5.84e6, 16.4e6]).modes(Stat::Value).unwrap();
        assert_eq!((modes.main, modes.other), ((5.84e6, 3), (16.4e6, 2)));
        assert_eq!(modes.values(), (5.84e6, 16.4e6));
    }

    /// A run of three rounds with noisy workloads at five: the others run in passes 1, 3
    /// and 5, the noisy ones in every pass, their two extra rounds (table points only) in
    /// passes 2 and 4; the last pass is a full round for both, where once-per-run
    /// measurements go.
    #[test]
    fn extra_rounds_are_spread_through_the_run() {
        assert_eq!(passes(3, 5), [0, 2, 4]);
        assert_eq!(passes(5, 5), [0, 1, 2, 3, 4]);
        assert_eq!(passes(1, 1), [0]);
        assert_eq!(passes(3, 3), [0, 1, 2]);
        let plain: Vec<Option<(usize, bool)>> =
            (0..5).map(|p| round_in(p, 3, 3, 5, 1).map(|r| (r.index, r.extra))).collect();
        assert_eq!(plain, [Some((0, false)), None, Some((1, false)), None, Some((2, false))]);
        let noisy: Vec<(usize, bool)> =
            (0..5).map(|p| round_in(p, 5, 3, 5, 1).map(|r| (r.index, r.extra)).unwrap()).collect();
        assert_eq!(noisy, [(0, false), (1, true), (2, false), (3, true), (4, false)]);
        assert!(round_in(4, 3, 3, 5, 1).unwrap().is_last() && round_in(4, 5, 3, 5, 1).unwrap().is_last());
        // Nine passes: three rounds in passes 1, 5 and 9; five in 1, 3, 5, 7 and 9 (extra in 3
        // and 7); nine in every pass, six of them extra.
        assert_eq!(passes(3, 9), [0, 4, 8]);
        assert_eq!(passes(5, 9), [0, 2, 4, 6, 8]);
        let extra = |own: usize| -> Vec<usize> {
            (0..9).filter(|&p| round_in(p, own, 3, 9, 1).is_some_and(|r| r.extra)).collect()
        };
        assert_eq!(extra(5), [2, 6]);
        assert_eq!(extra(9), [1, 2, 3, 5, 6, 7]);
        assert_eq!(extra(3), [] as [usize; 0]);
        // Without extra rounds every workload runs in every pass, none of them extra.
        assert!(
            (0..3).all(|p| round_in(p, 3, 3, 3, 1) == Some(Round { index: p, of: 3, extra: false, seed: 1 }))
        );
    }

    /// Every round has its own order, the same again for the same seed, and every item once.
    #[test]
    fn orders_are_seeded_permutations() {
        let order = |index: usize, seed: u64| {
            let mut items: Vec<usize> = (0..8).collect();
            Round { index, of: 3, extra: false, seed }
                .shuffle(workloads::ping_pong::PING_PONG.id, &mut items);
            items
        };
        assert_eq!(order(0, 7), order(0, 7));
        assert_ne!(order(0, 7), order(1, 7));
        let mut sorted = order(2, 7);
        sorted.sort_unstable();
        assert_eq!(sorted, (0..8).collect::<Vec<_>>());
    }
}
