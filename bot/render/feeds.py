"""What admins see of the feed sources: /sources, /source URL, and the buttons' answers.

Callback data (ids and offsets only, within 64 bytes):
`src:page:<offset>`, `src:poll:<id>:<offset>`, `src:pause:<id>:<offset>`,
`src:resume:<id>:<offset>` (the offset is the list page to show again), `src:rm:<id>` (asks),
`src:rm:<id>:yes` and `src:rm:<id>:no` (the confirmation's answer).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo
from urllib.parse import urlsplit

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import N_, _, current, ngettext, pgettext
from bot.render import clip, esc
from bot.render.feed_errors import source_error
from bot.render.keyboards import button, confirm_keyboard
from summaries.sources import Source

SOURCES_PAGE = 5  # sources a page: their details and three buttons each fit a phone's screen
NAME_SHOWN, URL_SHOWN, ERROR_SHOWN = 80, 200, 200  # a page of five stays far below 4096

SOURCE_USAGE = N_(
    "Which feed? Send /source and its address, e.g. /source https://example.org/feed.xml "
    "(a web page that links to its feed works too)."
)
SOURCE_EXTRA = N_("{word} is not part of /source: send one address, as in /source URL")
CHECKING = N_("Checking the feed…")
NO_SOURCES = N_(
    "No sources yet. Add a feed with /source and its address, e.g. "
    "/source https://example.org/feed.xml"
)
SOURCE_KEPT = N_("Kept; nothing was removed.")
POLLER_STOPPING = N_("The bot is stopping; no poll now.")
KEPT = "left as they are (edited or deleted by hand, or another source's)"  # the CLI's words


_UNITS: tuple[tuple[int, str, Callable[[int], str]], ...] = (
    (86400, N_("every day"), lambda n: ngettext("every {count} day", "every {count} days", n)),
    (3600, N_("every hour"), lambda n: ngettext("every {count} hour", "every {count} hours", n)),
    (
        60,
        N_("every minute"),
        lambda n: ngettext("every {count} minute", "every {count} minutes", n),
    ),
    (
        1,
        N_("every second"),
        lambda n: ngettext("every {count} second", "every {count} seconds", n),
    ),
)


def every_text(seconds: int) -> str:
    """'every 15 minutes', 'every hour', 'every 90 seconds': how often."""
    size, one, many = next(unit for unit in _UNITS if seconds % unit[0] == 0)
    count = seconds // size
    return _(one) if count == 1 else many(count).format(count=count)


def when(moment: datetime, zone: tzinfo) -> str:
    """'5 Dec 2026, 14:05' in the bot's zone, as the reader's language writes it."""
    return current().date_time(moment.astimezone(zone))


def state(source: Source, zone: tzinfo) -> str:
    """ok / failing since … with the last error / paused / new (never polled)."""
    if source.paused:
        return _("⏸ paused")
    if source.failing_since is not None:
        error = clip(source_error(source), ERROR_SHOWN)
        return ngettext(
            "⚠ failing since {when} ({count} poll in a row): {error}",
            "⚠ failing since {when} ({count} polls in a row): {error}",
            source.failures,
        ).format(when=when(source.failing_since, zone), count=source.failures, error=error)
    if source.last_poll_at is None:
        return _("🆕 new: not polled yet")
    return _("✅ ok")


def source_entry(source: Source, zone: tzinfo, *, default_every: int) -> str:
    """One source in the list: id and name, address, state, items, last poll, interval."""
    every = every_text(source.every or default_every)
    if source.last_poll_at:
        polls = ngettext(
            "{count} item · last poll {when} · {every}",
            "{count} items · last poll {when} · {every}",
            source.items,
        ).format(count=source.items, when=when(source.last_poll_at, zone), every=every)
    else:
        polls = ngettext(
            "{count} item · never polled · {every}",
            "{count} items · never polled · {every}",
            source.items,
        ).format(count=source.items, every=every)
    return "\n".join(
        [
            f"<b>{source.id} · {esc(clip(source.name, NAME_SHOWN))}</b>",
            esc(clip(source.url, URL_SHOWN)),
            esc(state(source, zone)),
            polls,
        ]
    )


def sources_page(
    sources: Sequence[Source], *, offset: int, total: int, zone: tzinfo, default_every: int
) -> str:
    """/sources: a page of sources, with where it is in the whole list."""
    if not sources:
        return _(NO_SOURCES)
    heading = _("<b>Sources</b> ({first}–{last} of {total})").format(
        first=offset + 1, last=offset + len(sources), total=total
    )
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
            button(
                pgettext("button", "▶ Resume {id}").format(id=sid), f"src:resume:{sid}:{offset}"
            )
            if source.paused
            else button(
                pgettext("button", "⏸ Pause {id}").format(id=sid), f"src:pause:{sid}:{offset}"
            )
        )
        rows.append(
            [
                button(
                    pgettext("button", "⟳ Poll {id}").format(id=sid), f"src:poll:{sid}:{offset}"
                ),
                toggle,
                button(pgettext("button", "🗑 Remove {id}").format(id=sid), f"src:rm:{sid}"),
            ]
        )
    nav = []
    if offset > 0:
        nav.append(
            button(pgettext("button", "« Previous"), f"src:page:{max(offset - SOURCES_PAGE, 0)}")
        )
    if has_more:
        nav.append(button(pgettext("button", "Next »"), f"src:page:{offset + SOURCES_PAGE}"))
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(rows) if rows else None


def _name(source: Source) -> str:
    return esc(clip(source.name, NAME_SHOWN))


# /source URL


def not_added(error: str) -> str:
    """Plain text: /source with an address it can't use, and why; nothing was stored."""
    return _("Not added: {error}.").format(error=clip(error, 1000))


def added(source: Source, *, items: int, feed_url: str, page: str | None, every: int) -> str:
    """/source URL worked: what it found, the new id, and how often it is polled."""
    lines = [
        ngettext(
            "Added source {id}: <b>{name}</b> ({count} item).",
            "Added source {id}: <b>{name}</b> ({count} items).",
            items,
        ).format(id=source.id, name=_name(source), count=items)
    ]
    if page is not None:
        lines.append(
            _("The page {page} links to its feed; I took {feed}").format(
                page=esc(clip(page, URL_SHOWN)), feed=esc(clip(feed_url, URL_SHOWN))
            )
        )
    lines.append(
        _(
            "It will be polled {every}, the first time in a moment. /sources shows how it is "
            "doing."
        ).format(every=every_text(every))
    )
    return "\n".join(lines)


def feed_name(title: str, url: str) -> str:
    """A source's name: the feed's title, or its host when the feed has none."""
    name = " ".join(title.split()) or (urlsplit(url).hostname or url)
    return clip(name, 200)


# The buttons' answers


def polling(source_id: int) -> str:
    """Poll now's acknowledgement (a short notice at the top of the chat)."""
    return _("Polling source {id}…").format(id=source_id)


def poll_under_way(source: Source) -> str:
    """Poll now while a poll of that source is already running."""
    return _(
        "A poll of source {id} ({name}) is under way; /sources shows its outcome once it ends."
    ).format(id=source.id, name=_name(source))


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
    """Poll now's answer: the counts, 'not modified', or why it failed (`error`, in English:
    worded in the admin's language by the code the failed poll stored with it)."""
    if error is not None:
        reason = source_error(source) if source.last_error_code else error
        return _("Source {id} ({name}): failed: {error}").format(
            id=source.id, name=_name(source), error=esc(clip(reason, ERROR_SHOWN * 2))
        )
    if not_modified:
        return _("Source {id} ({name}): not modified since the last poll.").format(
            id=source.id, name=_name(source)
        )
    # Translators: each count is of articles (the items a feed lists): "3 new", "1 updated"
    counts = [
        ngettext("{count} new", "{count} new", new).format(count=new),
        ngettext("{count} updated", "{count} updated", updated).format(count=updated),
        ngettext("{count} unchanged", "{count} unchanged", unchanged).format(count=unchanged),
    ]
    if kept:
        counts.append(
            ngettext(
                "{count} left as it is (edited or deleted by hand, or another source's)",
                "{count} left as they are (edited or deleted by hand, or another source's)",
                kept,
            ).format(count=kept)
        )
    if skipped:
        counts.append(
            ngettext(
                "{count} skipped (see the log)", "{count} skipped (see the log)", skipped
            ).format(count=skipped)
        )
    return _("Source {id} ({name}): {counts}.").format(
        id=source.id, name=_name(source), counts=", ".join(counts)
    )


def paused(source_id: int) -> str:
    """Pause's acknowledgement."""
    return _("Source {id} is paused.").format(id=source_id)


def resumed(source_id: int) -> str:
    """Resume's acknowledgement."""
    return _("Source {id} is resumed; it is polled in a moment.").format(id=source_id)


def gone(source_id: int) -> str:
    """A button of a source removed meanwhile (an alert: at most 200 characters)."""
    return _("Source {id} no longer exists. Send /sources for the list.").format(id=source_id)


def remove_question(source: Source) -> str:
    """Remove's confirmation."""
    return _("Remove source {id} ({name})? Its articles stay. (/cancel keeps it.)").format(
        id=source.id, name=_name(source)
    )


def remove_keyboard(source_id: int) -> InlineKeyboardMarkup:
    """Yes / No under the confirmation."""
    return confirm_keyboard(f"src:rm:{source_id}", yes=pgettext("button", "Yes, remove"))


def removed(source: Source) -> str:
    """Remove confirmed."""
    return ngettext(
        "Removed source {id} ({name}); its article stays.",
        "Removed source {id} ({name}); its {count} articles stay.",
        source.items,
    ).format(id=source.id, name=_name(source), count=source.items)
