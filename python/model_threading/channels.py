"""W12, channels on threads: producer and consumer threads around one queue.Queue, which
is multi-producer and multi-consumer (a lock and two conditions inside)."""

import queue

import workloads
from workloads.channels import ChannelOutcome, share

from .join_handle import spawn, spawn_all


def channel(case, messages):
    """Sends 0..messages from `case.producers` threads through one queue.Queue of
    `case.capacity` (0: unbounded) to `case.consumers` threads, which sum what they receive.

    Stresses: the queue's lock and conditions, and the GIL. Unbounded or 64 deep, a put
    rarely waits and the threads mostly pass the GIL around; with a capacity of 1, nearly
    every message puts one side to sleep and the other wakes it, a kernel round trip each."""
    channel = queue.Queue(maxsize=case.capacity)
    consumers = spawn_all(case.consumers, consume, channel)
    producers = [spawn(produce, channel, share(p, case.producers, messages)) for p in range(case.producers)]
    for producer in producers:
        producer.join()
    # Every message is in: one sentinel per consumer tells each one to stop.
    for _ in consumers:
        channel.put(None, timeout=workloads.TIMEOUT)
    outcome = ChannelOutcome()
    for consumer in consumers:
        outcome = outcome.merge(consumer.join())
    return outcome


def produce(channel, messages):
    timeout = workloads.TIMEOUT
    for message in messages:
        channel.put(message, timeout=timeout)


def consume(_index, channel):
    timeout = workloads.TIMEOUT
    outcome = ChannelOutcome()
    while (message := channel.get(timeout=timeout)) is not None:
        outcome.record(message)
    return outcome
