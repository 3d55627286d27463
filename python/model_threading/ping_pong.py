"""W3, ping-pong on threads: two threads hand a token back and forth through two
queue.Queues of one, so every hop wakes the other thread."""

import queue

import workloads
from workloads.ping_pong import PingPongOutcome

from .join_handle import spawn


def ping_pong(rounds):
    """Two threads pass a token through two queues `rounds` times; each adds one per hop.

    Stresses: the kernel's wake-ups and the GIL. A `get` on an empty queue sleeps on a lock
    (a futex); the `put` that fills it wakes the sleeper, which must then be scheduled and
    take the GIL back from the thread that woke it."""
    # Capacity 1: at most one token is ever in flight.
    to_pong, to_ping = queue.Queue(maxsize=1), queue.Queue(maxsize=1)
    timeout = workloads.TIMEOUT

    def pong():
        # Answer until ping hangs up (a queue cannot be closed before 3.13: None says so).
        # A get that times out raises queue.Empty: nothing waits forever.
        while (token := to_pong.get(timeout=timeout)) is not None:
            to_ping.put(token + 1, timeout=timeout)

    def ping():
        token = 0
        for _ in range(rounds):
            to_pong.put(token + 1, timeout=timeout)
            token = to_ping.get(timeout=timeout)
        to_pong.put(None, timeout=timeout)
        return token

    pong_thread = spawn(pong, name="pong")
    token = spawn(ping, name="ping").join()
    pong_thread.join()
    return PingPongOutcome(rounds=rounds, token=token)
