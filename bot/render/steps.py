"""What an admin's draft asks at each step, and what it says to anything else sent there.

Every refusal names what the step expects, so nobody has to guess (or meet "I don't know
/done" inside a draft).
"""

from __future__ import annotations

from bot.i18n import N_, _, ngettext
from bot.render import clip, sentence

DRAFT_COMMANDS = ("done", "skip", "remove")  # the draft's own words: refused out of their step

FIELD_PROMPTS = {
    "title": N_("Send the new headline."),
    "body": N_(
        "Send the new text: one message or several (forwarded ones too), then /done. "
        "/done alone keeps the text as it is. (/cancel drops the draft.)"
    ),
    "photo_caption": N_("Send the new photo caption (or - for none)."),
    "photo": N_(
        "Send the new photo (its caption becomes the photo caption), or /remove for no "
        "photo. (/cancel drops the draft.)"
    ),
    "url": N_("Send the new source link (or - for none)."),
}

_FIELD_EXPECTED = {
    "title": N_("Send the new headline, as a message (or /cancel)."),
    "body": N_("Send the new text, then /done; /done alone keeps the text as it is (or /cancel)."),
    "photo_caption": N_("Send the new photo caption, or - for none (or /cancel)."),
    "photo": N_(
        "Send the new photo as a photo (not as a file), or /remove for none (or /cancel)."
    ),
    "url": N_("Send the new source link, or - for none (or /cancel)."),
}


def expected(  # noqa: PLR0911 - one whole sentence a case, for the catalog
    step: str, *, field: str = "", editing: bool = False, document: bool = False
) -> str:
    """The answer to something a step can't use: what it expects instead."""
    if step == "field" or (step == "body" and field == "body"):
        return _(_FIELD_EXPECTED.get(field, _FIELD_EXPECTED["title"]))
    if step == "title":
        return _("Send the headline first, as a message (or /cancel).")
    if step == "body":
        return _(
            "Send the text as one message or several (forwarded ones too), then /done "
            "(or /cancel)."
        )
    if step == "photo":
        if document:
            return _("Send it as a photo, not as a file, or /skip for none (or /cancel).")
        return _("Send the photo, or /skip for none (or /cancel).")
    if step == "link":
        return _("Send the source link (https://...), or /skip for none (or /cancel).")
    if editing:
        return _(
            "Use the buttons under the preview: Save changes, Save as a correction, Edit a field "
            "or Cancel (or /cancel)."
        )
    return _(
        "Use the buttons under the preview: Publish, Publish and notify, Edit a field or Cancel "
        "(or /cancel)."
    )


def dropped(title: str, *, editing: int | None = None) -> str:
    """A new /post or /edit replaced an unfinished draft: which one went (nothing stored)."""
    if editing:
        return _("Your unsaved edit of article {id} was dropped; starting a new draft.").format(
            id=editing
        )
    if title:
        return _("Your draft “{title}” was dropped; starting a new one.").format(
            title=clip(title, 60)
        )
    return _("Your unfinished draft was dropped; starting a new one.")


def finish_step_first(hint: str) -> str:
    """A preview button pressed while a step waits for something else (an alert: short)."""
    return _("First this step: {hint}").format(hint=hint)


# What /post asks, step after step, and what it says to what a step can't use.

ASK_BODY = N_("Now the text: send it in one message or several (forwarded ones too), then /done.")
EMPTY_BODY = N_("The text is empty: send it first, then /done.")
ASK_PHOTO = N_("Send the photo (its caption becomes the photo's caption), or /skip.")
ASK_LINK = N_("The source link (https://...), or /skip.")
ASK_TITLE = N_("A new article. Send its headline. (/cancel stops.)")
READING_PAGE = N_("Reading the page…")
LEAD_IMAGE = N_("The page's lead image")  # /post URL: the photo the draft takes from the page


def title_too_long(length: int, most: int) -> str:
    """A headline over the limit: how long it is, and the limit."""
    return ngettext(
        "That headline is too long ({length} character, at most {most}). Send a shorter one.",
        "That headline is too long ({length} characters, at most {most}). Send a shorter one.",
        length,
    ).format(length=length, most=most)


def bad_link(error: str, *, skippable: bool) -> str:
    """A source link it can't use: why, and what to send instead."""
    if skippable:
        return _("{error}. Send a link, or /skip.").format(error=sentence(error))
    return _("{error}. Send a link.").format(error=sentence(error))


def bad_page(error: str) -> str:
    """/post URL with a page it can't read or use."""
    return _("Can't use that page: {error}.").format(error=error)


PREVIEW_NOTE = N_("That is how readers will see it.")
DRAFT_CANCELLED = N_("Cancelled; nothing was stored.")


def fix_it(error: str) -> str:
    """The preview of a draft that can't be stored as it is: why, and what to do."""
    return _("{error}. Fix it with Edit a field, or /cancel.").format(error=sentence(error))


def not_saved(error: str) -> str:
    """An edit someone else's change made stale: dropped."""
    return _("Not saved: {error}.").format(error=error)


CORRECTION_PROMPT = N_(
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
    `corrected`: how many readers its correction goes to (a sentence of its own after)."""
    if unchanged:
        text = _("Article {id} unchanged: the edit is what it already says.")
    elif saved:
        text = _("Saved article {id}.")
    elif notified:
        text = _(
            "Published as article {id}. Breaking news is on its way to the readers who asked "
            "for it."
        )
    else:
        text = _("Published as article {id}.")
    text = text.format(id=article_id)
    if corrected is not None:
        text += " " + correction_readers(corrected)
    return text


def correction_readers(readers: int) -> str:
    """How many readers a correction is told to (none when no digest carried the article)."""
    if readers == 0:
        return _("No reader got this article, so no one is told.")
    return ngettext(
        "The correction goes to the {count} reader who was sent it.",
        "The correction goes to the {count} readers who were sent it, once each.",
        readers,
    ).format(count=readers)


def photo_not_handed_over(reason: str) -> str:
    """Telegram would not give the photo to download: nothing changed."""
    return _(
        "Telegram did not hand over the photo ({reason}). Nothing was published "
        "or changed; the draft is kept, so try again in a moment."
    ).format(reason=reason)
