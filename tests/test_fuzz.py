"""Thousands of generated updates through the real application (hypothesis): no handler may
fail, every call must pass the stand-in's Telegram rules, and readers can't change articles."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram import Update

from bot.app import build_application
from bot.config import Settings
from bot.lifecycle import running
from bot.transport import request_sent
from standin import FakeTelegram, StandInRequest
from summaries.article_summary import add_article
from summaries.models import Draft, utc_now
from summaries.store import ArticleStore
from tests.helpers.samples import BODY, PNG

COMMANDS = [
    "/start",
    "/help",
    "/latest",
    "/read",
    "/search",
    "/subscribe",
    "/settings",
    "/unsubscribe",
    "/topics",
    "/digest",
    "/cancel",
    "/post",
    "/edit",
    "/delete",
    "/stats",
    "/done",
    "/skip",
    "/remove",
    "/forget",
    "/nope",
]
DATA = [
    "read:",
    "next:",
    "full:",
    "page:1:",
    "page:",
    "latest:",
    "s:",
    "sub:",
    "set:",
    "del:",
    "post:",
    "forget:",
    "x",
]
READER, ADMIN = 4242, 1001

text = st.text(max_size=300) | st.sampled_from(["", " ", "😀", "<b>", "&", "1", "9" * 40])
words = st.lists(text | st.integers(-5, 10**30).map(str), max_size=4).map(" ".join)
command = st.tuples(st.sampled_from(COMMANDS), words).map(lambda t: f"{t[0]} {t[1]}".strip())
callback = st.tuples(st.sampled_from(DATA), text | st.integers(-5, 10**30).map(str)).map(
    lambda t: (t[0] + t[1])[:64]
)
action = st.one_of(
    st.tuples(st.just("text"), command | text, st.sampled_from([READER, ADMIN])),
    st.tuples(st.just("press"), callback, st.sampled_from([READER, ADMIN])),
    st.tuples(st.just("inline"), text, st.just(READER)),
    st.tuples(st.just("sticker"), st.just(""), st.sampled_from([READER, ADMIN])),
    st.tuples(st.just("photo"), command | text, st.sampled_from([READER, ADMIN])),
    st.tuples(st.just("group"), command | text, st.just(READER)),
    st.tuples(st.just("block"), st.just(""), st.just(READER)),
)


def build(tg: FakeTelegram, db: Path) -> Any:
    settings = Settings(  # no rate limiter: its waits (20 a minute in groups) aren't tested here
        token=tg.token, db_path=db, admin_ids=frozenset({ADMIN}), rate_limit=False
    )
    return build_application(
        settings, request=StandInRequest(tg, long_poll=False, on_sent=request_sent)
    )


def update_for(tg: FakeTelegram, kind: str, payload: str, user_id: int) -> dict[str, Any]:
    """The update a user's action makes, recorded in the stand-in's chats like Telegram."""
    person = tg.user(user_id)
    tg.add_group(-100777)
    makers = {
        "text": lambda: person.sends(payload or "."),
        "press": lambda: press(tg, person.json, user_id, payload or "x"),
        "inline": lambda: person.inline_query(payload),
        "sticker": person.sends_sticker,
        "photo": lambda: person.sends_photo(payload or None),
        "group": lambda: person.sends(payload or ".", chat_id=-100777),
        "block": person.blocks_bot,
    }
    return makers[kind]()


def press(tg: FakeTelegram, person: dict[str, Any], user_id: int, data: str) -> dict[str, Any]:
    """A button press with any data, on the newest bot message with buttons (or any)."""
    shown = [m for m in tg.bot_messages(user_id) if m.buttons] or tg.bot_messages(user_id)
    chat = {"id": user_id, "type": "private", "first_name": person["first_name"]}
    message = shown[-1].json if shown else tg.updates.text_message(person, chat, "x")
    update = tg.updates.callback_query(person, message, data)
    tg.open_queries[update["callback_query"]["id"]] = update["callback_query"]
    return update


@pytest.mark.slow
def test_generated_updates_never_break_the_bot(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    loop = asyncio.new_event_loop()
    tg = FakeTelegram()
    tg.pace = None  # the fuzz floods one group faster than Telegram's 20 a minute
    app = build(tg, tmp_path / "news.db")
    store: ArticleStore = app.bot_data["services"].store
    for i in range(3):
        add_article(
            store,
            Draft(title=f"Story <{i}> & co", body=BODY, photo=PNG if i else None),
            now=utc_now(),
        )
    lifecycle = running(app, start=False)  # one process's life, across every example
    loop.run_until_complete(lifecycle.__aenter__())

    def articles() -> list[tuple[Any, ...]]:
        return store.db.execute(
            "SELECT id, title, body, deleted, version FROM articles"
        ).fetchall()

    @settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(action, min_size=1, max_size=12))
    def scenario(actions: list[tuple[str, str, int]]) -> None:
        before = articles()
        for kind, payload, user_id in actions:
            update = update_for(tg, kind, payload, user_id)
            tg.pending.clear()
            loop.run_until_complete(app.process_update(Update.de_json(update, app.bot)))
        if all(user_id == READER for _, _, user_id in actions):
            assert articles() == before  # only admins change articles

    try:
        scenario()
        refused = [
            c
            for c in tg.calls
            if not c.ok
            and c.status != 403
            and "not modified" not in c.response.get("description", "")
        ]
        assert refused == []
        failures = [r.getMessage() for r in caplog.records if r.name == "bot.errors"]
        assert failures == []
        print(f"{len(tg.calls)} Bot API calls, all within Telegram's rules")  # noqa: T201
    finally:
        loop.run_until_complete(lifecycle.__aexit__(None, None, None))
        loop.close()
