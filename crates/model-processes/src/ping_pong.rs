//! W3, ping-pong: the parent and one worker process pass a token back and forth through two
//! pipes (the worker's stdin and stdout), so every hop wakes the other process. The time per
//! round trip is the price of two switches between processes, each a `write` into the
//! kernel, a wake-up and a `read` out of it.
//!
//! The token travels as 8 raw bytes (a little-endian `u64`), each message written whole and
//! flushed at once: no text to format or parse, and no buffer holding a message back until
//! a newline or a full page. Eight bytes are far under `PIPE_BUF`, so each write is atomic.

use std::io::{Read, Write};
use std::process::ExitCode;
use std::time::Duration;

use workloads::NotRun;
use workloads::ping_pong::PingPongOutcome;

use crate::worker::{Role, Worker};

/// The worker role: answer each token with the token plus one, until end of input.
const PONG: &str = "ping_pong-pong";

/// The worker roles this module's child code runs.
pub(crate) const ROLES: &[Role] = &[(PONG, pong)];

/// How long the worker may take to exit once its input is closed.
const EXIT_LIMIT: Duration = Duration::from_secs(10);

/// The parent and a worker pass a token through two pipes `rounds` times; each adds one per
/// hop.
///
/// Stresses: the kernel's wake-ups across address spaces. A process reading an empty pipe
/// sleeps in the kernel; a write to it wakes it, and the woken process must be scheduled
/// onto a core (on one core, a full switch of address space). Unlike a channel between
/// threads, every message is also copied into the kernel and out again.
///
/// # Errors
/// The OS refused the worker process, or the worker died mid-run.
pub fn ping_pong(rounds: usize) -> Result<PingPongOutcome, NotRun> {
    let mut pong = Worker::spawn(PONG, std::iter::empty::<String>())?;
    let mut token: u64 = 0;
    {
        let (Some(to_pong), Some(from_pong)) = (pong.stdin.as_mut(), pong.stdout.as_mut()) else {
            return Err(NotRun::failed("the pong worker's pipes were not set up"));
        };
        let mut message = [0u8; 8];
        for _ in 0..rounds {
            // `ChildStdin` is unbuffered: one `write` system call per message.
            let sent = to_pong.write_all(&(token + 1).to_le_bytes());
            let answered = sent.and_then(|()| from_pong.read_exact(&mut message));
            if let Err(e) = answered {
                return Err(stopped(&mut pong, &e));
            }
            token = u64::from_le_bytes(message);
        }
    }
    // Closing its stdin ends the worker's loop (end of input), as dropping the sender ends
    // the threads model's pong.
    pong.join(EXIT_LIMIT)?;
    Ok(PingPongOutcome { rounds, token })
}

/// Why the worker stopped answering: it died mid-run (its pipe broke or ended early), with
/// its exit status if it has one within a moment.
fn stopped(pong: &mut Worker, e: &std::io::Error) -> NotRun {
    for _ in 0..50 {
        if let Ok(Some(status)) = pong.child().try_wait() {
            return NotRun::failed(format!("the pong worker ended mid-run ({status})"));
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    NotRun::failed(format!("the pong worker stopped answering: {e}"))
}

/// The worker process: answer until the parent closes the pipe.
fn pong(_args: &[String]) -> ExitCode {
    let mut input = std::io::stdin().lock();
    let mut output = std::io::stdout().lock();
    let mut message = [0u8; 8];
    loop {
        match input.read_exact(&mut message) {
            Ok(()) => {}
            // End of input: the parent is done.
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return ExitCode::SUCCESS,
            Err(_) => return ExitCode::FAILURE,
        }
        let reply = (u64::from_le_bytes(message) + 1).to_le_bytes();
        // Standard output is line-buffered and these bytes hold no newline: flush each
        // message, or it would wait in the buffer and the parent would wait for it.
        if output.write_all(&reply).and_then(|()| output.flush()).is_err() {
            return ExitCode::FAILURE;
        }
    }
}
