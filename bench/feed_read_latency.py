"""/read latency while a big feed poll runs in the same event loop, next to idle.

    python bench/feed_read_latency.py [--sources 100] [--items 50] [--gap 5] [--quick]

The real application (build_application with the in-process stand-in, no rate limiter, as
bench/handler_overhead.py) answers a reader's `/read ID` over and over, `--gap` ms apart:
first idle, then while its own FeedPoller polls 100 sources x 50 items (all new; the feeds of
bench/feed_poll.py, served by another process) as a task of the same loop, then while it polls
them again and every source answers 304. Latency: from `process_update` to the stand-in
receiving the reply, as in bench/handler_overhead.py.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from telegram import Update

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/ is not installed
from bench.feed_poll import served
from bench.handler_overhead import TimedRequest, fill
from bot.app import build_application
from bot.config import Settings
from bot.feed_poll import FeedPoller
from bot.lifecycle import running
from standin import FakeTelegram

ARTICLES = 200  # stored before the polls: the ones /read opens


async def read_once(
    app: Any, tg: FakeTelegram, request: TimedRequest, n: int, arrived: float
) -> tuple[float, float]:
    """(ms from the update's arrival, ms from process_update) to the reply: an update that
    arrives while the loop is busy waits, and that wait counts in the first figure."""
    update = Update.de_json(tg.user(5005).sends(f"/read {1 + n % ARTICLES}"), app.bot)
    tg.pending.clear()
    tg.calls.clear()
    request.first_reply = None
    began = time.perf_counter()
    await app.process_update(update)
    if request.first_reply is None:
        raise RuntimeError(f"no reply to /read: {tg.calls[-1:]}")
    return (request.first_reply - arrived) * 1000, (request.first_reply - began) * 1000


async def reads(
    app: Any, tg: FakeTelegram, request: TimedRequest, gap: float, *, count: int = 0,
    until: asyncio.Task[Any] | None = None,
) -> list[tuple[float, float]]:  # fmt: skip
    """`count` reads, or reads until the task is done, each arriving `gap` seconds after the
    last reply: (from arrival, from process_update) for each, in ms."""
    latencies: list[tuple[float, float]] = []
    arrived = time.perf_counter()
    while (until is not None and not until.done()) or len(latencies) < count:
        latencies.append(await read_once(app, tg, request, len(latencies), arrived))
        arrived = time.perf_counter() + gap
        await asyncio.sleep(gap)  # a loop blocked past `arrived` makes the next reply late
    return latencies


def p99(values: list[float]) -> float:
    """The 99th percentile, within the values (never extrapolated past the largest)."""
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def row(name: str, pairs: list[tuple[float, float]], idle: float, extra: str) -> str:
    values, handler = [a for a, _ in pairs], [h for _, h in pairs]
    return (
        f"| {name} | {len(values)} | {statistics.median(values):.2f} | {p99(values):.2f} "
        f"| {max(values):.2f} | {p99(values) / idle:.1f} | {p99(handler):.2f} | {extra} |"
    )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", type=int, default=100)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--idle", type=int, default=1000, help="reads before the polls")
    parser.add_argument("--gap", type=float, default=5.0, help="ms between a reply and the next")
    parser.add_argument("--quick", action="store_true", help="10 sources x 10 items, 100 reads")
    args = parser.parse_args()
    if args.quick:
        args.sources, args.items, args.idle = 10, 10, 100
    gap = args.gap / 1000
    db = Path(tempfile.mkdtemp(prefix="newsbot-feed-read-")) / "news.db"
    fill(db, ARTICLES)
    tg = FakeTelegram()
    request = TimedRequest(tg)
    settings = Settings(
        token=tg.token,
        db_path=db,
        rate_limit=False,  # Telegram's pace is not our overhead
        fetch_loopback=True,
        feed_first_items=args.items,  # every item of every source is stored
    )
    app = build_application(settings, request=request)
    poller: FeedPoller = app.bot_data["feed_poller"]
    with served(args.sources, args.items) as (base, *_):
        now = datetime.now(UTC)
        ids = [
            poller.sources.add(f"{base}/feed/{s}.xml", name=f"Desk {s}", now=now).id
            for s in range(args.sources)
        ]
        async with running(app, start=False):  # no jobs: the polls are this script's
            await reads(app, tg, request, gap, count=50)  # warm up
            idle = await reads(app, tg, request, gap, count=args.idle)
            began = time.perf_counter()
            task = asyncio.create_task(poller.poll_many(ids, now=datetime.now(UTC)))
            during = await reads(app, tg, request, gap, until=task)
            first = time.perf_counter() - began
            new = sum(r.new for r in task.result())
            began = time.perf_counter()
            task = asyncio.create_task(poller.poll_many(ids, now=datetime.now(UTC)))
            during_304 = await reads(app, tg, request, gap, until=task)
            second = time.perf_counter() - began
            not_modified = sum(r.not_modified for r in task.result())
    if new != args.sources * args.items or not_modified != args.sources:
        raise RuntimeError(f"stored {new} items; {not_modified} sources answered 304")
    base_p99 = p99([a for a, _ in idle])
    print(f"{args.sources} sources x {args.items} items; /read every {args.gap:g} ms\n")
    print(
        "| /read ID | replies | p50 ms | p99 ms | max ms | p99 / idle p99 "
        "| p99 ms from process_update | poll |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    print(row("idle (baseline)", idle, base_p99, "-"))
    print(row("during the first poll", during, base_p99, f"{new} new items in {first:.1f} s"))
    print(
        row(
            "during a poll of 304s", during_304, base_p99, f"{not_modified} 304s in {second:.1f} s"
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
