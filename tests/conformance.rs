//! One conformance suite, run against every model: the same workloads, the same expected
//! answers, the same semantics. A model passes when each workload gives the right answer,
//! behaves as its kind promises (waits overlap, every task is joined once), and skips only
//! the workloads it declares it cannot run, with a reason.
//!
//! Timing bounds here are deliberately loose (a noisy 2-core machine must pass them); the
//! figures themselves belong to `cargo bench`.

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use concurrency_models::models::ModelId;
use workloads::sizes::Profile;
use workloads::{Kind, Model, Skip, idle, ping_pong, spawn_join, waits};

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

/// A skip must say why, on one line.
fn assert_explained(id: ModelId, workload: &str, skip: &Skip) {
    assert!(!skip.reason.trim().is_empty(), "{id} skips {workload} without a reason");
    assert!(!skip.reason.contains('\n'), "{id}'s reason for skipping {workload} is not one line");
}

/// W1: every task's index comes back once, and the waits overlap as the model's kind says.
fn check_waits(id: ModelId) {
    with_model(id, move |model| {
        let info = model.info();
        let sizes = Profile::Test.sizes();
        let wait = sizes.wait;
        let mut ran = 0;
        for (n, verdict) in sizes.wait_sizes(&info) {
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
                Kind::Threads | Kind::Async => {
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
        let n = Profile::Test.sizes().spawn_tasks;
        let outcome = model.spawn_join(n).expect("W2 runs");
        assert_eq!(outcome.joined, n);
        spawn_join::check(&spawn_join::expected(n), &outcome).unwrap();
    });
}

/// W3: the token made every hop, or the model says why it has no ping-pong.
fn check_ping_pong(id: ModelId, skips: bool) {
    with_model(id, move |model| {
        let rounds = Profile::Test.sizes().ping_pong_rounds;
        match model.ping_pong(rounds) {
            Ok(outcome) => {
                assert!(!skips, "{id} was expected to skip ping-pong");
                ping_pong::check(rounds, &outcome).unwrap();
            }
            Err(skip) => {
                assert!(skips, "{id} skipped ping-pong: {skip}");
                assert_explained(id, "ping_pong", &skip);
            }
        }
    });
}

/// W4: all N tasks are alive at the peak, the peak is seen once, and all are joined after.
fn check_idle(id: ModelId, skips: bool) {
    with_model(id, move |model| {
        let info = model.info();
        let n = Profile::Test.sizes().idle_sizes(&info).first().copied().unwrap_or(10);
        let mut peaks = Vec::new();
        match model.idle_tasks(n, &mut |peak| peaks.push(peak.clone())) {
            Ok(outcome) => {
                assert!(!skips, "{id} was expected to skip idle tasks");
                idle::check(&outcome).unwrap();
                assert_eq!((outcome.started, outcome.joined, outcome.error), (n, n, None));
                assert_eq!(peaks.len(), 1, "{id}: the peak must be reported exactly once");
                assert_eq!(peaks[0].started, n);
            }
            Err(skip) => {
                assert!(skips, "{id} skipped idle tasks: {skip}");
                assert!(peaks.is_empty());
                assert_explained(id, "idle_tasks", &skip);
            }
        }
    });
}

/// One module of tests per model; `skips` lists the workloads it declares it cannot run.
macro_rules! conformance {
    ($name:ident, $id:expr, skips: [$($skip:ident),*]) => {
        mod $name {
            use super::*;
            const SKIPS: &[&str] = &[$(stringify!($skip)),*];

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
                check_ping_pong($id, SKIPS.contains(&"ping_pong"));
            }

            /// W4: N tasks held at once and joined, or the model says why it cannot.
            #[test]
            fn idle_tasks() {
                check_idle($id, SKIPS.contains(&"idle_tasks"));
            }
        }
    };
}

conformance!(sequential, ModelId::Sequential, skips: [idle_tasks]);
conformance!(threads, ModelId::Threads, skips: []);
conformance!(rayon, ModelId::Rayon, skips: [ping_pong, idle_tasks]);
conformance!(tokio, ModelId::Tokio, skips: []);
conformance!(tokio_ct, ModelId::TokioCt, skips: []);
conformance!(async_std, ModelId::AsyncStd, skips: []);
conformance!(smol, ModelId::Smol, skips: []);

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
