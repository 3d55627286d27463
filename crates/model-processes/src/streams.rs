//! W9, streams: a producer process writes the items into a pipe, and the parent reads them
//! back as an iterator: `producer | consumer`, the oldest stream on Unix, and the shape of a
//! `multiprocessing` generator fed through a `Pipe` or a `Queue`.
//!
//! A pipe is not a channel of one item. It is a byte stream with a kernel buffer (64 KiB on
//! Linux), so the producer runs ahead of the consumer until that buffer is full, and each
//! crossing into the kernel is a system call (about a microsecond). So both ends batch: the
//! producer fills a buffer of [`BATCH`] bytes and writes it in one call, the parent reads
//! as much as the pipe holds in one call, and the items are cut out of those bytes in
//! memory. The back-pressure a generator gives (the producer waits for the consumer) is
//! still there, at the size of the pipe: a producer that runs a full pipe ahead blocks in
//! `write` until the consumer reads.

use std::io::{self, BufRead, BufWriter, Write};
use std::os::fd::AsFd;
use std::process::{ExitCode, Stdio};

use workloads::NotRun;
use workloads::streams::{StreamOutcome, item};

use crate::worker::{self, Role, Worker};

/// The worker roles this module's child code runs.
pub(crate) const ROLES: &[Role] = &[(PRODUCE, produce_main)];

/// The producer: `streams-produce N` writes items `0..N` to its standard output.
const PRODUCE: &str = "streams-produce";

/// Bytes the producer gathers before each `write`: 1 024 items. Large enough that the
/// system call is a small part of each batch, small enough (an eighth of the pipe) that the
/// consumer starts on the first items while the producer makes the next.
pub const BATCH: usize = 8 * 1024;

/// An item's size on the wire: a `u64`, little-endian. Bytes, not text: nothing to format
/// or parse.
const ITEM_BYTES: usize = size_of::<u64>();

/// A producer process writes `n` items into a pipe; the calling thread, the consumer,
/// iterates over the pipe and sums them.
///
/// Stresses: the copy through the kernel, twice per batch (into the pipe's buffer, out of
/// it), plus one process start. With batching, a stream of cheap items runs at memory
/// speed once started; the start (about a millisecond) dominates a short stream. Processes
/// suit a stream whose items take real work to make, or whose producer must be isolated
/// (a decoder of untrusted input, a program of its own).
///
/// # Errors
/// The OS refused the process, or the producer died mid-stream (its last item cut short,
/// or its exit status a failure).
pub fn stream(n: usize) -> Result<StreamOutcome, NotRun> {
    let mut command = worker::command(PRODUCE, [n.to_string()])?;
    command.stdin(Stdio::null());
    let mut producer = Worker::start(command)?;
    // The worker's output comes buffered (8 KiB, a batch).
    let pipe = producer.stdout.take().ok_or_else(|| NotRun::failed("the producer has no output"))?;
    let mut outcome = StreamOutcome::default();
    // The iterator ends when the producer closes its end of the pipe: the end of the stream.
    for item in Items::new(pipe) {
        match item {
            Ok(item) => outcome.record(item),
            // The stream broke: the producer died mid-item, or the pipe failed. Its exit
            // status says which.
            Err(e) => {
                let status = producer.wait()?;
                return Err(NotRun::failed(format!(
                    "the stream broke after {} items of {n} ({e}); the producer ended with {status}",
                    outcome.items
                )));
            }
        }
    }
    // The pipe ended; the producer's exit status says whether the stream did, or it died.
    let status = producer.wait()?;
    if !status.success() {
        return Err(NotRun::failed(format!(
            "the producer ended with {status} after {} items of {n}",
            outcome.items
        )));
    }
    Ok(outcome)
}

/// The stream as the consumer sees it: the items in a pipe, one at a time, until the end.
struct Items<R> {
    pipe: R,
}

impl<R: BufRead> Items<R> {
    /// The items in `pipe`, read through its buffer: each `read` takes what the pipe holds,
    /// up to the buffer's size.
    fn new(pipe: R) -> Items<R> {
        Items { pipe }
    }
}

impl<R: BufRead> Iterator for Items<R> {
    type Item = io::Result<u64>;

    fn next(&mut self) -> Option<io::Result<u64>> {
        // Nothing left in the buffer nor in the pipe, and every writer gone: the end.
        match self.pipe.fill_buf() {
            Ok([]) => return None,
            Ok(_) => {}
            Err(e) => return Some(Err(e)),
        }
        let mut bytes = [0_u8; ITEM_BYTES];
        // An end in the middle of an item is an error (`UnexpectedEof`): the producer died.
        Some(self.pipe.read_exact(&mut bytes).map(|()| u64::from_le_bytes(bytes)))
    }
}

/// The child `streams-produce N`.
fn produce_main(args: &[String]) -> ExitCode {
    let n: usize = match worker::arg(args, 0, "items") {
        Ok(n) => n,
        Err(why) => return worker::bad_args(PRODUCE, &why),
    };
    match produce(n) {
        Ok(()) => ExitCode::SUCCESS,
        // A broken pipe: the consumer hung up, nobody wants the rest.
        Err(e) => {
            eprintln!("error: {} {PRODUCE}: {e}", worker::PROGRAM);
            ExitCode::FAILURE
        }
    }
}

/// The producer: items `0..n` in order, in batches of [`BATCH`] bytes; returning closes the
/// pipe, which ends the stream.
fn produce(n: usize) -> io::Result<()> {
    // The standard output's file itself, not Rust's `Stdout`: that one flushes at every
    // newline byte, and in binary data any byte may be one.
    let out = std::fs::File::from(io::stdout().as_fd().try_clone_to_owned()?);
    let mut batches = BufWriter::with_capacity(BATCH, out);
    for i in 0..n {
        batches.write_all(&item(i).to_le_bytes())?;
    }
    // The last, partial batch.
    batches.flush()
}
