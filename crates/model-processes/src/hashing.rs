//! W18, hashing, on worker processes: the blocks shared out between `workers` processes,
//! cut up front into one contiguous range per process (static chunks) or handed out one at
//! a time by the parent to whichever worker answers next (a work queue), as Mandelbrot's
//! rows are.
//!
//! Here moving the data is the cost: the processes share no memory, so each block's 64 KiB
//! is written into a worker's pipe, copied into the kernel and out again, before the worker
//! can hash it; only its 8-byte share of the checksum comes back. Copying a byte costs far
//! less than hashing it, so the processes still gain on more cores, but every byte crosses
//! the parent, which writes the pipes one after another. (The blocks could be rebuilt from
//! their seed in each worker, but a real program's data has no seed: it is in the parent's
//! memory, or in a file each worker would read.) Threads borrow the blocks: nothing is
//! copied.

use std::io::Read;
use std::process::ExitCode;
use std::sync::Arc;

use workloads::NotRun;
use workloads::cpu::Way;
use workloads::hashing::{self, BLOCK_LEN, Blocks};
use workloads::merge_sort::leaf;

use crate::pool::{self, Part, Pool, Reply, Request, word};
use crate::worker::Role;

/// The worker role: hash the blocks it is sent, one request after another.
const BLOCKS: &str = "hashing-blocks";

/// The worker roles this module's child code runs.
pub(crate) const ROLES: &[Role] = &[(BLOCKS, blocks)];

/// W18 the `way` way on `workers` processes; returns the wrapping sum of every block's hash.
///
/// # Errors
/// [`NotRun::Cannot`] for a way that is not the model's; otherwise the OS refused a
/// process, or a worker died mid-task.
pub fn hash_blocks(blocks: &Arc<Blocks>, way: Way, workers: usize) -> Result<u64, NotRun> {
    match way {
        Way::StaticChunks => static_chunks(blocks, workers),
        Way::WorkQueue => work_queue(blocks, workers),
        _ => Err(NotRun::Cannot),
    }
}

/// Starts `workers` processes and sends each one contiguous range of blocks decided before
/// any starts, bytes and all; returns the wrapping sum of every block's hash.
///
/// Stresses: load balance where there seems to be nothing to balance, as with threads (the
/// longest range, or the process the OS runs slowest, sets the time), and the copying: the
/// parent writes each range into its pipe in turn, so the last process starts once the
/// ranges before it have been read by theirs.
///
/// # Errors
/// The OS refused a process, or a worker died mid-task.
pub fn static_chunks(blocks: &Blocks, workers: usize) -> Result<u64, NotRun> {
    let count = blocks.count();
    let mut pool = Pool::start(BLOCKS, workers)?;
    // `workers` contiguous ranges, as even as whole blocks allow, in order.
    let replies = pool.scatter((0..workers).map(|t| blocks_request(blocks, leaf(count, workers, t))))?;
    pool.finish()?;
    Ok(replies.iter().map(|r| r.value).fold(0, u64::wrapping_add))
}

/// Starts `workers` processes; the parent sends each the next block as soon as it answers
/// the previous one, until none is left; returns the wrapping sum of every block's hash.
///
/// Stresses: the queue's overhead, with even units: a round trip through the parent per
/// block, the block's 64 KiB out and 8 bytes back, for which a process that falls behind
/// costs at most one block.
///
/// # Errors
/// The OS refused a process, or a worker died mid-task.
pub fn work_queue(blocks: &Blocks, workers: usize) -> Result<u64, NotRun> {
    let count = blocks.count();
    // No more processes than blocks: an idle process would cost a start for nothing.
    let mut pool = Pool::start(BLOCKS, workers.min(count))?;
    let replies = pool.queue(count, |i| blocks_request(blocks, i..i + 1))?;
    pool.finish()?;
    Ok(replies.iter().map(|r| r.value).fold(0, u64::wrapping_add))
}

/// The request for the blocks `range`: the first block's index and how many, then their
/// bytes, straight from the caller's memory.
fn blocks_request(blocks: &Blocks, range: std::ops::Range<usize>) -> Request<'_> {
    let line = format!("{} {}", range.start, range.len());
    Request { line, parts: range.map(|i| Part::Bytes(blocks.block(i))).collect() }
}

/// The worker process: for each request, reads its blocks one at a time into one buffer and
/// answers with the wrapping sum of their hashes.
fn blocks(_args: &[String]) -> ExitCode {
    let mut block = vec![0u8; BLOCK_LEN];
    pool::serve(BLOCKS, |words, input: &mut dyn Read| {
        let (first, count): (usize, usize) = (word(words, 0, "first block")?, word(words, 1, "blocks")?);
        let mut sum = 0u64;
        for i in first..first + count {
            input.read_exact(&mut block)?;
            sum = sum.wrapping_add(hashing::hash_block(i, &block));
        }
        Ok(Reply { value: sum, numbers: Vec::new() })
    })
}
