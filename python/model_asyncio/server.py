"""W13, the HTTP server on asyncio: asyncio.start_server and one task per connection, each
reading, waiting (for /slow) and writing with awaits, so one thread serves them all."""

import asyncio
import signal

from workloads import http

# How many bytes one read asks for: a request head fits many times over.
READ_CHUNK = 4096


class Server:
    """The open connections and their counts: the Rust `Connections`."""

    def __init__(self):
        self.outcome = http.ServeOutcome()
        self.stopping = False
        # Each connection's task -> whether it is idle (waiting for a request to arrive).
        self.tasks = {}


async def serve(host, port, ready):
    """Serves on host:port until SIGTERM (or SIGINT); calls `ready((host, port))` once
    listening. On the signal it stops accepting, closes idle connections, lets requests in
    flight finish, and returns what it did.

    Stresses: the event loop: every read and write is a callback from the selector (epoll)
    on one thread, so there is no thread per connection to create or switch to; the price is
    Python's own per-request work, on that one core."""
    loop = asyncio.get_running_loop()
    state = Server()
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    server = await asyncio.start_server(
        lambda reader, writer: connection(reader, writer, state), host, port, backlog=1024
    )
    ready(server.sockets[0].getsockname()[:2])
    await stop.wait()

    state.stopping = True
    server.close()
    for task, idle in list(state.tasks.items()):
        if idle:
            task.cancel()
    # Requests in flight finish (a /slow request waits at most MAX_DELAY).
    if state.tasks:
        await asyncio.wait(list(state.tasks), timeout=http.MAX_DELAY_MS / 1e3 + http.IDLE_TIMEOUT)
    for task in state.tasks:
        task.cancel()
    return state.outcome


async def connection(reader, writer, state):
    """One connection: read, answer each request in turn, close."""
    task = asyncio.current_task()
    if len(state.tasks) >= http.MAX_CONNECTIONS or state.stopping:
        state.outcome.refused += 1
        writer.write(http.REJECTIONS[503])
        await close(writer)
        return
    state.tasks[task] = True
    state.outcome.accepted += 1
    loop = asyncio.get_running_loop()
    # A whole request must arrive within IDLE_TIMEOUT: past it, this timer aborts the
    # connection (which ends the read below). One timer per request, no task per read.
    idle_timer = loop.call_later(http.IDLE_TIMEOUT, writer.transport.abort)
    buf = b""
    try:
        while not state.stopping:
            step = http.step(buf)
            if step is http.INCOMPLETE:
                state.tasks[task] = True
                chunk = await reader.read(READ_CHUNK)
                state.tasks[task] = False
                if not chunk:
                    break  # the client closed, or the idle timer did
                buf += chunk
                continue
            idle_timer.cancel()
            if isinstance(step, http.Reject):
                writer.write(step.response)
                break
            if step.wait:
                # /slow: a timer, not a thread: the loop serves the others meanwhile.
                await asyncio.sleep(step.wait)
            writer.write(step.response)
            await writer.drain()
            state.outcome.requests += 1
            buf = buf[step.consumed:]
            if step.close:
                break
            idle_timer = loop.call_later(http.IDLE_TIMEOUT, writer.transport.abort)
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        idle_timer.cancel()
        del state.tasks[task]
        await close(writer)


async def close(writer):
    writer.close()
    try:
        await writer.wait_closed()
    except (ConnectionError, asyncio.CancelledError):
        pass
