//! The processes model when a worker dies: killed before it answers, or in the middle of
//! its work, the model reports the death as a failure of that run (never a hang), and
//! leaves no worker behind.
//!
//! The model runs here with a worker program that wraps the real one and kills it on cue:
//! a shell script, set with `model_processes::worker::use_program` before any worker starts.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use concurrency_models::tree::process_tree;
use workloads::cpu::Way;
use workloads::mandelbrot::Mandelbrot;
use workloads::{Compute, NotRun, Profile, Tasks};

/// The real worker program, built by cargo for this test.
const REAL: &str = env!("CARGO_BIN_EXE_process-worker");

/// A worker program that is the real one, except that the waiting worker of index 7 is
/// killed before it answers, and every Mandelbrot worker 50 ms into its work.
fn dying_workers(dir: &Path) -> std::path::PathBuf {
    let script = dir.join("dying-worker");
    let text = format!(
        "#!/bin/sh\n\
         case \"$1 $2\" in\n\
         \x20 'waits-sleep 7') kill -9 $$ ;;\n\
         \x20 mandelbrot-rows*) '{REAL}' \"$@\" 0<&0 & worker=$!; sleep 0.05; kill -9 $worker; wait $worker; exit 1 ;;\n\
         esac\n\
         exec '{REAL}' \"$@\"\n"
    );
    std::fs::write(&script, text).expect("the script is written");
    let mut permissions = std::fs::metadata(&script).expect("it exists").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&script, permissions).expect("it is executable");
    script
}

/// Every worker is gone: this process has no child left (a zombie would still be listed).
fn no_worker_left() {
    let tree = process_tree(std::process::id());
    assert_eq!(tree.len(), 1, "workers left behind: {tree:?}");
}

/// One test, so that nothing else in this process starts workers meanwhile.
#[test]
fn a_dead_worker_is_reported_and_none_is_left_behind() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    model_processes::worker::use_program(dying_workers(dir.path())).expect("no worker started before");
    let model = model_processes::Processes::new(2).expect("the model starts");

    // W1: worker 7 of 20 dies before it answers; the other 19 are killed and reaped.
    let started = Instant::now();
    match model.concurrent_waits(20, Duration::from_millis(200)) {
        Err(NotRun::Failed(why)) => assert!(why.contains("died") || why.contains("ended"), "{why}"),
        other => panic!("a dead worker must fail the run, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(20), "it took {:?}", started.elapsed());
    no_worker_left();

    // W16: every worker of the pool is killed 50 ms into a large image; the run fails at once.
    let image = Arc::new(Mandelbrot::new(Profile::Full));
    for way in [Way::StaticChunks, Way::WorkQueue] {
        let started = Instant::now();
        match model.mandelbrot(&image, way) {
            Err(NotRun::Failed(why)) => assert!(!why.is_empty()),
            other => panic!("{way}: a worker killed mid-task must fail the run, got {other:?}"),
        }
        assert!(started.elapsed() < Duration::from_secs(20), "{way}: it took {:?}", started.elapsed());
        no_worker_left();
    }
}
