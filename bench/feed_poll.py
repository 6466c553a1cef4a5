"""Feed polling: one poll of 100 sources x 50 items, next to a plain HTTP fetch of the same.

    python bench/feed_poll.py [--sources 100] [--items 50] [--profile] [--quick]

Feeds are RSS 2.0 made from dev.jsonl stories (content:encoded of up to five paragraphs of
three sentences); every fifth source is teaser-only (a one-sentence description, no
content:encoded), so the poller reads its items' pages, served too. A threaded HTTP server in
another process (so its work is not on our GIL) serves them on 127.0.0.1 with ETags.

The real FeedPoller (PollSettings(allow_loopback=True, first_poll_items=items), so every
item of every source is stored) and the real summarizer, on a temp database, poll three
times: all new (fetch, parse, pages, summarize, store); every source answering 304; bodies
served again unchanged as 200 without validators (parse and plan, nothing stored). The
baseline, measured in the same run: httpx GETs of the same feeds (and for the first poll the
teasers' pages) with the same concurrency (4 sources at once, 4 pages at once per source).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import html
import json
import multiprocessing
import re
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/ is not installed
from bot import feed_poll as poll_module
from bot import fetch as fetch_module
from bot.feed_poll import FeedPoller, PollReport, PollSettings
from summaries import article_summary
from summaries.sources import Sources
from summaries.store import ArticleStore
from summaries.summarize import summarize

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"
TEASER_EVERY = 5  # every fifth source is teaser-only: 20% of sources and items
AT_ONCE = 4  # PollSettings.at_once's default
PAGES_AT_ONCE = 4  # bot.feed_poll.PAGES_AT_ONCE
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")
BASE_TIME = datetime(2026, 12, 4, 12, tzinfo=UTC)


# -- the feeds ------------------------------------------------------------------------------


def stories() -> list[tuple[str, list[str]]]:
    """(title, sentences) of every dev.jsonl story."""
    found = []
    with DEV.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            found.append((row["title"], SENTENCE.split(row["text"].strip())))
    return found


def paragraphs(sentences: list[str], limit: int | None) -> str:
    chunks = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
    return "".join(f"<p>{html.escape(chunk)}</p>\n" for chunk in chunks[:limit])


def is_teaser(source: int) -> bool:
    return source % TEASER_EVERY == TEASER_EVERY - 1


def site(base: str, sources: int, items: int) -> dict[str, tuple[bytes, str]]:
    """Every path the server answers: path -> (body, content type)."""
    texts, routes = stories(), {}
    for s in range(sources):
        entries = []
        for i in range(items):
            title, sentences = texts[(s * items + i) % len(texts)]
            title = f"{title.capitalize()} ({s}-{i})"
            sentences = [f"Desk {s} filed report {i} today.", *sentences]
            link = f"{base}/page/{s}/{i}.html"
            when = format_datetime(BASE_TIME - timedelta(minutes=30 * i + s), usegmt=True)
            if is_teaser(s):
                teaser = html.escape(sentences[1][:150])
                body = f"<description>{teaser}</description>"
                page = (
                    f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
                    f"<title>{html.escape(title)} | Desk {s}</title>"
                    f'<meta property="article:published_time" content="{when}"></head><body>'
                    f"<header><nav><a href='/'>Home</a> <a href='/world'>World</a></nav></header>"
                    f"<main><article><h1>{html.escape(title)}</h1>\n{paragraphs(sentences, None)}"
                    f"</article></main><footer><p>Copyright Desk {s}. All rights reserved.</p>"
                    f"</footer></body></html>"
                )
                routes[f"/page/{s}/{i}.html"] = (page.encode(), "text/html; charset=utf-8")
            else:
                teaser = html.escape(sentences[1][:150])
                content = paragraphs(sentences, 5).replace("]]>", "]]&gt;")
                body = (
                    f"<description>{teaser}</description>"
                    f"<content:encoded><![CDATA[{content}]]></content:encoded>"
                )
            entries.append(
                f"<item><title>{html.escape(title)}</title><link>{link}</link>"
                f'<guid isPermaLink="false">desk-{s}-item-{i}</guid>'
                f"<pubDate>{when}</pubDate>{body}</item>"
            )
        feed = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>Desk {s}</title><link>{base}/</link><description>News from desk {s}"
            f"</description><language>en-us</language>\n" + "\n".join(entries) + "</channel></rss>"
        )
        routes[f"/feed/{s}.xml"] = (feed.encode(), "application/rss+xml; charset=utf-8")
    return routes


class Site(ThreadingHTTPServer):
    """The pages; `conditional` False: 200 always, with no validators."""

    daemon_threads = True
    request_queue_size = 128
    routes: dict[str, tuple[bytes, str]]
    conditional = True


class Handler(BaseHTTPRequestHandler):
    server: Site

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path.startswith("/_mode/"):
            self.server.conditional = path == "/_mode/conditional"
            path, found = "", (b"ok", "text/plain")
        else:
            found = self.server.routes.get(path, (b"", ""))
        body, kind = found
        if not kind:
            self.send_error(404)
            return
        etag = '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest()[:16] + '"'
        if self.server.conditional and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        if self.server.conditional:
            self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(conn: Connection, sources: int, items: int) -> None:
    """The server process: tell the parent the port and sizes, then serve until killed."""
    server = Site(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    server.routes = site(base, sources, items)
    feeds = [len(b) for p, (b, _) in server.routes.items() if p.startswith("/feed/")]
    pages = [len(b) for p, (b, _) in server.routes.items() if p.startswith("/page/")]
    conn.send((base, sum(feeds), len(pages), sum(pages)))
    server.serve_forever()


@contextmanager
def served(sources: int, items: int) -> Iterator[tuple[str, int, int, int]]:
    """(base url, feed bytes, pages, page bytes) of a server in its own process."""
    here, there = multiprocessing.get_context("spawn").Pipe()
    process = multiprocessing.get_context("spawn").Process(
        target=serve, args=(there, sources, items), daemon=True
    )
    process.start()
    try:
        yield here.recv()
    finally:
        process.terminate()
        process.join()


def set_mode(base: str, mode: str) -> None:
    httpx.get(f"{base}/_mode/{mode}", trust_env=False).raise_for_status()


# -- the baseline ---------------------------------------------------------------------------


async def plain_fetch(
    base: str,
    sources: int,
    items: int,
    *,
    pages: bool,
    conditional: bool = False,
    client_per_get: bool = False,
) -> float:
    """Seconds to GET every feed (and the teasers' pages) with the poller's concurrency."""
    gate = asyncio.Semaphore(AT_ONCE)
    etags: dict[int, str] = {}
    async with httpx.AsyncClient(trust_env=False, timeout=30) as shared:
        if conditional:  # the validators, as the poller has them from its first poll
            for s in range(sources):
                etags[s] = (await shared.get(f"{base}/feed/{s}.xml")).headers["etag"]

        async def get(url: str, headers: dict[str, str] | None = None) -> httpx.Response:
            if client_per_get:
                async with httpx.AsyncClient(trust_env=False, timeout=30) as own:
                    return await own.get(url, headers=headers)
            return await shared.get(url, headers=headers)

        async def one(s: int) -> None:
            async with gate:
                headers = {"If-None-Match": etags[s]} if conditional else None
                response = await get(f"{base}/feed/{s}.xml", headers)
                if response.status_code != (304 if conditional else 200):
                    raise RuntimeError(f"feed {s} answered {response.status_code}")
                if pages and is_teaser(s):
                    inner = asyncio.Semaphore(PAGES_AT_ONCE)

                    async def page(i: int) -> None:
                        async with inner:
                            (await get(f"{base}/page/{s}/{i}.html")).raise_for_status()

                    await asyncio.gather(*(page(i) for i in range(items)))

        began = time.perf_counter()
        await asyncio.gather(*(one(s) for s in range(sources)))
        return time.perf_counter() - began


# -- the poll -------------------------------------------------------------------------------


@dataclass
class Profile:
    """CPU seconds (each calling thread's own) spent in each part, summed over calls."""

    cpu: dict[str, float] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            began = time.thread_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent = time.thread_time() - began
                with self.lock:
                    self.cpu[name] = self.cpu.get(name, 0.0) + spent
                    self.calls[name] = self.calls.get(name, 0) + 1

        return timed

    def reset(self) -> None:
        self.cpu.clear()
        self.calls.clear()


PARTS = [  # (name shown, module, attribute)
    ("parse (feedparser)", poll_module, "parse_feed"),
    ("plan + remember", poll_module, "plan"),
    ("plan + remember", poll_module, "remember_old"),
    ("draft (checks)", poll_module, "draft_for"),
    ("page extraction (trafilatura)", fetch_module, "extract_article"),
    ("summarize", article_summary, "for_publishing"),
    ("store (one transaction an item)", poll_module, "store_item"),
]


def instrument() -> Profile:
    profile = Profile()
    for name, module, attribute in PARTS:
        setattr(module, attribute, profile.wrap(name, getattr(module, attribute)))
    return profile


@dataclass
class Poll:
    wall: float
    cpu: float
    reports: list[PollReport]

    def count(self, what: str) -> int:
        return sum(int(getattr(r, what)) for r in self.reports)


def new_poller(base: str, sources: int, items: int) -> tuple[FeedPoller, list[int]]:
    """A poller on a fresh temp database with the sources added."""
    store = ArticleStore.open(Path(tempfile.mkdtemp(prefix="newsbot-feeds-")) / "news.db")
    registry = Sources(store.db)
    now = datetime.now(UTC)
    urls = [f"{base}/feed/{s}.xml" for s in range(sources)]
    ids = [registry.add(url, name=f"Desk {s}", now=now).id for s, url in enumerate(urls)]
    settings = PollSettings(allow_loopback=True, first_poll_items=items)
    return FeedPoller(store, registry, summarize, settings), ids


async def timed_poll(poller: FeedPoller, ids: list[int]) -> Poll:
    cpu, began = time.process_time(), time.perf_counter()
    reports = await poller.poll_many(ids, now=datetime.now(UTC))
    wall = time.perf_counter() - began
    failed = [r.error for r in reports if r.failed]
    if failed:
        raise RuntimeError(f"{len(failed)} polls failed: {failed[:3]}")
    return Poll(wall, time.process_time() - cpu, reports)


async def fastest(times: int, run: Callable[[], Awaitable[float]]) -> float:
    return min([await run() for _ in range(times)])


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", type=int, default=100)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=3, help="of the baselines and 304 polls")
    parser.add_argument("--profile", action="store_true", help="CPU time of each part")
    parser.add_argument("--quick", action="store_true", help="10 sources x 10 items, 1 repeat")
    args = parser.parse_args()
    if args.quick:
        args.sources, args.items, args.repeats = 10, 10, 1
    sources, items, repeats = args.sources, args.items, args.repeats
    profile = instrument() if args.profile else None
    with served(sources, items) as (base, feed_bytes, page_count, page_bytes):
        teasers = sum(1 for s in range(sources) if is_teaser(s))
        print(
            f"{sources} sources x {items} items; {teasers} teaser-only sources "
            f"({page_count} pages, {page_bytes / 1e6:.1f} MB); feeds {feed_bytes / 1e6:.1f} MB"
        )

        def plain(**options: bool) -> Callable[[], Awaitable[float]]:
            return lambda: plain_fetch(base, sources, items, **options)

        poller, ids = new_poller(base, sources, items)
        await plain_fetch(base, sources, items, pages=True)  # warm up the server's caches
        fetch_all = await fastest(repeats, plain(pages=True))
        fetch_all_own = await fastest(repeats, plain(pages=True, client_per_get=True))
        first = await timed_poll(poller, ids)
        first_profile = dict(profile.cpu) if profile else {}
        stored = first.count("new")
        if stored != sources * items:
            raise RuntimeError(f"stored {stored} of {sources * items} items")

        fetch_feeds = await fastest(repeats, plain(pages=False))
        fetch_304 = await fastest(repeats, plain(pages=False, conditional=True))
        polls_304 = [await timed_poll(poller, ids) for _ in range(repeats)]
        if any(p.count("not_modified") != sources for p in polls_304):
            raise RuntimeError("not every source answered 304")
        set_mode(base, "plain")
        if profile:
            profile.reset()
        polls_same = [await timed_poll(poller, ids) for _ in range(repeats)]
        same_profile = dict(profile.cpu) if profile else {}
        if any(p.count("unchanged") != sources * items for p in polls_same):
            raise RuntimeError("an unchanged item was not found unchanged")
        set_mode(base, "conditional")

    report(
        sources * items,
        repeats,
        [fetch_all, fetch_all_own, fetch_feeds, fetch_304],
        [first, min(polls_304, key=lambda p: p.wall), min(polls_same, key=lambda p: p.wall)],
        [first_profile, same_profile],
    )


def report(
    total: int,
    repeats: int,
    baselines: list[float],
    polls: list[Poll],
    profiles: list[dict[str, float]],
) -> None:
    """Print the table (and the profile, if taken)."""
    fetch_all, fetch_all_own, fetch_feeds, fetch_304 = baselines
    first, poll_304, poll_same = polls
    first_profile, same_profile = profiles
    rows = [
        ("baseline: httpx GETs, feeds + teasers' pages (one client)", fetch_all, None, None),
        ("httpx GETs, feeds + pages, a new client per GET", fetch_all_own, fetch_all, None),
        ("**first poll**: all new (fetch, parse, pages, summarize, store)", first.wall,
         fetch_all, first.cpu),
        ("baseline: httpx GETs, feeds only", fetch_feeds, None, None),
        ("baseline: httpx conditional GETs, all 304", fetch_304, fetch_feeds, None),
        ("**second poll**: every source 304", poll_304.wall, fetch_feeds, poll_304.cpu),
        ("**third poll**: 200 unchanged, no validators (parse + plan)", poll_same.wall,
         fetch_feeds, poll_same.cpu),
    ]  # fmt: skip
    print(f"\n{total} items; repeats {repeats} (fastest shown, except the first poll: one)\n")
    print("| run | wall s | vs its baseline | process CPU s | items/s | ms/item |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, wall, baseline, cpu in rows:
        ratio = f"x{wall / baseline:.1f}" if baseline else "x1.0"
        cpu_text = f"{cpu:.2f}" if cpu is not None else "-"
        rate = f"{total / wall:,.0f}" if cpu is not None else "-"
        per_item = f"{1000 * wall / total:.2f}" if cpu is not None else "-"
        print(f"| {name} | {wall:.2f} | {ratio} | {cpu_text} | {rate} | {per_item} |")
    if first_profile:
        for title, spent, poll in [("first poll", first_profile, first),
                                   ("third poll (all repeats)", same_profile, None)]:  # fmt: skip
            print(f"\nCPU by part, {title} (each thread's own CPU time, summed):")
            for name, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
                share = f", {100 * seconds / poll.cpu:.0f}% of process CPU" if poll else ""
                print(f"- {name}: {seconds:.2f} s{share}")


if __name__ == "__main__":
    asyncio.run(main())
