"""A few short articles written for this project, with images drawn here, for the demo."""

from __future__ import annotations

import json
import struct
import zlib
from datetime import timedelta
from importlib import resources

from summaries.article_summary import add_article
from summaries.models import Draft, utc_now
from summaries.store import ArticleStore


def png(color: tuple[int, int, int], width: int = 320, height: int = 200) -> bytes:
    """A small PNG: a vertical gradient of `color` with a lighter band, made without Pillow."""
    rows = []
    for y in range(height):
        shade = 0.6 + 0.4 * y / height
        band = 1.35 if height // 3 < y < height // 3 + 24 else 1.0
        pixel = bytes(min(255, int(c * shade * band)) for c in color)
        rows.append(b"\x00" + pixel * width)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def seed(store: ArticleStore) -> list[int]:
    """Store the demo articles (ids from 1 in an empty store); returns their ids."""
    items = json.loads(resources.files("bot.demo").joinpath("articles.json").read_text("utf-8"))
    now = utc_now()
    ids = []
    for item in reversed(items):  # oldest first, so the newest gets the highest id
        color = item["color"]
        draft = Draft(
            title=item["title"],
            body=item["body"],
            url=item["url"],
            photo=png(tuple(color)) if color else None,
            photo_caption=item["photo_caption"] or "",
            photo_credit=item["credit"] or "",
            published_at=now - timedelta(hours=item["hours_ago"]),
            created_by="demo",
        )
        ids.append(add_article(store, draft, now=now).id)
    return ids
