//! The `kernels` binary: every way of a model gives the checked answer, and bad input gets a
//! clear message and exit code 2.

use std::process::Command;

use concurrency_models::kernels::KernelReport;
use workloads::cpu::Way;
use workloads::hashing::HASHING;
use workloads::mandelbrot::MANDELBROT;

const KERNELS: &str = env!("CARGO_BIN_EXE_kernels");

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(KERNELS).args(args).output().expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A small run of each kernel on a model with two ways: both run, both answers check.
#[test]
fn runs_every_way_and_reports_json() {
    // The command line spells the kernels as clap does: the catalogue's ids, with dashes.
    for kernel in [MANDELBROT.id, "merge-sort", HASHING.id] {
        let (code, out, err) =
            run(&["--kernel", kernel, "--model", "smol", "--workers", "2", "--size", "64", "--json"]);
        assert_eq!(code, Some(0), "{kernel}: {err}");
        let report: KernelReport = serde_json::from_str(out.lines().last().unwrap()).unwrap();
        let ways: Vec<&str> = report.results.iter().map(|r| r.way.as_str()).collect();
        assert_eq!(ways.len(), 2, "{ways:?}");
        for result in &report.results {
            assert!(result.wrong.is_none() && result.skipped.is_none(), "{result:?}");
            assert!(!result.wall_ns.is_empty() && result.wall_ns.len() == result.cpu_ns.len());
        }
    }
}

/// A size of zero, an unknown kernel or way, a way the model does not have, too many
/// workers: exit code 2, and a message that names the problem.
#[test]
fn bad_input_exits_with_2() {
    let inline = Way::Inline.id();
    let not_its_way = format!("does not run CPU work the {inline} way");
    for (args, says) in [
        (&["--kernel", MANDELBROT.id, "--model", "rayon", "--size", "0"][..], "--size"),
        (&["--kernel", "fibonacci", "--model", "rayon"][..], "fibonacci"),
        (&["--kernel", HASHING.id, "--model", "rayon", "--way", "sideways"][..], "unknown way"),
        (&["--kernel", HASHING.id, "--model", "rayon", "--way", inline][..], not_its_way.as_str()),
        (&["--kernel", HASHING.id, "--model", "tokio", "--workers", "5000"][..], "--workers"),
        (&["--kernel", HASHING.id, "--model", "tokio", "--size", "99999999999"][..], "too large"),
    ] {
        let (code, _, err) = run(args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?} should say {says:?}: {err}");
    }
}
