"""What /cancel says: which question it closed, and that what it asked about is unchanged."""

from __future__ import annotations

from bot.i18n import N_, _

NOTHING_TO_CANCEL = N_("Nothing to cancel.")
BUTTON_CANCELLED = N_("That question was cancelled: this button no longer does anything.")
DRAFT_STILL_OPEN = N_(
    "Your draft is still open where you left it: carry on, or /cancel again to drop it."
)

_CANCELLED = {
    "zone": N_("Cancelled: your time zone stays as it was."),
    "topics": N_("Cancelled: your topics stay as they were."),
    "forget": N_("Cancelled: nothing was deleted."),
}


def cancelled(
    kind: str,
    *,
    subscribed: bool = False,
    article: int | None = None,
    source: int | None = None,
    outlet: int | None = None,
) -> str:
    """The reply to /cancel, for the question it closed."""
    if kind == "time":
        if subscribed:
            return _("Cancelled: your digest keeps its time.")
        return _("Cancelled: no digest was set up. Send /subscribe when you want one.")
    if kind == "delete":
        return _("Cancelled: article {id} is kept.").format(id=article)
    if kind == "remove-source":
        return _("Cancelled: source {id} is kept.").format(id=source)
    if kind == "remove-outlet":
        return _("Cancelled: outlet {id} is kept.").format(id=outlet)
    return _(_CANCELLED.get(kind, N_("Cancelled.")))
