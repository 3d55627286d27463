"""W13, the HTTP server as pre-forked processes: the parent opens the listening socket, then
starts `workers` processes that all accept on it. Each worker serves one connection at a
time with blocking calls, start to end (the classic pre-fork server, Apache's prefork): at
most `workers` connections are served at once, and the others wait in the listen queue."""

import os
import signal
import socket
import time

from workloads import http

from .worker import orphaned

# How long a blocked accept or read waits before the worker looks at the stop signal (and
# its parent) again: a blocked process cannot be told to stop, so it wakes on a timer to ask.
TICK = 0.1
READ_CHUNK = 4096
# Indices of the counts in the shared array.
ACCEPTED, REFUSED, REQUESTS, OPEN = range(4)


def serve(context, host, port, workers, ready):
    """Serves on host:port with `workers` pre-forked processes until SIGTERM (or SIGINT);
    calls `ready((host, port))` once listening. On the signal the workers stop accepting,
    finish the connection they serve (an idle one at once), and exit.

    Stresses: nothing shared while serving: the kernel hands each new connection to one of
    the workers blocked in accept, and each works alone on its own core's time. The cost is
    one process per connection served at once."""
    listener = socket.create_server((host, port), backlog=1024)
    counts = (context.RawArray("q", 4), context.Lock())
    stop = context.Event()
    # The handlers come first: a SIGTERM sent as soon as "listening" is printed must stop
    # the server gracefully, not kill it.
    stopping = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.append(True))
    processes = [
        context.Process(target=worker, args=(listener, counts, stop, os.getpid()), daemon=True) for _ in range(workers)
    ]
    for process in processes:
        process.start()
    ready(listener.getsockname()[:2])
    while not stopping:
        time.sleep(TICK)
    stop.set()
    for process in processes:
        # A worker in the middle of a /slow request answers it first.
        process.join(http.MAX_DELAY_MS / 1e3 + http.IDLE_TIMEOUT)
        if process.is_alive():
            process.kill()
            process.join()
    listener.close()
    return http.ServeOutcome(*counts[0][:])


def worker(listener, counts, stop, parent):
    """One pre-forked worker: accept, serve that connection to its end, accept again."""
    # The parent decides when to stop: a signal meant for the whole process group must not
    # end this worker in the middle of a response.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    listener.settimeout(TICK)
    while not stop.is_set() and not orphaned(parent):
        try:
            connection, _ = listener.accept()
        except socket.timeout:
            continue
        except OSError:
            # At the open-file limit accept fails at once, again and again: pause.
            time.sleep(0.01)
            continue
        add(counts, ACCEPTED, 1)
        add(counts, OPEN, 1)
        try:
            serve_connection(connection, counts, stop)
        finally:
            connection.close()
            add(counts, OPEN, -1)


def serve_connection(connection, counts, stop):
    """One connection's requests, in turn, with blocking reads on a TICK timeout."""
    connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    connection.settimeout(TICK)
    buf = b""
    # A whole request must arrive within IDLE_TIMEOUT of the previous response.
    deadline = time.monotonic() + http.IDLE_TIMEOUT
    while True:
        step = http.step(buf)
        if step is http.INCOMPLETE:
            if (stop.is_set() and not buf) or time.monotonic() > deadline:
                return  # idle on stop, or too slow: close
            try:
                chunk = connection.recv(READ_CHUNK)
            except socket.timeout:
                continue
            except OSError:
                return
            if not chunk:
                return  # the client closed
            buf += chunk
            continue
        # A write may block as long as a whole request may take to arrive.
        connection.settimeout(http.IDLE_TIMEOUT)
        try:
            if isinstance(step, http.Reject):
                connection.sendall(step.response)
                return
            if step.wait:
                time.sleep(step.wait)  # this worker serves nothing else meanwhile
            connection.sendall(step.response)
        except OSError:
            return
        connection.settimeout(TICK)
        add(counts, REQUESTS, 1)
        buf = buf[step.consumed:]
        if step.close:
            return
        deadline = time.monotonic() + http.IDLE_TIMEOUT


def add(counts, index, amount):
    """Adds to one of the counts every worker shares (an array in shared memory, a lock)."""
    array, lock = counts
    with lock:
        array[index] += amount
