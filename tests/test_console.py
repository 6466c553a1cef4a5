"""The offline console in a subprocess, scripted through stdin, as the README's demo runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.render.pages import full_text_page
from summaries.article_summary import add_article
from summaries.models import Draft, utc_now
from summaries.store import ArticleStore
from tests.helpers.feed_server import feed_file, serve
from tests.helpers.samples import BODY, LAST_SENTENCE, PNG, long_article

SCRIPT = "\n".join([
    "/start", "/latest", "older", "/latest", "2", "full text", "/read 7", "/search trains", "1",
    "/read 999", "/frobnicate", "@newsbot_demo_bot seeds", "/stats", "",
])  # fmt: skip


def run_console(
    *args: str, stdin: str, tmp_path: Path, **settings: str
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "TELEGRAM_"))}
    env["NEWSBOT_DB"] = str(tmp_path / "configured.db")
    env |= settings
    return subprocess.run(
        [sys.executable, "-c", "from bot.launcher import main; main()", "console", *args],
        input=stdin, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
        check=False,
    )  # fmt: skip


def test_scripted_demo_session(tmp_path: Path) -> None:
    result = run_console("--demo", stdin=SCRIPT, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Hello, You!" in out
    assert "[1] 📰 Latest news" in out
    assert "[2] 6 · Night trains return" in out  # headlines show their ids
    assert "[1] 2 · Town hall clock stops" in out  # the second page, by the Older button
    assert "bot › [photo]" in out
    assert "A refitted sleeper car at the depot." in out  # the photo's caption
    assert "Passenger groups welcomed the decision" in out  # full text
    assert "Riverside library" in out
    assert "Search: trains (1–2)" in out  # "trained" too: search is stemmed
    assert "Article 999 doesn't exist or was removed" in out
    assert "I don't know /frobnicate" in out
    assert "(inline results you could post in any chat)" in out
    assert "Articles: 7" in out  # in the demo you are an admin
    assert "⚠ Telegram refused" not in out
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "configured.db").exists()  # --demo leaves the real database alone


def test_console_on_the_configured_database_changes_nothing(tmp_path: Path) -> None:
    result = run_console(stdin="/latest\n", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "No news yet" in result.stdout
    assert not (tmp_path / "configured.db").exists()
    store = ArticleStore.open(tmp_path / "configured.db")
    article = add_article(
        store, Draft(title="Bridge approved", body=BODY, photo=PNG), now=utc_now()
    )
    store.close()
    before = (tmp_path / "configured.db").read_bytes()
    result = run_console(stdin=f"/read {article.id}\n/subscribe 8:00\n", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Bridge approved" in result.stdout
    assert "Subscribed!" in result.stdout
    assert (tmp_path / "configured.db").read_bytes() == before


def test_buttons_that_change_in_place_are_shown_and_gone_ones_are_said(tmp_path: Path) -> None:
    script = "/edit 3\nEdit a field\n1\n/cancel\n/cancel\n"
    result = run_console("--demo", stdin=script, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[1] Headline" in out  # the keyboard swapped in place is printed
    assert "Send the new headline." in out
    assert "Cancelled; nothing was stored." in out
    assert "Nothing to cancel." in out  # a typed command is never taken for a stale button
    assert "Traceback" not in result.stderr


def test_breaking_news_published_in_the_console_arrives(tmp_path: Path) -> None:
    script = (
        "/subscribe 07:30 Europe/Berlin\nBreaking news: off\n/post\nFlood warning\n"
        "The river rose. Roads closed.\n/done\n/skip\n/skip\nPublish and notify\n"
    )
    result = run_console("--demo", stdin=script, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "🔴 Breaking news" in result.stdout  # even as the last thing typed
    assert "Warning" not in result.stderr


def test_bytes_that_are_not_utf8_are_typed_text_not_a_failure(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "TELEGRAM_"))}
    env["NEWSBOT_DB"] = str(tmp_path / "configured.db")
    result = subprocess.run(
        [sys.executable, "-c", "from bot.launcher import main; main()", "console", "--demo"],
        input=b"caf\xe9 \xff\x00trains\n/help\n", capture_output=True, env=env, cwd=tmp_path,
        timeout=120, check=False,
    )  # fmt: skip
    out, err = result.stdout.decode(), result.stderr.decode()
    assert result.returncode == 0, err
    assert "went wrong" not in out
    assert "ERROR" not in err
    assert "/latest" in out  # /help answered after it


def test_a_missing_database_is_named(tmp_path: Path) -> None:
    result = run_console(stdin="/latest\n", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"(no database at {tmp_path / 'configured.db'}: the console starts" in result.stderr
    assert not (tmp_path / "configured.db").exists()


def test_an_admin_adds_a_local_feed_in_the_console_with_loopback_allowed(tmp_path: Path) -> None:
    """The console keeps the settings `newsbot run` would have: NEWSBOT_FETCH_LOOPBACK too."""
    with serve({"/feed.xml": feed_file("news_rss.xml")}) as site:
        env = {"NEWSBOT_FETCH_LOOPBACK": "1", "NEWSBOT_ADMIN_IDS": "42"}
        result = run_console(stdin=f"/source {site.url('/feed.xml')}\n", tmp_path=tmp_path, **env)
    assert result.returncode == 0, result.stderr
    assert "Added source 1: Harbour Herald" in result.stdout
    assert "(5 items)" in result.stdout


def test_full_text_pages_turn_in_the_console_by_arrow_and_label(tmp_path: Path) -> None:
    store = ArticleStore.open(tmp_path / "configured.db")
    body = long_article(30_000, seed=7)
    article = add_article(store, Draft(title="The long story", body=body), now=utc_now())
    store.close()
    pages = full_text_page(article, 1).count
    assert pages > 6
    label = f"page {pages} of {pages}"  # typed on the last page: that page, shown already
    script = f"/read {article.id}\nfull text\n>>\n{label}\n<<\n>\n‹\n»\n"
    result = run_console(stdin=script, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"[1] Page 1 of {pages}" in out
    edits = out.split("bot (edited) › ")[1:]
    assert len(edits) == 5  # >>, <<, >, ‹ and » each turned the page; the label didn't
    assert "Search:" not in out
    assert "Nothing found" not in out  # every line pressed a button
    assert f"[3] Page {pages} of {pages}" in edits[0]
    assert LAST_SENTENCE in edits[0]  # » and >> reach the last sentence
    assert "[1] Page 1 of" in edits[1]
    assert "[3] Page 2 of" in edits[2]
    assert "[1] Page 1 of" in edits[3]
    assert LAST_SENTENCE in edits[4]
    assert "⚠ Telegram refused" not in out
    assert "Traceback" not in result.stderr


def test_every_page_button_label_typed_in_the_console_gets_an_answer(tmp_path: Path) -> None:
    """The page's own label, and an arrow past the first or last page, say where the reader
    is (in the reader's language); none is silence, none a search."""
    store = ArticleStore.open(tmp_path / "configured.db")
    body = long_article(30_000, seed=7)
    article = add_article(store, Draft(title="The long story", body=body), now=utc_now())
    store.close()
    pages = full_text_page(article, 1).count
    script = f"/read {article.id}\nповний текст\nСторінка 1 з {pages}\n‹\n»\n›\n>\n/latest\n»\n"
    result = run_console("--language", "uk", stdin=script, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    first = f"   (Це сторінка 1 з {pages}, перша; › гортає далі.)"
    last = f"   (Це сторінка {pages} з {pages}, остання; ‹ гортає назад.)"
    assert out.count(first) == 2  # the label, then ‹ on the first page
    assert out.count(last) == 2  # › and > on the last page
    assert "   (no » button is shown; type a number or label shown last)" in out
    assert "«›»" not in out  # not searched for
    assert "«»»" not in out
    assert "нічого не знайдено" not in out
    assert "немає слів" not in out


@pytest.mark.parametrize(
    ("code", "hello"),
    [("de-AT", "newsbot bringt dir die Nachrichten"), ("pt", "newsbot traz as notícias"),
     ("fr", "newsbot brings you the news")],
)  # fmt: skip
def test_any_app_language_code_gets_its_catalog_or_english(
    tmp_path: Path, code: str, hello: str
) -> None:
    result = run_console("--demo", "--language", code, stdin="/help\n", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert hello in result.stdout


def test_a_language_that_is_no_code_is_refused(tmp_path: Path) -> None:
    result = run_console("--demo", "--language", "x y", stdin="/help\n", tmp_path=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("Error: Invalid value for '--language': 'x y' is not a")
    assert result.stdout == ""
