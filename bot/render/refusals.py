"""An admin's refusals worded for the chat: a draft's fields, a page for /post URL, a feed for
/source URL. Each is a clause (the chat's own sentence goes round it), by the error's code."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from babel.dates import format_datetime
from babel.lists import format_list

from bot.i18n import N_, _, current, ngettext

# A control character in a draft: one whole clause per field, so each language can decline it.
_CONTROL = {
    "title": N_("the title holds a control character ({character}, character {position})"),
    "body": N_("the body holds a control character ({character}, character {position})"),
    "photo_caption": N_(
        "the photo caption holds a control character ({character}, character {position})"
    ),
    "photo_credit": N_(
        "the photo credit holds a control character ({character}, character {position})"
    ),
    "": N_("the text holds a control character ({character}, character {position})"),
}


def _control(f: dict[str, object]) -> str:
    words = _CONTROL.get(str(f["field"]), _CONTROL[""])
    return _(words).format(character=f["character"], position=f["position"])


def _moment(value: object) -> str:
    """A time as the admin's language writes it, in UTC (the domain's times are aware)."""
    if not isinstance(value, datetime):  # pragma: no cover - the domain always gives one
        return str(value)
    return format_datetime(value, "medium", tzinfo=value.tzinfo, locale=current().locale)


def _future(f: dict[str, object]) -> str:
    return _(
        "the publication time {published} is in the future; at most a day ahead is allowed "
        "(until {limit} UTC)"
    ).format(published=_moment(f["published"]), limit=_moment(f["limit"]))


def _names(f: dict[str, object], key: str) -> str:
    values = [str(value) for value in f[key]]  # type: ignore[attr-defined]
    return format_list(values, locale=current().locale)


def _unsupported(f: dict[str, object]) -> str:
    return _("the language '{language}' is not supported; use one of {languages}").format(
        language=f["language"], languages=_names(f, "languages")
    )


def _unknown_fields(f: dict[str, object]) -> str:
    names = list(f["names"])  # type: ignore[call-overload]
    return ngettext("unknown field: {names}", "unknown fields: {names}", len(names)).format(
        names=_names(f, "names")
    )


def _too_little_text(f: dict[str, object]) -> str:
    length = int(str(f["length"]))
    return ngettext(
        "that page has only {length} character of text; it doesn't look like an article",
        "that page has only {length} characters of text; it doesn't look like an article",
        length,
    ).format(length=length)


def _url_taken(f: dict[str, object]) -> str:
    if f.get("deleted"):
        return _(
            "article {id}, now deleted, has the link {url}; newsbot undelete {id} (on the bot's "
            "server) brings it back"
        ).format(id=f["id"], url=f["url"])
    return _("article {id} already has the link {url}").format(id=f["id"], url=f["url"])


def _not_html(f: dict[str, object]) -> str:
    if not f["kind"]:
        return _("that link is not a web page")
    return _("that link is {kind}, not a web page (HTML)").format(kind=f["kind"])


def _asks_to_wait(f: dict[str, object]) -> str:
    if f.get("until") is None:
        return _("the feed asks us to wait ({status})").format(status=f["status"])
    return _("the feed asks us to wait ({status}) until {until} UTC").format(
        status=f["status"], until=_moment(f["until"])
    )


def _too_many_redirects(f: dict[str, object]) -> str:
    most = int(str(f["most"]))
    return ngettext(
        "the link redirects more than {most} time",
        "the link redirects more than {most} times",
        most,
    ).format(most=most)


REASONS: dict[str, Callable[[dict[str, object]], str]] = {
    # A draft's fields (summaries/articles.py and friends)
    "not-an-iso-time": lambda f: _(
        "'{text}' is not a time such as 2026-11-25T08:30 or 2026-11-25T08:30Z"
    ).format(text=f["text"]),
    "control-character": _control,
    "published-without-zone": lambda f: _("the publication time needs a time zone"),
    "published-out-of-range": lambda f: _(
        "the publication time must be between the years {first} and {last}"
    ).format(first=f["first"], last=f["last"]),
    "published-in-future": _future,
    "unsupported-language": _unsupported,
    "unknown-fields": _unknown_fields,
    "not-summarizable": lambda f: _("the body cannot be summarized"),
    "url-taken": _url_taken,
    # A page for /post URL (summaries/extract.py)
    "no-article": lambda f: _("I found no article on that page"),
    "no-headline": lambda f: _("that page has no headline I can find"),
    "too-little-text": _too_little_text,
    # Fetching a page or a feed (bot/fetch.py, bot/feed_fetch.py)
    "unfetchable-address": lambda f: _("that address is not a link I can fetch"),
    "not-http": lambda f: _("only http:// and https:// links can be fetched, not '{url}'").format(
        url=f["url"]
    ),
    "unknown-host": lambda f: _("the address {host} can't be found").format(host=f["host"]),
    "private-address": lambda f: _(
        "{host} is a private or local address, so I don't fetch it"
    ).format(host=f["host"]),
    "address-with-password": lambda f: _(
        "addresses with a user name or password are not supported"
    ),
    "no-answer-in-time": lambda f: _("the server took too long to answer"),
    "too-slow": lambda f: _("the answer took too long to arrive (over {seconds} s)").format(
        seconds=f["seconds"]
    ),
    "nothing-answered": lambda f: _("nothing answered at {where}").format(where=f["where"]),
    "cut-short": lambda f: _("the server's answer was cut short"),
    "hung-up": lambda f: _("the server hung up without a proper answer"),
    "fetch-failed": lambda f: _("it could not be fetched ({reason})").format(reason=f["reason"]),
    "too-many-redirects": _too_many_redirects,
    "page-image-not-an-image": lambda f: _("the page's image is not a JPEG, PNG, GIF or WebP"),
    "answered-status": lambda f: _("the page answered {status}").format(status=f["status"]),
    "feed-answered": lambda f: _("the feed answered {status}").format(status=f["status"]),
    "asks-to-wait": _asks_to_wait,
    "not-html": _not_html,
    "too-big": lambda f: _("it is more than {most} MB, so I didn't fetch it").format(
        most=f["most"]
    ),
    "unknown-encoding": lambda f: _("it came in an encoding I don't read ({encoding})").format(
        encoding=f["encoding"]
    ),
    "damaged-encoding": lambda f: _("it came as damaged {encoding} data").format(
        encoding=f["encoding"]
    ),
    # A feed's contents (summaries/feed_parse.py, summaries/json_feed.py)
    "feed-too-deep": lambda f: _("the feed is nested too deeply to be read"),
    "feed-empty": lambda f: _("the feed is empty"),
    "web-page-not-feed": lambda f: _("that is a web page, not a feed"),
    "feed-malformed": lambda f: _(
        "the feed is malformed ({problem}) and no item could be read"
    ).format(problem=f["problem"]),
    "not-a-feed": lambda f: _("that is not a feed (no RSS, Atom or JSON Feed in it)"),
    "feed-not-json": lambda f: _("the feed is not valid JSON ({problem})").format(
        problem=f["problem"]
    ),
    "json-not-a-feed": lambda f: _("that is JSON, but not a JSON Feed (no jsonfeed.org version)"),
}
