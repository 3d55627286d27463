"""Chapter 8's exercises, solved: the tutorial's measure_performance without the garbage
collector, and what each multiprocessing start method gives a child."""

import asyncio
import gc
import multiprocessing
import time

# A module-level value the parent changes after import: a child sees the change only if it
# inherits the parent's memory.
SETTING = "as imported"


def measure_performance_gc(n, wait=0.1, collect=True):
    """The tutorial's gather of `n` sleeps of `wait` seconds, with the cyclic garbage
    collector on or off. Returns (seconds, full collections during the gather).

    With the collector on, CPython runs a full collection whenever enough objects have been
    created since the last one, and each walks every task, coroutine and timer alive; off,
    the gather allocates the same objects and frees them by reference counting alone."""
    full = [0]

    def count(phase, info):
        if phase == "stop" and info["generation"] == 2:
            full[0] += 1

    async def gathered():
        results = await asyncio.gather(*(asyncio.sleep(wait, result=i) for i in range(n)))
        # The answer, checked as the benchmark checks it: every index, in order.
        assert results == list(range(n)), "gather lost or reordered a result"

    was_enabled = gc.isenabled()
    gc.callbacks.append(count)
    if not collect:
        gc.disable()
    try:
        start = time.perf_counter()
        asyncio.run(gathered())
        return time.perf_counter() - start, full[0]
    finally:
        gc.callbacks.remove(count)
        if was_enabled:
            gc.enable()


def _report_setting(answers):
    answers.put(SETTING)


def what_a_child_sees(method):
    """Changes SETTING in the parent, then starts a child with the start method `method`
    and returns what the child reads: `fork` copies the parent's memory as it is now,
    `spawn` and `forkserver` start a fresh interpreter that imports this module again."""
    global SETTING
    SETTING = "changed by the parent"
    try:
        context = multiprocessing.get_context(method)
        answers = context.Queue()
        child = context.Process(target=_report_setting, args=(answers,))
        child.start()
        seen = answers.get(timeout=60)
        child.join(timeout=60)
        return seen
    finally:
        SETTING = "as imported"
