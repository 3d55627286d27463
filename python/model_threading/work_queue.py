"""Not a workload: the work queue the CPU kernel hands out units with: a shared counter of
the next unit nobody has taken yet. A thread that drew cheap units simply comes back for
more, so every thread stays busy until the last units are handed out. (Rust uses an atomic
fetch_add; Python has no atomics, so a lock guards the counter.)"""

import threading


class WorkQueue:
    def __init__(self, units):
        self._lock = threading.Lock()
        self._next = 0
        self._units = units

    def take(self):
        """The next unit's index, or None once every unit is taken."""
        with self._lock:
            if self._next >= self._units:
                return None
            self._next += 1
            return self._next - 1
