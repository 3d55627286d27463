"""W11, a semaphore on threads: threading.Semaphore(K) around each job, a thread per job."""

import threading
import time

import workloads
from workloads.semaphore import ChurnOutcome, Gauge, SemaphoreOutcome

from .join_handle import spawn_all


def semaphore(jobs, permits, wait):
    """Starts `jobs` threads at once; each takes one of `permits` permits, sleeps `wait`
    seconds holding it, and gives it back. Returns the most jobs that held one at once.

    Stresses: the kernel's timers and wake-ups, as in W1: at most K threads sleep with a
    permit, the rest sleep in `acquire`, and each release wakes one of them."""
    sem, gauge = threading.Semaphore(permits), Gauge()
    ran = len([h.join() for h in spawn_all(jobs, run_jobs, sem, gauge, 1, wait)])
    return SemaphoreOutcome(jobs=ran, most_at_once=gauge.most, inside_after=gauge.inside)


def permit_churn(workers, permits, rounds):
    """The permit's own cost: `workers` threads each take and give back one of `permits`
    permits `rounds` times, with nothing but the gauge in between.

    Stresses: the semaphore under contention: threading.Semaphore is a Condition around a
    lock, so a thread that finds no permit sleeps on the condition, and each release
    notifies one sleeper."""
    sem, gauge = threading.Semaphore(permits), Gauge()
    ran = len([h.join() for h in spawn_all(workers, run_jobs, sem, gauge, rounds, 0)])
    return ChurnOutcome(pairs=ran * rounds, most_at_once=gauge.most)


def run_jobs(_index, sem, gauge, rounds, wait):
    """One thread: `rounds` jobs, each holding a permit for `wait` seconds."""
    for _ in range(rounds):
        if not sem.acquire(timeout=workloads.TIMEOUT):
            raise TimeoutError("no permit came free")
        try:
            gauge.enter()
            # A zero wait (churn) must cost nothing: skip the call.
            if wait:
                time.sleep(wait)
            gauge.leave()
        finally:
            sem.release()
