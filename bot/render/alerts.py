"""What admins are told on the bot's own initiative: a feed source failing, then working."""

from __future__ import annotations

from bot.render import clip, esc
from summaries.alerts import Alert
from summaries.models import from_db_time

# Telegram counts what is shown (after HTML parsing): these rooms and the words around them
# stay far below MessageLimit.MAX_TEXT_LENGTH (4096) whatever a source's name or error holds.
NAME_ROOM = 200
ERROR_ROOM = 600
URL_ROOM = 600


def alert_text(alert: Alert) -> str:
    """The alert's message, within Telegram's limit whatever the source's name or error."""
    details = alert.details
    name = esc(clip(str(details.get("name") or ""), NAME_ROOM))
    url = esc(clip(str(details.get("url") or ""), URL_ROOM))
    heading = f"source {details.get('source_id')} ({name})"
    if alert.kind == "source-recovered":
        text = (
            f"✅ <b>The news {heading} works again.</b>\n"
            f"Its feed answered at the last poll, and its stories come in as before.\n{url}"
        )
    else:
        since = details.get("since")
        when = f" since {from_db_time(since):%Y-%m-%d %H:%M} UTC" if since else ""
        error = esc(clip(str(details.get("error") or "no reason given"), ERROR_ROOM))
        text = (
            f"⚠️ <b>The news {heading} is failing.</b>\n"
            f"{details.get('failures')} polls in a row have failed{when}.\n"
            f"Last error: {error}\n{url}\n\n"
            "It is tried again less and less often (at most a day apart). "
            "You'll hear once more when it works again. /sources lists the sources."
        )
    return text
