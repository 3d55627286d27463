"""W12, channels on processes: producer and consumer processes around one
multiprocessing.Queue (a pipe, a lock for each end, and a feeder thread in each sender)."""

import workloads
from workloads.channels import ChannelOutcome, share

from .worker import Worker, start_all


def channel(context, case, messages):
    """Sends 0..messages from `case.producers` processes through one multiprocessing.Queue
    of `case.capacity` (0: unbounded) to `case.consumers` processes, which sum what they
    receive and answer their sums.

    Stresses: everything a message between processes costs: it is pickled, handed to the
    sender's feeder thread, written to a pipe, read by whichever consumer holds the reading
    lock, and unpickled. A bounded queue adds a semaphore between processes."""
    queue = context.Queue(maxsize=case.capacity)
    consumers = start_all(context, case.consumers, consume, queue)
    producers = [Worker(context, produce, (queue, share(p, case.producers, messages))) for p in range(case.producers)]
    for producer in producers:
        producer.join()
    # Every message is in: one sentinel per consumer tells each one to stop.
    for _ in consumers:
        queue.put(None, timeout=workloads.TIMEOUT)
    outcome = ChannelOutcome()
    for consumer in consumers:
        outcome = outcome.merge(consumer.join())
    queue.close()
    queue.join_thread()
    return outcome


def produce(queue, messages):
    timeout = workloads.TIMEOUT
    for message in messages:
        queue.put(message, timeout=timeout)
    # A process that has put items waits, on exit, until its feeder thread has written them
    # all into the pipe: Worker.join sees the answer only after that.


def consume(_index, queue):
    timeout = workloads.TIMEOUT
    outcome = ChannelOutcome()
    while (message := queue.get(timeout=timeout)) is not None:
        outcome.record(message)
    return outcome
