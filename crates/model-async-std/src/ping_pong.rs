//! W3, ping-pong: two tasks hand a token back and forth, so every hop is a wake-up of the
//! other task. The time per round trip is the price of a switch between tasks.

use async_std::channel;
use async_std::task;
use workloads::ping_pong::PingPongOutcome;

/// Two tasks pass a token through two channels `rounds` times; each adds one per hop.
///
/// Stresses: wake-ups. A woken task goes back on an executor queue; with several executor
/// threads it may run on another core than the one that woke it.
pub async fn ping_pong(rounds: usize) -> PingPongOutcome {
    // Capacity 1: at most one token is ever in flight, so a bigger buffer would be unused.
    let (to_pong, pong_inbox) = channel::bounded::<u64>(1);
    let (to_ping, ping_inbox) = channel::bounded::<u64>(1);

    let pong = task::spawn(async move {
        // Answer until the ping side hangs up.
        while let Ok(token) = pong_inbox.recv().await {
            if to_ping.send(token + 1).await.is_err() {
                break;
            }
        }
    });

    let ping = task::spawn(async move {
        let mut token = 0;
        for _ in 0..rounds {
            to_pong.send(token + 1).await.expect("pong hung up early");
            token = ping_inbox.recv().await.expect("pong hung up early");
        }
        token
        // `to_pong` drops here, which ends the pong loop.
    });

    let token = ping.await;
    pong.await;
    PingPongOutcome { rounds, token }
}
