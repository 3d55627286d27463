"""A resource that counts itself (crates/workloads/src/resource.rs): what W6 and W7 acquire
and must release on every path.

Rust releases it in `Drop`, which runs however a scope ends. Python's equivalent is a `with`
block (or try/finally): its exit runs on return, on an exception, and on the CancelledError
that asyncio throws into a cancelled task at its await.
"""

import threading
import time


class Ledger:
    """Counts of the resources acquired from it: live, closed (released by the code's normal
    path), dropped (released on the way out by an exception or a cancellation)."""

    def __init__(self, stamping=False):
        # A lock, because `+=` is not atomic across threads (and with free-threading, no
        # Python statement is). Uncontended, it costs tens of nanoseconds.
        self._lock = threading.Lock()
        self.live = 0
        self.acquired = 0
        self.closed = 0
        self.dropped = 0
        self._stamping = stamping
        self._last_release = None

    def acquire(self):
        with self._lock:
            self.acquired += 1
            self.live += 1
        return Resource(self)

    def take_release(self):
        """The perf_counter_ns() of the latest release, taken (so the next trial starts
        clean); None if nothing was released since the last take."""
        with self._lock:
            stamp, self._last_release = self._last_release, None
        return stamp

    def _release(self, closed):
        with self._lock:
            if self._stamping:
                self._last_release = time.perf_counter_ns()
            if closed:
                self.closed += 1
            else:
                self.dropped += 1
            self.live -= 1


class Resource:
    """One acquired resource; use it in a `with` block, which releases it however it ends."""

    def __init__(self, ledger):
        self._ledger = ledger
        self._released = False

    def close(self):
        """Releases it explicitly: the end of the normal path (the work reached its end)."""
        if not self._released:
            self._released = True
            self._ledger._release(closed=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        # Not closed: an exception or a cancellation is leaving the block.
        if not self._released:
            self._released = True
            self._ledger._release(closed=False)
        return False
