"""An admin's refusals in the admin's own language: /post URL (the page, its fetch, a link
stored already), /source URL (the feed), a draft's fields. Each is driven through the stand-in
by an admin whose Telegram speaks German or Ukrainian, and no English sentence is left."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.i18n import using
from bot.render.errors import error_reason
from standin import TelegramUser
from summaries.article_summary import add_article
from summaries.articles import check_published, parse_published, validate
from summaries.errors import InvalidArticleError
from summaries.models import Draft
from tests.helpers.english import english_left
from tests.helpers.feed_server import FeedServer, Route, serve
from tests.helpers.harness import ADMIN_ID, Harness, local_admin
from tests.helpers.samples import BODY

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
NAIVE = datetime(2026, 12, 5, 9, 0)  # noqa: DTZ001 - a time without a zone, refused
DEAD_FEED_PAGE = (
    b'<html><head><link rel="alternate" type="application/rss+xml" href="/missing.xml">'
    b"</head><body><p>News</p></body></html>"
)


@pytest.fixture
def site() -> Iterator[FeedServer]:
    html = "text/html"
    routes = {
        "/pdf": Route(b"%PDF-1.4", content_type="application/pdf"),
        "/gone": Route(b"not found", status=404, content_type=html),
        "/huge": Route(b"<p>" + b"x" * (4 * 1024 * 1024), content_type=html),
        "/empty": Route(b"<html><body><p>Subscribe!</p></body></html>", content_type=html),
        "/to-private": Route(b"", status=302, headers={"Location": "http://10.1.2.3/x"}),
        "/loop": Route(b"", status=302, headers={"Location": "/loop"}),
        "/brotli": Route(b"??", content_type=html, headers={"Content-Encoding": "br"}),
        "/busy.xml": Route(b"", status=429, headers={"Retry-After": "120"}),
        "/empty.xml": Route(b""),
        "/hello.txt": Route(b"hello, world", content_type="text/plain"),
        "/broken.json": Route(b"{", content_type="application/json"),
        "/other.json": Route(b'{"a": 1}', content_type="application/json"),
        "/dead-feed": Route(DEAD_FEED_PAGE, content_type=html),
    }
    with serve(routes) as server:
        yield server


def admin_in(harness: Harness, language: str) -> TelegramUser:
    return local_admin(harness, language, NOW)


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


# path (or full address) -> what the chat says, in German and in Ukrainian
POST_REFUSALS: dict[str, tuple[str, str]] = {
    "/pdf": (
        "dieser Link liefert application/pdf, keine Webseite (HTML)",
        "за цим посиланням application/pdf, а не вебсторінка (HTML)",
    ),
    "/gone": ("die Seite antwortete mit 404", "сторінка відповіла кодом 404"),
    "/huge": (
        "das sind mehr als 3 MB, deshalb habe ich es nicht abgerufen",
        "розмір понад 3 МБ, тому завантаження пропущено",
    ),
    "/to-private": (
        "10.1.2.3 ist eine private oder lokale Adresse, deshalb rufe ich sie nicht ab",
        "10.1.2.3 — приватна або локальна адреса, тому я її не завантажую",
    ),
    "/loop": ("der Link leitet mehr als 5 Mal weiter", "перенаправляє більше ніж 5 разів"),
    "/brotli": (
        "die Antwort kam in einer Kodierung, die ich nicht lesen kann (br)",
        "відповідь надійшла в кодуванні, яке я не вмію читати (br)",
    ),
}

SOURCE_REFUSALS: dict[str, tuple[str, str]] = {
    "/gone": ("der Feed antwortete mit 404", "стрічка відповіла кодом 404"),
    "/busy.xml": ("der Feed bittet uns, bis ", "стрічка просить зачекати (429) до "),
    "/empty.xml": ("der Feed ist leer", "стрічка порожня"),
    "/hello.txt": ("das ist kein Feed (kein RSS, Atom oder JSON Feed darin)", "це не стрічка"),
    "/broken.json": ("der Feed ist kein gültiges JSON", "стрічка — не коректний JSON"),
    "/other.json": ("das ist JSON, aber kein JSON Feed", "це JSON, але не JSON Feed"),
    "/dead-feed": (
        "der Feed der Seite ließ sich nicht lesen "
        "({site}/missing.xml: der Feed antwortete mit 404)",
        "не вдалося прочитати стрічку сторінки ({site}/missing.xml: стрічка відповіла кодом 404)",
    ),
}


def said_to(harness: Harness) -> list[str]:
    return [m.text or m.caption or "" for m in harness.tg.bot_messages(ADMIN_ID)]


@pytest.mark.parametrize(("language", "which"), [("de", 0), ("uk", 1)])
async def test_post_url_refusals_are_in_the_admins_language(
    harness: Harness, site: FeedServer, language: str, which: int
) -> None:
    admin = admin_in(harness, language)
    for path, words in POST_REFUSALS.items():
        await harness.feed(admin.sends(f"/post {site.url(path)}"))
        assert words[which] in (admin.last.text or ""), path
    await harness.feed(admin.sends(f"/post {site.url('/empty')}"))
    empty = [  # trafilatura finds no text, or no headline
        ("Ich habe auf dieser Seite keinen Artikel gefunden", "не знайшлося статті"),
        ("auf dieser Seite finde ich keine Schlagzeile", "не вдається знайти заголовок"),
    ]
    assert any(pair[which] in (admin.last.text or "") for pair in empty)
    port = closed_port()
    await harness.feed(admin.sends(f"/post http://127.0.0.1:{port}/a"))
    assert [f"unter 127.0.0.1:{port} hat nichts geantwortet", f"127.0.0.1:{port} ніхто"][
        which
    ] in (admin.last.text or "")
    await harness.feed(admin.sends(f"/post http://me:secret@127.0.0.1:{port}/a"))
    assert [
        "Adressen mit Benutzername oder Passwort werden nicht unterstützt",
        "адреси з іменем користувача або паролем не підтримуються",
    ][which] in (admin.last.text or "")
    assert harness.store.count() == 0
    assert english_left(said_to(harness), placeholders=True) == []


@pytest.mark.parametrize(("language", "which"), [("de", 0), ("uk", 1)])
async def test_post_url_of_a_stored_link_is_refused_in_the_admins_language(
    harness: Harness, site: FeedServer, language: str, which: int
) -> None:
    admin = admin_in(harness, language)
    kept = add_article(
        harness.store, Draft(title="Kept", body=BODY, url=site.url("/kept")), now=NOW
    )
    gone = add_article(
        harness.store, Draft(title="Gone", body=BODY, url=site.url("/gone")), now=NOW
    )
    harness.store.delete(gone.id, now=NOW)
    await harness.feed(admin.sends(f"/post {site.url('/kept')}"))
    assert [
        f"Artikel {kept.id} hat bereits den Link {site.url('/kept')}",
        f"стаття {kept.id} вже має посилання {site.url('/kept')}",
    ][which] in (admin.last.text or "")
    await harness.feed(admin.sends(f"/post {site.url('/gone')}"))
    assert [
        f"Artikel {gone.id} mit diesem Link wurde gelöscht; newsbot undelete {gone.id}",
        f"статтю {gone.id} з цим посиланням видалено; newsbot undelete {gone.id}",
    ][which] in (admin.last.text or "")
    assert english_left(said_to(harness), placeholders=True) == []


@pytest.mark.parametrize(("language", "which"), [("de", 0), ("uk", 1)])
async def test_source_url_refusals_are_in_the_admins_language(
    harness: Harness, site: FeedServer, language: str, which: int
) -> None:
    admin = admin_in(harness, language)
    for path, words in SOURCE_REFUSALS.items():
        await harness.feed(admin.sends(f"/source {site.url(path)}"))
        expected = words[which].replace("{site}", site.base_url)
        assert expected in (admin.last.text or ""), path
    assert harness.services.sources.all() == []
    assert english_left(said_to(harness), placeholders=True) == []


@pytest.mark.parametrize(("language", "which"), [("de", 0), ("uk", 1)])
async def test_a_control_character_in_a_draft_is_named_in_the_admins_language(
    harness: Harness, language: str, which: int
) -> None:
    admin = admin_in(harness, language)
    for text in ["/post", "Bell\x07 rings", "Body text of the article. It has two.", "/done"]:
        await harness.feed(admin.sends(text))
    for _step in range(2):  # no photo, no link: then the preview says what to fix
        await harness.feed(admin.sends("/skip"))
    fix = [
        "Die Schlagzeile enthält ein Steuerzeichen (U+0007, Zeichen 5). ",
        "У заголовку є керівний символ (U+0007, символ 5). ",
    ][which]
    assert [text for text in said_to(harness) if fix in text] != []
    assert harness.store.count() == 0
    assert english_left(said_to(harness), placeholders=True) == []


def refusal(check: object) -> InvalidArticleError:
    """The error a draft check raised."""
    with pytest.raises(InvalidArticleError) as raised:
        check()  # type: ignore[operator]
    return raised.value


FIELD_REFUSALS: list[tuple[InvalidArticleError, str, str]] = [
    (
        refusal(lambda: check_published(NAIVE, NOW)),
        "der Veröffentlichungszeitpunkt braucht eine Zeitzone",
        "час публікації має містити часовий пояс",
    ),
    (
        refusal(lambda: check_published(datetime(1850, 1, 1, tzinfo=UTC), NOW)),
        "zwischen den Jahren 1900 und 2200 liegen",
        "має бути між 1900 і 2200 роками",
    ),
    (
        refusal(lambda: check_published(NOW + timedelta(days=3), NOW)),
        "liegt in der Zukunft; erlaubt ist höchstens ein Tag im Voraus (bis ",
        "у майбутньому; дозволено щонайбільше на добу вперед (до ",
    ),
    (
        refusal(lambda: parse_published("yesterday", UTC)),
        "„yesterday“ ist keine Zeitangabe wie 2026-11-25T08:30",
        "«yesterday» — не час у вигляді 2026-11-25T08:30",
    ),
    (
        refusal(lambda: validate(Draft(title="T", body=BODY, language="klingon"), now=NOW)),
        "die Sprache „klingon“ wird nicht unterstützt; nimm eine von diesen: ",
        "мова «klingon» не підтримується; використовуйте одну з цих: ",
    ),
    (
        refusal(lambda: validate(Draft(title="T", body="A\x00B"), now=NOW)),
        "der Text enthält ein Steuerzeichen (U+0000, Zeichen 2)",
        "у тексті є керівний символ (U+0000, символ 2)",
    ),
]


@pytest.mark.parametrize(("language", "which"), [("de", 1), ("uk", 2)])
def test_a_drafts_field_refusals_are_worded_in_the_admins_language(
    language: str, which: int
) -> None:
    """What the chat can't reach with a button (a publication time, a language) is worded too,
    while str() stays English for the CLI and the logs."""
    with using(language):
        said = [error_reason(row[0]) for row in FIELD_REFUSALS]
    for row, text in zip(FIELD_REFUSALS, said, strict=True):
        assert str(row[which]) in text
        assert str(row[0]) not in text
    assert str(FIELD_REFUSALS[0][0]) == "the publication time needs a time zone"
    assert english_left(said, placeholders=True) == []


@pytest.mark.parametrize(
    ("language", "words"), [("de", "Die Schlagzeile ist leer."), ("uk", "Заголовок порожній.")]
)
async def test_a_refusal_no_step_words_is_still_a_sentence_in_the_admins_language(
    harness: Harness, language: str, words: str
) -> None:
    admin = admin_in(harness, language)
    await harness.feed(admin.sends_photo("/post \n"))  # a quick post without a headline
    assert admin.last.text == words
    assert harness.store.count() == 0
