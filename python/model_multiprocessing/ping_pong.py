"""W3, ping-pong on processes: the parent and a worker process pass a token back and forth
through a multiprocessing.Pipe (a socket pair), so every hop wakes the other process."""

import workloads
from workloads.ping_pong import PingPongOutcome

from .worker import Worker


def ping_pong(context, rounds):
    """The parent (ping) and a child (pong) pass a token `rounds` times; each adds one.

    Stresses: the kernel: every hop is a pickled message written to a socket, a wake-up of
    the other process, and a switch of address space if both share a core."""
    ping_end, pong_end = context.Pipe(duplex=True)
    pong_worker = Worker(context, pong, (pong_end,))
    pong_end.close()  # the child has its own copy
    token = 0
    for _ in range(rounds):
        ping_end.send(token + 1)
        # poll with a timeout before recv: recv alone would wait forever for a dead child.
        if not ping_end.poll(workloads.TIMEOUT):
            raise TimeoutError("pong did not answer")
        token = ping_end.recv()
    ping_end.send(None)  # hang up
    pong_worker.join()
    ping_end.close()
    return PingPongOutcome(rounds=rounds, token=token)


def pong(end):
    """The child: answer each token with the next, until the parent hangs up."""
    while end.poll(workloads.TIMEOUT):
        token = end.recv()
        if token is None:
            return
        end.send(token + 1)
    raise TimeoutError("ping went quiet")
