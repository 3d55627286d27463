//! The models under comparison, one column each, in table order.

use clap::ValueEnum;
use workloads::Model;
use workloads::catalogue::Workload;

/// A model's id, as given on the command line and shown in benchmark ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModelId {
    /// The baseline: one step after another.
    Sequential,
    /// One OS thread per task.
    Threads,
    /// A rayon pool.
    Rayon,
    /// tokio's multi-thread runtime.
    Tokio,
    /// tokio's current-thread runtime.
    TokioCt,
    /// async-std's global runtime (discontinued upstream).
    AsyncStd,
    /// smol, with an executor on its own threads.
    Smol,
    /// Worker processes over pipes.
    Processes,
}

impl ModelId {
    /// Every model, in table order: the baseline first, then threads and pools, then the
    /// async runtimes, then worker processes.
    pub const ALL: [ModelId; 8] = [
        ModelId::Sequential,
        ModelId::Threads,
        ModelId::Rayon,
        ModelId::Tokio,
        ModelId::TokioCt,
        ModelId::AsyncStd,
        ModelId::Smol,
        ModelId::Processes,
    ];

    /// The id as written on the command line, e.g. `tokio-ct`.
    pub fn as_str(self) -> &'static str {
        match self {
            ModelId::Sequential => "sequential",
            ModelId::Threads => "threads",
            ModelId::Rayon => "rayon",
            ModelId::Tokio => "tokio",
            ModelId::TokioCt => "tokio-ct",
            ModelId::AsyncStd => "async-std",
            ModelId::Smol => "smol",
            ModelId::Processes => "processes",
        }
    }

    /// The references the model hosts, as its [`workloads::ModelInfo::references`]
    /// declares, read without building the model (async-std's runtime, say, starts once per
    /// process, with the worker count of its first use). A test keeps the two in step.
    pub fn references(self) -> Vec<workloads::Reference> {
        match self {
            ModelId::Tokio => {
                vec![model_tokio::hyper_server::REFERENCE, model_tokio::reqwest_client::REFERENCE]
            }
            _ => Vec::new(),
        }
    }

    /// The reference the model hosts for `workload`, if any (tokio hosts hyper for W13 and
    /// reqwest for W15).
    pub fn reference(self, workload: &Workload) -> Option<workloads::Reference> {
        self.references().into_iter().find(|r| r.workload.id == workload.id)
    }

    /// Builds the model with `workers` worker threads for every multi-threaded runtime or
    /// pool. Runtimes start here, so that no measurement includes their start-up.
    ///
    /// # Errors
    /// The runtime could not start (the OS refused its threads), with the reason.
    pub fn build(self, workers: usize) -> Result<Box<dyn Model>, String> {
        let failed = |e: &dyn std::fmt::Display| format!("{} could not start: {e}", self.as_str());
        Ok(match self {
            ModelId::Sequential => Box::new(model_sequential::Sequential::new()),
            ModelId::Threads => Box::new(model_threads::Threads::new(workers)),
            ModelId::Rayon => Box::new(model_rayon::Rayon::new(workers).map_err(|e| failed(&e))?),
            ModelId::Tokio => Box::new(model_tokio::Tokio::multi_thread(workers).map_err(|e| failed(&e))?),
            ModelId::TokioCt => {
                Box::new(model_tokio::Tokio::current_thread(workers).map_err(|e| failed(&e))?)
            }
            ModelId::AsyncStd => Box::new(model_async_std::AsyncStd::new(workers).map_err(|e| failed(&e))?),
            ModelId::Smol => Box::new(model_smol::Smol::new(workers).map_err(|e| failed(&e))?),
            ModelId::Processes => Box::new(model_processes::Processes::new(workers).map_err(|e| failed(&e))?),
        })
    }
}

impl std::fmt::Display for ModelId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The command-line names match the ids the models report about themselves.
    #[test]
    fn ids_match_the_models() {
        for id in ModelId::ALL {
            assert_eq!(ModelId::from_str(id.as_str(), false), Ok(id));
            let model = id.build(2).expect("model starts");
            assert_eq!(model.info().id, id.as_str());
            assert_eq!(model.info().references, id.references(), "{id}'s references");
        }
    }
}
