"""`newsbot console`: the real bot, offline, in a terminal.

The real Application and handlers run against the in-process Bot API stand-in; what you type
becomes the Update Telegram would send, and what the bot sends is printed as a chat shows it.
"""

from __future__ import annotations

import asyncio
import re
import sys
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, TextIO

from telegram import Update

from bot.app import App, build_application
from bot.config import Settings
from bot.lifecycle import running
from bot.transport import request_sent
from standin import Call, ChatMessage, FakeTelegram, StandInRequest, TelegramUser

USER_ID = 10_001
SHOWN = {  # calls whose result is a message in the chat, new or changed
    "sendMessage", "sendPhoto", "editMessageText", "editMessageCaption",
    "editMessageReplyMarkup", "editMessageMedia",
}  # fmt: skip
ARROWS = {"<<": "«", "<": "‹", ">": "›", ">>": "»"}  # typed for the page buttons' arrows
FORWARD, BACKWARD = {"›", "»"}, {"‹", "«"}  # the arrows, by the way they lead
PROMPT = "you › "
HELLO = (
    "newsbot console: you are chatting with the real bot, offline. Try /latest, /read 3, "
    "/search trains, or press a button by typing its number or label. Ctrl-D quits."
)


@dataclass
class Console:
    """One user's chat with the bot, printed to `out`."""

    app: App
    tg: FakeTelegram
    user: TelegramUser
    out: TextIO
    buttons: list[tuple[ChatMessage, dict[str, Any]]] = field(default_factory=list)
    seen_calls: int = 0

    async def say(self, line: str) -> None:
        """Act on one line of input, then print everything the bot did in answer."""
        update = self._update_for(line.strip())
        if update is not None:
            self.tg.pending.clear()  # delivered directly, not through getUpdates
            await self.app.process_update(Update.de_json(update, self.app.bot))
        self.show_new_calls()

    def _update_for(self, line: str) -> dict[str, Any] | None:
        if not line:
            return None
        pressed = self._button(line)
        if pressed is not None:
            return self._press(*pressed)
        if (arrow := _label_key(line)) in FORWARD | BACKWARD:  # never a search for "›"
            self._print(f"   (no {arrow} button is shown; type a number or label shown last)")
            return None
        username = self.tg.bot["username"]
        if line.startswith(f"@{username}") or line == "@":
            return self.user.inline_query(line.removeprefix(f"@{username}").strip())
        return self.user.sends(line)

    def _press(self, message: ChatMessage, button: dict[str, Any]) -> dict[str, Any] | None:
        """What pressing the button sends: a callback, an inline query, or a deep link."""
        if "callback_data" in button:
            try:
                return self.user.presses(button["callback_data"], message_id=message.message_id)
            except LookupError:  # the message shows other buttons now
                self._print("   (that button is gone; use the buttons shown last)")
                return None
        if "switch_inline_query" in button:
            return self.user.inline_query(button["switch_inline_query"])
        if match := re.search(r"[?&]start=(\w+)", button.get("url", "")):
            return self.user.sends(f"/start {match[1]}")
        self._print(f"   (that button opens {button.get('url')} in a browser)")
        return None

    def _button(self, line: str) -> tuple[ChatMessage, dict[str, Any]] | None:
        """The button meant by a number (as printed) or by its label, if any; never a command."""
        if line.startswith("/"):
            return None
        if line.isdecimal() and 1 <= int(line) <= len(self.buttons):
            return self.buttons[int(line) - 1]
        wanted = _label_key(line)
        for message, button in self.buttons:
            if wanted and _label_key(button["text"]) == wanted:
                return message, button
        return self._arrow_button(wanted) if wanted in FORWARD | BACKWARD else None

    def _arrow_button(self, arrow: str) -> tuple[ChatMessage, dict[str, Any]] | None:
        """An arrow no button shows: the one button that leads that way ("Older »" for »),
        else, under a page of full text (on its first or last page), the page's own label,
        which the bot answers with where the reader is."""
        way = FORWARD if arrow in FORWARD else BACKWARD
        leads = [shown for shown in self.buttons if any(c in shown[1]["text"] for c in way)]
        if len(leads) == 1:
            return leads[0]
        labels = [
            (message, button)
            for message, button in self.buttons
            if str(button.get("callback_data", "")).startswith("page:")
            and _label_key(button["text"]) not in FORWARD | BACKWARD
        ]
        return labels[0] if len(labels) == 1 else None

    def show_new_calls(self) -> None:
        """Print what the bot did since the last look (background work included)."""
        calls, self.seen_calls = self.tg.calls[self.seen_calls :], len(self.tg.calls)
        for call in calls:
            self._show(call)

    def _show(self, call: Call) -> None:
        method = call.method
        if not call.ok:
            self._print(f"⚠ Telegram refused {method}: {call.response.get('description')}")
            return
        if method in SHOWN:
            message = self.tg.find_message(self.user.id, call.response["result"]["message_id"])
            if message is not None:
                self._show_message(message, edited=method.startswith("edit"))
        elif method == "answerCallbackQuery" and call.params.get("text"):
            self._print(f"   ({call.params['text']})")
        elif method == "answerInlineQuery":
            self._show_inline(call.params.get("results") or [])

    def _show_message(self, message: ChatMessage, *, edited: bool) -> None:
        lines = []
        if message.photo:
            lines.append("[photo]")
        lines.extend((message.text or message.caption or "").splitlines() or [""])
        prefix = "bot (edited) › " if edited else "bot › "
        self._print(
            "\n".join(
                prefix + line if i == 0 else " " * len(prefix) + line
                for i, line in enumerate(lines)
            )
        )
        for entity in message.entities:
            if entity.get("type") == "text_link":
                self._print(f"{' ' * len(prefix)}↳ {entity['url']}")
        if message.buttons:
            self.buttons = [(message, button) for button in message.buttons]
            self._print(self._keyboard(message, len(prefix)))
        elif self.buttons and self.buttons[0][0].message_id == message.message_id:
            self.buttons = []  # the message that had the buttons has none now

    def _keyboard(self, message: ChatMessage, indent: int) -> str:
        rows, number = [], 1
        for row in (message.reply_markup or {}).get("inline_keyboard", []):
            rows.append("   ".join(f"[{number + i}] {b['text']}" for i, b in enumerate(row)))
            number += len(row)
        return "\n".join(" " * indent + row for row in rows)

    def _show_inline(self, results: list[dict[str, Any]]) -> None:
        if not results:
            self._print("bot › (inline: no articles match)")
            return
        self._print("bot › (inline results you could post in any chat)")
        for result in results:
            self._print(f"       • {result.get('title')}: {result.get('description', '')}")

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)


def _label_key(text: str) -> str:
    """A button label without emoji, arrows and case, so 'full text' presses '📄 Full text';
    a label that is only an arrow is itself, and '<<', '<', '>', '>>' type the page arrows."""
    words = " ".join(re.sub(r"[^\w\s·]", " ", text.casefold()).split())
    if words:
        return words
    symbols = "".join(text.split())
    return ARROWS.get(symbols, symbols)


def as_text(line: str) -> str:
    """Bytes that aren't UTF-8 (Python hands them over as lone surrogates, which no one can
    send) shown as U+FFFD, as a terminal shows them, and as Telegram delivers only text."""
    return line.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


async def _lines(interactive: bool) -> AsyncIterator[str]:
    """Input lines: prompted on a terminal, read plainly (and echoed) from a pipe or file.

    A daemon thread reads the terminal, so Ctrl-C ends the console at once instead of waiting
    for a blocked input() to return.
    """
    if not interactive:
        for raw in sys.stdin:
            print(PROMPT + as_text(raw).rstrip("\n"), flush=True)
            yield as_text(raw)
        return
    loop, lines = asyncio.get_running_loop(), asyncio.Queue[str | None]()
    ready = threading.Event()  # set when the bot has answered: only then prompt again
    ready.set()

    def read() -> None:
        while True:
            ready.wait()
            ready.clear()
            try:
                line: str | None = as_text(input(PROMPT))
            except EOFError:
                print(flush=True)  # leave the shell's prompt on a line of its own
                line = None
            loop.call_soon_threadsafe(lines.put_nowait, line)
            if line is None:
                return

    threading.Thread(target=read, name="console-input", daemon=True).start()
    while (typed := await lines.get()) is not None:
        yield typed
        ready.set()


async def run_console(
    settings: Settings, *, out: TextIO = sys.stdout, language: str = "en"
) -> None:
    """Chat with the bot on `settings.db_path` until the input ends, as someone whose
    Telegram app is in `language`."""
    tg = FakeTelegram()
    app = build_application(
        Settings(
            token=tg.token,
            db_path=settings.db_path,
            admin_ids=settings.admin_ids,
            timezone=settings.timezone,
            fetch_loopback=settings.fetch_loopback,  # /post URL and /source, as under run
            feed_interval=settings.feed_interval,
            feed_first_items=settings.feed_first_items,
        ),
        request=StandInRequest(tg, long_poll=False, on_sent=request_sent),
    )
    async with running(app):  # as under `newsbot run`: the digest job, background tasks
        you = min(settings.admin_ids) if settings.admin_ids else USER_ID  # an admin, if any
        console = Console(app, tg, tg.user(you, "You", language_code=language), out)
        console.seen_calls = len(tg.calls)
        print(HELLO, file=out, flush=True)
        async for line in _lines(sys.stdin.isatty()):
            if line.strip() in {"/quit", "/exit"}:
                break
            await console.say(line)
    console.show_new_calls()  # once stopped: background work too, e.g. breaking news
