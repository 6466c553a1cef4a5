"""Corrections told to readers: an admin marks an edit as a correction, with what changed,
and every reader whose digest (scheduled or on demand) or breaking news carried the article is
told, once.

The notices go through the deliveries ledger (kind 'correction', key '<correction id>'):
claimed before they are sent, so each reader gets one however often the job restarts, paced
by the same rate limiter as digests. It works like a breaking-news broadcast: recorded
first, then each recipient claimed until none is left, then finished.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from summaries.errors import ArticleNotFoundError, CorrectionNoteError
from summaries.ids import is_row_id
from summaries.models import from_db_time, to_db_time

KIND = "correction"
NOTE_MAX = 500  # characters: the notice's one line, far below a message's 4096
# What splits a line on screen (str.splitlines' breaks): a note is one line
LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
# Direction overrides and isolates: they can turn around the text after them in the notice
DIRECTION = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
# Letters that show as nothing (Hangul fillers, the blank Braille pattern)
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def check_note(note: str) -> str:
    """The note as stored (trimmed), if readers can be sent it as one short line;
    CorrectionNoteError saying why not otherwise. The CLI and the chat both ask here."""
    note = note.strip()
    if not note:
        raise CorrectionNoteError("empty", "say what changed: a correction needs a note")
    if any(char in LINE_BREAKS for char in note):
        raise CorrectionNoteError(
            "lines", "a correction note is one line: write it without line breaks"
        )
    for char in note:
        if unicodedata.category(char) == "Cc" or char in DIRECTION:
            code = f"U+{ord(char):04X}"
            raise CorrectionNoteError(
                "control",
                f"a correction note can't hold control characters or direction overrides "
                f"({code}): write it as plain text",
                code,
            )
    if not any(_visible(char) for char in note):
        raise CorrectionNoteError(
            "invisible", "a correction note needs visible text: say what changed in words"
        )
    if len(note) > NOTE_MAX:
        raise CorrectionNoteError(
            "long",
            f"a correction note is at most {NOTE_MAX} characters, this one has {len(note)}: "
            f"say what changed in one short line",
            str(len(note)),
        )
    return note


def _visible(char: str) -> bool:
    """Whether the character shows as something: a letter, digit, punctuation or symbol
    (spaces, format characters and lone combining marks don't)."""
    return unicodedata.category(char)[0] in "LNPS" and char not in BLANK_LETTERS


@dataclass(frozen=True, slots=True)
class Correction:
    """What an admin said changed in an article."""

    id: int
    article_id: int
    note: str
    created_by: str | None
    created_at: datetime


class Corrections:
    """Corrections and who is owed a notice of each."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def mark(self, article_id: int, note: str, by: str | None, *, now: datetime) -> int:
        """Record a correction of the article (its notices go out from here); its id.
        CorrectionNoteError (check_note) for a note readers can't be sent."""
        note = check_note(note)
        if not is_row_id(article_id):
            raise ArticleNotFoundError(article_id)
        with self.db.atomic():
            if (
                self.db.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone()
                is None
            ):
                raise ArticleNotFoundError(article_id)
            cursor = self.db.execute(
                "INSERT INTO corrections (article_id, note, created_by, created_at) "
                "VALUES (?, ?, ?, ?)",
                [article_id, note, by, to_db_time(now)],
            )
        return int(cursor.lastrowid or 0)

    def get(self, correction_id: int) -> Correction | None:
        """One correction, if there is one."""
        if not is_row_id(correction_id):
            return None
        row = self.db.execute(
            "SELECT id, article_id, note, created_by, created_at FROM corrections WHERE id = ?",
            [correction_id],
        ).fetchone()
        if row is None:
            return None
        return Correction(row[0], row[1], row[2], row[3], from_db_time(row[4]))

    def open_corrections(self) -> list[Correction]:
        """Corrections whose notices are not all claimed yet, oldest first."""
        rows = self.db.execute(
            "SELECT id FROM corrections WHERE finished_at IS NULL ORDER BY id"
        ).fetchall()
        return [found for (cid,) in rows if (found := self.get(cid)) is not None]

    def recipients(self, correction_id: int, limit: int = 500) -> list[int]:
        """Reader chats that were sent the article (a digest or breaking news that went, or
        is counted as gone) and have no notice of this correction claimed yet; blocked
        readers are left out."""
        rows = self.db.execute(
            "SELECT DISTINCT d.chat_id FROM corrections c, deliveries d, json_each(d.articles) j "
            "WHERE c.id = ? AND d.kind IN ('daily', 'breaking', 'ondemand') "
            "AND d.state IN ('sent', 'in-doubt', 'partial') AND j.value = c.article_id "
            "AND NOT EXISTS (SELECT 1 FROM deliveries n WHERE n.chat_id = d.chat_id "
            "  AND n.kind = 'correction' AND n.key = CAST(c.id AS TEXT)) "
            "AND NOT EXISTS (SELECT 1 FROM subscribers s WHERE s.chat_id = d.chat_id "
            "  AND s.blocked = 1) "
            "ORDER BY d.chat_id LIMIT ?",
            [correction_id, limit],
        )
        return [int(row[0]) for row in rows]

    def readers_of(self, article_id: int) -> int:
        """How many readers a correction of the article would be told (its recipients
        before any notice is claimed): the ones sent it, blocked readers left out."""
        row = self.db.execute(
            "SELECT count(DISTINCT d.chat_id) FROM deliveries d, json_each(d.articles) j "
            "WHERE d.kind IN ('daily', 'breaking', 'ondemand') "
            "AND d.state IN ('sent', 'in-doubt', 'partial') "
            "AND j.value = ? AND NOT EXISTS (SELECT 1 FROM subscribers s "
            "  WHERE s.chat_id = d.chat_id AND s.blocked = 1)",
            [article_id],
        ).fetchone()
        return int(row[0])

    def finish_correction(self, correction_id: int, *, now: datetime) -> None:
        """Every recipient has been claimed: the correction is done."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE corrections SET finished_at = ? WHERE id = ?",
                [to_db_time(now), correction_id],
            )
