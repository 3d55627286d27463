//! W3, ping-pong, without tasks: both sides in one loop, so a hop is a queue push and pop
//! with no switch: the floor under every model's "context switching".

use std::collections::VecDeque;
use std::hint::black_box;

use workloads::ping_pong::PingPongOutcome;

/// Passes a token between two mailboxes `rounds` times; each side adds one per hop.
///
/// Stresses: nothing but memory: the same hand-off as the concurrent models, minus waking
/// anybody up.
pub fn ping_pong(rounds: usize) -> PingPongOutcome {
    let mut pong_inbox = VecDeque::with_capacity(1);
    let mut ping_inbox = VecDeque::with_capacity(1);
    let mut token = 0;
    for _ in 0..rounds {
        // `black_box` keeps the compiler from seeing through the two queues and replacing
        // the loop by `2 * rounds`: the hand-offs are what this baseline measures.
        // Ping's turn.
        black_box(&mut pong_inbox).push_back(token + 1);
        // Pong's turn.
        let received: u64 = pong_inbox.pop_front().expect("ping just sent");
        black_box(&mut ping_inbox).push_back(received + 1);
        // Back to ping.
        token = ping_inbox.pop_front().expect("pong just sent");
    }
    PingPongOutcome { rounds, token }
}
