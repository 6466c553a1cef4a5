"""The words the search index holds, and the forms a reader's word is looked up by.

SQLite's own tokenizers fold Latin accents and case and stem English alone, so `Москва` missed
`Москве`, `YILMAZ` missed `Yılmaz` and `м'ясо` was two words. The index holds words made here
instead, with the same code for the stored text and for the query:

- folded: NFKC, case folded (`ß` is `ss`), Turkish `ı` and `İ` as `i`, `ё` as `е`, letters
  with a stroke as their base (`ł`, `ø`, `đ`; `æ` as `ae`), Arabic's and Persian's letter
  variants as one, every script's digits as 0-9, and accents dropped in Latin, Greek,
  Cyrillic, Hebrew and Arabic (not elsewhere: a Japanese dakuten or a Thai tone mark makes
  another word);
- apostrophes (`'`, `’`, `ʼ`, `‘`, `ʻ`, ...) and hyphens inside a word joined: `м'ясо` and
  `мʼясо` are `мясо`, `e-mail` is `email`. Outside Cyrillic the parts are words too:
  `l'école` is found by `école`, `Trump's` by `Trump`, `COVID-19` by `COVID`;
- in scripts written without spaces (Chinese, Japanese, Thai, ...; Korean glues particles on),
  every character and every pair of neighbours is a word, so `北京` is found inside a sentence;
- stemmed in the article's language, where we have a stemmer, and tagged with it (`0ruмоскв`):
  a query word is looked up in every stemmed language's form, and the tag keeps one language's
  stem (Italian `usa` -> `us`) from matching another's word (English `us`). A word with
  something to fold is stemmed as written and folded, so `Krakow` finds `Kraków` although
  Polish stems them apart.

The stems are snowballstemmer's (pure Python, loaded per language in microseconds), which has
a Snowball stemmer for 31 of the languages an article may be in (every summary language but
Ukrainian, and Arabic, Hindi, Persian...); Ukrainian's is sumy's, as for summaries. The
summarizer's stems needn't be the same: only the index and the query must agree.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache, lru_cache
from itertools import pairwise

import snowballstemmer

from summaries.languages import LANGUAGES_BY_CODE, other_languages
from summaries.text import normalize

SEARCH_WORDS_VERSION = 1
"""Bumped when what is indexed changes: the store then indexes every article again."""

# Typed, typographic (U+2019, U+2018), Ukrainian's modifier letter (U+02BC), Uzbek's (U+02BB),
# prime (U+02B9), grave and acute accents as typed on keyboards without an apostrophe.
APOSTROPHES = "'\u2019\u2018\u02bc\u02bb\u02b9`\u00b4"
HYPHENS = "-\u2010\u2011"  # hyphen-minus, hyphen, non-breaking hyphen (not dashes: ranges)
_JOINER = re.compile(f"[{re.escape(APOSTROPHES + HYPHENS)}]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
# Written without spaces between words: Thai, Lao, Myanmar, Khmer, kana, CJK, Hangul.
_NO_SPACES = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f]"
)
_KEPT_MARKS = frozenset({7, 9})  # nukta and virama: part of the spelling in Indic scripts
# Letters Unicode doesn't decompose into a base and a mark, and variants written for each
# other: Arabic's and Persian's kaf and yeh, alef maksura, ta marbuta; and the zero-width
# (non-)joiner, which Persian readers type or leave out.
_BASE_LETTERS = str.maketrans(
    {"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ŧ": "t", "ŀ": "l", "æ": "ae",
     "œ": "oe", "þ": "th", "ک": "ك", "ی": "ي", "ى": "ي", "ة": "ه", "\u200c": "", "\u200d": ""}
)  # fmt: skip
MAX_MARKS = 8  # combining marks kept on one letter: a flood makes NFKC quadratic
MAX_WORD = 64  # longer runs (a hash, a base64 blob) are no one's search word


def words_to_index(title: str, body: str, language: str) -> str:
    """The title's and body's words as the index holds them, space-separated."""
    stem = _stemmer(language)
    tag = _tags().get(language, "")
    words = _words(f"{title}\n{body}")
    if stem is None:
        return " ".join([_plain(_lower(w, language)) for w in words])
    return " ".join([form for w in words for form in _stemmed(w, language, tag, stem)])


def words_of(query: str) -> list[str]:
    """The words of a query: a word with an apostrophe or a hyphen is looked up whole
    (`Trump's` finds what `Trump` finds, through the stem; `e-mail` finds `email`)."""
    return list(_words(query, parts=False))


def forms_to_search(word: str) -> list[str]:
    """One word of a query (from `words_of`) as every form an article may hold it in: folded
    as it is, and stemmed and tagged in each stemmed language."""
    forms = {_plain(_lower(word, ""))}
    for language, stem in _stemmed_languages():
        forms.update(_stemmed(word, language, _tags()[language], stem))
    return sorted(f for f in forms if f)


def _words(text: str, *, parts: bool = True) -> Iterator[str]:
    for word in _word_pattern().findall(normalize(_few_marks(text))):
        if not word[0].isalnum() and not any(c.isalnum() for c in word):
            continue  # a stray mark
        if not _JOINER.search(word):
            yield from _spaceless(word[:MAX_WORD])
            continue
        pieces = [p for p in _JOINER.split(word) if any(c.isalnum() for c in p)]
        if joined := "".join(pieces):  # not joiners alone (U+02BC is a letter to Python)
            yield from _spaceless(joined[:MAX_WORD])
        hyphened = any(c in HYPHENS for c in word)
        if parts and len(pieces) > 1 and (hyphened or not _CYRILLIC.search(word)):
            for piece in pieces:  # Ukrainian's apostrophe is inside a word, a hyphen isn't
                yield from _spaceless(piece[:MAX_WORD])


def _spaceless(word: str) -> Iterator[str]:
    """The word, or in a script written without spaces each letter and each pair."""
    if not _NO_SPACES.search(word):
        yield word
        return
    for run in re.split(f"({_NO_SPACES.pattern}+)", word):
        if not run:
            continue
        if not _NO_SPACES.match(run):
            yield run
            continue
        letters = _letters(run)
        yield from letters
        yield from (a + b for a, b in pairwise(letters))


def _letters(run: str) -> list[str]:
    """A run cut into letters, each with the marks after it (a Thai tone mark stays on)."""
    letters: list[str] = []
    for char in run:
        if letters and unicodedata.category(char)[0] == "M":
            letters[-1] += char
        else:
            letters.append(char)
    return letters


def _few_marks(text: str) -> str:
    """At most MAX_MARKS combining marks on a letter ("Zalgo" text made NFKC take minutes)."""
    return _mark_flood().sub(lambda run: run.group()[:MAX_MARKS], text)


@lru_cache(maxsize=1 << 17)
def _stemmed(word: str, language: str, tag: str, stem: Callable[[str], str]) -> tuple[str, ...]:
    """The word's stem, tagged; and its folded form's too when folding changes the word
    (readers type `Krakow`, `kizlar` for `Kraków`, `kızlar`)."""
    lower = _lower(word, language)
    if not any(c.isalpha() for c in lower):  # a number: nothing to stem
        return ("0" + tag + _plain(lower),)
    stems = {"0" + tag + _plain(stem(lower))}
    if (folded := _plain(lower)) != lower:
        stems.add("0" + tag + _plain(stem(folded)))
    return tuple(sorted(stems))


@lru_cache(maxsize=1 << 17)
def _lower(word: str, language: str) -> str:
    """Case folded as the language does it (Turkish `I` is `ı`), `ё` as `е`."""
    if language == "turkish":
        word = word.replace("I", "ı").replace("İ", "i")
    return word.casefold().replace("ё", "е")


@lru_cache(maxsize=1 << 17)
def _plain(word: str) -> str:
    """Letters as their base: marks dropped in Latin, Greek, Cyrillic, Hebrew and Arabic
    (kept elsewhere, and Indic viramas and nuktas everywhere), `ł` as `l`, `ı` as `i`, any
    script's digits as 0-9."""
    kept: list[str] = []
    base = ""
    for char in unicodedata.normalize("NFKD", word.translate(_BASE_LETTERS)):
        mark = unicodedata.combining(char)
        if not mark:
            base = char
            digit = unicodedata.digit(char, None) if not char.isascii() else None
            kept.append(char if digit is None else str(digit))
        elif mark in _KEPT_MARKS or not _folds_marks(base):
            kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def _folds_marks(base: str) -> bool:
    """Whether accents on this letter are dropped: Latin, Greek, Cyrillic, Armenian, Hebrew,
    Arabic (where readers type without them); not kana, Thai or Indic (they make other words)."""
    point = ord(base) if base else 0
    return point < 0x0700 or 0x1E00 <= point < 0x2000


@cache
def _word_pattern() -> re.Pattern[str]:
    """Runs of letters, digits and marks (Python's \\\\w lacks marks, which are parts of
    letters in Indic scripts and Arabic), apostrophes and hyphens inside."""
    letters = rf"(?:[^\W_]|[{_marks()}\u200c\u200d])+"
    return re.compile(rf"{letters}(?:{_JOINER.pattern}{letters})*")


@cache
def _mark_flood() -> re.Pattern[str]:
    return re.compile(f"[{_marks()}]{{{MAX_MARKS + 1},}}")


@cache
def _marks() -> str:
    """The Basic Multilingual Plane's combining marks, as ranges for a character class."""
    marks, start = [], None
    for point in range(0x300, 0x10000):
        is_mark = unicodedata.category(chr(point))[0] == "M"
        if is_mark and start is None:
            start = point
        elif not is_mark and start is not None:
            marks.append(f"{chr(start)}-{chr(point - 1)}")
            start = None
    return "".join(marks)


@cache
def _tags() -> dict[str, str]:
    """Each language an article may be in, by name, with its ISO 639-1 code (nb, nn: no)."""
    codes = {**other_languages(), **LANGUAGES_BY_CODE}
    return {name: code for code, name in reversed(codes.items())}


@cache
def _stemmer(language: str) -> Callable[[str], str] | None:
    """The language's stemmer, or None where we have none (the word is kept whole)."""
    if language == "ukrainian":
        return _ukrainian
    if language not in _tags() or language not in snowballstemmer.algorithms():
        return None
    return _one_at_a_time(snowballstemmer.stemmer(language).stemWord)


def _ukrainian(word: str) -> str:
    """sumy's Ukrainian stemmer, which leaves a word without Cyrillic as it is (lower case):
    so is one here without importing sumy, and with it NLTK (a second, in a CLI search)."""
    if not _CYRILLIC.search(word):
        return word
    from summaries.lexicon import stemmer

    return stemmer("ukrainian")(word)


def _one_at_a_time(stem: Callable[[str], str]) -> Callable[[str], str]:
    """A Snowball stemmer keeps the word it works on in itself: threads (summaries and feed
    polls index in worker threads) take turns. Only misses of the caches get here."""
    lock = threading.Lock()

    def locked(word: str) -> str:
        with lock:
            return stem(word)

    return locked


@cache
def _stemmed_languages() -> tuple[tuple[str, Callable[[str], str]], ...]:
    stemmers = ((name, _stemmer(name)) for name in sorted(_tags()))
    return tuple((name, stem) for name, stem in stemmers if stem is not None)
