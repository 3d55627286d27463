//! One conformance suite, run against every model: the same workloads, the same expected
//! answers, the same semantics. A model passes when each workload gives the right answer,
//! behaves as its kind promises (waits overlap, every task is joined once), and skips only
//! the workloads it declares it cannot run, with a reason.
//!
//! Timing bounds here are deliberately loose (a noisy 2-core machine must pass them); the
//! figures themselves belong to `cargo bench`.

use std::sync::{Arc, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use concurrency_models::models::ModelId;
use workloads::Profile;
use workloads::catalogue::Workload;
use workloads::channels::{self, PIPELINE};
use workloads::cpu::Way;
use workloads::gather::{self, Expect};
use workloads::hashing::{self, Blocks};
use workloads::locks::{self, Section};
use workloads::mandelbrot::{self, Mandelbrot};
use workloads::scoped::ScopePath;
use workloads::stall::{self, Blocker, Placement, Stall};
use workloads::{
    Kind, Model, ModelInfo, NotRun, cancellation, idle, merge_sort, ping_pong, scoped, semaphore, spawn_join,
    streams, timeouts, waits,
};

/// No single test may take longer than this, whatever goes wrong.
const TEST_LIMIT: Duration = Duration::from_secs(60);

/// Builds `id` and runs `f` on it on another thread, failing the test if it takes longer
/// than [`TEST_LIMIT`] (a lost wake-up must fail the test, not hang it).
fn with_model<T: Send + 'static>(id: ModelId, f: impl FnOnce(&dyn Model) -> T + Send + 'static) -> T {
    let workers = workloads::workers::worker_threads().expect("valid BENCH_WORKERS");
    let (done, result) = mpsc::channel();
    thread::spawn(move || {
        let model = id.build(workers).expect("the model starts");
        let _ = done.send(f(model.as_ref()));
    });
    result.recv_timeout(TEST_LIMIT).unwrap_or_else(|_| panic!("{id}: no result within {TEST_LIMIT:?}"))
}

/// Whether `id` says it does not run `workload` at all: read from the model's own info
/// ([`ModelInfo::cannot`]), never from a list kept here.
fn declared(id: ModelId, workload: &'static Workload) -> bool {
    with_model(id, move |model| model.info().cannot_run(workload, None).is_some())
}

/// Every reason a model gives for what it does not run is one line of words.
fn check_reasons(id: ModelId) {
    with_model(id, move |model| {
        let info: ModelInfo = model.info();
        for cannot in &info.cannot {
            let workload = cannot.workload.id;
            assert!(!cannot.why.trim().is_empty(), "{id} does not run {workload}, without a reason");
            assert!(!cannot.why.contains('\n'), "{id}'s reason for not running {workload} is not one line");
        }
    });
}

/// The outcome of a workload, or `None` when the model declares it does not run it; fails
/// the test when the model refuses a workload it did not declare, runs one it declared it
/// does not, or fails.
fn ran<T>(id: ModelId, workload: &Workload, skips: bool, result: Result<T, NotRun>) -> Option<T> {
    match result {
        Ok(outcome) => {
            assert!(!skips, "{id} runs {}, though it declares it does not", workload.id);
            Some(outcome)
        }
        Err(NotRun::Cannot) => {
            assert!(skips, "{id} does not run {}, and does not declare it", workload.id);
            None
        }
        Err(NotRun::Failed(why)) => panic!("{id} failed {}: {why}", workload.id),
    }
}

/// W1: every task's index comes back once, and the waits overlap as the model's kind says.
fn check_waits(id: ModelId) {
    with_model(id, move |model| {
        let info = model.info();
        let sizes = waits::sizes(Profile::Test);
        let wait = sizes.wait;
        let mut ran = 0;
        for (n, verdict) in sizes.for_model(&info) {
            if verdict.is_err() {
                continue;
            }
            let start = Instant::now();
            let outcome = model.concurrent_waits(n, wait).expect("W1 runs");
            let elapsed = start.elapsed();
            waits::check(n, &outcome).unwrap();
            // Nobody finishes before the wait is over...
            assert!(elapsed >= wait, "{id}: {n} waits ended after {elapsed:?}, before one wait of {wait:?}");
            // ...and the model overlaps as much as it claims.
            let serial = wait * n as u32;
            match info.kind {
                Kind::Sequential => assert!(elapsed >= serial, "{id}: {n} waits took {elapsed:?} < N·D"),
                Kind::Pool => {
                    let rounds = n.div_ceil(info.workers) as u32;
                    assert!(
                        elapsed >= wait * rounds,
                        "{id}: {n} waits on {} workers took {elapsed:?}",
                        info.workers
                    );
                }
                // 1 000 × 100 ms must end far below the 100 s of waiting in sequence.
                Kind::Threads | Kind::Async | Kind::Processes => {
                    assert!(
                        elapsed < Duration::from_secs(10),
                        "{id}: {n} waits took {elapsed:?}: they did not overlap"
                    )
                }
            }
            ran += 1;
        }
        assert!(ran > 0, "{id}: no W1 size fits the test budget");
    });
}

/// W2: every spawned value is joined exactly once (a lost or doubled task changes the sum).
fn check_spawn_join(id: ModelId) {
    with_model(id, |model| {
        let n = spawn_join::tasks_for(Profile::Test, &model.info());
        let outcome = model.spawn_join(n).expect("W2 runs");
        assert_eq!(outcome.joined, n);
        spawn_join::check(&spawn_join::expected(n), &outcome).unwrap();
    });
}

/// W3: the token made every hop, or the model says why it has no ping-pong.
fn check_ping_pong(id: ModelId, skips: bool) {
    with_model(id, move |model| {
        let rounds = ping_pong::rounds(Profile::Test);
        if let Some(outcome) = ran(id, &ping_pong::PING_PONG, skips, model.ping_pong(rounds)) {
            ping_pong::check(rounds, &outcome).unwrap();
        }
    });
}

/// W4: all N tasks are alive at the peak, the peak is seen once, and all are joined after.
fn check_idle(id: ModelId, skips: bool) {
    with_model(id, move |model| {
        let info = model.info();
        let n = idle::sizes(Profile::Test).for_model(&info).first().copied().unwrap_or(10);
        let mut peaks = Vec::new();
        let result = model.idle_tasks(n, &mut |peak| peaks.push(peak.clone()));
        match ran(id, &idle::IDLE, skips, result) {
            Some(outcome) => {
                idle::check(&outcome).unwrap();
                assert_eq!((outcome.started, outcome.joined, outcome.error), (n, n, None));
                assert_eq!(peaks.len(), 1, "{id}: the peak must be reported exactly once");
                assert_eq!(peaks[0].started, n);
            }
            None => assert!(peaks.is_empty(), "{id} reported a peak and then skipped"),
        }
    });
}

/// W5: gather returns every value in submission order; as-completed returns every value
/// once, in the order the tasks finished (by duration, when the tasks overlap; in
/// submission order for a sequential program), and overlapping tasks finish together.
fn check_gather(id: ModelId, skips: bool) {
    with_model(id, move |model| {
        let info = model.info();
        let sizes = gather::sizes(Profile::Test);
        let mut ran_any = false;
        for (n, verdict) in sizes.for_model(&info) {
            if verdict.is_err() {
                continue;
            }
            let durations = gather::durations(n, sizes.spread);
            let start = Instant::now();
            let Some(gathered) = ran(id, &workloads::gather::GATHER, skips, model.gather(&durations)) else {
                return;
            };
            let elapsed = start.elapsed();
            gather::check_gather(&gather::expected_gather(n), &gathered).unwrap();
            if matches!(info.kind, Kind::Threads | Kind::Async | Kind::Processes) {
                // The longest task takes `spread`; in sequence they would take 6.5 times as long.
                assert!(
                    elapsed < sizes.spread * 4,
                    "{id}: gather took {elapsed:?}: the tasks did not overlap"
                );
            }
            let completed = model.as_completed(&durations).expect("as-completed runs where gather does");
            let expect = Expect::for_model(&info, sizes.order_tolerance);
            gather::check_as_completed(&durations, &completed, expect).unwrap();
            ran_any = true;
        }
        assert!(ran_any || skips, "{id}: no W5 size fits the test budget");
    });
}

/// W6: every cancelled task is joined and its resource released; none is left running.
fn check_cancellation(id: ModelId, skips: bool) {
    with_model(id, move |model| {
        let sizes = cancellation::sizes(Profile::Test);
        let result = model.cancellation(sizes.trials, sizes.hold);
        if let Some(outcome) = ran(id, &cancellation::CANCELLATION, skips, result) {
            cancellation::check(sizes.trials, &outcome).unwrap();
        }
    });
}

/// W7: every operation times out, and none finishes its work after its timeout fired.
fn check_timeouts(id: ModelId, skips: bool) {
    with_model(id, move |model| {
        let info = model.info();
        let sizes = timeouts::sizes(Profile::Test);
        for (n, verdict) in sizes.for_model(&info) {
            if verdict.is_err() {
                continue;
            }
            let result = model.timeouts(n, sizes.deadline, sizes.work);
            let Some(outcome) = ran(id, &timeouts::TIMEOUTS, skips, result) else { return };
            timeouts::check(n, &outcome).unwrap();
            // Lateness is a figure for the benchmark; here only that nobody saw the timeout
            // before the deadline could have passed (negative lateness is impossible).
            assert!(outcome.lateness.iter().all(|l| *l < Duration::from_secs(10)), "{id}: absurd lateness");
        }
    });
}

/// W8: the resource is released on the success, error and cancellation paths.
fn check_scoped(id: ModelId, skips: bool) {
    with_model(id, move |model| {
        let n = scoped::scopes(Profile::Test);
        for path in ScopePath::ALL {
            let result = model.scoped_resources(n, path);
            let Some(outcome) = ran(id, &scoped::SCOPED, skips, result) else { return };
            scoped::check(n, path, &outcome).unwrap_or_else(|e| panic!("{id}, {path:?} path: {e}"));
        }
    });
}

/// W9: every item of the stream arrives once (count and sum).
fn check_streams(id: ModelId, skips: bool) {
    with_model(id, move |model| {
        let n = streams::items(Profile::Test);
        if let Some(outcome) = ran(id, &streams::STREAMS, skips, model.stream(n)) {
            streams::check(&streams::expected(n), &outcome).unwrap();
        }
    });
}

/// W10: every increment is counted, with both sections, at every worker count; each worker
/// reports its longest wait.
fn check_locks(id: ModelId, skips: bool) {
    with_model(id, move |model| {
        let sizes = locks::sizes(Profile::Test);
        for &workers in sizes.workers {
            for section in Section::ALL {
                let increments = sizes.per_worker(section, workers);
                let result = model.locked_counter(workers, increments, section);
                let Some(outcome) = ran(id, &workloads::locks::LOCKS, skips, result) else { return };
                locks::check(workers, increments, &outcome)
                    .unwrap_or_else(|e| panic!("{id}, {workers} workers, {section:?}: {e}"));
            }
        }
    });
}

/// W11: exactly K jobs at once at the most, never more, and the run takes about ⌈N/K⌉·D;
/// under churn, never more than K permits held.
fn check_semaphore(id: ModelId, skips: bool) {
    with_model(id, move |model| {
        let sizes = semaphore::sizes(Profile::Test);
        let start = Instant::now();
        let result = model.semaphore(sizes.jobs, sizes.permits, sizes.wait);
        let Some(outcome) = ran(id, &semaphore::SEMAPHORE, skips, result) else { return };
        let elapsed = start.elapsed();
        semaphore::check(sizes.jobs, sizes.permits, &outcome).unwrap();
        let ideal = sizes.ideal();
        assert!(
            elapsed >= ideal,
            "{id}: {elapsed:?} is less than ⌈N/K⌉·D = {ideal:?}: more than K ran at once"
        );
        assert!(
            elapsed < ideal * 5,
            "{id}: {elapsed:?} is far over ⌈N/K⌉·D = {ideal:?}: fewer than K ran at once"
        );
        let (workers, permits, rounds) = (sizes.churn_workers, sizes.churn_permits, sizes.churn_rounds);
        let churn =
            model.permit_churn(workers, permits, rounds).expect("churn runs where the semaphore does");
        semaphore::check_churn(workers, permits, rounds, &churn).unwrap();
    });
}

/// W12: every message of every case of the matrix arrives exactly once; the pipeline
/// delivers every item once and its producers never run further ahead than the queue allows.
fn check_channels(id: ModelId, skips: bool) {
    with_model(id, move |model| {
        let messages = channels::messages(Profile::Test);
        for case in channels::cases() {
            let Some(outcome) = ran(id, &workloads::channels::CHANNELS, skips, model.channel(case, messages))
            else {
                return;
            };
            channels::check(messages, &outcome).unwrap_or_else(|e| panic!("{id}, {case:?}: {e}"));
        }
        let outcome = model.pipeline(PIPELINE).expect("the pipeline runs where the channels do");
        channels::check_pipeline(PIPELINE, &outcome).unwrap();
    });
}

/// Each way the model has gives the expected answer; each way it does not have is
/// `NotRun::Cannot`. `run` runs one way and checks the answer itself.
fn check_ways(id: ModelId, workload: &'static Workload, run: fn(&dyn Model, Way) -> Result<(), NotRun>) {
    with_model(id, move |model| {
        let ways = model.info().cpu_ways();
        assert!(!ways.is_empty(), "{id} has no way to run CPU-bound work");
        for way in Way::ALL {
            match run(model, way) {
                Ok(()) => assert!(
                    ways.contains(&way),
                    "{id} ran {} the {way} way, which is not its kind's",
                    workload.id
                ),
                Err(NotRun::Cannot) => {
                    assert!(!ways.contains(&way), "{id} does not run {} the {way} way", workload.id)
                }
                Err(NotRun::Failed(why)) => panic!("{id} failed {} the {way} way: {why}", workload.id),
            }
        }
    });
}

/// W16: every way of the model draws the same image.
fn check_mandelbrot(id: ModelId) {
    check_ways(id, &workloads::mandelbrot::MANDELBROT, |model, way| {
        let image = Arc::new(Mandelbrot::new(Profile::Test));
        let got = model.mandelbrot(&image, way)?;
        mandelbrot::check(image.expected(), got).unwrap_or_else(|e| panic!("{way}: {e}"));
        Ok(())
    });
}

/// W17: every way of the model sorts the same numbers.
fn check_merge_sort(id: ModelId) {
    check_ways(id, &merge_sort::MERGE_SORT, |model, way| {
        // An odd length, so that leaves and halves are uneven.
        let input: Arc<[u64]> = merge_sort::input(merge_sort::len(Profile::Test) + 7).into();
        let want = merge_sort::fingerprint(&input);
        let got = model.merge_sort(&input, way)?;
        merge_sort::check(&want, &got).unwrap_or_else(|e| panic!("{way}: {e}"));
        Ok(())
    });
}

/// W18: every way of the model hashes every block once.
fn check_hashing(id: ModelId) {
    check_ways(id, &workloads::hashing::HASHING, |model, way| {
        let blocks = Arc::new(Blocks::new(hashing::block_count(Profile::Test)));
        let got = model.hash_blocks(&blocks, way)?;
        hashing::check(blocks.expected(), got).unwrap_or_else(|e| panic!("{way}: {e}"));
        Ok(())
    });
}

/// The `q`-quantile of some durations.
fn quantile(mut samples: Vec<Duration>, q: f64) -> Duration {
    samples.sort_unstable();
    samples[((samples.len() - 1) as f64 * q).round() as usize]
}

/// W19: on an async runtime, blocking calls made inline stall the heartbeat and the light
/// requests, and offloaded they do not; threads are preempted by the OS, so nothing stalls.
/// Bounds are generous: a stall is most of a 50 ms call in the worst of up to three runs
/// (two blocking tasks queued on one worker of a work-stealing pool can leave the other
/// worker free for part of a call); no stall is a p99 under half a call in the best of up
/// to three runs (other processes on a small machine can delay a wake-up too).
fn check_stall(id: ModelId, skips: bool) {
    with_model(id, move |model| {
        let info = model.info();
        let workers = info.workers;
        let mut ran_any = false;
        for local in [false, true] {
            for blocker in [Blocker::Cpu, Blocker::Sleep] {
                for placement in [Placement::Inline, Placement::Offloaded] {
                    let stall = Stall::new(Profile::Test, blocker, placement, workers);
                    let stall = if local { stall.on_one_thread() } else { stall };
                    let what = format!("{id} {blocker:?} {placement:?}{}", if local { " local" } else { "" });
                    let stalls = info.kind == Kind::Async && placement == Placement::Inline;
                    // The variant whose declaration covers this run: the same executor and
                    // placement (the single-threaded runs have CPU variants only).
                    let (variant, ..) = stall::VARIANTS
                        .iter()
                        .find(|(_, b, p, l)| *l == local && *p == placement && (*b == blocker || local))
                        .expect("a W19 variant");
                    let cannot = info.cannot_run(&workloads::stall::STALL, Some(variant)).is_some();
                    let mut best: Option<(Duration, Duration)> = None;
                    let mut most: Option<(Duration, Duration)> = None;
                    for _attempt in 0..3 {
                        let outcome = match model.blocking_stall(&stall) {
                            Ok(outcome) => {
                                assert!(!cannot, "{what}: ran, though the model declares it does not");
                                outcome
                            }
                            Err(NotRun::Cannot) => {
                                assert!(cannot, "{what}: not run, and the model does not declare it");
                                break;
                            }
                            Err(NotRun::Failed(why)) => panic!("{what}: failed: {why}"),
                        };
                        ran_any = true;
                        stall::check(&stall, &outcome).unwrap();
                        let worst = |samples: &Vec<Duration>| *samples.iter().max().unwrap();
                        if stalls {
                            let seen = (worst(&outcome.heartbeat), worst(&outcome.requests));
                            most = Some(most.map_or(seen, |m| (m.0.max(seen.0), m.1.max(seen.1))));
                            if seen.0.min(seen.1) >= stall.block_for * 3 / 5 {
                                break;
                            }
                            continue;
                        }
                        let p99 = (
                            quantile(outcome.heartbeat.clone(), 0.99),
                            quantile(outcome.requests.clone(), 0.99),
                        );
                        best = Some(best.map_or(p99, |b| (b.0.min(p99.0), b.1.min(p99.1))));
                        if p99.0.max(p99.1) < stall.block_for / 2 {
                            break;
                        }
                    }
                    if let Some((heartbeat, requests)) = most {
                        for (name, worst) in [("heartbeat", heartbeat), ("requests", requests)] {
                            assert!(
                                worst >= stall.block_for * 3 / 5,
                                "{what}: {name} never stalled in three runs: worst {worst:?}"
                            );
                        }
                    }
                    if let Some((heartbeat, requests)) = best {
                        assert!(
                            heartbeat < stall.block_for / 2,
                            "{what}: the heartbeat stalled: p99 {heartbeat:?}"
                        );
                        assert!(
                            requests < stall.block_for / 2,
                            "{what}: the requests stalled: p99 {requests:?}"
                        );
                    }
                }
            }
        }
        assert_eq!(ran_any, !skips, "{id}: W19 ran: {ran_any}");
    });
}

/// One module of tests per model. What a model does not run, it declares in its own
/// `ModelInfo::cannot`; the tests read it there.
macro_rules! conformance {
    ($name:ident, $id:expr) => {
        mod $name {
            use super::*;

            fn skips(workload: &'static Workload) -> bool {
                declared($id, workload)
            }

            /// Every reason the model gives for what it does not run is one line.
            #[test]
            fn reasons() {
                check_reasons($id);
            }

            /// W1: waits overlap (or not, for the baseline) and every index comes back once.
            #[test]
            fn concurrent_waits() {
                check_waits($id);
            }

            /// W2: every spawned value is joined exactly once.
            #[test]
            fn spawn_join() {
                check_spawn_join($id);
            }

            /// W3: ping-pong ends with the right token, or the model says why it cannot.
            #[test]
            fn ping_pong() {
                check_ping_pong($id, skips(&ping_pong::PING_PONG));
            }

            /// W4: N tasks held at once and joined, or the model says why it cannot.
            #[test]
            fn idle_tasks() {
                check_idle($id, skips(&idle::IDLE));
            }

            /// W5: gather keeps submission order; as-completed follows completion.
            #[test]
            fn gather() {
                check_gather($id, skips(&workloads::gather::GATHER));
            }

            /// W6: cancelled tasks release their resources and are joined.
            #[test]
            fn cancellation() {
                check_cancellation($id, skips(&cancellation::CANCELLATION));
            }

            /// W7: every operation times out and no work continues after its timeout.
            #[test]
            fn timeouts() {
                check_timeouts($id, skips(&timeouts::TIMEOUTS));
            }

            /// W8: the resource is released on every path.
            #[test]
            fn scoped_resources() {
                check_scoped($id, skips(&scoped::SCOPED));
            }

            /// W9: every item of the stream arrives once.
            #[test]
            fn streams() {
                check_streams($id, skips(&streams::STREAMS));
            }

            /// W10: every increment counted under the lock, with both sections.
            #[test]
            fn locked_counter() {
                check_locks($id, skips(&workloads::locks::LOCKS));
            }

            /// W11: exactly K at once, never more.
            #[test]
            fn semaphore() {
                check_semaphore($id, skips(&semaphore::SEMAPHORE));
            }

            /// W12: every message once, in every case; back-pressure held in the pipeline.
            #[test]
            fn channels() {
                check_channels($id, skips(&workloads::channels::CHANNELS));
            }

            /// W16: every way draws the same image.
            #[test]
            fn mandelbrot() {
                check_mandelbrot($id);
            }

            /// W17: every way sorts.
            #[test]
            fn merge_sort() {
                check_merge_sort($id);
            }

            /// W18: every way hashes every block once.
            #[test]
            fn hashing() {
                check_hashing($id);
            }

            /// W19: inline blocking calls stall an async runtime; offloaded ones do not.
            #[test]
            fn blocking_stall() {
                check_stall($id, skips(&workloads::stall::STALL));
            }
        }
    };
}

conformance!(sequential, ModelId::Sequential);
conformance!(threads, ModelId::Threads);
conformance!(rayon, ModelId::Rayon);
conformance!(tokio, ModelId::Tokio);
conformance!(tokio_ct, ModelId::TokioCt);
conformance!(async_std, ModelId::AsyncStd);
conformance!(smol, ModelId::Smol);
conformance!(processes, ModelId::Processes);

/// Every model in the table is covered by this suite.
#[test]
fn every_model_is_covered() {
    let source = include_str!("conformance.rs");
    for id in ModelId::ALL {
        let variant = format!("ModelId::{id:?}");
        assert!(
            source.contains(&format!("conformance!({}, {variant}", id.as_str().replace('-', "_"))),
            "{id}"
        );
    }
}
