"""Why a feed source's poll failed, in the admin's language: /sources, Poll now's answer and
the failing alert.

The poller stores the error's code and fields with its English words (summaries/sources.py);
here the code becomes a clause of the catalog, as /source URL's refusals are worded
(bot/render/refusals.py). A row stored before codes, or an error without one, shows the
English words as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bot.i18n import _
from bot.render.refusals import REASONS
from summaries.error_fields import fields_from_json
from summaries.sources import Source

# What only a poll can meet, beside what fetching and reading a feed can (REASONS).
_POLL_REASONS: dict[str, Callable[[dict[str, object]], str]] = {
    "now-a-web-page": lambda f: _("the address now answers a web page, not a feed"),
    "poll-crashed": lambda f: _("an unexpected error ({kind}); see the log").format(
        kind=f["kind"]
    ),
}


def poll_error(code: str | None, fields: Mapping[str, object], english: str | None) -> str:
    """The reason a poll failed as a clause in the current language: by its code, or the
    English words stored with it (no code, or fields that don't fit it), or 'no reason
    given'."""
    reason = _POLL_REASONS.get(code or "") or REASONS.get(code or "")
    if reason is not None:
        try:
            return reason(dict(fields))
        except (KeyError, TypeError, ValueError):  # fields another version of newsbot kept
            pass
    return english or _("no reason given")


def source_error(source: Source) -> str:
    """Why the source's last poll failed, in the current language."""
    return poll_error(source.last_error_code, source.last_error_fields, source.last_error)


def alert_error(details: Mapping[str, object]) -> str:
    """Why the source an alert is about was failing, as kept in the alert's details."""
    code, fields, english = (details.get(k) for k in ("error_code", "error_fields", "error"))
    return poll_error(
        code if isinstance(code, str) else None,
        fields_from_json(fields if isinstance(fields, str) else None),
        str(english) if english else None,
    )
