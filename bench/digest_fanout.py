"""Digest fan-out speed, and the due query at a million subscribers.

    python bench/digest_fanout.py [--readers 10000] [--million 1000000]

Fan-out: one digest round to N due readers through the real DigestSender (claim, send, mark)
against the in-process stand-in with no rate limit, next to a baseline in the same run: a
plain python-telegram-bot loop sending the same message N times to the same stand-in.
Due query: `Subscriptions.due()` with a million subscribers, next to a primary-key lookup.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import resource
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.app import build_application
from bot.config import Settings
from bot.digests import DigestSender
from bot.lifecycle import running
from bot.transport import request_sent
from standin import FakeTelegram, StandInRequest
from summaries.article_summary import add_article
from summaries.models import Draft, to_db_time
from summaries.store import ArticleStore
from summaries.subscriptions import Subscriptions

BODY = (
    "The council approved the new bridge on Monday. It will cost 40 million euros. "
    "Work starts in spring. Residents welcomed the plan."
)


class TimedStandIn(StandInRequest):
    """The stand-in, adding up the time it spends answering (Telegram's share, not ours)."""

    def __init__(self, telegram: FakeTelegram) -> None:
        super().__init__(telegram, long_poll=False, on_sent=request_sent)
        self.spent = 0.0

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        began = time.perf_counter()
        try:
            return await super().do_request(*args, **kwargs)
        finally:
            self.spent += time.perf_counter() - began


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def fan_out(readers: int, work: Path) -> dict[str, float]:
    tg = FakeTelegram()
    settings = Settings(token=tg.token, db_path=work / "fanout.db", rate_limit=False)
    request = TimedStandIn(tg)
    app = build_application(settings, request=request)
    svc = app.bot_data["services"]
    now = datetime.now(UTC)
    for i in range(5):
        add_article(svc.store, Draft(title=f"Story {i}", body=BODY), now=svc.clock())
    zones = [ZoneInfo(z) for z in ("Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC")]
    for chat in range(1, readers + 1):
        tg.user(chat)
        zone = zones[chat % len(zones)]
        at = (now - timedelta(minutes=1)).astimezone(zone).time().replace(second=0, microsecond=0)
        svc.subscriptions.subscribe(chat, at, zone, now=now - timedelta(minutes=3))
    sender = DigestSender(dataclasses.replace(svc, clock=lambda: now))
    before = rss_mb()
    async with running(app, start=False):
        request.spent, began = 0.0, time.perf_counter()
        counts = await sender.run_round(app.bot)
        elapsed, in_standin = time.perf_counter() - began, request.spent
        sent = counts.get("sent", 0)
        # baseline: the same message (HTML and buttons) sent as often, nothing else
        first = tg.bot_messages(1)[0]
        if first.reply_markup is None:
            raise RuntimeError(f"the digest has no buttons: {first.json}")
        text, markup = first.source, InlineKeyboardMarkup.de_json(first.reply_markup, app.bot)
        request.spent, began = 0.0, time.perf_counter()
        for chat in range(1, sent + 1):
            await app.bot.send_message(chat, text, reply_markup=markup)
        baseline, baseline_standin = time.perf_counter() - began, request.spent
    if sent != readers:
        raise RuntimeError(f"sent {sent} of {readers}: {counts}")
    return {
        "round": sent / elapsed,
        "round_bot_only": sent / (elapsed - in_standin),
        "baseline": sent / baseline,
        "baseline_bot_only": sent / (baseline - baseline_standin),
        "memory": rss_mb() - before,
    }


def million(count: int, work: Path) -> tuple[list[float], list[float], list[float]]:
    store = ArticleStore.open(work / "million.db")
    subs, now = Subscriptions(store.db), datetime(2026, 11, 25, 12, tzinfo=UTC)
    rows = (
        (
            chat,
            "08:00",
            "Europe/Berlin",
            "",
            "active",
            date(2026, 11, 26).isoformat(),
            to_db_time(now + timedelta(seconds=chat % 86_400)),
            0,
            "x",
            "x",
        )
        for chat in range(1, count + 1)
    )
    with store.db.atomic():
        store.db.conn.executemany(
            "INSERT INTO subscribers (chat_id, time_of_day, timezone, topics, status, due_day, "
            "due_at, seen_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    due_ms, sql_ms, pk_ms = [], [], []
    for minute in range(50):
        moment = now + timedelta(minutes=minute * 20)
        began = time.perf_counter()
        due = subs.due(moment, 500)
        due_ms.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        store.db.execute(
            "SELECT * FROM subscribers INDEXED BY subscribers_due WHERE status = 'active' "
            "AND blocked = 0 AND due_at <= ? ORDER BY due_at LIMIT 500",
            [to_db_time(moment)],
        ).fetchall()
        sql_ms.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        subs.get(1 + minute * 1000)
        pk_ms.append((time.perf_counter() - began) * 1000)
        assert len(due) == 500 or minute == 0  # noqa: S101
    return due_ms, sql_ms, pk_ms


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--readers", type=int, default=10_000)
    parser.add_argument("--million", type=int, default=1_000_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="newsbot-fanout-"))
    r = asyncio.run(fan_out(args.readers, work))
    print("| measurement | value |\n| --- | --- |")
    print(f"| digest round to {args.readers} readers, messages/s | {r['round']:.0f} |")
    print(
        f"| same, without the stand-in's own time (the bot's rate) | {r['round_bot_only']:.0f} |"
    )
    print(f"| baseline: bare send_message loop, messages/s | {r['baseline']:.0f} |")
    print(f"| baseline without the stand-in's time | {r['baseline_bot_only']:.0f} |")
    print(
        f"| ratio round / baseline (bot's share) | "
        f"{r['round_bot_only'] / r['baseline_bot_only']:.2f} |"
    )
    print(f"| peak memory growth during the round, MB | {r['memory']:.0f} |")
    due_ms, sql_ms, pk_ms = million(args.million, work)
    print(
        f"| `due()`: 500 due of {args.million:,}, as Subscriptions, median ms | "
        f"{statistics.median(due_ms):.2f} |"
    )
    print(
        f"| the due query's SQL alone (index range scan), median ms | "
        f"{statistics.median(sql_ms):.2f} |"
    )
    print(f"| due query, max ms | {max(due_ms):.2f} |")
    print(f"| baseline: primary-key lookup, median ms | {statistics.median(pk_ms):.3f} |")


if __name__ == "__main__":
    main()
