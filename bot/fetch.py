"""Fetching a web page or an image for /post URL: safely, or not at all.

Only http(s); every address a request would go to (the first and each redirect) must be a
public one, so a link can't make the bot reach the machine it runs on or the local network.
Timeouts, sizes and content types are capped.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urljoin, urlsplit

import httpx

from summaries.articles import MAX_PHOTO_BYTES, image_type, validate
from summaries.errors import NewsbotError
from summaries.extract import extract_article
from summaries.models import Draft

LANGUAGES_BY_CODE = {
    "cs": "czech",
    "en": "english",
    "fr": "french",
    "de": "german",
    "el": "greek",
    "it": "italian",
    "pl": "polish",
    "pt": "portuguese",
    "es": "spanish",
    "sv": "swedish",
}
MAX_PAGE_BYTES = 3 * 1024 * 1024
MAX_REDIRECTS = 5
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
USER_AGENT = "newsbot/0.1 (+https://github.com/newsbot)"


class FetchError(NewsbotError):
    """The page or image could not be fetched; the message says why, for the admin."""


async def check_address(url: str, *, allow_loopback: bool = False) -> None:
    """Refuse anything but http(s) to public addresses (loopback only when allowed: tests)."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise FetchError(f"only http:// and https:// links can be fetched, not {url!r}")
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            parts.hostname,
            parts.port or (443 if parts.scheme == "https" else 80),
            type=socket.SOCK_STREAM,
        )
    except OSError:
        raise FetchError(f"the address {parts.hostname} can't be found") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_loopback and allow_loopback:
            continue
        if not address.is_global:
            raise FetchError(f"{parts.hostname} is a private or local address; not fetched")


async def fetch(
    url: str, *, want: str, limit: int, allow_loopback: bool = False
) -> tuple[str, bytes, str]:
    """(final url, body, content type) of a GET, following redirects one checked hop at a time.

    `want` is "html" or "image": anything else is refused before the body is read.
    """
    async with httpx.AsyncClient(
        timeout=TIMEOUT, follow_redirects=False, headers={"User-Agent": USER_AGENT}
    ) as client:
        for _ in range(MAX_REDIRECTS + 1):
            await check_address(url, allow_loopback=allow_loopback)
            try:
                async with client.stream("GET", url) as response:
                    if response.is_redirect and "location" in response.headers:
                        url = urljoin(url, response.headers["location"])
                        continue
                    if response.status_code != 200:
                        raise FetchError(f"the page answered {response.status_code}")
                    kind = response.headers.get("content-type", "").split(";")[0].strip()
                    if want == "html" and "html" not in kind:
                        raise FetchError(f"that link is {kind or 'not a web page'}, not HTML")
                    body = await _read(response, limit)
                    return str(response.url), body, kind
            except httpx.TimeoutException:
                raise FetchError("the page took too long to answer") from None
            except httpx.HTTPError as error:
                raise FetchError(
                    f"the page could not be fetched ({type(error).__name__})"
                ) from None
    raise FetchError(f"more than {MAX_REDIRECTS} redirects")


async def fetch_image(url: str, *, allow_loopback: bool = False) -> bytes:
    """An image Telegram can show, at most 10 MB."""
    _, data, _ = await fetch(
        url, want="image", limit=MAX_PHOTO_BYTES, allow_loopback=allow_loopback
    )
    if image_type(data) is None:
        raise FetchError("the page's image is not a JPEG, PNG, GIF or WebP")
    return data


async def fetch_article(url: str, *, allow_loopback: bool = False) -> Draft:
    """A checked draft from a web page: headline, text, source link and lead image.

    An image that can't be had (too big, not an image, gone) leaves the draft without a photo
    rather than losing the article.
    """
    final_url, html, _ = await fetch(
        url, want="html", limit=MAX_PAGE_BYTES, allow_loopback=allow_loopback
    )
    page = extract_article(html.decode("utf-8", "replace"), final_url)
    photo = None
    if page.image_url:
        try:
            photo = await fetch_image(page.image_url, allow_loopback=allow_loopback)
        except FetchError:
            photo = None
    language = LANGUAGES_BY_CODE.get((page.language or "")[:2].lower(), "english")
    return validate(
        Draft(title=page.title, body=page.body, url=url, photo=photo, language=language)
    )


async def _read(response: httpx.Response, limit: int) -> bytes:
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limit:
            raise FetchError(f"that is more than {limit // 2**20} MB; not fetched")
        chunks.append(chunk)
    return b"".join(chunks)
