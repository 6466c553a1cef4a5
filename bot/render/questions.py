"""What /cancel says: which question it closed, and that what it asked about is unchanged."""

from __future__ import annotations

NOTHING_TO_CANCEL = "Nothing to cancel."
BUTTON_CANCELLED = "That question was cancelled: this button no longer does anything."
DRAFT_STILL_OPEN = (
    "Your draft is still open where you left it: carry on, or /cancel again to drop it."
)

_CANCELLED = {
    "zone": "Cancelled: your time zone stays as it was.",
    "topics": "Cancelled: your topics stay as they were.",
    "forget": "Cancelled: nothing was deleted.",
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
            return "Cancelled: your digest keeps its time."
        return "Cancelled: no digest was set up. Send /subscribe when you want one."
    if kind == "delete":
        return f"Cancelled: article {article} is kept."
    if kind == "remove-source":
        return f"Cancelled: source {source} is kept."
    if kind == "remove-outlet":
        return f"Cancelled: outlet {outlet} is kept."
    return _CANCELLED.get(kind, "Cancelled.")
