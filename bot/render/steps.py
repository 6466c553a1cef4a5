"""What an admin's draft asks at each step, and what it says to anything else sent there.

Every refusal names what the step expects, so nobody has to guess (or meet "I don't know
/done" inside a draft).
"""

from __future__ import annotations

from bot.render import clip, sentence

CANCEL = "(or /cancel)"
DRAFT_COMMANDS = ("done", "skip", "remove")  # the draft's own words: refused out of their step

FIELD_PROMPTS = {
    "title": "Send the new headline.",
    "body": (
        "Send the new text: one message or several (forwarded ones too), then /done. "
        "/done alone keeps the text as it is. (/cancel drops the draft.)"
    ),
    "photo_caption": "Send the new photo caption (or - for none).",
    "photo": (
        "Send the new photo (its caption becomes the photo caption), or /remove for no "
        "photo. (/cancel drops the draft.)"
    ),
    "url": "Send the new source link (or - for none).",
}

_FIELD_EXPECTED = {
    "title": f"Send the new headline, as a message {CANCEL}.",
    "body": f"Send the new text, then /done; /done alone keeps the text as it is {CANCEL}.",
    "photo_caption": f"Send the new photo caption, or - for none {CANCEL}.",
    "photo": f"Send the new photo as a photo (not as a file), or /remove for none {CANCEL}.",
    "url": f"Send the new source link, or - for none {CANCEL}.",
}


def expected(step: str, *, field: str = "", editing: bool = False, document: bool = False) -> str:
    """The answer to something a step can't use: what it expects instead."""
    if step == "field" or (step == "body" and field == "body"):
        return _FIELD_EXPECTED.get(field, _FIELD_EXPECTED["title"])
    if step == "title":
        return f"Send the headline first, as a message {CANCEL}."
    if step == "body":
        return (
            f"Send the text as one message or several (forwarded ones too), then /done {CANCEL}."
        )
    if step == "photo":
        kind = "Send it as a photo, not as a file" if document else "Send the photo"
        return f"{kind}, or /skip for none {CANCEL}."
    if step == "link":
        return f"Send the source link (https://...), or /skip for none {CANCEL}."
    first = "Save changes" if editing else "Publish"
    return f"Use the buttons under the preview: {first}, Edit a field or Cancel {CANCEL}."


def dropped(title: str, *, editing: int | None = None) -> str:
    """A new /post or /edit replaced an unfinished draft: which one went (nothing stored)."""
    if editing:
        return f"Your unsaved edit of article {editing} was dropped; starting a new draft."
    name = f"Your draft “{clip(title, 60)}”" if title else "Your unfinished draft"
    return f"{name} was dropped; starting a new one."


def finish_step_first(hint: str) -> str:
    """A preview button pressed while a step waits for something else (an alert: short)."""
    return f"First this step: {hint}"


# What /post asks, step after step, and what it says to what a step can't use.

ASK_BODY = "Now the text: send it in one message or several (forwarded ones too), then /done."
EMPTY_BODY = "The text is empty: send it first, then /done."
ASK_PHOTO = "Send the photo (its caption becomes the photo's caption), or /skip."
ASK_LINK = "The source link (https://...), or /skip."
ASK_TITLE = "A new article. Send its headline. (/cancel stops.)"
READING_PAGE = "Reading the page…"
LEAD_IMAGE = "The page's lead image"  # /post URL: the photo the draft takes from the page


def title_too_long(length: int, most: int) -> str:
    """A headline over the limit: how long it is, and the limit."""
    return f"That headline is too long ({length} characters, at most {most}). Send a shorter one."


def bad_link(error: str, *, skippable: bool) -> str:
    """A source link it can't use: why, and what to send instead."""
    return f"{sentence(error)}. Send a link{', or /skip' if skippable else ''}."


def bad_page(error: str) -> str:
    """/post URL with a page it can't read or use."""
    return f"Can't use that page: {error}."


PREVIEW_NOTE = "That is how readers will see it."
DRAFT_CANCELLED = "Cancelled; nothing was stored."


def fix_it(error: str) -> str:
    """The preview of a draft that can't be stored as it is: why, and what to do."""
    return f"{sentence(error)}. Fix it with Edit a field, or /cancel."


def not_saved(error: str) -> str:
    """An edit someone else's change made stale: dropped."""
    return f"Not saved: {error}."


CORRECTION_PROMPT = (
    "What changed? Send one line: the readers whose digest or breaking news carried this "
    "article get it as a short notice, with a button to read the article again."
)


def done(
    article_id: int,
    *,
    saved: bool = False,
    notified: bool = False,
    corrected: int | None = None,
    unchanged: bool = False,
) -> str:
    """The draft is an article now: published, or an edit saved (and breaking news sent);
    `corrected`: how many readers its correction goes to."""
    if unchanged:
        text = f"Article {article_id} unchanged: the edit is what it already says."
    elif saved:
        text = f"Saved article {article_id}."
    else:
        text = f"Published as article {article_id}."
    if notified:
        text += " Breaking news is on its way to the readers who asked for it."
    if corrected is not None:
        text += " " + correction_readers(corrected)
    return text


def correction_readers(readers: int) -> str:
    """How many readers a correction is told to (none when no digest carried the article)."""
    if readers == 0:
        return "No reader got this article, so no one is told."
    if readers == 1:
        return "The correction goes to the one reader who was sent it."
    return f"The correction goes to the {readers} readers who were sent it, once each."


def photo_not_handed_over(reason: str) -> str:
    """Telegram would not give the photo to download: nothing changed."""
    return (
        f"Telegram did not hand over the photo ({reason}). Nothing was published "
        "or changed; the draft is kept, so try again in a moment."
    )
