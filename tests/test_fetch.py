"""/post URL and `newsbot post URL`: pages served from 127.0.0.1, every refusal checked."""

from __future__ import annotations

import dataclasses
import gzip
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.fetch import FetchError, check_address, fetch_article, fetch_image, fetch_page
from standin import TINY_PNG, TelegramUser
from summaries.article_summary import add_article
from summaries.models import Draft, utc_now
from tests.helpers.cli import newsbot
from tests.helpers.feed_server import Route, serve, trickle
from tests.helpers.harness import ADMIN_ID, Harness
from tests.helpers.samples import BODY

LOOPBACK = {"NEWSBOT_FETCH_LOOPBACK": "1"}  # the test site is on 127.0.0.1


def fetching_admin(harness: Harness) -> TelegramUser:
    """The admin, with /post URL allowed to fetch the test site on 127.0.0.1."""
    settings = dataclasses.replace(harness.services.settings, fetch_loopback=True)
    harness.app.bot_data["services"] = dataclasses.replace(harness.services, settings=settings)
    return harness.tg.user(ADMIN_ID)


ARTICLE = f"""<html><head><title>Bridge approved | Example News</title>
<meta property="og:title" content="Bridge approved">
<meta property="og:image" content="/lead.png"></head>
<body><nav>Home · World · Sport</nav><article><h1>Bridge approved</h1>
<p>{BODY}</p><p>{BODY.replace("bridge", "crossing")}</p></article>
<footer>Copyright 2026</footer></body></html>"""

GERMAN_BODY = (
    "Der Stadtrat hat am Montag den Bau einer neuen Brücke über den Fluss beschlossen. "
    "Die Brücke kostet 40 Millionen Euro und soll im Jahr 2028 eröffnet werden. "
    "Anwohner hatten seit mehr als zehn Jahren eine Querung gefordert. "
    "Die Arbeiten beginnen im Frühjahr."
)


def page(lang: str, meta: str, body: str = BODY, title: str = "Brücke genehmigt") -> bytes:
    """An article page declaring `lang`, with `meta` in its head."""
    return (
        f'<html lang="{lang}"><head><title>{title}</title>{meta}</head><body><article>'
        f"<h1>{title}</h1><p>{body}</p><p>{body}</p></article></body></html>"
    ).encode()


PUBLISHED = '<meta property="article:published_time" content="{}">'
PAGES: dict[str, tuple[int, str, bytes, dict[str, str]]] = {
    "/2019/01/02/german": (
        200,
        "text/html",
        page("de-DE", PUBLISHED.format("2025-03-14T09:30:00+01:00"), GERMAN_BODY),
        {},
    ),
    "/future": (200, "text/html", page("en", PUBLISHED.format("2031-01-01T00:00:00Z")), {}),
    "/today": (200, "text/html", page("en", PUBLISHED.format("2026-11-25T06:15:00Z")), {}),
    "/later-today": (200, "text/html", page("en", PUBLISHED.format("2026-11-25T21:00:00Z")), {}),
    "/japanese": (200, "text/html", page("ja", "", title="Bridge approved"), {}),
    "/article": (200, "text/html; charset=utf-8", ARTICLE.encode(), {}),
    "/lead.png": (200, "image/png", TINY_PNG, {}),
    "/pdf": (200, "application/pdf", b"%PDF-1.4", {}),
    "/huge": (200, "text/html", b"<p>" + b"x" * (4 * 1024 * 1024), {}),
    "/huge-gz": (200, "text/html", gzip.compress(bytes(64 << 20)), {"Content-Encoding": "gzip"}),
    "/empty": (200, "text/html", b"<html><body><p>Subscribe!</p></body></html>", {}),
    "/gone": (404, "text/html", b"not found", {}),
    "/to-private": (302, "text/html", b"", {"Location": "http://10.1.2.3/secret"}),
    "/to-article": (301, "text/html", b"", {"Location": "/article"}),
}


@pytest.fixture
def site() -> Iterator[str]:
    routes = {
        path: Route(body, status=status, content_type=kind, headers=headers)
        for path, (status, kind, body, headers) in PAGES.items()
    }
    with serve(routes) as server:
        yield server.base_url


async def test_an_article_page_becomes_a_draft(site: str) -> None:
    draft = await fetch_article(f"{site}/to-article", allow_loopback=True, now=utc_now())
    assert draft.title == "Bridge approved"
    assert draft.body.startswith("The city council voted on Monday")
    assert "Home · World" not in draft.body  # boilerplate left out
    assert draft.photo == TINY_PNG  # the lead image, downloaded
    assert draft.url == f"{site}/to-article"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/pdf", "application/pdf, not HTML"),
        ("/huge", "more than 3 MB"),
        ("/huge-gz", "more than 3 MB"),
        ("/empty", "no article|no headline"),
        ("/gone", "answered 404"),
        ("/to-private", "private or local address"),
    ],
)
async def test_bad_pages_are_refused(site: str, path: str, message: str) -> None:
    with pytest.raises((FetchError, ValueError), match=message):
        await fetch_article(f"{site}{path}", allow_loopback=True, now=utc_now())


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x",
        "http://localhost/x",
        "http://10.0.0.1/x",
        "http://192.168.1.5/",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/",
        "http://[fc00::1]/",
        "file:///etc/passwd",
        "ftp://example.org/a",
        "http://0.0.0.0/",
    ],
)
async def test_local_and_private_addresses_are_never_fetched(url: str) -> None:
    with pytest.raises(FetchError):
        await check_address(url)


async def test_post_url_in_the_chat(
    harness: Harness, site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = fetching_admin(harness)
    await harness.feed(admin.sends(f"/post {site}/article"))
    assert [b["text"] for b in admin.last.buttons][:2] == ["✅ Publish", "📣 Publish and notify"]
    await harness.feed(admin.presses("✅ Publish"))
    [article] = harness.store.latest()
    assert (article.title, article.has_photo) == ("Bridge approved", True)
    await harness.feed(admin.sends(f"/post {site}/pdf"))
    assert "Can't use that page" in (admin.last.text or "")
    assert harness.store.count() == 1


def test_newsbot_post_url(site: str, tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    result = newsbot("post", f"{site}/article", db=db, env=LOOPBACK)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1"
    bad = newsbot("post", f"{site}/empty", db=db, env=LOOPBACK)
    assert bad.returncode == 1
    assert "no article" in bad.stderr or "no headline" in bad.stderr
    refused = newsbot("post", f"{site}/article", db=db)
    assert "private or local address" in refused.stderr


@pytest.mark.parametrize(
    "url",
    [
        "http://[::127.0.0.1]/",
        "http://[64:ff9b::7f00:1]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://[2002:7f00:1::]/",
        "http://[::ffff:127.0.0.1]/",
        "http://2130706433/",
        "http://0x7f.1/",
    ],
)
async def test_ipv4_hidden_in_other_forms_is_refused(url: str) -> None:
    with pytest.raises(FetchError):
        await check_address(url)


async def test_requests_go_to_the_checked_address(site: str) -> None:
    """A second DNS answer can't swap the target: the URL's host becomes the checked IP."""
    from bot.fetch import _pinned

    target, headers, tls = _pinned("https://news.example.org:8443/a?b=1", "93.184.216.34")
    assert target == "https://93.184.216.34:8443/a?b=1"
    assert headers == {"Host": "news.example.org:8443"}
    assert tls == {"sni_hostname": "news.example.org"}
    assert _pinned("http://x.org/", "2606:2800::1")[0] == "http://[2606:2800::1]/"
    draft = await fetch_article(
        f"{site}/article".replace("127.0.0.1", "localhost"), allow_loopback=True, now=utc_now()
    )
    assert draft.title == "Bridge approved"


def test_newsbot_post_of_a_deleted_articles_url_says_how_to_undelete(
    site: str, tmp_path: Path
) -> None:
    db = tmp_path / "news.db"
    assert newsbot("post", f"{site}/article", db=db, env=LOOPBACK).stdout.strip() == "1"
    assert newsbot("delete", "1", db=db).returncode == 0
    again = newsbot("post", f"{site}/article", db=db, env=LOOPBACK)
    assert again.returncode == 1
    assert again.stderr == (
        "Error: article 1 with this URL was deleted; newsbot undelete 1 brings it back\n"
    )
    assert newsbot("list", db=db).stdout == ""  # nothing stored


async def test_post_url_of_a_deleted_article_in_the_chat(harness: Harness, site: str) -> None:
    admin = fetching_admin(harness)
    old = add_article(
        harness.store,
        Draft(title="Old", body=BODY, url=f"{site}/article"),
        now=harness.services.clock(),
    )
    harness.store.delete(old.id, now=harness.services.clock())
    await harness.feed(admin.sends(f"/post {site}/article"))
    assert admin.last.text == (  # at once: the page is not even fetched
        f"Can't use that page: article {old.id} with this link was deleted; "
        f"newsbot undelete {old.id} (on the bot's server) brings it back."
    )
    assert harness.store.count() == 0
    kept = add_article(
        harness.store,
        Draft(title="Kept", body=BODY, url=f"{site}/kept"),
        now=harness.services.clock(),
    )
    await harness.feed(admin.sends(f"/post {site}/kept"))
    assert admin.last.text == (
        f"Can't use that page: article {kept.id} already has the link {site}/kept."
    )


async def test_the_pages_date_and_language_are_kept(site: str) -> None:
    now = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    draft = await fetch_article(f"{site}/2019/01/02/german", now=now, allow_loopback=True)
    # the page's published_time, not the /2019/01/02/ in its URL, nor now
    assert draft.published_at == datetime(2025, 3, 14, 8, 30, tzinfo=UTC)
    assert draft.language == "german"


async def test_a_page_published_today_keeps_its_time(site: str) -> None:
    # htmldate, told that today is the latest date, gave a page of today as its midnight
    now = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    draft = await fetch_article(f"{site}/today", now=now, allow_loopback=True)
    assert draft.published_at == datetime(2026, 11, 25, 6, 15, tzinfo=UTC)
    later = await fetch_page(f"{site}/later-today", now=now, allow_loopback=True)
    assert (later.draft.published_at, later.published) == (now, None)  # later than now


async def test_a_date_in_the_future_or_none_is_now(site: str) -> None:
    now = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    for path in ("/future", "/article"):
        page = await fetch_page(f"{site}{path}", now=now, allow_loopback=True)
        assert page.draft.published_at == now
        assert page.published is None


async def test_an_unsupported_language_is_english_with_a_note(site: str) -> None:
    page = await fetch_page(f"{site}/japanese", now=utc_now(), allow_loopback=True)
    assert (page.draft.language, page.unsupported_language) == ("english", "ja")
    plain = await fetch_page(f"{site}/article", now=utc_now(), allow_loopback=True)
    assert (plain.draft.language, plain.unsupported_language) == ("english", None)


async def test_changing_a_fetched_drafts_photo_or_text_returns_to_the_preview(
    harness: Harness, site: str
) -> None:
    admin = fetching_admin(harness)
    await harness.feed(admin.sends(f"/post {site}/article"))
    await harness.feed(admin.presses("✏ Edit a field"))
    await harness.feed(admin.presses("Photo"))
    await harness.feed(admin.sends_photo("A new caption"))
    assert admin.last.buttons[0]["text"] == "✅ Publish"  # not the /post link step
    await harness.feed(admin.presses("✏ Edit a field"))
    await harness.feed(admin.presses("Text"))
    await harness.feed(admin.sends("A new text. In one part."))
    await harness.feed(admin.sends("/done"))
    assert admin.last.buttons[0]["text"] == "✅ Publish"  # not the /post photo step
    await harness.feed(admin.presses("✅ Publish"))
    [article] = harness.store.latest()
    assert (article.body, article.photo_caption) == ("A new text. In one part.", "A new caption")


async def test_post_url_in_the_chat_keeps_the_pages_date_and_language(
    harness: Harness, site: str
) -> None:
    admin = fetching_admin(harness)
    await harness.feed(admin.sends(f"/post {site}/2019/01/02/german"))
    await harness.feed(admin.presses("✅ Publish"))
    [article] = harness.store.latest()
    assert (article.language, article.published_at) == (
        "german",
        datetime(2025, 3, 14, 8, 30, tzinfo=UTC),
    )
    await harness.feed(admin.sends(f"/post {site}/japanese"))
    texts = [m.text or "" for m in harness.tg.bot_messages(ADMIN_ID)]
    assert any("'ja', which newsbot can't summarize; stored as English" in t for t in texts)


def test_newsbot_post_notes_an_unsupported_language(site: str, tmp_path: Path) -> None:
    result = newsbot("post", f"{site}/japanese", db=tmp_path / "news.db", env=LOOPBACK)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1"
    assert "Note: the page says its language is 'ja'" in result.stderr


async def test_a_trickling_page_or_image_is_given_up_at_the_deadline() -> None:
    with serve(
        {"/page": trickle(content_type="text/html"), "/image": trickle(content_type="image/png")}
    ) as server:
        with pytest.raises(FetchError, match=r"^the page took too long to send \(over 0.5 s\)$"):
            await fetch_page(server.url("/page"), now=utc_now(), allow_loopback=True, deadline=0.5)
        with pytest.raises(FetchError, match=r"^the image took too long to send \(over 0.5 s\)$"):
            await fetch_image(server.url("/image"), allow_loopback=True, deadline=0.5)


async def test_a_page_address_with_credentials_is_refused(site: str) -> None:
    with pytest.raises(FetchError, match=r"^addresses with a user name or password"):
        await fetch_article(
            site.replace("//", "//user:pass@") + "/article", allow_loopback=True, now=utc_now()
        )
