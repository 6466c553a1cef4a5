"""StandInRequest: python-telegram-bot's transport, answered in process by FakeTelegram.

PTB builds the same RequestData it would send over HTTP and turns our status codes into
BadRequest, Forbidden, RetryAfter and friends, so every error path runs for real.
"""

import asyncio
import json
import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

from standin.errors import SimulatedTimeout
from standin.fake import FakeTelegram
from standin.params import Upload

API_URL = re.compile(r"/bot([^/]+)/([A-Za-z]+)$")
FILE_URL = re.compile(r"/file/bot([^/]+)/(.+)$")
UNAUTHORIZED = {"ok": False, "error_code": 401, "description": "Unauthorized"}
NOT_FOUND = {"ok": False, "error_code": 404, "description": "Not Found"}
POLL_STEP = 0.01  # seconds between looks at the queue during an in-process long poll


class StandInRequest(BaseRequest):
    """A BaseRequest whose server is a FakeTelegram; use one for both of PTB's request paths."""

    def __init__(
        self,
        telegram: FakeTelegram,
        *,
        long_poll: bool = True,
        on_sent: Callable[[], None] | None = None,
    ) -> None:
        """`on_sent` is told as each API call leaves, where a real HTTP client would tell.

        The bot passes its own hook (bot.transport.request_sent); the stand-in knows no bot.
        """
        self.telegram = telegram
        self.long_poll = long_poll  # False: getUpdates answers at once even with a timeout
        self.on_sent = on_sent

    @property
    def read_timeout(self) -> float | None:
        """PTB adds getUpdates' timeout to this; no network, so no timeout of our own."""
        return None

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *_: Any,
        **__: Any,
    ) -> tuple[int, bytes]:
        """Answer `url` from the fake: an API method, or a file download (GET /file/bot...)."""
        if match := FILE_URL.search(url):  # PTB percent-encodes download URLs
            return self._download(unquote(match[1]), unquote(match[2]))
        match = API_URL.search(url)
        if match is None:
            return 404, json.dumps(NOT_FOUND).encode()
        token, name = match.groups()
        if not self.telegram.check_token(token):
            return 401, json.dumps(UNAUTHORIZED).encode()
        params = dict(request_data.parameters) if request_data else {}
        files = _uploads(request_data)
        if self.on_sent is not None:  # it is leaving now, as the HTTP client would report
            self.on_sent()
        if name.lower() == "getupdates" and self.long_poll:
            await self._wait_for_updates(params)
        try:
            status, body = self.telegram.handle(name, params, files)
        except SimulatedTimeout:
            raise TimedOut("Timed out (simulated by the Bot API stand-in)") from None
        return status, json.dumps(body).encode()

    async def _wait_for_updates(self, params: dict[str, Any]) -> None:
        """Long poll without blocking the event loop: look at the queue in small steps."""
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        offset = int(params.get("offset") or 0)
        while time.monotonic() < deadline:
            if any(u["update_id"] >= offset for u in self.telegram.pending):
                return
            await asyncio.sleep(POLL_STEP)

    def _download(self, token: str, path: str) -> tuple[int, bytes]:
        if not self.telegram.check_token(token):
            return 401, json.dumps(UNAUTHORIZED).encode()
        stored = self.telegram.files.by_path(path)
        if stored is None or stored.content is None:
            return 404, json.dumps(NOT_FOUND).encode()
        return 200, stored.content


def _uploads(request_data: RequestData | None) -> dict[str, Upload]:
    """PTB's multipart parts as (filename, bytes, MIME type); content may be a file handle."""
    if request_data is None or not request_data.contains_files:
        return {}
    uploads: dict[str, Upload] = {}
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        data = content if isinstance(content, bytes) else content.read()
        uploads[name] = (filename or name, data, mimetype or "application/octet-stream")
    return uploads
