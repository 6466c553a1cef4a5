"""Handler overhead: update in, reply request out, for /read and /search at 100,000 articles.

    python bench/handler_overhead.py [--articles 100000] [--updates 300]

The real application and a minimal python-telegram-bot echo bot run against the same
in-process stand-in; the time from `process_update` to the moment the stand-in receives the
bot's reply (sendMessage/sendPhoto) is measured for each, and compared as a ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.app import build_application
from bot.config import Settings
from bot.lifecycle import running
from bot.transport import request_sent
from standin import FakeTelegram, StandInRequest
from summaries.article_summary import add_article
from summaries.models import Draft, to_db_time, utc_now
from summaries.search_index import reindex_if_needed
from summaries.store import ArticleStore

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"
REPLIES = {"sendMessage", "sendPhoto"}


class TimedRequest(StandInRequest):
    """The stand-in, noting when the first reply of each update arrives."""

    def __init__(self, telegram: FakeTelegram) -> None:
        super().__init__(telegram, long_poll=False, on_sent=request_sent)
        self.first_reply: float | None = None

    async def do_request(self, url: str, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        if self.first_reply is None and url.rsplit("/", 1)[-1] in REPLIES:
            self.first_reply = time.perf_counter()
        return await super().do_request(url, *args, **kwargs)


def fill(path: Path, articles: int) -> None:
    bodies = [json.loads(line)["text"] for line in DEV.open(encoding="utf-8")]
    store, start = ArticleStore.open(path), datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(200):  # real rows with stored summaries, the ones /read will open
        add_article(
            store,
            Draft(title=f"Story {i}", body=bodies[i], published_at=start + timedelta(i)),
            now=utc_now(),
        )
    now = to_db_time(datetime.now(UTC))
    with store.db.atomic():
        store.db.table("articles").insert_all(
            {"title": f"Filler {i}", "body": bodies[i % len(bodies)], "language": "english",
             "published_at": to_db_time(start - timedelta(minutes=i)), "created_at": now,
             "updated_at": now}
            for i in range(articles - 200)
        )  # fmt: skip
    store.db.execute("DELETE FROM article_words_state")  # the fillers into the search index
    reindex_if_needed(store.db)
    store.close()


async def measure(app: Any, tg: FakeTelegram, request: TimedRequest,
                  texts: Callable[[int], str], n: int) -> list[float]:  # fmt: skip
    reader = tg.user(5005)
    latencies: list[float] = []
    async with running(app, start=False):
        for i in range(n):
            update = Update.de_json(reader.sends(texts(i)), app.bot)
            tg.pending.clear()
            request.first_reply = None
            began = time.perf_counter()
            await app.process_update(update)
            if request.first_reply is None:
                raise RuntimeError(f"no reply to {texts(i)!r}: {tg.calls[-1]}")
            latencies.append((request.first_reply - began) * 1000)
    return latencies


def summary(name: str, values: list[float], baseline: float) -> str:
    median = statistics.median(values)
    p99 = statistics.quantiles(values, n=100)[98]
    return f"| {name} | {median:.2f} | {p99:.2f} | {median / baseline:.1f} |"


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--updates", type=int, default=300)
    args = parser.parse_args()
    db = Path(tempfile.mkdtemp(prefix="newsbot-handlers-")) / "news.db"
    fill(db, args.articles)

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_message and update.effective_message.text:
            await update.effective_message.reply_text(update.effective_message.text)

    results = {}
    for name, texts in [
        ("echo (baseline)", lambda i: f"hello {i}"),
        ("/read ID", lambda i: f"/read {1 + i % 200}"),
        ("/search words", lambda i: ["/search police", "/search election", "/search syria",
                                     "/search world cup", "/search the"][i % 5]),
    ]:  # fmt: skip
        tg = FakeTelegram()
        request = TimedRequest(tg)
        if name.startswith("echo"):
            app: Any = ApplicationBuilder().token(tg.token).request(request)
            app = app.get_updates_request(request).updater(None).build()
            app.add_handler(MessageHandler(filters.TEXT, echo))
        else:
            # no rate limiter: Telegram's pace is not our overhead (the echo bot has none)
            settings = Settings(token=tg.token, db_path=db, rate_limit=False)
            app = build_application(settings, request=request)
        results[name] = await measure(app, tg, request, texts, args.updates)

    baseline = statistics.median(results["echo (baseline)"])
    print(f"{args.articles} articles, {args.updates} updates each\n")
    print("| handler | median ms | p99 ms | median / echo |\n| --- | --- | --- | --- |")
    for name, values in results.items():
        print(summary(name, values, baseline))


if __name__ == "__main__":
    asyncio.run(main())
