"""W13, the HTTP/1.1 core every model's server shares (crates/workloads/src/http.rs), written
without any I/O ("sans-I/O"), so that the models differ only in how they read, wait, write
and schedule.

A server keeps the bytes it has read in a buffer and calls step() on it: the answer is
INCOMPLETE ("read more"), a Respond (write `response` after waiting `wait` seconds: only
/slow waits), or a Reject (write `response`, then close). The endpoints are the tutorial's:

- GET / and GET /?name=Alice -> "Hello, World!" / "Hello, Alice!"
- GET /slow?delay=MS -> "Processed after MS ms", after MS milliseconds
- GET /json -> {"message": ..., "method": "GET", "path": "/json", "timestamp": ...}

and anything else gets the status HTTP gives it: 404 for an unknown path, 405 for a method
other than GET or HEAD, 400 for a malformed request, 431 for a head over MAX_HEAD bytes or
with more than MAX_HEADERS headers. Connections are kept alive (HTTP/1.1's default) and
requests may be pipelined: step() consumes one request at a time from the buffer's front.
The responses are byte for byte the Rust server's (the JSON's timestamp aside).
"""

import json
import re
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl

# The largest request head a server reads: past it, 431.
MAX_HEAD = 8 * 1024
# The most headers a request may have: past it, 431.
MAX_HEADERS = 32
# How long a connection may wait for a whole request (seconds), from the end of the previous
# response: an idle keep-alive connection is closed after this.
IDLE_TIMEOUT = 5.0
# The longest wait /slow accepts, and its wait when the request gives none (milliseconds).
MAX_DELAY_MS = 60_000
DEFAULT_DELAY_MS = 1_000
# The cap on connections open at once (asyncio and threads; a pre-forked process serves one).
MAX_CONNECTIONS = 10_000

TEXT = "text/plain; charset=utf-8"
JSON = "application/json"

REASONS = {
    200: "OK",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    431: "Request Header Fields Too Large",
    503: "Service Unavailable",
}

# step()'s answer when the buffer holds no complete request yet.
INCOMPLETE = None


@dataclass
class Respond:
    """A complete request: wait `wait` seconds, write `response`, drop the first `consumed`
    bytes of the buffer and, unless `close`, go on with the next request."""

    consumed: int
    wait: float
    response: bytes
    close: bool


@dataclass
class Reject:
    """A request the server will not serve: write `response`, then close the connection
    (what follows a malformed request cannot be trusted to start a new one)."""

    response: bytes
    status: int


@dataclass
class Route:
    wait: float
    status: int
    content_type: str
    body: bytes


_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_TARGET = re.compile(rb"[\x21-\x7e\x80-\xff]+")
_VERSION = re.compile(rb"HTTP/1\.([01])")
_MILLIS = re.compile(r"\+?[0-9]+")


def step(buf):
    """The next step for a connection whose unread bytes are `buf`."""
    # Empty lines before a request line are skipped, as the Rust parser (httparse) does.
    start = 0
    while buf.startswith(b"\r\n", start) or buf.startswith(b"\n", start):
        start += 2 if buf.startswith(b"\r\n", start) else 1
    end = _head_end(buf, start)
    if end is None:
        return reject(431) if len(buf) >= MAX_HEAD else INCOMPLETE
    if end > MAX_HEAD:
        return reject(431)
    lines = [line[:-1] if line.endswith(b"\r") else line for line in buf[start:end].split(b"\n")]
    parts = lines[0].split(b" ")
    if len(parts) != 3 or not _TOKEN.fullmatch(parts[0]) or not _TARGET.fullmatch(parts[1]):
        return reject(400)
    version = _VERSION.fullmatch(parts[2])
    if not version:
        return reject(400)
    headers = {}
    count = 0
    for line in lines[1:]:
        if not line:
            continue
        name, colon, value = line.partition(b":")
        if not colon or not _TOKEN.fullmatch(name):
            return reject(400)
        count += 1
        if count > MAX_HEADERS:
            return reject(431)
        # The first header of a name counts, as in the Rust server.
        headers.setdefault(name.lower(), value.strip(b" \t"))
    method, target = parts[0].decode(), parts[1].decode("utf-8", "replace")
    # A GET has no body; one that announces a body is not something this server reads.
    has_body = b"transfer-encoding" in headers or headers.get(b"content-length", b"0").strip() != b"0"
    if method not in ("GET", "HEAD"):
        return reject(405)
    if has_body:
        return reject(400)
    head = method == "HEAD"
    connection = headers.get(b"connection", b"").lower()
    # HTTP/1.1 keeps connections alive unless told to close; HTTP/1.0 closes unless told
    # to keep alive.
    close = connection == b"close" if version.group(1) == b"1" else connection != b"keep-alive"
    found = route(method, target)
    if found is None:
        return reject(400)
    if found.status == 200 and found.body == b"Hello, World!" and not head and not close:
        # The most requested response is built once.
        response = HELLO
    else:
        response = response_bytes(found.status, found.content_type, found.body, head, close)
    return Respond(consumed=end, wait=found.wait, response=response, close=close)


def _head_end(buf, start):
    """The index just past the empty line that ends the head, or None if there is none yet."""
    i = start
    while True:
        j = buf.find(b"\n", i)
        if j < 0:
            return None
        if j > start and buf[i:j] in (b"", b"\r"):
            return j + 1
        i = j + 1


def route(method, target):
    """The answer of the endpoint at `target` (path and query) to a GET or HEAD; None for a
    bad request (a /slow delay that is not a number of milliseconds up to MAX_DELAY_MS)."""
    path, _, query = target.partition("?")
    if path == "/":
        name = query_value(query, "name")
        body = b"Hello, World!" if name is None else f"Hello, {name}!".encode()
        return Route(0.0, 200, TEXT, body)
    if path == "/slow":
        delay = query_value(query, "delay")
        if delay is None:
            ms = DEFAULT_DELAY_MS
        elif _MILLIS.fullmatch(delay) and int(delay) <= MAX_DELAY_MS:
            ms = int(delay)
        else:
            return None
        return Route(ms / 1e3, 200, TEXT, f"Processed after {ms} ms".encode())
    if path == "/json":
        body = {"message": "Hello from async server", "method": method, "path": path, "timestamp": time.time()}
        # Sorted keys, no spaces: what the Rust server's serde_json writes.
        return Route(0.0, 200, JSON, json.dumps(body, sort_keys=True, separators=(",", ":")).encode())
    return Route(0.0, 404, TEXT, b"Not Found")


def query_value(query, key):
    """The value of `key` in a query string, percent-decoded ('+' is a space), or None."""
    for k, v in parse_qsl(query, keep_blank_values=True):
        if k == key:
            return v
    return None


def response_bytes(status, content_type, body, head=False, close=False):
    """A whole response; `head`: the answer to a HEAD request (headers only)."""
    out = f"HTTP/1.1 {status} {REASONS.get(status, 'Unknown')}\r\n"
    out += f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
    if status == 405:
        out += "Allow: GET, HEAD\r\n"
    if close:
        out += "Connection: close\r\n"
    out += "\r\n"
    return out.encode() + (b"" if head else body)


HELLO = response_bytes(200, TEXT, b"Hello, World!")

# The responses a server writes before closing a connection it will not serve: malformed
# (400), a method it does not serve (405), a head too large (431), no room (503).
REJECTIONS = {s: response_bytes(s, TEXT, REASONS[s].encode(), close=True) for s in (400, 405, 431, 503)}


def reject(status):
    return Reject(response=REJECTIONS[status], status=status)


@dataclass
class ServeOutcome:
    """What a server did, printed when it has shut down."""

    accepted: int = 0
    refused: int = 0
    requests: int = 0
    # Connections still open: 0 after a clean shutdown.
    open: int = 0
