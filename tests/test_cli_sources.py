"""`newsbot source ...` against feeds served from 127.0.0.1: what it says, stores and refuses."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.cli import newsbot, newsbot_here
from tests.helpers.feed_server import FEEDS, FeedServer, Route, feed_file, serve
from tests.helpers.samples import BODY

LOOPBACK = {"NEWSBOT_FETCH_LOOPBACK": "1"}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "news.db"


@pytest.fixture
def site() -> Iterator[FeedServer]:
    """A news site: an RSS feed with an ETag, an Atom feed, a home page that links to them."""
    routes = {
        "/feed.xml": feed_file("news_rss.xml", etag='"v1"'),
        "/atom.xml": feed_file("atom.xml"),
        "/": feed_file("page_with_feed.html"),
        "/about": Route(b"<html><body><p>About us.</p></body></html>", content_type="text/html"),
    }
    with serve(routes) as server:
        yield server


def source(*args: str, db: Path, env: dict[str, str] | None = None) -> Any:
    """`newsbot source *args`, allowed to fetch from 127.0.0.1 unless `env` says otherwise."""
    return newsbot_here("source", *args, db=db, env=LOOPBACK if env is None else env)


def added(url: str, *options: str, db: Path) -> int:
    """Add a source that must be accepted; its id, from the last line."""
    result = source("add", url, *options, db=db)
    assert result.returncode == 0, result.stderr
    return int(result.stdout.splitlines()[-1])


def listed(db: Path) -> list[dict[str, Any]]:
    """`newsbot source list --json`, parsed."""
    result = source("list", "--json", db=db)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def articles(db: Path) -> list[dict[str, Any]]:
    """`newsbot list --json`, parsed."""
    result = newsbot_here("list", "--json", "--limit", "100", db=db)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def rows(db: Path) -> list[tuple[Any, ...]]:
    """Every row of the tables a source command may change, to compare before and after."""
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        return [
            row
            for table in ("sources", "feed_items", "articles")
            for row in conn.execute(f"SELECT * FROM {table}")  # noqa: S608 - ours
        ]


def one_error(result: subprocess.CompletedProcess[str], code: int = 1) -> str:
    """The one `Error:` line a refused command wrote on stderr (after checking it is one)."""
    lines = result.stderr.splitlines()
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: "), result.stderr
    return lines[0]


def free_port() -> int:
    """A port nothing listens on (just released by the system)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_every_subcommand_has_help_and_source_alone_shows_it(db: Path) -> None:
    for command in ["add", "list", "remove", "pause", "resume", "poll"]:
        result = source(command, "--help", db=db)
        assert result.returncode == 0, result.stderr
        assert f"Usage: newsbot source {command}" in result.stdout
    poll_usage = source("poll", "--help", db=db).stdout
    assert "Usage: newsbot source poll [OPTIONS] [ID]" in poll_usage  # the id is optional
    alone = source(db=db)
    shown = alone.stdout + alone.stderr
    assert "Usage: newsbot source" in shown
    assert all(name in shown for name in ["add", "list", "remove", "pause", "resume", "poll"])
    assert not db.exists()


def test_add_a_feed_says_what_it_found_and_prints_the_id_last(db: Path, site: FeedServer) -> None:
    result = source("add", site.url("/feed.xml"), db=db)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "found the feed “Harbour Herald – World News” with 5 items" in result.stdout
    assert "polled every 15 minutes (the default, NEWSBOT_FEED_INTERVAL)" in result.stdout
    assert result.stdout.splitlines()[-1] == "1"
    [stored] = listed(db)
    assert stored["name"] == "Harbour Herald – World News"  # the feed's title
    assert stored["url"] == site.url("/feed.xml")
    assert stored["state"] == "new"
    assert (stored["every"], stored["language"]) == (None, None)

    own = source(
        "add", site.url("/atom.xml"), "--name", "Freiburg", "--language", "de", "--every", "30",
        db=db,
    )  # fmt: skip
    assert own.returncode == 0, own.stderr
    assert "articles in german" in own.stdout
    assert "every 30 minutes" in own.stdout
    second = listed(db)[1]
    assert (second["id"], second["name"], second["language"], second["every"]) == (
        int(own.stdout.splitlines()[-1]),
        "Freiburg",
        "german",
        1800,  # stored in seconds
    )
    assert articles(db) == []  # adding checks the feed; its items come with a poll


def test_add_a_web_page_takes_the_feed_it_links_to(db: Path, site: FeedServer) -> None:
    result = source("add", site.url("/"), db=db)
    assert result.returncode == 0, result.stderr
    said = f"{site.url('/')} is a web page; it links to the feed {site.url('/feed.xml')}, taken"
    assert said in result.stdout
    assert [s["url"] for s in listed(db)] == [site.url("/feed.xml")]


def test_bad_adds_are_one_error_line_and_store_nothing(db: Path, site: FeedServer) -> None:
    site.routes["/broken.xml"] = feed_file("broken.xml")
    site.routes["/empty.xml"] = Route(b"")
    first = added(site.url("/feed.xml"), db=db)
    before = rows(db)
    cases: list[tuple[list[str], dict[str, str] | None, int, str]] = [
        ([f"http://127.0.0.1:{free_port()}/feed.xml"], None, 1, "nothing answered at 127.0.0.1:"),
        ([site.url("/missing.xml")], None, 1, "404"),
        ([site.url("/about")], None, 1, "web page with no feed link"),
        ([site.url("/broken.xml")], None, 1, "malformed"),
        ([site.url("/empty.xml")], None, 1, "the feed is empty"),
        ([site.url("/feed.xml")], None, 1, f"source {first} already reads"),
        ([site.url("/")], None, 1, f"source {first} already reads"),  # the same feed, found
        ([site.url("/atom.xml"), "--language", "klingon"], None, 1, "unsupported language"),
        ([site.url("/atom.xml"), "--every", "0"], None, 2, "0 is less than 1"),
        ([site.url("/atom.xml"), "--every", "ten"], None, 2, "'ten' is not a whole number"),
        ([site.url("/atom.xml"), "--every", "10081"], None, 2, "more than 10080"),
        ([site.url("/atom.xml")], {}, 1, "private or local address"),  # no NEWSBOT_FETCH_LOOPBACK
        (["http://10.0.0.1/feed.xml"], None, 1, "private or local address"),  # even so
        (["ftp://example.org/feed.xml"], None, 1, "must be an http:// or https:// link"),
    ]
    for args, env, code, reason in cases:
        line = one_error(source("add", *args, db=db, env=env), code)
        assert reason in line, (args, line)
        assert rows(db) == before, args
    assert site.seen("/atom.xml") == []  # refused before it was fetched (or not fetchable)
    assert len(site.seen("/feed.xml")) == 2  # added, then found through "/": not refetched


def test_add_without_a_database_stores_nothing_when_the_check_fails(
    db: Path, site: FeedServer
) -> None:
    one_error(source("add", site.url("/about"), db=db))
    assert not db.exists()


def test_list_shows_each_source_state(db: Path, site: FeedServer) -> None:
    ok = added(site.url("/feed.xml"), db=db)
    down = added(site.url("/atom.xml"), "--name", "Down", db=db)
    site.routes["/atom.xml"] = Route(b"oops", status=500, content_type="text/plain")
    assert source("poll", db=db).returncode == 1
    site.routes["/feed.json"] = feed_file("feed.json")
    paused = added(site.url("/feed.json"), db=db)
    assert source("pause", str(paused), db=db).returncode == 0
    site.routes["/wp.xml"] = feed_file("wordpress.xml")
    fresh = added(site.url("/wp.xml"), db=db)

    text = source("list", db=db)
    assert text.returncode == 0, text.stderr
    lines = [line.split("\t") for line in text.stdout.splitlines()]
    assert [line[0] for line in lines] == [str(ok), str(down), str(paused), str(fresh)]
    by_id = {int(line[0]): line for line in lines}
    assert by_id[ok][2] == site.url("/feed.xml")
    assert (by_id[ok][4], by_id[ok][5]) == ("5", "ok")
    assert by_id[down][5].startswith("failing since ")
    assert by_id[down][5].endswith("(1 poll): the feed answered 500")
    assert by_id[paused][5] == "paused"
    assert (by_id[fresh][3], by_id[fresh][5]) == ("-", "new (never polled)")

    states = {s["id"]: s for s in listed(db)}
    assert states[ok]["state"] == "ok"
    assert states[ok]["items"] == 5
    assert states[ok]["last_poll_at"].endswith("Z")
    assert states[down]["state"] == "failing"
    assert states[down]["failures"] == 1
    assert states[down]["last_error"] == "the feed answered 500"
    assert states[paused]["state"] == "paused"
    assert states[paused]["paused"] is True
    assert states[fresh]["state"] == "new"
    assert states[fresh]["last_poll_at"] is None


def test_poll_all_then_again_reports_each_source(db: Path, site: FeedServer) -> None:
    rss = added(site.url("/feed.xml"), db=db)
    atom = added(site.url("/atom.xml"), db=db)
    first = source("poll", db=db)
    assert first.returncode == 0, first.stderr
    assert first.stderr == ""
    assert first.stdout.splitlines() == [
        f"{rss} Harbour Herald – World News: 5 new, 0 updated, 0 unchanged",
        f"{atom} Stadtblog Freiburg: 3 new, 0 updated, 0 unchanged",
    ]
    assert len(articles(db)) == 8
    assert {a["source_id"] for a in articles(db)} == {rss, atom}

    again = source("poll", db=db)
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines() == [
        f"{rss} Harbour Herald – World News: not modified (304)",  # it has an ETag
        f"{atom} Stadtblog Freiburg: 0 new, 0 updated, 3 unchanged",  # it has none
    ]
    assert site.seen("/feed.xml")[-1].headers["if-none-match"] == '"v1"'
    assert len(articles(db)) == 8

    one = source("poll", str(atom), db=db)
    assert one.stdout.splitlines() == [f"{atom} Stadtblog Freiburg: 0 new, 0 updated, 3 unchanged"]
    assert len(site.seen("/feed.xml")) == 3  # add and two polls: not the poll of one


def test_a_failing_source_fails_the_poll_and_the_others_are_still_polled(
    db: Path, site: FeedServer
) -> None:
    broken = added(site.url("/atom.xml"), "--name", "Broken", db=db)
    rss = added(site.url("/feed.xml"), db=db)
    site.routes["/atom.xml"] = Route(b"oops", status=503, content_type="text/plain")
    result = source("poll", db=db)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{broken} Broken: failed: the feed answered 503",
        f"{rss} Harbour Herald – World News: 5 new, 0 updated, 0 unchanged",
    ]
    assert one_error(result) == f"Error: source {broken} (Broken): the feed answered 503"
    assert len(articles(db)) == 5
    # asking again ignores the back-off: polled now, failing twice in a row
    assert source("poll", str(broken), db=db).returncode == 1
    assert next(s for s in listed(db) if s["id"] == broken)["failures"] == 2


def test_pause_resume_and_remove(db: Path, site: FeedServer) -> None:
    rss = added(site.url("/feed.xml"), db=db)
    atom = added(site.url("/atom.xml"), db=db)
    assert source("poll", db=db).returncode == 0

    paused = source("pause", str(atom), db=db)
    assert paused.stdout == f"paused source {atom} (Stadtblog Freiburg)\n"
    again = source("pause", str(atom), db=db)
    assert again.stdout == f"source {atom} (Stadtblog Freiburg) was paused already\n"
    polled = source("poll", db=db)
    assert [line.split(":")[0] for line in polled.stdout.splitlines()] == [
        f"{rss} Harbour Herald – World News"
    ]  # a paused source is left out of "every active source"
    asked = source("poll", str(atom), db=db)  # ... but polled when asked for by id
    assert asked.stdout.startswith(f"{atom} Stadtblog Freiburg: 0 new")
    assert next(s for s in listed(db) if s["id"] == atom)["state"] == "paused"  # and stays so

    resumed = source("resume", str(atom), db=db)
    assert resumed.stdout == f"resumed source {atom} (Stadtblog Freiburg)\n"
    again = source("resume", str(atom), db=db)
    assert again.stdout == f"source {atom} (Stadtblog Freiburg) was not paused\n"
    assert next(s for s in listed(db) if s["id"] == atom)["state"] == "ok"

    removed = source("remove", str(atom), db=db)
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout == (
        f"removed source {atom} (Stadtblog Freiburg); its 3 articles stay "
        "(newsbot delete ID removes one)\n"
    )
    assert [s["id"] for s in listed(db)] == [rss]
    kept = [a for a in articles(db) if a["source_id"] == atom]
    assert len(kept) == 3  # its articles stay, still saying where they came from
    polled = source("poll", db=db)
    assert polled.stdout.splitlines() == [f"{rss} Harbour Herald – World News: not modified (304)"]


def test_bad_and_unknown_ids_change_nothing(db: Path, site: FeedServer) -> None:
    assert one_error(source("poll", db=db)) == (
        f"Error: no database at {db} (set NEWSBOT_DB, or add articles first)"
    )
    assert not db.exists()
    added(site.url("/feed.xml"), db=db)
    before = rows(db)
    for command in ["remove", "pause", "resume", "poll"]:
        assert one_error(source(command, "7", db=db)) == "Error: no source with id 7"
        line = one_error(source(command, "x", db=db), 2)
        assert "'x' is not a source id" in line
        assert rows(db) == before
    for command in ["remove", "pause", "resume"]:
        assert "Missing argument 'ID'" in one_error(source(command, db=db), 2)


def test_poll_with_nothing_to_poll_says_so(db: Path, site: FeedServer) -> None:
    paused = added(site.url("/feed.xml"), db=db)
    source("pause", str(paused), db=db)
    result = source("poll", db=db)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "no active sources to poll (newsbot source add URL adds one)\n"


def test_a_feed_recovered_from_malformed_xml_is_taken_and_said_so(
    db: Path, site: FeedServer
) -> None:
    site.routes["/shop.xml"] = feed_file("malformed.xml")
    result = source("add", site.url("/shop.xml"), db=db)
    assert result.returncode == 0, result.stderr
    assert "with 3 items (recovered from malformed XML: not well-formed" in result.stdout
    polled = source("poll", db=db)
    assert polled.stdout.startswith("1 Corner Shop News & Views: 3 new, 0 updated, 0 unchanged")
    assert "(the feed is malformed: " in polled.stdout


def test_polling_a_teaser_feed_reads_the_stories_from_their_pages(db: Path) -> None:
    with serve() as server:
        feed = (FEEDS / "teaser_rss.xml").read_bytes()
        server.routes["/local.xml"] = Route(
            feed.replace(b"https://gazette.example.org", server.base_url.encode())
        )
        story = (
            "<html><head><title>{0}</title></head><body><nav>Home · Local</nav><article>"
            f"<h1>{{0}}</h1><p>{BODY}</p><p>{BODY.replace('bridge', 'crossing')}</p>"
            "</article></body></html>"
        )
        pages = {
            "/local/library-weekend-hours-4821": "Library extends weekend opening hours",
            "/local/elm-street-water-main-4807": "Water main repaired",
        }
        for path, title in pages.items():
            server.routes[path] = Route(story.format(title).encode(), content_type="text/html")
        source_id = added(server.url("/local.xml"), db=db)
        result = source("poll", db=db)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"{source_id} Valley Gazette: Local: 4 new")
        for path in pages:
            assert len(server.seen(path)) == 1

    stored = {a["url"].removeprefix(server.base_url): a for a in articles(db)}
    assert len(stored) == 4
    for path in pages:  # the page's text in place of the teaser
        assert BODY.split(". ")[0] in stored[path]["body"]
        assert stored[path]["source_id"] == source_id
    council = stored["/local/main-street-bike-lanes-4818"]  # its page is a 404: the teaser
    assert council["body"].startswith("Councillors voted")


def test_the_real_command_writes_only_its_error_lines_on_stderr(
    db: Path, site: FeedServer
) -> None:
    """In its own process, where the poller's log would reach stderr if it were let through."""
    assert added(site.url("/feed.xml"), db=db) == 1
    site.routes["/feed.xml"] = Route(b"<rss", status=200)
    result = newsbot("source", "poll", db=db, env=LOOPBACK)
    assert result.returncode == 1
    assert result.stdout.startswith("1 Harbour Herald – World News: failed: ")
    assert one_error(result).startswith("Error: source 1 (Harbour Herald – World News): ")
