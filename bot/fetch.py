"""Fetching a web page or an image for /post URL: safely, or not at all.

Only http(s); every address a request would go to (the first and each redirect) must be a
public one, so a link can't make the bot reach the machine it runs on or the local network.
Timeouts, sizes and content types are capped.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import zlib
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from urllib.parse import urljoin, urlsplit

import httpx

from summaries.articles import MAX_PHOTO_BYTES, image_type, validate
from summaries.errors import NewsbotError
from summaries.extract import extract_article
from summaries.languages import LANGUAGES_BY_CODE
from summaries.models import Draft

MAX_PAGE_BYTES = 3 * 1024 * 1024
MAX_REDIRECTS = 5
# The whole fetch (every hop and the body) must be done within these seconds: the per-read
# timeout alone lets a server trickle a byte every few seconds forever. A minute is far more
# than 3 MB of page or 10 MB of image take on any working link, and still bounds a stuck
# `newsbot post URL` or /post in the chat.
PAGE_DEADLINE = 60.0
IMAGE_DEADLINE = 60.0
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
USER_AGENT = "newsbot/0.1 (+https://github.com/newsbot)"
# Said outright, so a server doesn't pick br or zstd (which we don't decode), whatever httpx
# would offer with optional packages installed.
ACCEPT_ENCODING = "gzip, deflate"
# Decoded bytes held beyond the cap at any moment: one decompress call is asked for at most
# this much past what is still allowed.
_DECODE_MARGIN = 1


NOT_A_LINK = "that address is not a link newsbot can fetch"


class FetchError(NewsbotError):
    """The page or image could not be fetched; the message says why, for the admin."""


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """A checked draft from a page, and the language the page declared if we can't use it
    (then the draft is in English, and the admin is told)."""

    draft: Draft
    unsupported_language: str | None = None
    published: datetime | None = None  # the page's own date; the draft has now without one
    image_url: str | None = None  # the page's lead image, absolute (fetched or not)


def summary_language(code: str | None) -> tuple[str, str | None]:
    """(our language, the page's code if unsupported) for a declared code such as de-DE."""
    if not code or not code.strip():
        return "", None  # told from the text
    primary = code.strip().replace("_", "-").split("-")[0].lower()
    if primary in LANGUAGES_BY_CODE:
        return LANGUAGES_BY_CODE[primary], None
    return "english", code.strip()


async def check_address(url: str, *, allow_loopback: bool = False) -> str:
    """The address to connect to; refuses anything but http(s) to public addresses (loopback
    only when allowed: tests). Every address the name resolves to must pass."""
    try:
        parts = urlsplit(url)
        hostname, port = parts.hostname, parts.port
    except ValueError:  # a bad port or [IPv6] part
        raise FetchError(NOT_A_LINK, code="unfetchable-address") from None
    if parts.scheme not in {"http", "https"} or not hostname:
        raise FetchError(
            f"only http:// and https:// links can be fetched, not {url[:200]!r}",
            code="not-http",
            url=url[:200],
        )
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            hostname,
            port or (443 if parts.scheme == "https" else 80),
            type=socket.SOCK_STREAM,
        )
    except (OSError, UnicodeError):  # UnicodeError: a name IDNA can't encode (a label too long)
        host = hostname[:200]
        missing = f"the address {host} can't be found"
        raise FetchError(missing, code="unknown-host", host=host) from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_loopback and allow_loopback:
            continue
        if not address.is_global or _tunnels_to_ipv4(address):
            raise FetchError(
                f"{parts.hostname} is a private or local address; not fetched",
                code="private-address",
                host=parts.hostname,
            )
    return str(infos[0][4][0])


def _pinned(url: str, address: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """The request for `url`, sent to the checked `address` (no second DNS answer can swap it):
    (url with the address as host, Host header, TLS server name for the certificate check)."""
    parts = urlsplit(url)
    host = f"[{address}]" if ":" in address else address
    netloc = f"{host}:{parts.port}" if parts.port else host
    hostname = parts.hostname or ""
    sni = {"sni_hostname": hostname} if parts.scheme == "https" else {}
    return parts._replace(netloc=netloc).geturl(), {"Host": parts.netloc.rpartition("@")[2]}, sni


# IPv6 forms that carry an IPv4 address (NAT64, 6to4, the old IPv4-compatible form):
# is_global can't see a private IPv4 address inside them, so none of them is fetched.
_TUNNELS = [
    ipaddress.ip_network(n) for n in ("64:ff9b::/96", "64:ff9b:1::/48", "2002::/16", "::/96")
]


def _tunnels_to_ipv4(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return isinstance(address, ipaddress.IPv6Address) and any(
        address in network for network in _TUNNELS
    )


@cache
def tls_context() -> ssl.SSLContext:
    """httpx's default TLS settings (certifi's CA bundle), built once: a client that builds its
    own loads the bundle each time, ~20 ms of CPU on the event loop for every feed and page
    (bench/feed_poll.py found it half of a poll's CPU)."""
    return httpx.create_ssl_context()


@asynccontextmanager
async def checked_get(
    url: str,
    *,
    what: str = "the page",
    headers: Mapping[str, str] | None = None,
    timeouts: httpx.Timeout = TIMEOUT,
    allow_loopback: bool = False,
) -> AsyncIterator[tuple[str, httpx.Response]]:
    """(final url, streamed answer) of a GET, following redirects one checked hop at a time.

    The one hop loop every fetch shares: each address is checked and pinned before it is
    reached. The answer's body is unread; a timeout or transport error while the caller reads
    it is a FetchError naming `what` too.
    """
    async with httpx.AsyncClient(
        verify=tls_context(),
        timeout=timeouts,
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING, **(headers or {})},
        trust_env=False,  # no proxy from the environment: the checked address is the target
    ) as client:
        for _ in range(MAX_REDIRECTS + 1):
            if "@" in urlsplit(url).netloc:  # never sent, and would show in lists and alerts
                raise FetchError(
                    "addresses with a user name or password are not supported",
                    code="address-with-password",
                )
            address = await check_address(url, allow_loopback=allow_loopback)
            target, host, tls = _pinned(url, address)
            try:
                answered = False
                request = client.build_request("GET", target, headers=host, extensions=tls)
                response = await client.send(request, stream=True)
                answered = True
                try:
                    if response.is_redirect and "location" in response.headers:
                        url = urljoin(url, response.headers["location"])
                        continue
                    yield url, response
                    return
                finally:
                    await response.aclose()
            except httpx.TimeoutException:
                raise FetchError(
                    f"{what} took too long to answer", code="no-answer-in-time"
                ) from None
            except httpx.ConnectError:
                where = urlsplit(url).netloc.rpartition("@")[2]
                raise FetchError(
                    f"{what} could not be fetched: nothing answered at {where}",
                    code="nothing-answered",
                    where=where,
                ) from None
            except (httpx.RemoteProtocolError, httpx.ReadError):
                if answered:  # a Content-Length longer than the body, a connection dropped
                    raise FetchError(
                        f"{what} could not be fetched: the answer was cut short", code="cut-short"
                    ) from None
                raise FetchError(
                    f"{what} could not be fetched: the server hung up without a proper answer",
                    code="hung-up",
                ) from None
            except httpx.HTTPError as error:
                raise FetchError(
                    f"{what} could not be fetched ({type(error).__name__})",
                    code="fetch-failed",
                    reason=type(error).__name__,
                ) from None
            except httpx.InvalidURL:  # not an HTTPError: too long, bad characters
                raise FetchError(NOT_A_LINK, code="unfetchable-address") from None
            except (httpx.StreamError, httpx.CookieConflict) as error:  # no HTTPError either
                raise FetchError(
                    f"{what} could not be fetched (httpx said {type(error).__name__})",
                    code="fetch-failed",
                    reason=type(error).__name__,
                ) from None
    raise FetchError(
        f"more than {MAX_REDIRECTS} redirects", code="too-many-redirects", most=MAX_REDIRECTS
    )


@asynccontextmanager
async def within(deadline: float, what: str) -> AsyncIterator[None]:
    """The block, cut short with a FetchError after `deadline` seconds."""
    try:
        async with asyncio.timeout(deadline):
            yield
    except TimeoutError:
        raise FetchError(
            f"{what} took too long to send (over {deadline:g} s)",
            code="too-slow",
            seconds=f"{deadline:g}",
        ) from None


async def fetch(
    url: str,
    *,
    want: str,
    limit: int,
    allow_loopback: bool = False,
    deadline: float = PAGE_DEADLINE,
) -> tuple[str, bytes, str]:
    """(final url, body, content type) of a GET, following redirects one checked hop at a time.

    `want` is "html" or "image": anything else is refused before the body is read. All of it
    takes at most `deadline` seconds.
    """
    what = "the page" if want == "html" else "the image"
    async with (
        within(deadline, what),
        checked_get(url, what=what, allow_loopback=allow_loopback) as (final_url, response),
    ):
        return final_url, await _body(response, want, limit), content_kind(response)


async def fetch_image(
    url: str, *, allow_loopback: bool = False, deadline: float = IMAGE_DEADLINE
) -> bytes:
    """An image Telegram can show, at most 10 MB, within `deadline` seconds."""
    _, data, _ = await fetch(
        url, want="image", limit=MAX_PHOTO_BYTES, allow_loopback=allow_loopback, deadline=deadline
    )
    if image_type(data) is None:
        raise FetchError(
            "the page's image is not a JPEG, PNG, GIF or WebP", code="page-image-not-an-image"
        )
    return data


async def fetch_article(url: str, *, now: datetime, allow_loopback: bool = False) -> Draft:
    """A checked draft from a web page: headline, text, source link and lead image."""
    return (await fetch_page(url, now=now, allow_loopback=allow_loopback)).draft


async def fetch_page(
    url: str,
    *,
    now: datetime,
    allow_loopback: bool = False,
    deadline: float = PAGE_DEADLINE,
    image: bool = True,
) -> FetchedPage:
    """A checked draft from a web page: headline, text, source link, lead image, the page's
    publication time (now if it gives none, or one after `now`) and its language.

    An image that can't be had (too big, not an image, gone) leaves the draft without a photo
    rather than losing the article. With `image=False` the image is not fetched at all: its
    address is in `image_url` (a feed's article keeps its photo as a link, not 10 MB a story).
    """
    final_url, html, _ = await fetch(
        url, want="html", limit=MAX_PAGE_BYTES, allow_loopback=allow_loopback, deadline=deadline
    )
    # trafilatura is CPU work (up to 3 MB of HTML): off the event loop, so readers aren't kept
    text = html.decode("utf-8", "replace")
    page = await asyncio.to_thread(extract_article, text, final_url, now=now)
    photo = None
    if page.image_url and image:
        try:
            photo = await fetch_image(
                page.image_url, allow_loopback=allow_loopback, deadline=deadline
            )
        except FetchError:
            photo = None
    language, unsupported = summary_language(page.language)
    draft = Draft(
        title=page.title,
        body=page.body,
        url=url,
        photo=photo,
        language=language,
        published_at=page.published,
    )
    return FetchedPage(validate(draft, now=now), unsupported, page.published, page.image_url)


def content_kind(response: httpx.Response) -> str:
    """The answer's media type, without parameters such as charset."""
    return str(response.headers.get("content-type", "")).split(";")[0].strip()


async def _body(response: httpx.Response, want: str, limit: int) -> bytes:
    """The body of a 200 answer of the wanted kind, at most `limit` bytes."""
    if response.status_code != 200:
        raise FetchError(
            f"the page answered {response.status_code}",
            code="answered-status",
            status=response.status_code,
        )
    if want == "html" and "html" not in content_kind(response):
        kind = content_kind(response)
        raise FetchError(
            f"that link is {kind or 'not a web page'}, not HTML", code="not-html", kind=kind
        )
    return await read_capped(response, limit)


async def read_capped(response: httpx.Response, limit: int, *, what: str = "that is") -> bytes:
    """The (decoded) body, read as it streams in: stops at the first byte past `limit`, and
    before reading anything when the declared length is already too much.

    The raw bytes are decoded here, not by httpx (which inflates a whole chunk at once: a 2 kB
    gzip bomb became gigabytes before any cap could look): never more than `limit` decoded
    bytes (and a byte) are held. One layer of gzip or deflate is read; anything else is refused.
    """
    most = limit // 1_000_000
    too_big = f"{what} more than {most} MB; not fetched"
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and "content-encoding" not in response.headers and int(declared) > limit:
        raise FetchError(too_big, code="too-big", most=most)
    inflater = _Inflater.for_response(response, what)
    chunks: list[bytes] = []
    size = 0
    async for raw in response.aiter_raw():
        for chunk in inflater.feed(raw, room=limit - size + _DECODE_MARGIN):
            size += len(chunk)
            if size > limit:
                raise FetchError(too_big, code="too-big", most=most)
            chunks.append(chunk)
    return b"".join(chunks)


class _Inflater:
    """Content-Encoding undone with a bounded appetite: `feed` yields decoded pieces, each
    asked for no more than the room left, so a bomb is stopped after `room` bytes."""

    def __init__(self, coding: str, what: str) -> None:
        self.coding = coding  # "identity", "gzip" or "deflate"
        self.what = what
        self.pending = b""  # deflate: the first bytes, until zlib-wrapped or raw is known
        self.inflate: zlib._Decompress | None = None
        if coding == "gzip":
            self.inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)

    @classmethod
    def for_response(cls, response: httpx.Response, what: str) -> _Inflater:
        header = response.headers.get("content-encoding", "")
        codings = [c.strip().lower() for c in header.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if not codings:
            return cls("identity", what)
        if len(codings) == 1 and codings[0] in {"gzip", "x-gzip", "deflate"}:
            return cls("deflate" if codings[0] == "deflate" else "gzip", what)
        raise FetchError(
            f"{what} sent in an encoding newsbot doesn't read ({header.strip()})",
            code="unknown-encoding",
            encoding=header.strip(),
        )

    def feed(self, raw: bytes, *, room: int) -> list[bytes]:
        """The decoded bytes of `raw`, stopping once more than `room` came out."""
        if self.coding == "identity":
            return [raw] if raw else []
        if self.inflate is None:  # deflate: a zlib stream, or (some servers) raw deflate
            self.pending += raw
            if len(self.pending) < 2:
                return []
            first, second = self.pending[0], self.pending[1]
            wrapped = first & 0x0F == 8 and (first * 256 + second) % 31 == 0
            self.inflate = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
            raw, self.pending = self.pending, b""
        pieces: list[bytes] = []
        data, out = raw, 0
        try:
            while data and not self.inflate.eof and out <= room:
                piece = self.inflate.decompress(data, max(room - out, 0) + 1)
                data = self.inflate.unconsumed_tail
                out += len(piece)
                if piece:
                    pieces.append(piece)
        except zlib.error:
            raise FetchError(
                f"{self.what} sent as damaged {self.coding} data",
                code="damaged-encoding",
                encoding=self.coding,
            ) from None
        return pieces
