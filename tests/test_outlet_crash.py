"""kill -9 the real `newsbot run` five times while it posts a burst into channels and edits
what it posted, then a clean run: no post twice, no edit lost, only posts in doubt missing."""

from __future__ import annotations

import json
import logging
import signal
import sqlite3
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from standin import TelegramChat
from standin.server import BotApiServer
from summaries.article_summary import add_article, update_article
from summaries.models import Draft, utc_now
from summaries.outlets import Outlets
from summaries.store import ArticleStore
from tests.helpers.processes import ensure_stopped, start_run, wait_for
from tests.helpers.samples import BODY

pytestmark = pytest.mark.slow
CHANNELS = 8
PER_PHASE = 3  # articles a phase: 24 posts, 15 a channel in all (within 20 a minute)
KILLS = 5


def posts_sent(server: BotApiServer) -> Counter[tuple[int, int]]:
    """(chat, article) of every post that arrived (a text post: one sendMessage)."""
    found: Counter[tuple[int, int]] = Counter()
    with server.telegram.lock:
        calls = list(server.telegram.calls)
    for call in calls:
        markup = json.dumps(call.params.get("reply_markup") or "")
        if call.ok and call.method == "sendMessage" and "start=a" in markup:
            article = int(markup.split("start=a", 1)[1].split("o", 1)[0])
            found[(int(call.params["chat_id"]), article)] += 1
    return found


def ledger(db: Path) -> list[tuple[int, int, str, str]]:
    """(chat, article, state, fix state) of every post."""
    with sqlite3.connect(db, timeout=10) as conn:
        return conn.execute(
            "SELECT coalesce(p.chat_id, o.chat_id), p.article_id, p.state, "
            "coalesce(p.fix, '') || CASE WHEN p.due = 1 THEN 'due' ELSE '' END "
            "FROM outlet_posts p JOIN outlets o ON o.id = p.outlet_id"
        ).fetchall()


def more_than(server: BotApiServer, count: int) -> Callable[[], bool]:
    return lambda: sum(posts_sent(server).values()) > count


def settled(db: Path) -> bool:
    rows = ledger(db)
    return bool(rows) and all(s not in ("queued", "claimed", "sending") and not f
                              for _, _, s, f in rows)  # fmt: skip


def test_kill_during_a_burst_of_posts_and_edits_five_times(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with BotApiServer(timeout_delay=1.0) as server:
        tg = server.telegram
        chats: list[TelegramChat] = [tg.channel(f"News {i}") for i in range(CHANNELS)]
        store = ArticleStore.open(db)
        for chat in chats:
            Outlets(store.db).add(chat.id, now=utc_now(), kind="channel", title=chat.json["title"])
        titles: dict[int, str] = {}
        bot = None
        kills = 0
        try:
            for phase in range(KILLS):
                for i in range(PER_PHASE):
                    title = f"Story {phase}.{i}"
                    draft = Draft(title, BODY, published_at=utc_now() - timedelta(minutes=1))
                    titles[add_article(store, draft, now=utc_now()).id] = title
                for article_id in list(titles)[: phase * 2]:  # edit earlier ones, again
                    titles[article_id] = f"{titles[article_id].split(' (')[0]} (edit {phase})"
                    update_article(store, article_id, now=utc_now(), title=titles[article_id])
                before = sum(posts_sent(server).values())
                bot = start_run(server, db, NEWSBOT_RATE_LIMIT="0")
                wait_for(more_than(server, before + 4), "posts going out", timeout=40)
                bot.send_signal(signal.SIGKILL)  # mid-burst: some requests on the wire
                bot.communicate(timeout=10)
                kills += 1
            bot = start_run(server, db, NEWSBOT_RATE_LIMIT="0")
            wait_for(lambda: settled(db), "the clean run to post and edit everything", 90)
            bot.send_signal(signal.SIGTERM)
            bot.communicate(timeout=30)
        finally:
            ensure_stopped(bot)
            store.close()
        sent = posts_sent(server)
        rows = ledger(db)
        shown = {
            chat.id: {m.text.split("\n")[0] for m in tg.bot_messages(chat.id) if m.text}
            for chat in chats
        }
    assert kills == KILLS
    assert len(rows) == CHANNELS * KILLS * PER_PHASE
    assert max(sent.values()) == 1  # no post twice
    in_doubt = {(chat, article) for chat, article, state, _ in rows if state == "in-doubt"}
    missing = {(chat, article) for chat, article, _, _ in rows if (chat, article) not in sent}
    assert missing <= in_doubt  # only a post on the wire at a kill may be missing
    assert {state for _, _, state, _ in rows} <= {"sent", "in-doubt"}
    for chat_id, article, state, _ in rows:  # no edit lost: posts show the final headline
        if state == "sent":
            assert titles[article] in shown[chat_id], (titles[article], shown[chat_id])
    # A post in doubt that did arrive can't be corrected: its message id never came back
    # (the Bot API tells a bot nothing of its own posts). Counted, not hidden.
    uncorrectable = in_doubt - missing
    logging.getLogger(__name__).warning(
        "after %d kills: %d posts in doubt, %d of them missing, %d arrived without their id "
        "(never edited)", kills, len(in_doubt), len(missing), len(uncorrectable),
    )  # fmt: skip
    assert len(in_doubt) <= CHANNELS * KILLS  # at most one request per channel on the wire
