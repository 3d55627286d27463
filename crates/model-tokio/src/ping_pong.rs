//! W3, ping-pong: two tasks hand a token back and forth, so every hop is a wake-up of the
//! other task. The time per round trip is the price of a switch between tasks.

use tokio::sync::mpsc;
use workloads::ping_pong::PingPongOutcome;

/// Two tasks pass a token through two channels `rounds` times; each adds one per hop.
///
/// Stresses: wake-ups. On the current-thread runtime a hop is a queue push and a poll on
/// the same thread; on the multi-thread runtime the woken task usually runs next on the same
/// worker (tokio's "LIFO slot"), but can be stolen by another and cross cores.
pub async fn ping_pong(rounds: usize) -> PingPongOutcome {
    // Capacity 1: at most one token is ever in flight, so a bigger buffer would be unused.
    let (to_pong, mut pong_inbox) = mpsc::channel::<u64>(1);
    let (to_ping, mut ping_inbox) = mpsc::channel::<u64>(1);

    let pong = tokio::spawn(async move {
        // Answer until the ping side hangs up.
        while let Some(token) = pong_inbox.recv().await {
            if to_ping.send(token + 1).await.is_err() {
                break;
            }
        }
    });

    let ping = tokio::spawn(async move {
        let mut token = 0;
        for _ in 0..rounds {
            to_pong.send(token + 1).await.expect("pong hung up early");
            token = ping_inbox.recv().await.expect("pong hung up early");
        }
        token
        // `to_pong` drops here, which ends the pong loop.
    });

    let token = ping.await.expect("ping panicked");
    pong.await.expect("pong panicked");
    PingPongOutcome { rounds, token }
}
