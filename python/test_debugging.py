"""The facts behind the Debugging row of "The tutorial's table, measured", on the Python
side: what an exception in a task does in asyncio, threading and multiprocessing. The Rust
side is tests/debugging.rs.

    python3 -m unittest python/test_debugging.py
"""

import asyncio
import multiprocessing
import threading
import unittest


class TaskFailed(Exception):
    pass


def fail(name):
    raise TaskFailed(f"{name} failed")


async def failing_task():
    await asyncio.sleep(0.001)
    fail("task 3")


async def calm_task():
    await asyncio.sleep(0.02)
    return 7


class Asyncio(unittest.TestCase):
    def test_an_exception_is_raised_again_where_the_task_is_awaited(self):
        async def main():
            calm = asyncio.create_task(calm_task())
            failing = asyncio.create_task(failing_task())
            with self.assertRaises(TaskFailed) as raised:
                await failing
            self.assertEqual(str(raised.exception), "task 3 failed")
            self.assertEqual(await calm, 7, "the other task ran to its end")
            # gather raises the first exception too (return_exceptions=True collects them).
            results = await asyncio.gather(failing_task(), calm_task(), return_exceptions=True)
            self.assertIsInstance(results[0], TaskFailed)
            self.assertEqual(results[1], 7)

        asyncio.run(main())


class Threading(unittest.TestCase):
    def test_an_exception_ends_its_thread_only_and_join_returns_normally(self):
        seen = []
        previous = threading.excepthook
        threading.excepthook = lambda args: seen.append((args.thread.name, str(args.exc_value)))
        try:
            thread = threading.Thread(target=fail, args=("worker 3",), name="worker-3")
            thread.start()
            thread.join()  # no exception here: the caller learns nothing from join
        finally:
            threading.excepthook = previous
        self.assertEqual(seen, [("worker-3", "worker 3 failed")])


class Multiprocessing(unittest.TestCase):
    def test_a_worker_exits_with_code_1_and_a_pool_raises_it_again(self):
        context = multiprocessing.get_context()
        process = context.Process(target=fail, args=("worker 3",))
        process.start()
        process.join(30)
        self.assertEqual(process.exitcode, 1, "the exception's traceback went to the worker's stderr")
        with context.Pool(1) as pool:
            with self.assertRaises(TaskFailed) as raised:
                pool.apply_async(fail, ("job 3",)).get(30)
        self.assertEqual(str(raised.exception), "job 3 failed")


if __name__ == "__main__":
    unittest.main()
