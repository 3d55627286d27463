//! The catalogue is the one home of every id, and everything it lists is measured or says
//! why not.

use std::fs;
use std::path::{Path, PathBuf};

use concurrency_models::models::ModelId;
use harness::registry;
use workloads::Profile;
use workloads::catalogue::{METRICS, ROLES, VARIANTS, WORKLOADS};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// No workload, metric, variant or named-size id is typed as a string anywhere but the
/// catalogue, alone or at the head of a benchmark id: a renamed id cannot leave a stale copy
/// behind.
#[test]
fn ids_are_typed_only_in_the_catalogue() {
    let catalogue = root().join("crates/workloads/src/catalogue.rs");
    let ids: Vec<&str> = WORKLOADS
        .iter()
        .map(|w| w.id)
        .chain(METRICS.iter().map(|m| m.id))
        .chain(VARIANTS.iter().map(|v| v.id))
        .chain(ROLES.iter().map(|r| r.id))
        .collect();
    let mut files = Vec::new();
    for dir in ["crates", "src", "tests", "benches"] {
        rust_files(&root().join(dir), &mut files);
    }
    assert!(files.len() > 50, "the scan found the sources");
    let mut typed = Vec::new();
    for file in files.iter().filter(|f| **f != catalogue) {
        let text = fs::read_to_string(file).unwrap();
        for id in &ids {
            // The id alone, or at the head of a benchmark id (workload/model/size).
            if text.contains(&format!("\"{id}\"")) || text.contains(&format!("\"{id}/")) {
                typed.push(format!("{} types \"{id}\"", file.strip_prefix(root()).unwrap().display()));
            }
        }
    }
    assert!(typed.is_empty(), "use the catalogue's constant instead: {typed:#?}");
}

/// Every workload has exactly one registration in the harness.
#[test]
fn every_workload_is_registered_once() {
    let registered: Vec<&str> = registry::all().iter().map(|r| r.workload().id).collect();
    for workload in WORKLOADS {
        let count = registered.iter().filter(|id| **id == workload.id).count();
        assert_eq!(count, 1, "{} is registered {count} times", workload.id);
    }
}

/// Catalogue × every model: each workload gives every model at least one size, and
/// every size either runs (the conformance suite checks its answer or its stated skip) or
/// carries a one-line reason. Nothing is left without a figure path or a reason.
#[test]
fn every_model_has_a_figure_path_or_a_reason() {
    let registrations = registry::all();
    for id in ModelId::ALL {
        let info = id.build(2).expect("the model starts").info();
        for registration in &registrations {
            let workload = registration.workload();
            for profile in [Profile::Full, Profile::Quick, Profile::Smoke] {
                let sizes = registration.sizes(profile, &info);
                assert!(!sizes.is_empty(), "{id} has no size of {} in {profile:?}", workload.id);
                for (n, verdict) in sizes {
                    if let Err(reason) = verdict {
                        assert!(
                            !reason.trim().is_empty() && !reason.contains('\n'),
                            "{id} {} {n}",
                            workload.id
                        );
                    }
                }
            }
        }
    }
}

/// The conformance suites (`conformance.rs`, and `servers.rs` for the network chapter) have
/// a test, or a module of tests, for every workload, in every model.
#[test]
fn conformance_covers_every_workload() {
    let suite = [include_str!("conformance.rs"), include_str!("servers.rs")].concat();
    for workload in WORKLOADS {
        assert!(
            suite.contains(&format!("fn {}()", workload.id))
                || suite.contains(&format!("mod {} {{", workload.id)),
            "no conformance test for {}",
            workload.id
        );
    }
}
