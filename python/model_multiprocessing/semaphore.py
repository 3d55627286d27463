"""W11, a semaphore on processes: multiprocessing.Semaphore(K) around each job, a process
per job, and the gauge in shared memory."""

import time

import workloads
from workloads.semaphore import ChurnOutcome, SemaphoreOutcome

from .worker import start_all


class SharedGauge:
    """The Gauge of workloads.semaphore in shared memory: (inside, most) under one lock.
    (Python has no atomic integers, across threads or processes: a lock it is.)"""

    def __init__(self, context):
        self.counts = context.RawArray("q", 2)
        self.lock = context.Lock()

    def enter(self):
        with self.lock:
            self.counts[0] += 1
            self.counts[1] = max(self.counts[1], self.counts[0])

    def leave(self):
        with self.lock:
            self.counts[0] -= 1

    @property
    def inside(self):
        return self.counts[0]

    @property
    def most(self):
        return self.counts[1]


def semaphore(context, jobs, permits, wait):
    """Starts `jobs` processes; once all have started they each take one of `permits`
    permits, sleep `wait` seconds holding it, and give it back. Returns the most jobs that
    held one at once.

    Stresses: a semaphore between processes (a POSIX semaphore in shared memory). The jobs
    wait at a start gate: a process takes milliseconds to start, so without the gate the
    first jobs could finish before the K-th had started, and the limit would never be met."""
    sem, gauge, gate = context.Semaphore(permits), SharedGauge(context), context.Event()
    handles = start_all(context, jobs, run_jobs, sem, gauge, gate, 1, wait)
    gate.set()
    ran = len([handle.join() for handle in handles])
    return SemaphoreOutcome(jobs=ran, most_at_once=gauge.most, inside_after=gauge.inside)


def permit_churn(context, workers, permits, rounds):
    """The permit's cost: `workers` processes each take and give back one of `permits`
    permits `rounds` times. The gauge's own lock is taken twice per round, so what is
    measured is the permit plus two uncontended-to-contended lock round trips."""
    sem, gauge, gate = context.Semaphore(permits), SharedGauge(context), context.Event()
    handles = start_all(context, workers, run_jobs, sem, gauge, gate, rounds, 0)
    gate.set()
    ran = len([handle.join() for handle in handles])
    return ChurnOutcome(pairs=ran * rounds, most_at_once=gauge.most)


def run_jobs(_index, sem, gauge, gate, rounds, wait):
    gate.wait(workloads.TIMEOUT)
    for _ in range(rounds):
        if not sem.acquire(timeout=workloads.TIMEOUT):
            raise TimeoutError("no permit came free")
        try:
            gauge.enter()
            if wait:
                time.sleep(wait)
            gauge.leave()
        finally:
            sem.release()
