"""Readers and admins in their own language: taken from Telegram at first contact, changed
with /language, used for digests, forgotten by /forget; every screen in every language
within Telegram's limits (the stand-in refuses anything over them)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from telegram.error import BadRequest

from bot.i18n import LANGUAGES, menu_code, own_name, translator, using
from bot.render import help as render_help
from standin import ChatMessage
from summaries.article_summary import add_article
from summaries.models import Draft
from tests.helpers.clock import Clock
from tests.helpers.english import english_left
from tests.helpers.harness import ADMIN_ID, READER_ID, Harness
from tests.helpers.samples import BODY, PNG

START = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)


def telegram_code(language: str) -> str:
    """As Telegram's apps send it: 'pt-br'."""
    return language.replace("_", "-").lower()


def add_news(h: Harness, n: int = 7, *, title: str = "Story") -> list[int]:
    return [
        add_article(h.store, Draft(title=f"{title} {i}", body=BODY, photo=PNG,
                                   photo_caption="A caption " * 40, photo_credit="Agency " * 20,
                                   url=f"https://example.org/{i}",
                                   published_at=START - timedelta(hours=i)),
                    now=h.services.clock()).id
        for i in range(n)
    ]  # fmt: skip


async def test_a_reader_whose_telegram_is_german_gets_german_without_asking(
    harness: Harness,
) -> None:
    add_news(harness, 2)
    reader = harness.tg.user(READER_ID, "Jörg", language_code="de")
    await harness.feed(reader.sends("/start"))
    with using("de"):
        assert reader.last.text == render_help.welcome("Jörg").replace("<b>", "").replace(
            "</b>", ""
        )
    assert (reader.last.text or "").startswith("Hallo, Jörg!")
    assert [b["text"] for b in reader.last.buttons] == [
        "📰 Neueste Nachrichten",
        "🔔 Tägliche Übersicht",
    ]
    await harness.feed(reader.sends("/help"))
    assert "/latest – die neuesten Schlagzeilen" in (reader.last.text or "")
    await harness.feed(reader.sends("/read 1"))
    labels = [b["text"] for m in harness.tg.bot_messages(READER_ID)[-2:] for b in m.buttons]
    assert "📄 Volltext" in labels
    await harness.feed(reader.sends("/subscribe 25:00"))  # a time it can't read: the error too
    assert "ist keine Uhrzeit" in (reader.last.text or "")
    assert harness.services.subscriptions.language(READER_ID) == "de"  # stored at first sight


async def test_the_command_menu_is_registered_in_every_language(harness: Harness) -> None:
    menus = {
        c.params.get("language_code"): c.params["commands"]
        for c in harness.tg.successful("setMyCommands")
        if "scope" not in c.params
    }
    assert set(menus) == {None, *[menu_code(lang) for lang in LANGUAGES if lang != "en"]}
    assert "pt" in menus  # Telegram takes two letters only: not "pt_BR"
    german = {c["command"]: c["description"] for c in menus["de"]}
    assert german["latest"] == "Die neuesten Schlagzeilen"
    assert {c["command"] for c in menus["uk"]} == {c["command"] for c in menus[None]}
    admin_menus = [c for c in harness.tg.successful("setMyCommands") if "scope" in c.params]
    assert len(admin_menus) == len(LANGUAGES)  # the admin's, in each language too


async def test_the_standin_refuses_a_regional_menu_code_as_telegram_does(harness: Harness) -> None:
    with pytest.raises(BadRequest, match="Invalid language code"):
        await harness.app.bot.set_my_commands(render_help.commands(), language_code="pt_BR")


async def test_switching_to_ukrainian_gives_ukrainian_digests(harness: Harness) -> None:
    clock = Clock(START)
    sender = harness.set_clock(clock)
    reader = harness.tg.user(READER_ID)  # an English Telegram
    await harness.feed(reader.sends("/language"))
    labels = [b["text"] for b in reader.last.buttons]
    assert labels == [("✓ " if lang == "en" else "") + own_name(lang) for lang in LANGUAGES]
    await harness.feed(reader.presses("Українська"))
    assert (reader.last.text or "").startswith("Відтепер я пишу вам українською")
    menu = harness.tg.successful("setMyCommands")[-1]  # the chat's menu follows the choice
    assert menu.params["scope"] == {"type": "chat", "chat_id": READER_ID}
    assert menu.params["commands"][0]["description"] == "Найсвіжіші заголовки"
    await harness.feed(reader.sends("/subscribe 08:00 Kyiv"))
    assert (reader.last.text or "").startswith("Підписку оформлено!")
    add_article(harness.store, Draft(title="Міст схвалено", body=BODY, published_at=clock.now),
                now=clock.now)  # fmt: skip
    clock.now = START + timedelta(days=1, hours=3)  # past 08:00 in Kyiv
    await sender.run_round(harness.app.bot)
    digest = reader.last.text or ""
    assert digest.startswith("Ваш дайджест новин · ")
    kyiv = clock.now.astimezone(ZoneInfo("Europe/Kyiv"))
    assert translator("uk").day(kyiv) in digest
    assert "груд." in digest  # December, as Ukrainian writes it


async def test_forget_forgets_the_language(harness: Harness) -> None:
    reader = harness.tg.user(READER_ID, language_code="en")
    await harness.feed(reader.sends("/language"))
    await harness.feed(reader.presses("Español"))
    assert harness.services.subscriptions.language(READER_ID) == "es"
    await harness.feed(reader.sends("/forget"))
    assert "el idioma que elegiste" in (reader.last.text or "")  # the confirmation says so
    await harness.feed(reader.presses("forget:yes"))
    assert harness.services.subscriptions.language(READER_ID) is None
    assert harness.tg.successful("deleteMyCommands")[-1].params["scope"]["chat_id"] == READER_ID
    await harness.feed(reader.sends("/settings"))  # back to their Telegram's language
    assert (reader.last.text or "").startswith("You have no daily digest yet")


@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "your language choice"), ("de", "deine Sprachwahl"), ("es", "el idioma que elegiste"),
     ("pt_BR", "o idioma que você escolheu"), ("ru", "выбранный язык"), ("uk", "вибрану мову")],
)  # fmt: skip
async def test_the_forget_confirmation_says_the_language_goes_too(
    harness: Harness, language: str, said: str
) -> None:
    reader = harness.tg.user(READER_ID, language_code=telegram_code(language))
    await harness.feed(reader.sends("/forget"))
    assert said in (reader.last.text or "")


async def settings_screens(harness: Harness, language: str) -> list[ChatMessage]:
    """/settings in `language`, then as each button leaves it: breaking news and nothing-new
    notices switched on, the digest paused, then stopped."""
    reader = harness.tg.user(READER_ID, language_code=telegram_code(language))
    await harness.feed(reader.sends("/subscribe 07:30 Europe/Berlin"))
    await harness.feed(reader.sends("/settings"))
    screens = [reader.last]
    for press in ["set:breaking", "set:quiet", "set:pause", "set:stop"]:
        await harness.feed(reader.presses(press))
        screens.append(reader.last)
    return screens


@pytest.mark.parametrize("language", LANGUAGES)
async def test_each_settings_switch_has_one_name(harness: Harness, language: str) -> None:
    """/settings names each switch as its button does (the line may add how it works)."""
    for screen in await settings_screens(harness, language):
        lines = (screen.text or "").splitlines()
        switches = [b["text"] for b in screen.buttons if b["callback_data"] in SWITCHES]
        assert len(switches) == 2
        for label in switches:
            name = label.rpartition(": ")[0]
            assert name
            assert [line for line in lines if line.startswith(name)], (label, lines)


YES_NO = {"yes", "no", "ja", "nein", "sí", "sim", "não", "да", "нет", "так", "ні"}
SWITCHES = {"set:breaking", "set:quiet"}


@pytest.mark.parametrize("language", LANGUAGES)
async def test_no_setting_reads_as_a_bare_yes_or_no(harness: Harness, language: str) -> None:
    """A state is a word for a state ("activado", "an"), never "Estado: sí"."""
    for screen in await settings_screens(harness, language):
        lines = (screen.text or "").splitlines()
        labels = [b["text"] for b in screen.buttons if b["callback_data"] in SWITCHES]
        states = [text.rpartition(": ")[2] for text in [*lines, *labels] if ": " in text]
        assert not [s for s in states if s.rstrip(".").casefold() in YES_NO], (lines, labels)


# A screen starting with "!" is a button pressed (by its callback data), else a message sent.
SCREENS_READER = [
    "/start", "/help", "/latest", "!latest:5", "!latest:0", "/read 1", "!full:1", "!next:1",
    "/search story", "/search zzzz", "/search 🙂", "/settings", "/subscribe", "/cancel",
    "/subscribe 25:00", "/subscribe 7:30 EST", "/subscribe 7:30 UTC+3", "/subscribe 7:30 Narnia",
    "/subscribe 07:30 Europe/Berlin", "/settings", "!set:pause", "!set:resume", "!set:breaking",
    "!set:quiet", "!set:time", "/cancel", "!set:zone", "nowhere", "/cancel", "/topics",
    "/topics " + "x" * 50, "/topics " + ", ".join(f"t{i}" for i in range(12)), "/topics 🙂",
    "/topics economy, climate", "/digest", "/topics all", "/unsubscribe", "/settings",
    "/language", "/frobnicate", "/read 999", "/edit 1", "/cancel", "/forget", "!forget:no",
]  # fmt: skip
SCREENS_ADMIN = [
    "/help", "/stats", "/sources", "/source", "/channels", "/channel", "/post", "A headline",
    "Body text of the article. It has two sentences.", "/done", "/skip", "/skip",
    "!post:edit", "!post:field:title", "x" * 1200, "Shorter", "!post:publish", "/edit 1",
    "!post:edit", "!post:field:url", "nonsense", "-", "!post:cancel", "/delete 2", "!del:2:no",
    "/delete 2", "!del:2:yes", "/sources", "/channel @nochat", "/channel @nochat thread: x",
]  # fmt: skip


async def go_through(harness: Harness, language: str, who: int, screens: list[str]) -> None:
    user = harness.tg.user(who, language_code=telegram_code(language))
    for screen in screens:
        pressed = screen.startswith("!")
        await harness.feed(user.presses(screen[1:]) if pressed else user.sends(screen))


@pytest.mark.parametrize("language", LANGUAGES)
async def test_every_screen_in_every_language_is_within_telegrams_limits(
    harness: Harness, language: str
) -> None:
    clock = Clock(START)
    sender = harness.set_clock(clock)
    add_news(harness, 8, title="A long headline that goes on " * 30)
    await go_through(harness, language, READER_ID, SCREENS_READER)
    await go_through(harness, language, ADMIN_ID, SCREENS_ADMIN)
    harness.services.subscriptions.set_status(READER_ID, "active", now=clock.now)
    clock.now = START + timedelta(days=1, hours=8)
    await sender.run_round(harness.app.bot)  # the digest, in the reader's language
    refused = [
        (c.method, c.response.get("description"))
        for c in harness.tg.calls
        if not c.ok and c.method != "getChat"  # asked about @nochat: Telegram knows none
    ]
    assert refused == []
    said = [m.text or m.caption or "" for m in harness.tg.bot_messages(READER_ID)]
    assert any("·" in text and "A long headline" in text for text in said)  # a digest came
    if language != "en":  # no catalog sentence left in English, for the reader or the admin
        said += [m.text or m.caption or "" for m in harness.tg.bot_messages(ADMIN_ID)]
        assert english_left(said, placeholders=True) == []


def test_the_console_speaks_the_language_asked(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "TELEGRAM_"))}
    env["NEWSBOT_DB"] = str(tmp_path / "configured.db")
    result = subprocess.run(
        [sys.executable, "-c", "from bot.launcher import main; main()", "console", "--demo",
         "--language", "de"],
        input="/start\n/settings\n", capture_output=True, text=True, env=env, cwd=tmp_path,
        timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Hallo, You!" in result.stdout
    assert "📰 Neueste Nachrichten" in result.stdout
    assert "Du hast noch keine tägliche Übersicht" in result.stdout


async def test_an_admin_reads_admin_screens_and_alerts_in_their_language(
    harness: Harness,
) -> None:
    clock = Clock(START)
    sender = harness.set_clock(clock)
    admin = harness.tg.user(ADMIN_ID, language_code="uk")
    await harness.feed(admin.sends("/help"))
    assert "<b>Для адміністраторів</b>" in (admin.last.source or "")
    await harness.feed(admin.sends("/sources"))
    assert (admin.last.text or "").startswith("Джерел поки немає.")
    harness.services.alerts.queue(
        "outlet-paused",
        {"chat_id": -1001, "title": "News", "outlets": [3], "status": "left",
         "chat_type": "channel", "why": "the bot was removed from the chat"},
        now=clock.now,
    )  # fmt: skip
    await sender.run_round(harness.app.bot)  # the alert goes to each admin in their language
    alert = admin.last.text or ""
    assert alert.startswith("⏸ Я більше не можу публікувати в «News» (-1001)")
    assert "(бота видалили з чату)" in alert  # why, worded for this admin, not as stored


async def test_an_admin_reads_unchanged_edits_and_refused_posts_in_their_language(
    harness: Harness,
) -> None:
    clock = Clock(START)
    sender = harness.set_clock(clock)
    admin = harness.tg.user(ADMIN_ID, language_code="de")
    [article_id] = add_news(harness, 1)
    await harness.feed(admin.sends(f"/edit {article_id}"))
    await harness.feed(admin.presses("✅ Änderungen speichern"))
    assert admin.last.text == (
        f"Artikel {article_id} bleibt unverändert: Die Bearbeitung sagt dasselbe wie bisher."
    )
    harness.services.alerts.queue(
        "outlet-paused",
        {"chat_id": -1001, "title": "News", "outlets": [3],
         "why": "Telegram said: Forbidden: bot was kicked from the channel chat"},
        now=clock.now,
    )  # fmt: skip
    await sender.run_round(harness.app.bot)
    alert = admin.last.text or ""
    assert "(der Bot wurde aus dem Chat entfernt)" in alert  # in words, not Telegram's
    assert "Telegram" not in alert
