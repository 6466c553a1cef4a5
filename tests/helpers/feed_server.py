"""A local web site for fetch tests: feeds and pages served from 127.0.0.1 on a free port.

`routes` is a plain dict, path -> Route, that a test may change between polls; every request
is logged with its headers. A route with an `etag` or `last_modified` answers matching
conditional requests with 304, as a well-behaved feed server does. Unknown paths are 404.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.helpers.samples import ROOT

FEEDS = ROOT / "tests" / "data" / "feeds"
Body = bytes | Iterable[bytes]  # an iterable is streamed in chunks, without Content-Length


@dataclass
class Seen:
    """One request as the server saw it; `sent` and `finished` tell how far the answer got."""

    path: str
    headers: dict[str, str]  # names in lower case
    sent: int = 0
    finished: bool = False


@dataclass
class Route:
    """One path's answer. `body` may be a callable of the request (a feed that changes as it
    is polled); `delay` seconds pass before the answer (a slow feed; cut short at stop)."""

    body: Body | Callable[[Seen], Body] = b""
    status: int = 200
    content_type: str = "application/rss+xml; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None  # an HTTP date
    delay: float = 0.0

    def not_modified(self, request: Seen) -> bool:
        """Whether the request's validators match (If-None-Match wins over If-Modified-Since)."""
        match = request.headers.get("if-none-match")
        if match is not None and self.etag is not None:
            tags = [t.strip().removeprefix("W/") for t in match.split(",")]
            return "*" in tags or self.etag.removeprefix("W/") in tags
        since = request.headers.get("if-modified-since")
        if since is None or self.last_modified is None:
            return False
        try:
            return parsedate_to_datetime(self.last_modified) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False


def redirect(location: str, status: int = 302) -> Route:
    return Route(status=status, content_type="text/html", headers={"Location": location})


def trickle(
    declared: int = 1_000_000,
    pause: float = 0.05,
    count: int = 400,
    content_type: str = "application/rss+xml",
) -> Route:
    """An answer that declares `declared` bytes, then sends one every `pause` seconds: each
    read is quick, the whole never ends (a client's per-read timeout never fires)."""

    def body(_: Seen) -> Iterator[bytes]:
        for _sent in range(count):
            yield b" "
            time.sleep(pause)

    return Route(body, content_type=content_type, headers={"Content-Length": str(declared)})


def busy(retry_after: str | None, status: int = 429) -> Route:
    """A 429 or 503, with a Retry-After (seconds or an HTTP date) when given."""
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return Route(b"busy", status=status, content_type="text/plain", headers=headers)


def feed_file(
    name: str, content_type: str | None = None, *, folder: Path = FEEDS, **options: Any
) -> Route:
    """A file of tests/data/feeds/ (or `folder`) as a route, its type told by its name and,
    for XML, by its root element (<feed> is Atom); `options` as for Route."""
    body = (folder / name).read_bytes()
    suffix = Path(name).suffix
    if content_type is None and suffix == ".xml":
        atom = b"<feed" in body[:2000]
        content_type = "application/atom+xml" if atom else "application/rss+xml"
    kinds = {".json": "application/feed+json", ".html": "text/html; charset=utf-8"}
    kind = content_type or kinds.get(suffix, "application/octet-stream")
    return Route(body, content_type=kind, **options)


class FeedServer(ThreadingHTTPServer):
    """The server; `routes` and `requests` are the test's to read and change."""

    daemon_threads = True

    def __init__(self, routes: dict[str, Route]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes = routes
        self.requests: list[Seen] = []
        self.stopping = threading.Event()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def seen(self, path: str) -> list[Seen]:
        """The requests for `path`, oldest first."""
        return [r for r in self.requests if r.path == path]


class _Handler(BaseHTTPRequestHandler):
    server: FeedServer

    def do_GET(self) -> None:
        request = Seen(self.path, {k.lower(): v for k, v in self.headers.items()})
        self.server.requests.append(request)
        try:
            self._answer(request)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading: a size cap, a timeout
        finally:
            request.finished = True

    def _answer(self, request: Seen) -> None:
        route = self.server.routes.get(self.path.split("?")[0]) or Route(
            b"not found", status=404, content_type="text/plain"
        )
        if route.delay and self.server.stopping.wait(route.delay):
            return
        validators = {"ETag": route.etag, "Last-Modified": route.last_modified}
        if route.status == 200 and route.not_modified(request):
            self.send_response(304)
            for key, value in validators.items():
                if value is not None:
                    self.send_header(key, value)
            self.end_headers()
            return
        body = route.body(request) if callable(route.body) else route.body
        self.send_response(route.status)
        self.send_header("Content-Type", route.content_type)
        if isinstance(body, bytes):
            self.send_header("Content-Length", str(len(body)))
        for key, value in (validators | route.headers).items():
            if value is not None:
                self.send_header(key, value)
        self.end_headers()
        for chunk in [body] if isinstance(body, bytes) else body:
            self.wfile.write(chunk)
            request.sent += len(chunk)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(routes: dict[str, Route] | None = None) -> Iterator[FeedServer]:
    """A running FeedServer on a free port of 127.0.0.1, stopped (slow answers cut short) after."""
    server = FeedServer(routes if routes is not None else {})
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join()
