"""What admins are told on the bot's own initiative: a feed source failing, then working; an
outlet paused or resumed as the bot's rights change, a channel offered as an outlet."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.i18n import _, current, ngettext
from bot.render import clip, esc
from bot.render import outlets as render_outlets
from bot.render.feed_errors import alert_error
from summaries.alerts import Alert
from summaries.models import from_db_time

# Telegram counts what is shown (after HTML parsing): these rooms and the words around them
# stay far below MessageLimit.MAX_TEXT_LENGTH (4096) whatever a source's name or error holds.
NAME_ROOM = 200
ERROR_ROOM = 600
URL_ROOM = 600


def alert_message(alert: Alert) -> tuple[str, InlineKeyboardMarkup | None]:
    """The alert's message and its buttons (only an outlet offer has one: "Post news here")."""
    if alert.kind == "outlet-offer":
        return render_outlets.offer_alert(alert.details)
    if alert.kind == "outlet-paused":
        return render_outlets.paused_alert(alert.details), None
    if alert.kind == "outlet-resumed":
        return render_outlets.resumed_alert(alert.details), None
    return alert_text(alert), None


def alert_text(alert: Alert) -> str:
    """The alert's message, within Telegram's limit whatever the source's name or error."""
    details = alert.details
    name = esc(clip(str(details.get("name") or ""), NAME_ROOM))
    url = esc(clip(str(details.get("url") or ""), URL_ROOM))
    source = details.get("source_id")
    if alert.kind == "source-recovered":
        return _(
            "✅ <b>The news source {id} ({name}) works again.</b>\n"
            "Its feed answered at the last poll, and its stories come in as before.\n{url}"
        ).format(id=source, name=name, url=url)
    since = details.get("since")
    error = esc(clip(alert_error(details), ERROR_ROOM))
    failures = int(str(details.get("failures") or 0))
    if since:
        failed = ngettext(
            "{count} poll in a row has failed since {when} UTC.",
            "{count} polls in a row have failed since {when} UTC.",
            failures,
        ).format(count=failures, when=current().date_time(from_db_time(since)))
    else:
        failed = ngettext(
            "{count} poll in a row has failed.", "{count} polls in a row have failed.", failures
        ).format(count=failures)
    return _(
        "⚠️ <b>The news source {id} ({name}) is failing.</b>\n"
        "{failed}\n"
        "Last error: {error}\n{url}\n\n"
        "It is tried again less and less often (at most a day apart). "
        "You'll hear once more when it works again. /sources lists the sources."
    ).format(id=source, name=name, failed=failed, error=error, url=url)
