"""The facts behind the Debugging row of "The tutorial's table, measured", on the Python
side: what an exception in a task does in asyncio, threading and multiprocessing, and what
the standard library shows of a program's tasks and threads while it runs (asyncio's task
list with each task's stack; every thread's name and stack). The Rust side is
tests/debugging.rs.

    python3 -m unittest python/test_debugging.py
"""

import asyncio
import multiprocessing
import sys
import threading
import traceback
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

    def test_the_running_tasks_can_be_listed_with_their_stacks(self):
        # A task dump: asyncio.all_tasks() lists every task not yet done, each with its name
        # and the coroutine's frames where it is suspended (Task.print_stack() prints them).
        async def waiting_for_a_reply(gate):
            await gate.wait()

        async def main():
            gate = asyncio.Event()
            tasks = [asyncio.create_task(waiting_for_a_reply(gate), name=f"client-{i}") for i in range(3)]
            await asyncio.sleep(0)
            dump = {t.get_name(): [f.f_code.co_name for f in t.get_stack()] for t in asyncio.all_tasks()}
            gate.set()
            await asyncio.gather(*tasks)
            return dump

        dump = asyncio.run(main())
        for i in range(3):
            self.assertEqual(dump[f"client-{i}"], ["waiting_for_a_reply"], dump)


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

    def test_every_thread_can_be_listed_with_its_name_and_stack(self):
        # What faulthandler.dump_traceback() and py-spy print: every thread's stack, found by
        # its ident in sys._current_frames(), named by threading.enumerate().
        gate = threading.Event()

        def waiting_for_a_job():
            gate.wait(30)

        thread = threading.Thread(target=waiting_for_a_job, name="queue-worker-3")
        thread.start()
        try:
            names = {t.ident: t.name for t in threading.enumerate()}
            stacks = {names.get(ident): [f.name for f in traceback.extract_stack(frame)]
                      for ident, frame in sys._current_frames().items()}
        finally:
            gate.set()
            thread.join(30)
        self.assertIn("waiting_for_a_job", stacks["queue-worker-3"], stacks)


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
