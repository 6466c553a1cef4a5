"""An article's text cut into pages of a given length, for reading it all a page at a time.

Pages are plain text, measured as Telegram counts (UTF-16 units), and cut between paragraphs,
else between sentences, else between words, else between characters (never inside an emoji
sequence or before a combining mark when there is any other place). Nothing is changed but
the whitespace at a cut, so the same text always pages the same way and page N can be
computed again on demand.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from summaries.languages import splitter_for
from summaries.length import tg_len
from summaries.tokenizer import split_paragraphs, tokenizer_for

PARAGRAPH = "\n\n"
_WORD = re.compile(r"\s*\S+")  # a word with the space before it: pieces never end in space
_JOINERS = {"\u200d", "\u20e3"}  # zero-width joiner, combining keycap
_MARKS = {"Mn", "Mc", "Me"}


def paginate(
    text: str, limit: int, *, language: str = "english", head: int = 0, tail: int = 0
) -> list[str]:
    """`text` in pages of at most `limit` units; the first `head` units shorter (room for a
    headline), the last `tail` units shorter (room for a link). At least one page, maybe empty.
    """
    pages = _paginate(text, limit, language, head)
    last_room = limit - tail - (head if len(pages) == 1 else 0)
    if tail and tg_len(pages[-1]) > last_room:  # the link doesn't fit: page the end again
        again = _paginate(pages[-1], limit - tail, language, head if len(pages) == 1 else 0)
        pages[-1:] = again
    return pages


def _paginate(text: str, limit: int, language: str, head: int) -> list[str]:
    pager = _Pager(limit, head, language)
    for paragraph in split_paragraphs(text):
        pager.paragraph(paragraph)
    return pager.finish()


class _Pager:
    """Fills pages piece by piece; each piece carries the whitespace before it."""

    def __init__(self, limit: int, head: int, language: str) -> None:
        self.limit, self.head, self.language = limit, head, language
        self.pages: list[str] = []
        self.parts: list[str] = []
        self.used = 0

    @property
    def room(self) -> int:
        """Units this page may hold: the first page leaves room for the headline."""
        return self.limit - (0 if self.pages else self.head)

    def fits(self, piece: str) -> bool:
        """Whether `piece` fits in what is left of this page."""
        return self.used + tg_len(piece if self.parts else piece.lstrip()) <= self.room

    def add(self, piece: str) -> None:
        """Put `piece` on this page (a page never starts with whitespace)."""
        piece = piece if self.parts else piece.lstrip()
        if piece:
            self.parts.append(piece)
            self.used += tg_len(piece)

    def close(self) -> None:
        """End this page; the next piece starts a new one."""
        if self.parts:
            self.pages.append("".join(self.parts))
            self.parts, self.used = [], 0

    def finish(self) -> list[str]:
        """Every page, at least one."""
        self.close()
        return self.pages or [""]

    def paragraph(self, paragraph: str) -> None:
        """A whole paragraph if it fits here or on a new page (when this one is at least half
        full); else its sentences, from here on."""
        piece = PARAGRAPH + paragraph
        if not self.fits(piece) and self.used * 2 >= self.room:
            self.close()
        if self.fits(piece):
            self.add(piece)
            return
        cuts = tokenizer_for(splitter_for(self.language)).sentence_ends(paragraph)[:-1]
        starts, ends = (0, *cuts), (*cuts, len(paragraph))  # the last runs to the very end
        for number, (start, end) in enumerate(zip(starts, ends, strict=True)):
            self.sentence((PARAGRAPH if number == 0 else "") + paragraph[start:end])

    def sentence(self, piece: str) -> None:
        """A sentence here, else whole on a new page, else (longer than a page) by words."""
        self._place(piece, lambda: [m[0] for m in _WORD.finditer(piece)], self.word)

    def word(self, piece: str) -> None:
        """A word here, else on a new page, else (longer than a page) by characters."""
        self._place(piece, lambda: [piece], self.characters)

    def _place(
        self, piece: str, smaller: Callable[[], list[str]], then: Callable[[str], None]
    ) -> None:
        if self.fits(piece):
            self.add(piece)
            return
        if self.parts and tg_len(piece.lstrip()) <= self.limit:
            self.close()
            self.add(piece)
            return
        for part in smaller():
            then(part)

    def characters(self, piece: str) -> None:
        """A word longer than a page: as much as fits on each page, cut where it is safe."""
        rest = piece if self.parts else piece.lstrip()
        while rest:
            cut = safe_prefix(rest, self.room - self.used)
            if not cut and not self.parts:  # not even one character fits an empty page
                cut = rest[0]
            if cut:
                self.add(cut)
                rest = rest[len(cut) :]
            if rest:
                self.close()


def safe_prefix(text: str, units: int) -> str:
    """The longest start of `text` within `units` UTF-16 units that ends where a cut keeps
    every character whole (or, with no such place, the longest start within them)."""
    end, used = 0, 0
    for char in text:
        used += 2 if ord(char) > 0xFFFF else 1
        if used > units:
            break
        end += 1
    for cut in range(end, 0, -1):
        if cut == len(text) or _may_cut(text, cut):
            return text[:cut]
    return text[:end]


def _may_cut(text: str, at: int) -> bool:
    """Whether cutting before text[at] keeps characters whole: not before a combining mark,
    a variation selector or a skin tone, not beside a joiner, not inside a flag's pair."""
    before, after = text[at - 1], text[at]
    if before in _JOINERS or after in _JOINERS or unicodedata.category(after) in _MARKS:
        return False
    if "\ufe00" <= after <= "\ufe0f" or "\U0001f3fb" <= after <= "\U0001f3ff":
        return False
    if _regional(after) and _regional(before):
        run = 0
        while at - run - 1 >= 0 and _regional(text[at - run - 1]):
            run += 1
        return run % 2 == 0  # after a whole number of flags
    return True


def _regional(char: str) -> bool:
    return "\U0001f1e6" <= char <= "\U0001f1ff"
