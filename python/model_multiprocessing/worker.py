"""Not a workload: how a worker process is started, answers, and is reaped (the Python twin
of the Rust processes model's worker.rs).

`multiprocessing.Process` drops its target's return value, so a Worker gives each process a
pipe of its own to send it back on: its join returns the value, as a thread's JoinHandle
would. The parent keeps only the pipe's reading end, so a child that dies without answering
shows as the end of the pipe, not as a hang.
"""

import os
import signal
import time

import workloads


class WorkerFailed(Exception):
    """A worker process died, or raised, before it answered."""


class Worker:
    def __init__(self, context, target, args):
        self._reader, writer = context.Pipe(duplex=False)
        # Daemonic: if the parent fails, its exit terminates the worker rather than leave it.
        self.process = context.Process(target=_run, args=(writer, target, args), daemon=True)
        # Raises OSError when the OS refuses a process (EAGAIN, ENOMEM).
        self.process.start()
        writer.close()

    def join(self, timeout=None):
        """Waits (at most `timeout`, workloads.TIMEOUT by default) for the worker's answer,
        reaps the process, and returns what its function returned."""
        timeout = workloads.TIMEOUT if timeout is None else timeout
        if not self._reader.poll(timeout):
            self.process.kill()
            raise TimeoutError(f"worker {self.process.pid} did not answer within {timeout} s")
        try:
            kind, value = self._reader.recv()
        except EOFError:
            self.process.join(timeout)
            raise WorkerFailed(f"worker {self.process.pid} exited with {self.process.exitcode} before answering")
        finally:
            self._reader.close()
        self.process.join(timeout)
        if kind == "error":
            raise WorkerFailed(value)
        return value


def _run(writer, target, args):
    """The child's side: run the target, send back its value (or what it raised)."""
    try:
        answer = ("ok", target(*args))
    except BaseException as error:
        answer = ("error", f"{type(error).__name__}: {error}")
    writer.send(answer)
    writer.close()


def start_all(context, count, target, *args):
    """Starts `count` workers running target(i, *args) for i in 0..count. If the OS refuses
    one, those already started are reaped first, then the error is raised: no process is left
    behind an error."""
    workers = []
    try:
        for i in range(count):
            workers.append(Worker(context, target, (i,) + args))
    except OSError:
        for worker in workers:
            worker.process.kill()
            worker.process.join(workloads.TIMEOUT)
        raise
    return workers


def exit_on_sigterm():
    """Makes SIGTERM raise SystemExit in this process, so that its `with` blocks and
    `finally` clauses run on the way out: how a process releases what it holds when it is
    terminated (the default action would end it at once, releasing nothing of its own)."""
    signal.signal(signal.SIGTERM, _raise_exit)


def _raise_exit(signum, frame):
    raise SystemExit(128 + signum)


class SharedLedger:
    """The Ledger of workloads.resource, across processes: one slot per resource in shared
    memory, which only the process holding that resource writes. No lock: a process
    terminated halfway through a write cannot leave a lock held for the others."""

    LIVE, CLOSED, DROPPED = 1, 2, 3

    def __init__(self, context, slots):
        self.states = context.Array("b", slots, lock=False)
        # When each slot's resource was released, in time.monotonic_ns(): the one clock
        # every process reads alike (CLOCK_MONOTONIC on Linux).
        self.released_at = context.Array("q", slots, lock=False)

    def acquire(self, slot):
        """Marks the slot's resource held; use the result in a `with` block."""
        self.states[slot] = self.LIVE
        return SlotResource(self, slot)

    def count(self, state):
        return sum(1 for s in self.states if s == state)

    @property
    def live(self):
        return self.count(self.LIVE)

    @property
    def closed(self):
        return self.count(self.CLOSED)


class SlotResource:
    def __init__(self, ledger, slot):
        self._ledger, self._slot = ledger, slot

    def close(self):
        """Released by the normal path: the work reached its end."""
        self._release(SharedLedger.CLOSED)

    def _release(self, state):
        if self._ledger.states[self._slot] == SharedLedger.LIVE:
            self._ledger.released_at[self._slot] = time.monotonic_ns()
            self._ledger.states[self._slot] = state

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._release(SharedLedger.DROPPED)
        return False


def orphaned(parent_pid):
    """Whether this process's parent has gone (it is then adopted by another): a worker
    that runs until told to stop checks this, so it cannot outlive a parent that was killed."""
    return os.getppid() != parent_pid
