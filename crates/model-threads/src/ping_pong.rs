//! W3, ping-pong: two threads hand a token back and forth, so every hop wakes the other
//! thread. The time per round trip is the price of two switches between threads.

use std::io;
use std::thread;

use crossbeam::channel;
use workloads::ping_pong::PingPongOutcome;

/// Two threads pass a token through two channels `rounds` times; each adds one per hop.
///
/// Stresses: the kernel's wake-ups. A thread waiting on an empty channel first spins
/// briefly, then sleeps in the kernel (a futex); a send to a sleeping thread is a system
/// call to wake it, and the woken thread must be scheduled onto a core.
///
/// # Errors
/// The OS refused one of the two threads.
pub fn ping_pong(rounds: usize) -> io::Result<PingPongOutcome> {
    // crossbeam's channels rather than `std::sync::mpsc`: the same bounded channel as the
    // async models' (std's `sync_channel` is also fine; crossbeam's is the common choice).
    // Capacity 1: at most one token is ever in flight.
    let (to_pong, pong_inbox) = channel::bounded::<u64>(1);
    let (to_ping, ping_inbox) = channel::bounded::<u64>(1);

    let pong = thread::Builder::new().name("pong".into()).spawn(move || {
        // Answer until the ping side hangs up.
        while let Ok(token) = pong_inbox.recv() {
            if to_ping.send(token + 1).is_err() {
                break;
            }
        }
    })?;

    let ping = thread::Builder::new().name("ping".into()).spawn(move || {
        let mut token = 0;
        for _ in 0..rounds {
            to_pong.send(token + 1).expect("pong hung up early");
            token = ping_inbox.recv().expect("pong hung up early");
        }
        token
        // `to_pong` drops here, which ends the pong loop.
    });

    // If ping could not start, `to_pong` was dropped with its closure and pong ends too.
    let ping = ping?;
    let token = ping.join().expect("ping panicked");
    pong.join().expect("pong panicked");
    Ok(PingPongOutcome { rounds, token })
}
