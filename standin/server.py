"""The Bot API stand-in over real HTTP, for PTB's own HTTPXRequest and the `newsbot run` process.

One FakeTelegram behind a ThreadingHTTPServer on 127.0.0.1 (a free port unless given).
Routes `/bot<token>/<method>` (JSON, urlencoded or multipart bodies, or a query string) and
`/file/bot<token>/<path>` downloads. Point PTB at it with
`base_url=server.base_url` (PTB appends the token) and `base_file_url=server.base_file_url`.

    with BotApiServer() as server:
        ada = server.telegram.user(42)
        ...  # run a bot against server.base_url, then read ada.sees

Manual runs: `python -m standin.server --port 8081` prints the token and base URL; then
`curl -d user_id=42 -d text=/start localhost:8081/standin/send` makes a user write to the bot
and `curl localhost:8081/standin/chats/42` shows what the chat shows. Channels, groups, the
bot's rights, topics, the pace and the clock: see standin/control.py
(`curl -d type=channel -d username=news localhost:8081/standin/create_chat`).

For benchmarks: `latency` models the network round trip to Telegram (half before the call is
handled, half before its answer arrives; getUpdates' long-poll wait comes on top), and `on_call`
is told of each answered call as it happens, in the serving thread.
"""

import argparse
import contextlib
import email.policy
import json
import re
import sys
import threading
import time
from collections.abc import Callable
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from standin.control import control
from standin.errors import SimulatedTimeout
from standin.fake import FakeTelegram
from standin.params import Upload

API_PATH = re.compile(r"/bot([^/]+)/([A-Za-z]+)/?")
FILE_PATH = re.compile(r"/file/bot([^/]+)/(.+)")
UNAUTHORIZED = {"ok": False, "error_code": 401, "description": "Unauthorized"}
NOT_FOUND = {"ok": False, "error_code": 404, "description": "Not Found"}
# Told of each answered Bot API call: its method, its parameters as sent, the HTTP status.
CallObserver = Callable[[str, dict[str, Any], int], None]


class _QuietServer(ThreadingHTTPServer):
    """Like Telegram, it does not care when a client hangs up (e.g. a bot stopping mid-poll)."""

    # socketserver's default backlog is 5: a bot opening more connections at once would see
    # the rest refused and retried by TCP a second later, which Telegram never does.
    request_queue_size = 1024

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore client disconnects; print anything else as the base class does."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class BotApiServer:
    """A threaded HTTP Bot API in front of one FakeTelegram; a context manager."""

    def __init__(
        self,
        telegram: FakeTelegram | None = None,
        *,
        port: int = 0,
        timeout_delay: float = 10.0,
        latency: float = 0.0,
        on_call: CallObserver | None = None,
    ) -> None:
        self.telegram = telegram or FakeTelegram()
        self.timeout_delay = timeout_delay  # how long an injected timeout leaves a call hanging
        self.latency = latency  # seconds of network round trip added to every Bot API call
        self.on_call = on_call
        self.httpd = _QuietServer(("127.0.0.1", port), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.stand_in = self  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self._serve, name="bot-api-server", daemon=True)

    @property
    def port(self) -> int:
        """The port it listens on (a free one when constructed with port=0)."""
        return int(self.httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """For PTB's base_url and TELEGRAM_BASE_URL: PTB appends the token to it."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For PTB's base_file_url (getFile downloads)."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    def _serve(self) -> None:
        self.httpd.serve_forever(poll_interval=0.05)  # shutdown() waits up to one interval

    def start(self) -> "BotApiServer":
        """Serve in a background thread."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()

    def __enter__(self) -> "BotApiServer":
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as httpx expects
    # Headers and body go out as two writes; with Nagle's algorithm on, the body then waits
    # for the client's delayed ACK: ~40 ms added to every call on Linux.
    disable_nagle_algorithm = True

    @property
    def stand_in(self) -> BotApiServer:
        server: BotApiServer = self.server.stand_in  # type: ignore[attr-defined]
        return server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read calls from FakeTelegram, not from stderr."""

    def do_GET(self) -> None:
        self.route()

    def do_POST(self) -> None:
        self.route()

    def route(self) -> None:
        url = urlsplit(self.path)
        path = unquote(url.path)
        params, files = self.body()
        params = {**dict(parse_qsl(url.query)), **params}
        if match := FILE_PATH.fullmatch(path):
            self.download(match[1], match[2])
        elif match := API_PATH.fullmatch(path):
            self.api(match[1], match[2], params, files)
        elif path.startswith("/standin/"):
            self.control(path.removeprefix("/standin/"), params)
        else:
            self.reply(404, NOT_FOUND)

    def body(self) -> tuple[dict[str, Any], dict[str, Upload]]:
        """Decode a JSON, urlencoded or multipart/form-data body (no `cgi`: it is deprecated)."""
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        kind = self.headers.get("Content-Type", "")
        if not raw:
            return {}, {}
        if kind.startswith("application/json"):
            return dict(json.loads(raw)), {}
        if kind.startswith("multipart/form-data"):
            return _multipart(kind, raw)
        return dict(parse_qsl(raw.decode(), keep_blank_values=True)), {}

    def api(
        self, token: str, method: str, params: dict[str, Any], files: dict[str, Upload]
    ) -> None:
        telegram = self.stand_in.telegram
        if not telegram.check_token(token):
            self.reply(401, UNAUTHORIZED)
            return
        half_trip = self.stand_in.latency / 2
        if half_trip:  # the request on its way to Telegram
            time.sleep(half_trip)
        if method.lower() == "getupdates":  # long poll: wait outside the fake's lock
            offset = int(params.get("offset") or 0)
            telegram.wait_for_updates(offset, float(params.get("timeout") or 0))
        try:
            status, body = telegram.handle(method, params, files)
        except SimulatedTimeout:
            time.sleep(self.stand_in.timeout_delay)  # the client gives up first
            self.close_connection = True
            return
        if self.stand_in.on_call is not None:
            self.stand_in.on_call(method, params, status)
        if half_trip:  # the answer on its way back
            time.sleep(half_trip)
        self.reply(status, body)

    def download(self, token: str, path: str) -> None:
        telegram = self.stand_in.telegram
        stored = telegram.files.by_path(path) if telegram.check_token(token) else None
        if stored is None or stored.content is None:
            self.reply(404, NOT_FOUND)
            return
        self.send(200, stored.content, "application/octet-stream")

    def control(self, action: str, params: dict[str, Any]) -> None:
        """Test-side controls (standin/control.py): users write, chats and rights change."""
        self.reply(*control(self.stand_in.telegram, action, params))

    def reply(self, status: int, body: dict[str, Any]) -> None:
        self.send(status, json.dumps(body).encode(), "application/json")

    def send(self, status: int, payload: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def _multipart(content_type: str, raw: bytes) -> tuple[dict[str, Any], dict[str, Upload]]:
    """Form fields and uploaded files of a multipart/form-data body."""
    header = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = BytesParser(policy=email.policy.HTTP).parsebytes(header + raw)
    params: dict[str, Any] = {}
    files: dict[str, Upload] = {}
    for part in message.iter_parts():
        name = str(part.get_param("name", header="content-disposition"))
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is None:
            params[name] = content.decode(part.get_content_charset() or "utf-8")
        else:
            files[name] = (filename, content, part.get_content_type())
    return params, files


def main() -> None:
    """Serve until interrupted, for manual runs against `newsbot run`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=None, help="the bot token to accept")
    args = parser.parse_args()
    telegram = FakeTelegram(args.token) if args.token else FakeTelegram()
    with BotApiServer(telegram, port=args.port) as server:
        print(f"TELEGRAM_BOT_TOKEN={telegram.token}", flush=True)  # noqa: T201 - a command-line tool
        print(f"TELEGRAM_BASE_URL={server.base_url}", flush=True)  # noqa: T201
        print(f"TELEGRAM_BASE_FILE_URL={server.base_file_url}", flush=True)  # noqa: T201
        with contextlib.suppress(KeyboardInterrupt):
            server.thread.join()


if __name__ == "__main__":
    main()
