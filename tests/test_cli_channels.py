"""`newsbot channel …` run as an operator runs it, against the Bot API stand-in over HTTP."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from standin.server import BotApiServer
from summaries.article_summary import add_article
from summaries.models import Draft, utc_now
from summaries.outlet_queue import OutletQueue
from summaries.outlets import Outlets
from summaries.store import ArticleStore
from tests.helpers.cli import newsbot, newsbot_here
from tests.helpers.samples import BODY


@pytest.fixture
def server() -> Iterator[BotApiServer]:
    with BotApiServer(timeout_delay=1.0) as server:
        yield server


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "news.db"


def channel(server: BotApiServer, db: Path, *args: str) -> tuple[int, str, str]:
    env = {"TELEGRAM_BOT_TOKEN": server.telegram.token, "TELEGRAM_BASE_URL": server.base_url}
    done = newsbot("channel", *args, db=db, env=env)
    assert server.telegram.token not in done.stdout + done.stderr
    return done.returncode, done.stdout, done.stderr


def outlet_rows(db: Path) -> list[tuple[int, int, int | None, str]]:
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'outlets'").fetchone():
            return []
        return conn.execute("SELECT id, chat_id, thread_id, kind FROM outlets").fetchall()


def test_add_a_channel_where_the_bot_is_an_administrator(server: BotApiServer, db: Path) -> None:
    news = server.telegram.channel("Harbour News", username="harbournews",
                                   rights={"can_edit_messages": False})  # fmt: skip
    code, out, err = channel(server, db, "add", "@harbournews", "--topics", "economy, climate")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[-1] == "1"
    assert lines[0].startswith("Added channel Harbour News (@harbournews) as outlet 1")
    assert "topics: economy, climate" in lines[0]
    assert (
        "Corrections: the bot edits and deletes its own posts; it can't edit others' posts: "
        "turn on 'Edit messages of others'.\n"
    ) in out
    assert outlet_rows(db) == [(1, news.id, None, "channel")]


def test_a_hostile_chat_title_prints_as_one_plain_line(server: BotApiServer, db: Path) -> None:
    """A right-to-left override or BEL in a channel's title would reorder or ring the
    operator's terminal: `channel add` and `channel list` print it without them."""
    server.telegram.channel("Harbour\u202e swen\x07\x1b]0;x Desk", username="harbournews")
    code, added, err = channel(server, db, "add", "@harbournews")
    assert (code, err) == (0, "")
    assert added.startswith("Added channel Harbour swen]0;x Desk (@harbournews)")
    code, listed, _ = channel(server, db, "list")
    assert listed.startswith("1  Harbour swen]0;x Desk (@harbournews)")
    code, as_json, _ = channel(server, db, "list", "--json")
    assert json.loads(as_json)["title"] == "Harbour swen]0;x Desk"
    for out in (added, listed, as_json):
        assert not any(c in out for c in "\u202e\x07\x1b"), repr(out)


def test_a_channel_without_the_rights_is_refused_naming_what_is_missing(
    server: BotApiServer, db: Path
) -> None:
    server.telegram.channel("Quiet", username="quietnews", status="left")
    server.telegram.channel("Mute", username="mutenews", rights={"can_post_messages": False})
    code, out, err = channel(server, db, "add", "@quietnews")
    assert (code, out) == (1, "")
    assert err == (
        "Error: the bot is not an administrator of @quietnews: add it as an administrator "
        "with 'Post messages'\n"
    )
    code, out, err = channel(server, db, "add", "@mutenews")
    assert (code, out) == (1, "")
    assert err == (
        "Error: the bot is an administrator of @mutenews but may not post: "
        "give it the 'Post messages' right\n"
    )
    assert outlet_rows(db) == []


def test_an_unknown_chat_and_a_malformed_one_are_one_line_errors(
    server: BotApiServer, db: Path
) -> None:
    code, _, err = channel(server, db, "add", "@nosuchchannel")
    assert code == 1
    assert err.startswith("Error: Telegram knows no chat @nosuchchannel that the bot can see")
    assert err.count("\n") == 1
    code, _, err = channel(server, db, "add", "not a chat!")
    assert (code, err) == (
        1,
        "Error: 'not a chat!' is not a chat: give its @username or its numeric id\n",
    )
    code, _, err = channel(server, db, "add", "@somechannel", "--source", "7")
    assert code == 1
    assert err.startswith("Error: no database at ")  # no source can exist yet
    assert not db.exists()
    server.telegram.channel("Harbour News", username="harbournews")
    assert channel(server, db, "add", "@harbournews")[0] == 0
    code, _, err = channel(server, db, "add", "@somechannel", "--source", "7")
    assert (code, err) == (1, "Error: no source with id 7\n")
    assert [row[0] for row in outlet_rows(db)] == [1]


def test_a_group_where_the_bot_is_a_member_and_one_where_it_may_not_send(
    server: BotApiServer, db: Path
) -> None:
    group = server.telegram.supergroup("Newsroom", username="newsroomchat")
    server.telegram.supergroup("Hush", username="hushchat",
                               permissions={"can_send_messages": False})  # fmt: skip
    code, out, err = channel(server, db, "add", str(group.id))
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "1"
    assert out.startswith("Added group Newsroom (@newsroomchat) as outlet 1, for every article.")
    code, _, err = channel(server, db, "add", "@hushchat")
    assert (code, err) == (
        1,
        "Error: the bot may not send messages in @hushchat: allow it 'Send messages' there\n",
    )
    assert outlet_rows(db) == [(1, group.id, None, "supergroup")]


def test_a_forum_needs_its_thread(server: BotApiServer, db: Path) -> None:
    forum = server.telegram.supergroup("Desk", username="deskforum", forum=True)
    sport = forum.add_topic("Sport")
    code, _, err = channel(server, db, "add", "@deskforum")
    assert code == 1
    assert err.startswith("Error: @deskforum is a forum: say which topic with its thread id")
    code, out, err = channel(server, db, "add", "@deskforum", "--thread", str(sport))
    assert (code, err) == (0, "")
    assert f"Topic {sport}: the Bot API can't list a forum's topics" in out
    assert out.splitlines()[-1] == "1"
    code, _, err = channel(server, db, "add", "@deskforum", "--thread", str(sport))
    assert (code, err[:7], err.count("\n")) == (1, "Error: ", 1)
    assert outlet_rows(db) == [(1, forum.id, sport, "supergroup")]


def test_duplicates_list_pause_resume_remove(server: BotApiServer, db: Path) -> None:
    news = server.telegram.channel("Harbour <News>", username="harbournews")
    assert channel(server, db, "add", "@harbournews")[0] == 0
    code, out, err = channel(server, db, "add", str(news.id))
    assert (code, out) == (1, "")
    assert err == (
        "Error: outlet 1 already posts to @harbournews: to change its filters, remove it first "
        "with newsbot channel remove 1, then add it again with the new filters\n"
    )
    code, out, _ = channel(server, db, "list")
    assert out == (
        "1  Harbour <News> (@harbournews)  every article  0 posts in the chat  active\n"
    )
    code, out, _ = channel(server, db, "pause", "1")
    assert (code, out) == (0, "Outlet 1 is paused; its new articles wait in its queue.\n")
    code, out, _ = channel(server, db, "list", "--json")
    [row] = [json.loads(line) for line in out.splitlines()]
    assert (row["id"], row["chat_id"]) == (1, news.id)
    assert (row["state"], row["paused_reason"], row["posts_sent"]) == ("paused", "admin", 0)
    code, out, _ = channel(server, db, "resume", "1")
    assert (code, out) == (0, "Outlet 1 is resumed.\n")
    code, out, _ = channel(server, db, "remove", "1")
    assert (code, out) == (
        0,
        "Removed outlet 1, Harbour <News> (@harbournews). Nothing new goes there. Its posts "
        "stay in the chat and are still corrected, deleted or withdrawn when their articles "
        "change; adding the chat again posts to it from new articles on.\n",
    )
    code, out, err = channel(server, db, "remove", "1")
    assert (code, out, err[:7], err.count("\n")) == (1, "", "Error: ", 1)
    code, _, err = channel(server, db, "pause", "zero")
    assert (code, err) == (
        2,
        "Error: Invalid value for 'ID': 'zero' is not an outlet id "
        "(see 'newsbot channel pause --help')\n",
    )
    assert channel(server, db, "list")[1] == "no outlets yet: newsbot channel add @name\n"
    code, out, _ = channel(server, db, "add", "@harbournews")  # the same outlet again
    assert (code, out.splitlines()[-1]) == (0, "1")


def test_topics_refused_say_how_to_write_them_with_the_flag(
    server: BotApiServer, db: Path
) -> None:
    server.telegram.channel("Harbour News", username="harbournews")
    code, out, err = channel(server, db, "add", "@harbournews", "--topics", "economy, 🙂")
    assert (code, out) == (1, "")
    assert err == (
        "Error: topics need words, and '🙂' has none. Nothing was added: give e.g. "
        '--topics "economy, climate change" (or leave --topics out for every article).\n'
    )


def test_resume_after_a_long_pause_says_how_many_queued_posts_were_skipped(
    server: BotApiServer, db: Path
) -> None:
    server.telegram.channel("Harbour News", username="harbournews")
    assert channel(server, db, "add", "@harbournews")[0] == 0
    now = utc_now()
    store = ArticleStore.open(db)
    try:
        for i in range(8):
            add_article(store, Draft(title=f"Story {i}", body=BODY), now=now)
        assert OutletQueue(store.db).enqueue(now) == 8
        Outlets(store.db).pause(1, "admin", now=now - timedelta(days=2))
    finally:
        store.close()
    code, out, _ = channel(server, db, "resume", "1")
    assert (code, out) == (
        0,
        "Outlet 1 is resumed. 3 queued posts were skipped: paused for over a day, "
        "only the newest go.\n",
    )


def test_resume_asks_telegram_first_and_refuses_where_the_bot_was_removed(
    server: BotApiServer, db: Path
) -> None:
    late = server.telegram.channel("Late News", username="late")
    assert channel(server, db, "add", "@late")[0] == 0
    code, out, err = channel(server, db, "resume", "1")
    assert (code, out, err) == (1, "", "Error: Outlet 1 is not paused.\n")
    assert channel(server, db, "pause", "1")[0] == 0
    late.set_bot("kicked")
    code, out, err = channel(server, db, "resume", "1")
    assert (code, out) == (1, "")
    assert err == (
        "Error: the bot is not in @late (removed or left): add it again (to a channel as an "
        "administrator with 'Post messages')\n"
    )
    code, out, _ = channel(server, db, "list", "--json")
    assert json.loads(out)["state"] == "paused"
    late.set_bot("administrator")
    assert channel(server, db, "resume", "1")[:2] == (0, "Outlet 1 is resumed.\n")


def test_backfill_help_gives_its_range(db: Path) -> None:
    done = newsbot_here("channel", "add", "--help", db=db)
    assert "HOURS hours (0-720)" in " ".join(done.stdout.split())
