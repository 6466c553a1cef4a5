"""/channel's arguments read strictly, and one rule for a forum topic's thread id in the chat
and in `newsbot channel add`: a typo is refused by name and nothing is added."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from standin.server import BotApiServer
from summaries.errors import OutletError
from summaries.ids import parse_number, parse_thread_id
from summaries.outlets import Outlets
from summaries.store import ArticleStore
from tests.helpers.cli import newsbot
from tests.helpers.harness import ADMIN_ID, Harness

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
FORM = "/channel @name [topics: a, b] [thread: ID]"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        ("topic: economy", "'topic:' is not part of /channel (did you mean topics:?)"),
        ("topcis: economy", "'topcis:' is not part of /channel (did you mean topics:?)"),
        ("economy, climate", "'economy,' is not part of /channel"),
        ("--topics economy", "'--topics' is not part of /channel (did you mean topics:?)"),
        ("thread 5", "'thread' is not part of /channel (did you mean thread:?)"),
        ("@othernews", "'@othernews' is not part of /channel"),
        ("topics: economy thread: 5 climate", "'climate' is not part of /channel"),
        ("thread: 5 thread: 6", "thread: is given twice: write it once, as in"),
        ("topics: a topics: b", "topics: is given twice: write it once, as in"),
    ],
)
async def test_a_word_channel_does_not_know_is_refused_by_name(
    harness: Harness, args: str, said: str
) -> None:
    admin = harness.tg.user(ADMIN_ID)
    harness.tg.channel("Harbour News", username="harbournews")
    await harness.feed(admin.sends(f"/channel @harbournews {args}"))
    text = admin.last.text or ""
    assert text.startswith(f"Not added: {said}"), text
    assert text.endswith(f"{FORM}."), text
    assert harness.services.outlets.all() == []


async def test_the_known_forms_still_add(harness: Harness) -> None:
    admin = harness.tg.user(ADMIN_ID)
    forum = harness.tg.supergroup("Desk", username="deskforum", forum=True)
    sport, money, arts = (
        forum.add_topic("Sport"),
        forum.add_topic("Money"),
        forum.add_topic("Arts"),
    )
    await harness.feed(admin.sends(f"/channel @deskforum thread: {sport} topics: football"))
    await harness.feed(admin.sends(f"/channel  @deskforum  Topics:economy  THREAD:{money}"))
    await harness.feed(admin.sends(f"/channel @deskforum\nthread: {arts}"))  # a line is a space
    assert (admin.last.text or "").startswith(f"Added forum Desk (@deskforum, topic {arts})")
    found = [(o.thread_id, o.topics) for o in harness.services.outlets.all()]
    assert found == [(sport, ("football",)), (money, ("economy",)), (arts, ())]


@pytest.mark.parametrize("thread", ["٣", "５", "2147483648", "9" * 30, "0", "-5", "5x", ""])
async def test_a_thread_is_ascii_digits_that_fit_32_bits_in_the_chat(
    harness: Harness, thread: str
) -> None:
    admin = harness.tg.user(ADMIN_ID)
    forum = harness.tg.supergroup("Desk", username="deskforum", forum=True)
    forum.add_topic("Sport")
    await harness.feed(admin.sends(f"/channel @deskforum thread: {thread}"))
    assert admin.last.text == (
        f"Not added: {thread[:20]!r} is not a thread id: a forum topic's number, from 1 to "
        "2147483647."
    )
    assert harness.services.outlets.all() == []


@pytest.fixture
def server() -> Iterator[BotApiServer]:
    with BotApiServer(timeout_delay=1.0) as server:
        yield server


@pytest.mark.parametrize("thread", ["2147483648", str(2**63 - 1), "٣", "0"])
def test_a_thread_is_ascii_digits_that_fit_32_bits_in_the_cli(
    server: BotApiServer, tmp_path: Path, thread: str
) -> None:
    forum = server.telegram.supergroup("Desk", username="deskforum", forum=True)
    forum.add_topic("Sport")
    env = {"TELEGRAM_BOT_TOKEN": server.telegram.token, "TELEGRAM_BASE_URL": server.base_url}
    done = newsbot("channel", "add", "@deskforum", "--thread", thread, db=tmp_path / "n.db",
                   env=env)  # fmt: skip
    assert done.returncode != 0
    assert f"Error: Invalid value for '--thread': {thread!r} is not a thread id" in done.stderr
    assert done.stderr.count("\n") == 1
    assert server.telegram.calls == []  # refused before asking Telegram
    assert not (tmp_path / "n.db").exists()


@pytest.mark.parametrize("thread", [0, -1, 2**31, 2**63])
def test_the_store_keeps_no_outlet_with_a_thread_telegram_cannot_have(
    store: ArticleStore, thread: int
) -> None:
    with pytest.raises(OutletError, match="a forum topic's id is 1 to 2147483647"):
        Outlets(store.db).add(-100, now=NOW, kind="supergroup", thread_id=thread)
    assert Outlets(store.db).all() == []


def test_the_shared_rule_reads_ascii_digits_in_range() -> None:
    typed = ["1", "2147483647", "2147483648", "٣", "５", " 5", ""]
    assert [parse_thread_id(t) for t in typed] == [1, 2147483647, None, None, None, None, None]
    assert [parse_number(t) for t in [str(2**63 - 1), str(2**63), "0", "+1", "0012"]] == [
        2**63 - 1, None, None, None, 12,
    ]  # fmt: skip


@pytest.mark.parametrize("extra", ["https://example.com/other.xml", "every: 30", "please"])
async def test_source_refuses_a_second_word_too(harness: Harness, extra: str) -> None:
    """/source's sibling: a second address was dropped without a word, and the first added."""
    admin = harness.tg.user(ADMIN_ID)
    await harness.feed(admin.sends(f"/source https://example.com/feed.xml {extra}"))
    word = extra.split(maxsplit=1)[0]
    assert admin.last.text == (
        f"Not added: {word!r} is not part of /source: send one address, as in /source URL."
    )
    assert harness.services.sources.all() == []
