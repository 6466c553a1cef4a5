"""The real application wired to the in-process stand-in, for handler tests."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Update

from bot.app import App, build_application
from bot.config import Settings
from bot.digests import DigestSender
from bot.lifecycle import running
from bot.services import Services
from bot.transport import request_sent
from standin import FakeTelegram, StandInRequest, TelegramUser
from summaries.store import ArticleStore

ADMIN_ID = 1001
READER_ID = 2002


@dataclass
class Harness:
    """The application, the fake Telegram it talks to, and a way to deliver updates."""

    app: App
    tg: FakeTelegram

    @property
    def store(self) -> ArticleStore:
        return self.services.store

    @property
    def services(self) -> Services:
        services: Services = self.app.bot_data["services"]
        return services

    def set_clock(self, clock: Callable[[], datetime]) -> DigestSender:
        """Put time in the test's hands (Services.clock, the bot's one clock: the stores
        are given `now`); returns the digest sender that uses it."""
        services = dataclasses.replace(self.services, clock=clock)
        self.app.bot_data["services"] = services
        sender = DigestSender(services, owner="test-process")
        self.app.bot_data["digest_sender"] = sender
        return sender

    async def feed(self, update: dict[str, Any]) -> None:
        """Process one update as the running bot would (then forget it was queued)."""
        self.tg.pending.clear()
        await self.app.process_update(Update.de_json(update, self.app.bot))


async def edit_field(harness: Harness, article_id: int, field: str) -> TelegramUser:
    """The admin opens /edit ID and picks a field to change: the bot now waits for its value."""
    admin = harness.tg.user(ADMIN_ID)
    await harness.feed(admin.sends(f"/edit {article_id}"))
    await harness.feed(admin.presses("✏ Edit a field"))
    await harness.feed(admin.presses(field))
    return admin


async def running_harness(db_path: Path, *, rate_limit: bool = True) -> AsyncIterator[Harness]:
    """The app initialized (its post_init too, as `newsbot run`), unstarted: tests feed the
    updates and run the digest rounds themselves; stopped after."""
    tg = FakeTelegram()
    settings = Settings(token=tg.token, db_path=db_path, admin_ids=frozenset({ADMIN_ID}),
                        timezone=ZoneInfo("Europe/Berlin"), rate_limit=rate_limit)  # fmt: skip
    app = build_application(
        settings, request=StandInRequest(tg, long_poll=False, on_sent=request_sent)
    )
    async with running(app, start=False):
        yield Harness(app, tg)


def local_admin(harness: Harness, language: str, now: datetime) -> TelegramUser:
    """The admin, whose Telegram speaks `language`, at `now`; the bot may fetch pages and
    poll feeds from 127.0.0.1 (the tests' servers)."""
    settings = dataclasses.replace(harness.services.settings, fetch_loopback=True)
    harness.app.bot_data["services"] = dataclasses.replace(
        harness.services, settings=settings, clock=lambda: now
    )
    poller = harness.app.bot_data.get("feed_poller")
    if poller is not None:
        poller.settings = dataclasses.replace(poller.settings, allow_loopback=True)
    return harness.tg.user(ADMIN_ID, language_code=language)
