//! W12, channels and the pipeline across processes: the channel is a pipe, as in a shell's
//! `producer | consumer`, with the producers as processes writing to it and the consumers as
//! processes reading from it. Each message is its number as eight bytes.
//!
//! **Many writers and many readers on one pipe.** Every message is one `write` of eight
//! bytes. POSIX makes a write of at most `PIPE_BUF` bytes (4 KiB on Linux) to a pipe atomic:
//! it lands whole, never interleaved with another producer's. Every `read` asks for a whole
//! number of messages, and Linux reads a pipe under the pipe's lock, so with only whole
//! messages in the pipe a read takes only whole messages, even with several consumers
//! reading at once. (Python's `multiprocessing.Queue` takes a lock around its reads instead,
//! as its messages can be larger than `PIPE_BUF`.)
//!
//! **Capacity.** A pipe's capacity is bytes (64 KiB by default, 8 192 of these messages),
//! not messages. A bound in messages takes a second pipe, W11's semaphore: K one-byte
//! tokens, one per free slot. A producer reads a token before each send, a consumer writes
//! one back for each message it has taken, so at most K messages are ever sent and not yet
//! received (Python's `multiprocessing.Queue(maxsize)` pairs its pipe with a semaphore the
//! same way). Unbounded is the other way round: a pipe always has a bound, so each producer
//! puts its messages in an unbounded queue in its own memory, and a feeder thread writes them
//! to the pipe, as `multiprocessing.Queue` does; a send then never waits.
//!
//! **Closing.** The channel closes when the last producer exits: the consumers' `read` then
//! returns the end of the pipe, as `Receiver::iter` ends when the last `Sender` drops. The
//! parent keeps no writing end of its own, for the same reason the threads model drops its
//! sender.
//!
//! **The pipeline's backlog.** As in W11, each process appends to one log file (`O_APPEND`:
//! each write lands whole, in one order): `s` after each send returns, `r` for each message
//! received. The parent replays the log as [`Backlog`] would have counted.
//!
//! [`Backlog`]: workloads::channels::Backlog

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::ops::Range;
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::process::{ExitCode, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use nix::sys::stat::Mode;
use workloads::NotRun;
use workloads::channels::{Capacity, Case, ChannelOutcome, Pipeline, PipelineOutcome, share};

use crate::worker::wait_all;
use crate::worker::{self, Role, Worker};

/// The worker role that sends its share of the messages.
const PRODUCE: &str = "channels-produce";

/// The worker role that receives and sums messages.
const CONSUME: &str = "channels-consume";

/// The worker roles this module's child code runs.
pub(crate) const ROLES: &[Role] = &[(PRODUCE, produce_main), (CONSUME, consume_main)];

/// One message on the pipe: a `u64`, little-endian.
const MESSAGE: usize = 8;

/// The most bytes one write to a pipe may carry and still land whole (POSIX's `PIPE_BUF`,
/// 4 KiB on Linux): a read buffer of this size holds a whole number of messages.
const PIPE_BUF: usize = 4096;

/// A free slot, in the room pipe of a bounded channel.
const SLOT: u8 = b'+';

/// The log's byte for a message sent.
const SENT: u8 = b's';

/// The log's byte for a message received.
const RECEIVED: u8 = b'r';

/// What the role arguments say in place of a path that is not there: an unbounded channel
/// has no room pipe, and a channel outside the pipeline keeps no log.
const NONE: &str = "-";

/// The longest the parent waits for its producers and consumers: far beyond any run, only
/// there so that a stuck worker fails the run instead of hanging it.
const LIMIT: Duration = Duration::from_secs(300);

/// Sends `0..messages` from `case.producers` processes through one pipe (with a room pipe
/// of `case.capacity` slots when bounded) to `case.consumers` processes, which sum what they
/// receive.
///
/// Stresses: the kernel's pipes. Every send and every receive is a system call and a copy
/// into and out of the kernel; with a capacity of 1, each message also makes a producer
/// sleep until a consumer has taken the last one, two wake-ups and a switch between
/// processes per message. Unbounded, the feeders write up to 512 messages in one call and
/// the consumers read as many. Processes suit a channel whose messages carry real work,
/// where the copy is small beside what is done with them; for tiny messages the system
/// calls dominate.
///
/// # Errors
/// A pipe, the FIFO or a temporary folder could not be made, the OS refused a process, or a
/// worker died or answered nonsense; the workers already started are killed and reaped.
pub fn channel(case: Case, messages: usize) -> Result<ChannelOutcome, NotRun> {
    let slots = match case.capacity {
        Capacity::Bounded(slots) => Some(slots),
        Capacity::Unbounded => None,
    };
    exchange(slots, case.producers, case.consumers, messages, false).map(|(delivered, _)| delivered)
}

/// The tutorial's pipeline: `pipeline.producers` processes send `pipeline.items` items
/// through a pipe bounded to `pipeline.capacity` messages to `pipeline.consumers` processes,
/// logging each send and receive; the pipe closes when the last producer exits, which ends
/// the consumers (no sentinel).
///
/// Stresses: back-pressure: a producer that finds no free slot sleeps reading the room pipe
/// until a consumer frees one. For processes this is the shape of a shell pipeline, with the
/// bound set in messages rather than in the pipe's bytes.
///
/// # Errors
/// As [`channel`].
pub fn pipeline(pipeline: Pipeline) -> Result<PipelineOutcome, NotRun> {
    let (delivered, most_ahead) =
        exchange(Some(pipeline.capacity), pipeline.producers, pipeline.consumers, pipeline.items, true)?;
    Ok(PipelineOutcome { delivered, most_ahead })
}

/// A failure to set something up, as a one-line reason.
fn failed(what: &str, e: &dyn std::fmt::Display) -> NotRun {
    NotRun::failed(format!("{what}: {e}"))
}

/// Starts `consumers` processes reading one pipe, then `producers` processes that share
/// `0..messages` and write it to the pipe; with `slots`, a room pipe of that many tokens
/// bounds the channel, and with `logged`, every send and receive is logged. Returns what the
/// consumers received, all together, and the most the producers were ever ahead (zero
/// unless logged).
fn exchange(
    slots: Option<usize>,
    producers: usize,
    consumers: usize,
    messages: usize,
    logged: bool,
) -> Result<(ChannelOutcome, usize), NotRun> {
    let dir = tempfile::tempdir().map_err(|e| failed("cannot make a temporary folder", &e))?;
    // The room pipe: a FIFO, as a consumer's standard streams are taken (stdin is the
    // channel, stdout its answer). The parent holds it open for reading and writing, so it
    // lives, with its tokens, while no worker has it open yet; and none of the opens waits
    // for a partner.
    let room = match slots {
        Some(slots) => {
            let path = dir.path().join("room");
            nix::unistd::mkfifo(&path, Mode::S_IRUSR | Mode::S_IWUSR)
                .map_err(|e| failed("cannot make the FIFO", &e))?;
            let mut held = OpenOptions::new()
                .read(true)
                .write(true)
                .open(&path)
                .map_err(|e| failed("cannot open the FIFO", &e))?;
            // The pipe holds 64 KiB, far more than the capacities asked for: no wait.
            held.write_all(&vec![SLOT; slots]).map_err(|e| failed("cannot write the slots", &e))?;
            Some((path, held))
        }
        None => None,
    };
    let log = dir.path().join("log");
    if logged {
        File::create(&log).map_err(|e| failed("cannot make the log", &e))?;
    }
    let arg = |path: Option<&PathBuf>| path.map_or_else(|| NONE.into(), |p| p.clone().into_os_string());
    let room_arg = arg(room.as_ref().map(|(path, _)| path));
    let log_arg = arg(logged.then_some(&log));

    // The channel itself: an anonymous pipe, its ends handed to the workers as their
    // standard streams.
    let (reader, writer) = io::pipe().map_err(|e| failed("cannot make a pipe", &e))?;
    let mut receivers = Vec::with_capacity(consumers);
    for _ in 0..consumers {
        let mut command = worker::command(CONSUME, [room_arg.clone(), log_arg.clone()])?;
        // Each consumer gets its own copy of the reading end; every message goes to exactly
        // one of them.
        command.stdin(Stdio::from(reader.try_clone().map_err(|e| failed("cannot copy the pipe's end", &e))?));
        receivers.push(Worker::start(command)?);
    }
    // Only the consumers read now: if they all died, a producer's write would fail (the
    // pipe has no reader) instead of blocking for ever.
    drop(reader);
    let mut senders = Vec::with_capacity(producers);
    for p in 0..producers {
        let range = share(p, producers, messages);
        let args =
            [range.start.to_string().into(), range.end.to_string().into(), room_arg.clone(), log_arg.clone()];
        let mut command = worker::command(PRODUCE, args)?;
        command.stdin(Stdio::null());
        command
            .stdout(Stdio::from(writer.try_clone().map_err(|e| failed("cannot copy the pipe's end", &e))?));
        senders.push(Worker::start(command)?);
    }
    // Drop the parent's own writing end: the pipe then ends when the last producer exits,
    // which ends the consumers' reads.
    drop(writer);

    // Wait for everyone before reading any answer: a consumer answers only at the end, and
    // a dead worker must fail the run, not leave the parent waiting on a live one.
    senders.append(&mut receivers);
    let mut everyone = senders;
    wait_all(&mut everyone, LIMIT)?;
    let mut delivered = ChannelOutcome::default();
    // The consumers are the last `consumers` of them; their answers wait in their pipes.
    for consumer in &mut everyone[producers..] {
        let line = consumer.read_line()?;
        let answer = parse_answer(&line)
            .ok_or_else(|| NotRun::failed(format!("consumer {} answered {line:?}", consumer.pid())))?;
        delivered = delivered.merge(answer);
    }
    let most_ahead = if logged { replay(&log)? } else { 0 };
    // The room pipe (and its FIFO) and the folder go only now.
    drop(room);
    Ok((delivered, most_ahead))
}

/// A consumer's answer: `RECEIVED SUM`.
fn parse_answer(line: &str) -> Option<ChannelOutcome> {
    let (received, sum) = line.split_once(' ')?;
    Some(ChannelOutcome { received: received.parse().ok()?, sum: sum.parse().ok()? })
}

/// Replays the log at `path` as [`Backlog`](workloads::channels::Backlog) counts: after each
/// send, how many were sent and not yet received; returns the most.
fn replay(path: &Path) -> Result<usize, NotRun> {
    let log = std::fs::read(path).map_err(|e| failed("cannot read the log", &e))?;
    let (mut sent, mut received, mut most_ahead) = (0_usize, 0_usize, 0_usize);
    for byte in log {
        match byte {
            SENT => {
                sent += 1;
                most_ahead = most_ahead.max(sent.saturating_sub(received));
            }
            RECEIVED => received += 1,
            other => return Err(NotRun::failed(format!("the log holds a stray byte {other:#04x}"))),
        }
    }
    Ok(most_ahead)
}

/// Opens the file at `path` for writing at its end, or nothing where the argument says
/// [`NONE`].
fn open_log(path: &str) -> io::Result<Option<File>> {
    (path != NONE).then(|| OpenOptions::new().append(true).open(path)).transpose()
}

/// The child code of [`PRODUCE`]: `channels-produce START END ROOM LOG`. Writes `START..END`
/// to stdout, one message per write; with a `ROOM` FIFO, reads a slot from it before each;
/// with a `LOG`, appends `s` after each.
fn produce_main(args: &[String]) -> ExitCode {
    let parsed = (|| {
        let start: usize = worker::arg(args, 0, "the first message")?;
        let end: usize = worker::arg(args, 1, "the end of the messages")?;
        let room: String = worker::arg(args, 2, "the room FIFO")?;
        let log: String = worker::arg(args, 3, "the log")?;
        Ok::<_, String>((start..end, room, log))
    })();
    let (messages, room, log) = match parsed {
        Ok(parsed) => parsed,
        Err(why) => return worker::bad_args(PRODUCE, &why),
    };
    match produce(messages, &room, &log) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {PRODUCE}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A producer: send its share of the messages, in order, to the pipe on its stdout.
fn produce(messages: Range<usize>, room: &str, log: &str) -> io::Result<()> {
    // The pipe itself, not Rust's `Stdout`, which buffers lines: one `write` per message.
    let mut channel = File::from(io::stdout().as_fd().try_clone_to_owned()?);
    let mut log = open_log(log)?;
    if room == NONE {
        return produce_unbounded(channel, messages, log);
    }
    // Opened for reading only; it returns at once, as the parent holds the FIFO open.
    let mut room = File::open(room)?;
    for message in messages {
        let mut slot = [0_u8; 1];
        // Sleeps until a consumer has freed a slot: the channel's bound.
        room.read_exact(&mut slot)?;
        // Eight bytes, at most PIPE_BUF: one write that lands whole. An error means every
        // consumer is gone (the pipe has no reader): nobody wants the rest.
        channel.write_all(&(message as u64).to_le_bytes())?;
        if let Some(log) = log.as_mut() {
            log.write_all(&[SENT])?;
        }
    }
    Ok(())
}

/// An unbounded producer: each send goes to a queue in this process's memory, which never
/// waits; a feeder thread takes what has piled up and writes it to the pipe, up to
/// `PIPE_BUF` bytes (512 messages) per write, so each write still lands whole.
fn produce_unbounded(mut channel: File, messages: Range<usize>, mut log: Option<File>) -> io::Result<()> {
    let (send, queue) = mpsc::channel::<u64>();
    let feeder = std::thread::spawn(move || -> io::Result<()> {
        let mut batch = Vec::with_capacity(PIPE_BUF);
        // `recv` fails once the queue is empty and its sender dropped: everything is written.
        while let Ok(first) = queue.recv() {
            batch.clear();
            batch.extend_from_slice(&first.to_le_bytes());
            while batch.len() < PIPE_BUF
                && let Ok(next) = queue.try_recv()
            {
                batch.extend_from_slice(&next.to_le_bytes());
            }
            channel.write_all(&batch)?;
        }
        Ok(())
    });
    for message in messages {
        // Fails only if the feeder has stopped on an error, which its join reports.
        if send.send(message as u64).is_err() {
            break;
        }
        if let Some(log) = log.as_mut() {
            log.write_all(&[SENT])?;
        }
    }
    // The queue's end: the feeder writes what is left and returns. The process must not exit
    // before, or the messages still queued would be lost.
    drop(send);
    feeder.join().map_err(|_| io::Error::other("the feeder thread panicked"))?
}

/// The child code of [`CONSUME`]: `channels-consume ROOM LOG`. Reads messages from stdin
/// until the pipe ends, summing them; with a `ROOM` FIFO, writes a slot back for each
/// message taken; with a `LOG`, appends `r` for each. Then writes `RECEIVED SUM` to stdout.
fn consume_main(args: &[String]) -> ExitCode {
    let parsed = (|| {
        let room: String = worker::arg(args, 0, "the room FIFO")?;
        let log: String = worker::arg(args, 1, "the log")?;
        Ok::<_, String>((room, log))
    })();
    let (room, log) = match parsed {
        Ok(parsed) => parsed,
        Err(why) => return worker::bad_args(CONSUME, &why),
    };
    match consume(&room, &log) {
        Ok(outcome) => {
            println!("{} {}", outcome.received, outcome.sum);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {CONSUME}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A consumer: receive until every producer has exited and the pipe is drained.
fn consume(room: &str, log: &str) -> io::Result<ChannelOutcome> {
    // The pipe itself, not Rust's `Stdin`, which would buffer on its own terms.
    let mut channel = File::from(io::stdin().as_fd().try_clone_to_owned()?);
    // Opened for writing only; it returns at once, as the parent holds the FIFO open.
    let mut room = if room == NONE { None } else { Some(OpenOptions::new().write(true).open(room)?) };
    let mut log = open_log(log)?;
    let mut outcome = ChannelOutcome::default();
    // A whole number of messages per read (see the module's doc); `held` counts the bytes of
    // a message cut short, which can only happen if that promise broke.
    let mut buffer = [0_u8; PIPE_BUF];
    let mut held = 0;
    loop {
        let read = channel.read(&mut buffer[held..])?;
        if read == 0 {
            break;
        }
        held += read;
        let whole = held / MESSAGE * MESSAGE;
        for message in buffer[..whole].chunks_exact(MESSAGE) {
            let message = u64::from_le_bytes(message.try_into().expect("chunks of eight bytes"));
            outcome.record(message as usize);
        }
        let taken = whole / MESSAGE;
        if let Some(log) = log.as_mut() {
            log.write_all(&vec![RECEIVED; taken])?;
        }
        if let Some(room) = room.as_mut() {
            // One slot back per message taken (at most the capacity, so one short write).
            room.write_all(&vec![SLOT; taken])?;
        }
        buffer.copy_within(whole..held, 0);
        held -= whole;
    }
    if held != 0 {
        return Err(io::Error::other(format!("the pipe ended inside a message ({held} bytes left)")));
    }
    Ok(outcome)
}
