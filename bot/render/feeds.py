"""What admins see of the feed sources: /sources, /source URL, and the buttons' answers.

Callback data (ids and offsets only, within 64 bytes):
`src:page:<offset>`, `src:poll:<id>:<offset>`, `src:pause:<id>:<offset>`,
`src:resume:<id>:<offset>` (the offset is the list page to show again), `src:rm:<id>` (asks),
`src:rm:<id>:yes` and `src:rm:<id>:no` (the confirmation's answer).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from urllib.parse import urlsplit

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.render import clip, esc
from bot.render.keyboards import button, confirm_keyboard
from summaries.sources import Source

SOURCES_PAGE = 5  # sources a page: their details and three buttons each fit a phone's screen
NAME_SHOWN, URL_SHOWN, ERROR_SHOWN = 80, 200, 200  # a page of five stays far below 4096

SOURCE_USAGE = (
    "Which feed? Send /source and its address, e.g. /source https://example.org/feed.xml "
    "(a web page that links to its feed works too)."
)
SOURCE_EXTRA = "{word} is not part of /source: send one address, as in /source URL"
CHECKING = "Checking the feed…"
NO_SOURCES = (
    "No sources yet. Add a feed with /source and its address, e.g. "
    "/source https://example.org/feed.xml"
)
SOURCE_KEPT = "Kept; nothing was removed."


def every_text(seconds: int) -> str:
    """'15 minutes', 'hour', '90 seconds': how often, after 'every'."""
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds % size == 0:
            count = seconds // size
            return unit if count == 1 else f"{count} {unit}s"
    return f"{seconds} seconds"


def when(moment: datetime, zone: tzinfo) -> str:
    """'5 Dec 2026, 14:05' in the bot's zone."""
    local = moment.astimezone(zone)
    return f"{local.day} {local:%b %Y, %H:%M}"


def state(source: Source, zone: tzinfo) -> str:
    """ok / failing since … with the last error / paused / new (never polled)."""
    if source.paused:
        return "⏸ paused"
    if source.failing_since is not None:
        error = clip(source.last_error or "no reason given", ERROR_SHOWN)
        polls = "poll" if source.failures == 1 else "polls"
        return (
            f"⚠ failing since {when(source.failing_since, zone)} "
            f"({source.failures} {polls} in a row): {error}"
        )
    if source.last_poll_at is None:
        return "🆕 new: not polled yet"
    return "✅ ok"


def source_entry(source: Source, zone: tzinfo, *, default_every: int) -> str:
    """One source in the list: id and name, address, state, items, last poll, interval."""
    items = "1 item" if source.items == 1 else f"{source.items} items"
    polled = when(source.last_poll_at, zone) if source.last_poll_at else "never"
    every = every_text(source.every or default_every)
    return "\n".join(
        [
            f"<b>{source.id} · {esc(clip(source.name, NAME_SHOWN))}</b>",
            esc(clip(source.url, URL_SHOWN)),
            esc(state(source, zone)),
            f"{items} · last poll {polled} · every {every}",
        ]
    )


def sources_page(
    sources: Sequence[Source], *, offset: int, total: int, zone: tzinfo, default_every: int
) -> str:
    """/sources: a page of sources, with where it is in the whole list."""
    if not sources:
        return NO_SOURCES
    heading = f"<b>Sources</b> ({offset + 1}–{offset + len(sources)} of {total})"
    entries = [source_entry(s, zone, default_every=default_every) for s in sources]
    return "\n\n".join([heading, *entries])


def sources_keyboard(
    sources: Sequence[Source], *, offset: int, has_more: bool
) -> InlineKeyboardMarkup | None:
    """Poll now, Pause or Resume, Remove for each source; then « Previous / Next »."""
    rows: list[list[InlineKeyboardButton]] = []
    for source in sources:
        sid = source.id
        toggle = (
            button(f"▶ Resume {sid}", f"src:resume:{sid}:{offset}")
            if source.paused
            else button(f"⏸ Pause {sid}", f"src:pause:{sid}:{offset}")
        )
        rows.append(
            [
                button(f"⟳ Poll {sid}", f"src:poll:{sid}:{offset}"),
                toggle,
                button(f"🗑 Remove {sid}", f"src:rm:{sid}"),
            ]
        )
    nav = []
    if offset > 0:
        nav.append(button("« Previous", f"src:page:{max(offset - SOURCES_PAGE, 0)}"))
    if has_more:
        nav.append(button("Next »", f"src:page:{offset + SOURCES_PAGE}"))
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(rows) if rows else None


def named(source: Source) -> str:
    """'source 3 (Harbour Herald)', escaped."""
    return f"source {source.id} ({esc(clip(source.name, NAME_SHOWN))})"


# /source URL


def not_added(error: str) -> str:
    """Plain text: /source with an address it can't use, and why; nothing was stored."""
    return f"Not added: {clip(error, 1000)}."


def added(source: Source, *, items: int, feed_url: str, page: str | None, every: int) -> str:
    """/source URL worked: what it found, the new id, and how often it is polled."""
    count = "1 item" if items == 1 else f"{items} items"
    lines = [f"Added source {source.id}: <b>{esc(clip(source.name, NAME_SHOWN))}</b> ({count})."]
    if page is not None:
        lines.append(
            f"The page {esc(clip(page, URL_SHOWN))} links to its feed; "
            f"I took {esc(clip(feed_url, URL_SHOWN))}"
        )
    lines.append(
        f"It will be polled every {every_text(every)}, the first time in a moment. "
        "/sources shows how it is doing."
    )
    return "\n".join(lines)


def feed_name(title: str, url: str) -> str:
    """A source's name: the feed's title, or its host when the feed has none."""
    name = " ".join(title.split()) or (urlsplit(url).hostname or url)
    return clip(name, 200)


# The buttons' answers


def polling(source_id: int) -> str:
    """Poll now's acknowledgement (a short notice at the top of the chat)."""
    return f"Polling source {source_id}…"


def poll_under_way(source: Source) -> str:
    """Poll now while a poll of that source is already running."""
    return f"A poll of {named(source)} is under way; /sources shows its outcome once it ends."


KEPT = "left as they are (edited or deleted by hand, or another source's)"
POLLER_STOPPING = "The bot is stopping; no poll now."


def poll_outcome(
    source: Source,
    *,
    new: int,
    updated: int,
    unchanged: int,
    skipped: int,
    kept: int = 0,
    not_modified: bool,
    error: str | None,
) -> str:
    """Poll now's answer: the counts, 'not modified', or why it failed."""
    head = named(source)
    head = head[:1].upper() + head[1:]
    if error is not None:
        return f"{head}: failed: {esc(clip(error, ERROR_SHOWN * 2))}"
    if not_modified:
        return f"{head}: not modified since the last poll."
    counts = f"{new} new, {updated} updated, {unchanged} unchanged"
    if kept:
        counts += f", {kept} {KEPT}"
    if skipped:
        counts += f", {skipped} skipped (see the log)"
    return f"{head}: {counts}."


def paused(source_id: int) -> str:
    """Pause's acknowledgement."""
    return f"Source {source_id} is paused."


def resumed(source_id: int) -> str:
    """Resume's acknowledgement."""
    return f"Source {source_id} is resumed; it is polled in a moment."


def gone(source_id: int) -> str:
    """A button of a source removed meanwhile (an alert: at most 200 characters)."""
    return f"Source {source_id} no longer exists. Send /sources for the list."


def remove_question(source: Source) -> str:
    """Remove's confirmation."""
    return f"Remove {named(source)}? Its articles stay. (/cancel keeps it.)"


def remove_keyboard(source_id: int) -> InlineKeyboardMarkup:
    """Yes / No under the confirmation."""
    return confirm_keyboard(f"src:rm:{source_id}", yes="Yes, remove")


def removed(source: Source) -> str:
    """Remove confirmed."""
    items = "its article stays" if source.items == 1 else f"its {source.items} articles stay"
    return f"Removed {named(source)}; {items}."
