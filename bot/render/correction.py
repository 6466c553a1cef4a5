"""The short notice a reader gets when an article their digest or breaking news carried was
corrected: what changed, in the admin's words, and a button to read the article again."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.i18n import N_, _, ngettext, pgettext
from bot.render import clip, esc
from bot.render.keyboards import button
from summaries.corrections import NOTE_MAX

NOTE_ROOM = NOTE_MAX  # the admin's one line (checked when marked); the rest stays short
TITLE_ROOM = 200


def correction_notice(article_id: int, title: str, note: str) -> tuple[str, InlineKeyboardMarkup]:
    """✏ Corrected: <headline>, what changed, and "Read it again"."""
    text = _("✏ <b>Correction:</b> {title}\n{note}").format(
        title=esc(clip(title, TITLE_ROOM)), note=esc(clip(note, NOTE_ROOM))
    )
    again = pgettext("button", "📖 Read it again")
    markup = InlineKeyboardMarkup([[button(again, f"read:{article_id}")]])
    return text, markup


# "Save as a correction" refusing the note (summaries.corrections.check_note's problems);
# the admin sends another, nothing is saved meanwhile
NOTE_LINES = N_("Send the correction as one line, without line breaks.")
NOTE_CONTROL = N_(
    "The note holds a control character or a direction override ({code}). Send it as plain "
    "text, in one line."
)
NOTE_INVISIBLE = N_("The note shows no text. Say in words what changed, in one line.")


def note_refused(problem: str, detail: str) -> str:
    """Why the note can't be sent to readers, and what to send instead."""
    if problem == "lines":
        return _(NOTE_LINES)
    if problem == "control":
        return _(NOTE_CONTROL).format(code=detail)
    if problem == "long":
        return ngettext(
            "The note has {length} character; a correction note has at most {most}. Send a "
            "shorter line.",
            "The note has {length} characters; a correction note has at most {most}. Send a "
            "shorter line.",
            int(detail),
        ).format(length=detail, most=NOTE_MAX)
    return _(NOTE_INVISIBLE)
