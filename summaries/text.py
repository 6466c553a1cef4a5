"""What readers type, made comparable with what is stored: one normalization for every match.

A zero-width space pasted inside a word, a decomposed accent or full-width letters look the
same on screen but are other characters, so a search, a topic or a city name would silently
miss. Search, topics and time zones all go through these functions.
"""

from __future__ import annotations

import unicodedata

# Format characters (category Cf) kept: the zero-width non-joiner and joiner are spelling in
# Persian, Indic scripts and emoji, and SQLite's tokenizer splits words at them in stored
# text too, so removing them from a query would make it miss.
_KEPT_FORMAT = frozenset("\u200c\u200d")
# Invisible characters with no meaning in stored text: soft hyphen, zero-width space, word
# joiner, byte order mark. Stored without them, a word with one is found by its letters.
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"))
# Printable but for these: a text that is has no format character (they are unprintable).
_LINE_BREAKS = dict.fromkeys(map(ord, "\n\r\t"))


# Direction controls: embeddings and overrides (U+202A-U+202E), isolates (U+2066-U+2069),
# the left-to-right and right-to-left marks and the Arabic letter mark. In a title one of
# them reorders what is shown after it, in a terminal or a chat ("txt.exe" as "exe.txt").
DIRECTION_CONTROLS = frozenset(
    [*map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A)), "\u200e", "\u200f",
     "\u061c"]
)  # fmt: skip
# Control characters (ESC sequences, BEL) and direction controls: in a name shown in a
# terminal or a chat they can rewrite what is around them.
_UNSHOWABLE = dict.fromkeys(
    [*range(0x00, 0x20), *range(0x7F, 0xA0), *map(ord, DIRECTION_CONTROLS)]
)


def one_plain_line(text: str) -> str:
    """A name or title as it may be shown anywhere (a feed's, a source's, a chat's, an
    article's): no control characters or direction controls, and its whitespace (newlines
    included) collapsed to single spaces."""
    return " ".join(text.replace("\t", " ").replace("\n", " ").translate(_UNSHOWABLE).split())


def normalize(text: str) -> str:
    """NFKC, without format characters (zero-width spaces, soft hyphens, direction marks)."""
    text = unicodedata.normalize("NFKC", text)
    if text.translate(_LINE_BREAKS).isprintable():  # no format character in it (most text)
        return text
    return "".join(c for c in text if c in _KEPT_FORMAT or unicodedata.category(c) != "Cf")


def fold(text: str) -> str:
    """`normalize`, then without accents and case, as the search index compares words:
    'Café', 'CAFE' and 'cafe\u0301' are all 'cafe'."""
    decomposed = unicodedata.normalize("NFKD", normalize(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", plain.casefold())


def words(text: str) -> list[str]:
    """The searchable words of `text` (normalized): runs of letters, digits and marks, as
    SQLite's unicode61 tokenizer cuts them; punctuation, symbols and emoji are not words."""
    found: list[str] = []
    current: list[str] = []
    for char in normalize(text) + " ":
        if unicodedata.category(char)[0] in "LNM":
            current.append(char)
            continue
        if any(unicodedata.category(c)[0] in "LN" for c in current):  # not a stray mark
            found.append("".join(current))
        current = []
    return found
