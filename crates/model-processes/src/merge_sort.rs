//! W17, merge sort, on worker processes: leaves sorted in parallel, then neighbouring sorted
//! runs merged in pairs, level by level, each level's merges in parallel, as the threads
//! model does. Static chunks cut one leaf per process and give each level's merges to fixed
//! processes; the work queue cuts [`merge_sort::LEAVES`] leaves and hands them out one at a
//! time to whichever process answers next, then does the same with each level's merges.
//!
//! Here moving the data is the cost: the processes share no memory, so every leaf is written
//! into a worker's pipe and its sorted run read back, and every merge sends both runs and
//! gets the merged one back: at each level every number crosses two pipes, each time copied
//! into the kernel and out again (8 raw little-endian bytes a number, the cheapest encoding;
//! Python's `multiprocessing` pickles each object, which costs more). A merge does little
//! work per number, a comparison and a copy, so the copying weighs about as much as the
//! merging. Threads hand each other a pointer.

use std::io::Read;
use std::process::ExitCode;
use std::sync::Arc;

use workloads::NotRun;
use workloads::cpu::Way;
use workloads::merge_sort::{self, leaf};

use crate::pool::{self, Part, Pool, Reply, Request, word};
use crate::worker::Role;

/// The worker role: sort a leaf, or merge two runs, one request after another.
const RUNS: &str = "merge_sort-runs";

/// The worker roles this module's child code runs.
pub(crate) const ROLES: &[Role] = &[(RUNS, runs)];

/// W17 the `way` way on `workers` processes; returns the sorted numbers.
///
/// # Errors
/// [`NotRun::Cannot`] for a way that is not the model's; otherwise the OS refused a
/// process, or a worker died mid-task.
pub fn merge_sort(input: &Arc<[u64]>, way: Way, workers: usize) -> Result<Vec<u64>, NotRun> {
    match way {
        Way::StaticChunks => static_chunks(input, workers),
        Way::WorkQueue => work_queue(input, workers),
        _ => Err(NotRun::Cannot),
    }
}

/// Sorts a copy of `input`: `workers` processes are each sent one leaf of it and send back
/// the leaf sorted; then at each level the pairs of neighbouring runs are sent to the first
/// processes, one pair each, until one run is left; returns the sorted numbers.
///
/// Stresses: the levels above the leaves, as with threads (each level has half as many
/// merges as the one below, and the last one passes over every number alone), and the
/// copying: the parent writes the leaves into the pipes one after another, so the last
/// process starts sorting only once the others' leaves are written, and each level sends
/// every number out and back again.
///
/// # Errors
/// The OS refused a process, or a worker died mid-task.
pub fn static_chunks(input: &[u64], workers: usize) -> Result<Vec<u64>, NotRun> {
    let len = input.len();
    let mut pool = Pool::start(RUNS, workers)?;
    // The leaves: one per process, as even as whole numbers allow. Each is sent straight
    // from the caller's slice: the pipe is the copy.
    let mut runs = numbers(pool.scatter((0..workers).map(|t| sort_request(&input[leaf(len, workers, t)])))?);
    while runs.len() > 1 {
        // An odd run out at the end has nothing to merge with: the parent keeps it as it is.
        let odd = if runs.len() % 2 == 1 { runs.pop() } else { None };
        // Pair `p` goes to process `p`, decided before any is sent.
        let pairs = &runs;
        let mut next = numbers(
            pool.scatter((0..pairs.len() / 2).map(|p| merge_request(&pairs[2 * p], &pairs[2 * p + 1])))?,
        );
        next.extend(odd);
        runs = next;
    }
    pool.finish()?;
    Ok(runs.pop().unwrap_or_default())
}

/// Sorts a copy of `input`: its [`merge_sort::leaves`] leaves are sent to `workers`
/// processes, the next leaf to whichever answers first; then at each level the pair-merges
/// are queued the same way, until one run is left; returns the sorted numbers.
///
/// Stresses: the same levels as [`static_chunks`], with the load balanced at each, and
/// more messages: each of the many leaves and merges is a round trip of its own, and the
/// parent, which writes every request and whose reader threads read every reply, moves
/// every number of every level through itself.
///
/// # Errors
/// The OS refused a process, or a worker died mid-task.
pub fn work_queue(input: &[u64], workers: usize) -> Result<Vec<u64>, NotRun> {
    let len = input.len();
    let count = merge_sort::leaves(len);
    // No more processes than leaves: an idle process would cost a start for nothing.
    let mut pool = Pool::start(RUNS, workers.min(count))?;
    let mut runs = numbers(pool.queue(count, |i| sort_request(&input[leaf(len, count, i)]))?);
    while runs.len() > 1 {
        // An odd run out at the end has nothing to merge with: it is carried up as it is.
        let odd = if runs.len() % 2 == 1 { runs.pop() } else { None };
        let pairs = &runs;
        let mut next =
            numbers(pool.queue(pairs.len() / 2, |p| merge_request(&pairs[2 * p], &pairs[2 * p + 1]))?);
        next.extend(odd);
        runs = next;
    }
    pool.finish()?;
    Ok(runs.pop().unwrap_or_default())
}

/// The request to sort one leaf: its length, then its numbers.
fn sort_request(leaf: &[u64]) -> Request<'_> {
    Request { line: format!("sort {}", leaf.len()), parts: vec![Part::Numbers(leaf)] }
}

/// The request to merge two sorted runs: both lengths, then both runs' numbers.
fn merge_request<'a>(a: &'a [u64], b: &'a [u64]) -> Request<'a> {
    Request {
        line: format!("merge {} {}", a.len(), b.len()),
        parts: vec![Part::Numbers(a), Part::Numbers(b)],
    }
}

/// The runs the workers sent back, in order.
fn numbers(replies: Vec<Reply>) -> Vec<Vec<u64>> {
    replies.into_iter().map(|reply| reply.numbers).collect()
}

/// The worker process: sorts each leaf with the one sequential sort, and merges each pair
/// with the one merge, answering with the run.
fn runs(_args: &[String]) -> ExitCode {
    pool::serve(RUNS, |words, input: &mut dyn Read| {
        let mut input = input;
        let run = match words.first().copied() {
            Some("sort") => {
                let mut leaf = pool::read_numbers(&mut input, word(words, 1, "leaf length")?)?;
                merge_sort::merge_sort(&mut leaf);
                leaf
            }
            Some("merge") => {
                let a = pool::read_numbers(&mut input, word(words, 1, "first run's length")?)?;
                let b = pool::read_numbers(&mut input, word(words, 2, "second run's length")?)?;
                merge_sort::merged(&a, &b)
            }
            other => {
                let why = format!("unknown request {other:?}: sort or merge");
                return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, why));
            }
        };
        Ok(Reply { value: 0, numbers: run })
    })
}
