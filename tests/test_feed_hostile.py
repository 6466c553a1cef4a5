"""What a broken or hostile feed found in trials: a flood of items, dates past the calendar,
names that would rewrite a terminal. Each is handled, and nothing else is touched."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from summaries.feed_parse import parse_feed
from summaries.models import Draft
from summaries.sources import Sources
from summaries.store import ArticleStore
from summaries.text import one_plain_line
from tests.helpers.feeds import item, poll

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
ESCAPES = "News \x1b]0;pwned\x07\x1b[2J desk\u202e\nEdition"


def test_a_later_poll_of_a_flood_stores_only_the_newest_200(store: ArticleStore) -> None:
    source_id = Sources(store.db).add("https://flood.example.org/feed", name="F", now=NOW).id
    assert poll(store, source_id, [item(0)], now=NOW) == ["added"]
    flood = [
        item(n, published=NOW + timedelta(minutes=n)) for n in range(1, 501)
    ]  # newest last, as no feed orders them: the newest are picked by time
    later = NOW + timedelta(hours=10)
    assert poll(store, source_id, flood, now=later) == ["added"] * 200
    stored = {row[0] for row in store.db.execute("SELECT title FROM articles").fetchall()}
    assert stored == {"Story 0"} | {f"Story {n}" for n in range(301, 501)}
    assert poll(store, source_id, flood, now=later + timedelta(hours=1)) == []  # remembered


def test_json_feed_dates_past_the_calendar_are_no_date() -> None:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Edge",
        "items": [
            {"id": "a", "title": "A", "content_text": "Text.", "date_published": when}
            for when in ("9999-12-31T23:59:59-23:00", "0001-01-01T00:00:00+05:00")
        ],
    }
    feed = parse_feed(json.dumps(document).encode(), url="https://e.example/feed.json")
    assert [entry.published for entry in feed.items] == [None, None]


def test_names_are_shown_without_control_characters(store: ArticleStore) -> None:
    rss = f"""<?xml version="1.0"?><rss version="2.0"><channel>
        <title>{ESCAPES.replace(chr(0x1B), "&#27;").replace(chr(7), "&#7;")}</title>
        <item><title>A</title><description>Text.</description></item></channel></rss>"""
    feed = parse_feed(rss.encode(), url="https://e.example/rss")
    json_feed = parse_feed(
        json.dumps(
            {"version": "https://jsonfeed.org/version/1", "title": ESCAPES, "items": []}
        ).encode(),
        url="https://e.example/feed.json",
    )
    source = Sources(store.db).add("https://e.example/rss", name=ESCAPES, now=NOW)
    for name in (feed.title, json_feed.title, source.name):
        assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in name), repr(name)
        assert "\u202e" not in name
        assert name.startswith("News ")
        assert name.endswith("desk Edition")


@pytest.mark.parametrize(
    "mark", ["\u202a", "\u202e", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c", "\x07"]
)
def test_every_direction_control_leaves_names_and_titles(store: ArticleStore, mark: str) -> None:
    """A mark, an isolate or an override reorders what follows it on screen: none stays in a
    feed's or source's name, or in an article's title (a feed item's, an admin's)."""
    assert one_plain_line(f"Desk{mark} news") == "Desk news"
    source = Sources(store.db).add("https://e.example/rss", name=f"Desk{mark} news", now=NOW)
    assert source.name == "Desk news"
    if mark != "\x07":  # a control character in a title is refused, as before
        stored = store.add(Draft(f"Flood{mark} warning", "The river rose."), now=NOW)
        assert stored.title == "Flood warning"
