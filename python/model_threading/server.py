"""W13, the HTTP server on threads: the standard library's http.server.ThreadingHTTPServer,
a blocking accept loop and a thread per connection, speaking HTTP/1.1 with keep-alive. Each
connection's thread reads, waits (for /slow) and writes with plain blocking calls, and the
kernel runs the others meanwhile (a blocked thread releases the GIL)."""

import signal
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from workloads import http


class Server(ThreadingHTTPServer):
    """ThreadingHTTPServer, plus the open connections, their cap and their counts."""

    daemon_threads = True
    request_queue_size = 1024

    def __init__(self, address):
        super().__init__(address, Handler)
        self.lock = threading.Lock()
        self.open = set()
        self.outcome = http.ServeOutcome()

    def process_request(self, request, client_address):
        # The cap: past it, a 503 and a close, without starting a thread.
        with self.lock:
            refuse = len(self.open) >= http.MAX_CONNECTIONS
            if refuse:
                self.outcome.refused += 1
            else:
                self.outcome.accepted += 1
                self.open.add(request)
        if refuse:
            try:
                request.sendall(http.REJECTIONS[503])
            finally:
                self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def close_connection_of(self, request):
        with self.lock:
            self.open.discard(request)


class Handler(BaseHTTPRequestHandler):
    """One connection's requests, answered with the routes and bytes every model shares."""

    protocol_version = "HTTP/1.1"  # keep connections alive (the default is HTTP/1.0)
    # Each read may wait this long: an idle keep-alive connection then closes. (A client
    # sending a byte now and then could hold one longer: a limit per read, not per request.)
    timeout = http.IDLE_TIMEOUT

    def setup(self):
        super().setup()
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def finish(self):
        try:
            super().finish()
        finally:
            self.server.close_connection_of(self.request)

    def do_GET(self):
        self.answer(head=False)

    def do_HEAD(self):
        self.answer(head=True)

    def answer(self, head):
        if len(self.headers) > http.MAX_HEADERS:
            return self.send_error(431)
        # A GET has no body; one that announces a body is not something this server reads.
        if "Transfer-Encoding" in self.headers or self.headers.get("Content-Length", "0").strip() != "0":
            return self.send_error(400)
        found = http.route(self.command, self.path)
        if found is None:
            return self.send_error(400)
        if found.wait:
            time.sleep(found.wait)  # blocks this connection's thread only
        # parse_request() has set close_connection from the version and Connection header.
        close = self.close_connection
        self.wfile.write(http.response_bytes(found.status, found.content_type, found.body, head, close))
        with self.server.lock:
            self.server.outcome.requests += 1

    def refuse_method(self):
        self.send_error(405)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = refuse_method

    def send_error(self, code, message=None, explain=None):
        """The same short rejections as every other model (not http.server's HTML page),
        and the connection closes after them."""
        status = code if code in http.REJECTIONS else 400
        self.close_connection = True
        self.wfile.write(http.REJECTIONS[status])

    def log_message(self, format, *args):
        pass  # one line per request on stderr would cost more than the request


def serve(host, port, ready):
    """Serves on host:port until SIGTERM (or SIGINT); calls `ready((host, port))` once
    listening. On the signal it stops accepting, closes idle connections, lets requests in
    flight finish, and returns what it did.

    Stresses: thread creation (one per connection) and the kernel's scheduler, which wakes
    the thread of each connection that has data; then the GIL, which every thread must take
    to run its Python."""
    server = Server((host, port))
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    accepting = threading.Thread(target=server.serve_forever, name="accept", daemon=True)
    accepting.start()
    ready(server.server_address[:2])
    # The main thread waits for the signal (handlers run in the main thread, between waits).
    while not stop.wait(0.5):
        pass

    server.shutdown()  # the accept loop ends within its poll interval
    # Shutting the read side ends a thread waiting for a request (its read sees the end);
    # a thread answering one finishes writing first, then sees the end.
    with server.lock:
        open_now = list(server.open)
    for request in open_now:
        try:
            request.shutdown(socket.SHUT_RD)
        except OSError:
            pass
    deadline = time.monotonic() + http.MAX_DELAY_MS / 1e3 + http.IDLE_TIMEOUT
    while server.open and time.monotonic() < deadline:
        time.sleep(0.01)
    server.server_close()
    with server.lock:
        server.outcome.open = len(server.open)
    return server.outcome
