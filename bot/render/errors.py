"""Domain errors in the reader's language: the domain names each one (a code and its fields),
and here it becomes a whole sentence of the catalog.

An admin's refusals (a draft's fields, a page, a feed) are in bot/render/refusals.py. An
error without a code is shown as the domain words it, in English.
"""

from __future__ import annotations

from collections.abc import Callable

from babel.lists import format_list

from bot.i18n import _, current, ngettext
from bot.render import sentence
from bot.render.refusals import REASONS
from summaries.errors import (
    ArticleNotFoundError,
    DeletedArticleError,
    NewsbotError,
    NotDeletedError,
    SourceNotFoundError,
)


def _topic_too_long(f: dict[str, object]) -> str:
    more = int(str(f["more"]))
    if not more:
        return _(
            "A topic can be at most {most} characters, and '{topic}' is {length}. Nothing "
            "changed: send shorter topics, e.g. /topics economy, climate change."
        ).format(most=f["most"], topic=f["topic"], length=f["length"])
    return ngettext(
        "A topic can be at most {most} characters, and '{topic}' is {length} (and {more} more). "
        "Nothing changed: send shorter topics, e.g. /topics economy, climate change.",
        "A topic can be at most {most} characters, and '{topic}' is {length} (and {more} more). "
        "Nothing changed: send shorter topics, e.g. /topics economy, climate change.",
        more,
    ).format(most=f["most"], topic=f["topic"], length=f["length"], more=more)


def _zones(f: dict[str, object]) -> str:
    zones = [str(zone) for zone in f["zones"]]  # type: ignore[attr-defined]
    return format_list(zones, style="or", locale=current().locale)


_MESSAGES: dict[str, Callable[[dict[str, object]], str]] = {
    "not-subscribed": lambda f: _("You have no daily digest yet. Send /subscribe to start one."),
    "not-a-time": lambda f: _(
        "'{text}' is not a time of day; write it like 07:30, 7pm, 19h or noon."
    ).format(text=f["text"]),
    "am-pm-hour": lambda f: _("'{text}': with am/pm the hour is 1 to 12.").format(text=f["text"]),
    "time-out-of-range": lambda f: _(
        "'{text}' is not a time of day; hours 0-23, minutes 0-59."
    ).format(text=f["text"]),
    "no-zone": lambda f: _("Which time zone? E.g. Europe/Berlin, or a city such as Berlin."),
    "zone-abbreviation": lambda f: _(
        "'{text}' doesn't say where you are or when your clocks change, so I can't use it. "
        "Send a zone or a city instead, e.g. {zones}."
    ).format(text=f["text"], zones=_zones(f)),
    "zone-offset": lambda f: _(
        "'{text}' is a fixed offset: it never moves for daylight saving, so your digest would "
        "be an hour off half the year. Send a city near you or a zone, e.g. Europe/Berlin or "
        "America/New_York."
    ).format(text=f["text"]),
    "zone-offset-etc": lambda f: _(
        "'{text}' is a fixed offset ({text} is {flipped}: IANA flips the sign): it never moves "
        "for daylight saving, so your digest would be an hour off half the year. Send a city "
        "near you or a zone, e.g. Europe/Berlin or America/New_York."
    ).format(text=f["text"], flipped=f["flipped"]),
    "unknown-zone": lambda f: _(
        "I don't know the time zone '{text}'; use a name like Europe/Berlin or "
        "America/New_York, or a big city near you."
    ).format(text=f["text"]),
    "topic-without-words": lambda f: _(
        "Topics need words, and '{topic}' has none. Nothing changed: send e.g. /topics economy, "
        "climate change (or /topics all)."
    ).format(topic=f["topic"]),
    "no-topics": lambda f: _(
        "Topics need words: e.g. /topics economy, climate change (or /topics all)."
    ),
    "topic-too-long": _topic_too_long,
    "too-many-topics": lambda f: ngettext(
        "That's {count} topic; the most is {most}. Nothing changed: send the {most} you want "
        "most, separated by commas.",
        "That's {count} topics; the most is {most}. Nothing changed: send the {most} you want "
        "most, separated by commas.",
        int(str(f["count"])),
    ).format(count=f["count"], most=f["most"]),
}


# An admin's draft refused: clauses, as the chat puts them inside its own sentences
# ("… . Fix it with Edit a field").
_REASONS: dict[str, Callable[[dict[str, object]], str]] = {
    "not-a-link": lambda f: _("the link must be an http:// or https:// link, not '{url}'").format(
        url=f["url"]
    ),
    "not-a-feed-address": lambda f: _(
        "the feed's address must be an http:// or https:// link, not '{url}'"
    ).format(url=f["url"]),
    "duplicate-source": lambda f: _("source {id} already reads {url}").format(
        id=f["id"], url=f["url"]
    ),
    "no-feed-link": lambda f: _('that is a web page with no feed link (<link rel="alternate">)'),
    "feed-unreadable": lambda f: _("the page's feed could not be read ({failures})").format(
        failures=_failures(f)
    ),
    "empty-title": lambda f: _("the title is empty"),
    "title-too-long": lambda f: ngettext(
        "the title has {length} character; at most {most}",
        "the title has {length} characters; at most {most}",
        int(str(f["length"])),
    ).format(length=f["length"], most=f["most"]),
    "empty-body": lambda f: _("the body is empty"),
    "body-too-long": lambda f: ngettext(
        "the body has {length} character; at most {most}",
        "the body has {length} characters; at most {most}",
        int(str(f["length"])),
    ).format(length=f["length"], most=f["most"]),
    "caption-too-long": lambda f: _(
        "the photo caption and credit hold at most {most} characters"
    ).format(most=f["most"]),
    "photo-too-big": lambda f: _(
        "the photo is {size} MB; Telegram takes at most {most} MB"
    ).format(size=f["size"], most=f["most"]),
    "not-an-image": lambda f: _("the photo is not a JPEG, PNG, GIF or WebP image"),
    "caption-without-photo": lambda f: _(
        "the article has no photo, so a photo caption or credit would show nowhere; add the "
        "photo too, or leave them out"
    ),
    "edit-conflict": lambda f: _(
        "article {id} was changed or deleted by someone else since you opened it; open it "
        "again with /edit {id}"
    ).format(id=f["id"]),
    **REASONS,
}


def _failures(f: dict[str, object]) -> str:
    """Each feed a page named, and why it could not be read."""
    failures: list[tuple[str, NewsbotError]] = f["failures"]  # type: ignore[assignment]
    return "; ".join(f"{link}: {error_reason(error)}" for link, error in failures)


def error_reason(error: NewsbotError) -> str:
    """Why an admin's draft was refused, as a clause for the chat's sentence around it (the
    domain's English words when the error has no code)."""
    if isinstance(error, DeletedArticleError):
        return _(
            "article {id} with this link was deleted; newsbot undelete {id} (on the bot's "
            "server) brings it back"
        ).format(id=error.article_id)
    reason = _REASONS.get(error.code)
    return reason(error.fields) if reason else str(error)


def error_text(error: NewsbotError) -> str:
    """What the chat says about a domain error, in the current reader's language."""
    if isinstance(error, DeletedArticleError):
        return _(
            "Article {id} was deleted; newsbot undelete {id} (on the bot's server) brings it back."
        ).format(id=error.article_id)
    if isinstance(error, ArticleNotFoundError):
        return _(
            "Article {id} doesn't exist or was removed. See /latest for what there is."
        ).format(id=error.article_id)
    if isinstance(error, NotDeletedError):
        return _("Article {id} is not deleted.").format(id=error.article_id)
    if isinstance(error, SourceNotFoundError):
        return _("There is no source {id}. Send /sources for the list.").format(id=error.source_id)
    message = _MESSAGES.get(error.code)
    if message:
        return message(error.fields)
    return _refusal_sentence(error)


def _refusal_sentence(error: NewsbotError) -> str:
    """An admin's refusal no handler put in a sentence of its own (the catch-all error handler
    shows it): the clause as a sentence; the domain's English when there is no code."""
    if error.code in _REASONS:
        return _("{reason}.").format(reason=sentence(error_reason(error)))
    return str(error)
