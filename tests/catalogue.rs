//! Every id is typed once, in its workload's module, and everything the catalogue lists is
//! measured or says why not.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use concurrency_models::models::ModelId;
use harness::registry;
use workloads::Profile;
use workloads::catalogue::{self, Workload};

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

/// The source files under `dirs`, with their text.
fn sources(dirs: &[&str]) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for dir in dirs {
        rust_files(&root().join(dir), &mut files);
    }
    files.into_iter().map(|f| (f.clone(), fs::read_to_string(&f).unwrap())).collect()
}

/// Whether `text` types `id` as a string: alone, or at the head of a benchmark id
/// (workload/model/size).
fn types(text: &str, id: &str) -> bool {
    text.contains(&format!("\"{id}\"")) || text.contains(&format!("\"{id}/"))
}

/// Every workload, metric, variant and named-size id is typed as a string in its workload's
/// own module (the one that defines the workload) and nowhere else: not in the catalogue,
/// the harness, the report, a model crate or a test. An id several workloads share (the
/// CPU kernels' figures and ways) may instead be typed once in one shared module of the
/// workloads crate. So a renamed id cannot leave a stale copy behind, and adding a workload
/// touches no list of ids.
#[test]
fn ids_are_typed_only_in_their_workloads_module() {
    let files = sources(&["crates", "src", "tests", "benches"]);
    assert!(files.len() > 50, "the scan found the sources");
    let modules = root().join("crates/workloads/src");
    let home = |workload: &Workload| -> PathBuf {
        let defines = |text: &str| {
            text.contains(&format!("id: \"{}\"", workload.id))
                && text.contains(&format!("code: \"{}\"", workload.code))
        };
        let homes: Vec<&PathBuf> = files
            .iter()
            .filter(|(f, text)| f.starts_with(&modules) && defines(text))
            .map(|(f, _)| f)
            .collect();
        assert_eq!(homes.len(), 1, "{} is defined in one module: {homes:?}", workload.id);
        homes[0].clone()
    };
    // Each id, with the modules allowed to type it: the homes of the workloads that name it.
    let mut allowed: BTreeMap<&str, BTreeSet<PathBuf>> = BTreeMap::new();
    for ids in workloads::INDEX {
        let own = home(ids.workload);
        let named = std::iter::once(ids.workload.id)
            .chain(ids.metrics.iter().map(|m| m.id))
            .chain(ids.variants.iter().map(|v| v.id))
            .chain(ids.roles.iter().map(|r| r.id));
        for id in named {
            allowed.entry(id).or_default().insert(own.clone());
        }
    }
    let homes: BTreeSet<PathBuf> = allowed.values().flatten().cloned().collect();
    let mut typed = Vec::new();
    for (id, owners) in &allowed {
        let elsewhere: Vec<&PathBuf> =
            files.iter().filter(|(f, text)| !owners.contains(f) && types(text, id)).map(|(f, _)| f).collect();
        let shared = owners.len() > 1
            && elsewhere.len() == 1
            && elsewhere[0].starts_with(&modules)
            && !homes.contains(elsewhere[0]);
        if !shared {
            typed.extend(
                elsewhere
                    .iter()
                    .map(|f| format!("{} types \"{id}\"", f.strip_prefix(root()).unwrap().display())),
            );
        }
    }
    assert!(typed.is_empty(), "use the workload module's constant instead: {typed:#?}");
}

/// Every workload has exactly one registration in the harness.
#[test]
fn every_workload_is_registered_once() {
    let registered: Vec<&str> = registry::all().iter().map(|r| r.workload().id).collect();
    for workload in catalogue::workloads() {
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
                let sizes = registration.spec().sizes(profile, &info);
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
    for workload in catalogue::workloads() {
        assert!(
            suite.contains(&format!("fn {}()", workload.id))
                || suite.contains(&format!("mod {} {{", workload.id)),
            "no conformance test for {}",
            workload.id
        );
    }
}
