"""Memory over 100,000 updates: does the bot's memory stay flat?

    python bench/soak.py [--updates 100000]

1,000 readers send a mix of commands, button presses and plain text to the real application
(in process, against the stand-in, no rate limiter). The stand-in forgets what it received
every 10,000 updates, so what grows is the bot's. Current RSS (from /proc) is recorded after
each block, against the RSS after a 10,000-update warm-up as the baseline (a ratio).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from telegram import Update

from bot.app import build_application
from bot.config import Settings
from bot.lifecycle import running
from bot.transport import request_sent
from standin import FakeTelegram, StandInRequest, TelegramUser
from summaries.article_summary import add_article
from summaries.models import Draft, utc_now

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"
BLOCK = 10_000


def rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 2**20


def action(tg: FakeTelegram, rng: random.Random, reader: TelegramUser) -> dict[str, Any]:
    roll = rng.random()
    if roll < 0.3:
        return reader.sends(f"/read {rng.randint(1, 200)}")
    if roll < 0.5:
        return reader.sends("/latest")
    if roll < 0.7:
        return reader.sends(rng.choice(["/search police", "obama", "/search world cup"]))
    shown = [m for m in tg.bot_messages(reader.id) if m.buttons]
    if shown and roll < 0.95:
        button = rng.choice(shown[-1].buttons)
        if "callback_data" in button:
            return reader.presses(button["callback_data"], message_id=shown[-1].message_id)
    return reader.sends("/help")


async def soak(updates: int) -> list[tuple[int, float]]:
    tg = FakeTelegram()
    db = Path(tempfile.mkdtemp(prefix="newsbot-soak-")) / "news.db"
    app = build_application(
        Settings(token=tg.token, db_path=db, rate_limit=False),
        request=StandInRequest(tg, long_poll=False, on_sent=request_sent),
    )
    store = app.bot_data["services"].store
    for i, line in enumerate(DEV.open(encoding="utf-8")):
        if i == 200:
            break
        add_article(store, Draft(title=f"Story {i}", body=json.loads(line)["text"]), now=utc_now())
    rng, readers = random.Random(7), [tg.user(20_000 + i) for i in range(1000)]
    samples: list[tuple[int, float]] = []
    async with running(app, start=False):
        for done in range(1, updates + 1):
            update = action(tg, rng, rng.choice(readers))
            tg.pending.clear()
            await app.process_update(Update.de_json(update, app.bot))
            if done % BLOCK == 0:
                tg.calls.clear()
                tg.chat_messages.clear()
                tg.open_queries.clear()
                tg.answers.clear()
                gc.collect()
                samples.append((done, rss_mb()))
                print(f"{done:>7} updates: RSS {samples[-1][1]:.1f} MB", flush=True)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--updates", type=int, default=100_000)
    args = parser.parse_args()
    began = time.perf_counter()
    samples = asyncio.run(soak(args.updates))
    elapsed = time.perf_counter() - began
    base = samples[0][1]
    print(f"\n{args.updates} updates in {elapsed:.0f} s ({args.updates / elapsed:.0f}/s)")
    print("| updates | RSS MB | ratio to 10,000 |\n| --- | --- | --- |")
    for done, rss in samples:
        print(f"| {done:,} | {rss:.1f} | {rss / base:.3f} |")


if __name__ == "__main__":
    main()
