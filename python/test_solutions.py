"""The solutions of the course's Python exercises (chapter 8), checked.

    python3 -m unittest python/test_solutions.py
"""

import multiprocessing
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from solutions import ch08  # noqa: E402


class Chapter8(unittest.TestCase):
    def test_the_collector_walks_live_tasks_only_when_on(self):
        """With the collector on, a gather of 30 000 sleeps triggers full collections;
        off, none: the work the collector does is the difference in time."""
        on_seconds, on_full = ch08.measure_performance_gc(30_000, wait=0.01, collect=True)
        off_seconds, off_full = ch08.measure_performance_gc(30_000, wait=0.01, collect=False)
        self.assertGreaterEqual(on_full, 1)
        self.assertEqual(off_full, 0)
        self.assertGreater(on_seconds, 0.01)
        self.assertGreater(off_seconds, 0.01)

    def test_fork_copies_the_parent_spawn_imports_again(self):
        """A forked child sees the parent's change; a spawned one sees the module as
        imported."""
        methods = multiprocessing.get_all_start_methods()
        if "fork" in methods:
            self.assertEqual(ch08.what_a_child_sees("fork"), "changed by the parent")
        self.assertEqual(ch08.what_a_child_sees("spawn"), "as imported")
        self.assertEqual(ch08.SETTING, "as imported", "the parent's value is put back")


if __name__ == "__main__":
    unittest.main()
