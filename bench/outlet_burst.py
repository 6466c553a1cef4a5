"""A burst of articles into channels: the real OutletPoster against the in-process stand-in.

    python bench/outlet_burst.py [--articles 1000] [--outlets 10]

Every article matches every outlet: articles x outlets posts (a photo, the whole story in its
caption, the "Read in the bot" button). Telegram's pace is on in the stand-in (20 messages a
minute a chat, else 429) and in the poster (its ledger); time is virtual: one clock, read by
the poster (Services.clock) and the stand-in, is moved a minute after each round, so the
run takes seconds, not 50 minutes. PTB's AIORateLimiter is off: it waits in real time.

Reported: posts a virtual minute per chat (against Telegram's 20), 429s, and the poster's
cost per post (wall time less the stand-in's own) next to a bare `send_photo` loop through
the same PTB Bot sending the same captions, buttons and file_ids as often.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import statistics
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.app import build_application
from bot.config import Settings
from bot.lifecycle import running
from bot.outlet_poster import OutletPoster
from bot.render.channel import channel_post
from bot.transport import request_sent
from standin import FakeTelegram, StandInRequest
from summaries import outlet_links
from summaries.article_summary import add_article
from summaries.models import Draft
from summaries.outlet_posts import OutletPosts
from summaries.outlets import Outlets

START = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
BODY = (
    "The council approved the new bridge on Monday. It will cost 40 million euros. "
    "Work starts in spring. Residents welcomed the plan."
)


class VirtualClock:
    """One clock for the poster and the stand-in, moved by the run, never waited on."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def seconds(self) -> int:
        return int(self.now.timestamp())


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


async def burst(articles: int, outlets: int, work: Path) -> dict[str, float]:
    clock = VirtualClock()
    tg = FakeTelegram(clock=clock.seconds)
    settings = Settings(token=tg.token, db_path=work / "burst.db", rate_limit=False)
    request = TimedStandIn(tg)
    app = build_application(settings, request=request)
    async with running(app, start=False):
        svc = dataclasses.replace(app.bot_data["services"], clock=clock)
        app.bot_data["services"] = svc
        chats = [tg.channel(f"News {i}") for i in range(outlets)]
        for chat in chats:
            Outlets(svc.store.db).add(chat.id, now=clock.now, kind="channel")
        for i in range(articles):
            draft = Draft(f"Story {i}", BODY, photo=PNG, photo_credit="AP",
                          published_at=clock.now)  # fmt: skip
            add_article(svc.store, draft, now=clock.now)
        poster = OutletPoster(svc, owner="bench")
        per_minute: list[int] = []
        began, request.spent = time.perf_counter(), 0.0
        rounds = 0
        seen = len(tg.calls)
        while True:
            counts = await poster.run_round(app.bot)
            rounds += 1
            sent_now = Counter(
                int(c.params["chat_id"]) for c in tg.calls[seen:]
                if c.ok and c.method == "sendPhoto"
            )  # fmt: skip
            seen = len(tg.calls)
            per_minute += [sent_now.get(chat.id, 0) for chat in chats]
            if not counts.get("sent"):
                break
            clock.now += timedelta(seconds=60)
        poster_time, poster_standin = time.perf_counter() - began, request.spent
        posts = sum(len(OutletPosts(svc.store.db).posts(o.id)) for o in svc.outlets.all())
        sent = sum(1 for c in tg.calls if c.ok and c.method == "sendPhoto")
        refused = sum(1 for c in tg.calls if c.status == 429)
        # baseline: the same photos (by file_id), captions and buttons, sent as often
        rendered = []
        for article in svc.store.latest(articles):
            summary = await svc.summary(article)
            for outlet in svc.outlets.all():
                post = channel_post(article, summary, bot_username=app.bot.username,
                                    start_param=outlet_links.start_param(article.id, outlet.id),
                                    tz=UTC)  # fmt: skip
                rendered.append((outlet.chat_id, article.photo_file_id, post))
        tg.pace = None  # the bare loop is not paced: its cost alone is measured
        began, request.spent = time.perf_counter(), 0.0
        for chat_id, file_id, post in rendered:
            await app.bot.send_photo(chat_id, file_id, caption=post.caption,
                                     reply_markup=post.keyboard)  # fmt: skip
        baseline, baseline_standin = time.perf_counter() - began, request.spent
    busy = [n for n in per_minute if n]
    return {
        "posts": posts,
        "sent": sent,
        "rounds": rounds,
        "refused": refused,
        "max_per_minute": max(busy),
        "mean_per_minute": statistics.mean(busy),
        "poster_ms": 1000 * (poster_time - poster_standin) / sent,
        "poster_wall_ms": 1000 * poster_time / sent,
        "baseline_ms": 1000 * (baseline - baseline_standin) / len(rendered),
        "baseline_wall_ms": 1000 * baseline / len(rendered),
        "wall_s": poster_time,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--outlets", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        r = asyncio.run(burst(args.articles, args.outlets, Path(work)))
    print("| measurement | value |\n| --- | --- |")
    print(f"| posts queued / sent (sendPhoto) | {r['posts']:.0f} / {r['sent']:.0f} |")
    print(f"| rounds (a virtual minute apart) | {r['rounds']:.0f} |")
    print(f"| 429s from the stand-in | {r['refused']:.0f} |")
    print(f"| posts a minute per chat, max / mean (Telegram allows 20) | "
          f"{r['max_per_minute']:.0f} / {r['mean_per_minute']:.1f} |")  # fmt: skip
    print(f"| poster, ms a post, without the stand-in's time | {r['poster_ms']:.2f} |")
    print(f"| poster, ms a post, wall | {r['poster_wall_ms']:.2f} |")
    print(f"| baseline: bare send_photo, ms a post, no stand-in | {r['baseline_ms']:.2f} |")
    print(f"| baseline, ms a post, wall | {r['baseline_wall_ms']:.2f} |")
    print(f"| ratio poster / baseline (bot's share) | {r['poster_ms'] / r['baseline_ms']:.2f} |")
    print(f"| poster wall time for the burst, s | {r['wall_s']:.1f} |")


if __name__ == "__main__":
    main()
