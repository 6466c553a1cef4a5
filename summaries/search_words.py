"""The words the search index holds, and the forms a reader's word is looked up by.

SQLite's own tokenizers fold Latin accents and case and stem English alone, so `Москва` missed
`Москве`, `YILMAZ` missed `Yılmaz` and `м'ясо` was two words. The index holds words made here
instead, with the same code for the stored text and for the query:

- folded: NFKC, case folded (`ß` is `ss`), Turkish dotless `ı` and dotted `İ` as `i`, `ё` as
  `е`, accents and other marks dropped (not Indic viramas and nuktas, which are spelling);
- apostrophes inside a word (`'`, `’`, `ʼ`) joined: `м'ясо`, `м’ясо` and `мʼясо` are `мясо`.
  Outside Cyrillic the parts are words too: `l'école` is found by `école`, `Trump's` by `Trump`;
- stemmed in the article's language, where we have a stemmer, and tagged with it (`0ruмоскв`):
  a query word is looked up in every stemmed language's form, and the tag keeps one language's
  stem (Italian `usa` -> `us`) from matching another's word (English `us`).

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

import snowballstemmer

from summaries.languages import LANGUAGES_BY_CODE, other_languages
from summaries.text import normalize

SEARCH_WORDS_VERSION = 1
"""Bumped when what is indexed changes: the store then indexes every article again."""

APOSTROPHES = "'\u2019\u02bc"  # typed, typographic (U+2019), Ukrainian modifier letter (U+02BC)
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_HAS_APOSTROPHE = re.compile(f"[{APOSTROPHES}]")
_KEPT_MARKS = frozenset({7, 9})  # nukta and virama: part of the spelling in Indic scripts
MAX_WORD = 64  # longer runs (a hash, a base64 blob) are no one's search word


def words_to_index(title: str, body: str, language: str) -> str:
    """The title's and body's words as the index holds them, space-separated."""
    stem = _stemmer(language)
    tag = _tags().get(language, "")
    if stem is None:
        return " ".join([_plain(_lower(w, language)) for w in _words(f"{title}\n{body}")])
    return " ".join([_stemmed(w, language, tag, stem) for w in _words(f"{title}\n{body}")])


def forms_to_search(word: str) -> list[str]:
    """One word of a query (from `words_of`) as every form an article may hold it in: folded
    as it is, and stemmed and tagged in each stemmed language."""
    forms = {_plain(_lower(word, ""))}
    for language, stem in _stemmed_languages():
        forms.add(_stemmed(word, language, _tags()[language], stem))
    return sorted(f for f in forms if f)


def words_of(query: str) -> list[str]:
    """The words of a query: a word with an apostrophe is looked up whole (`Trump's` finds
    what `Trump` finds, through the stem), not as its parts."""
    return list(_words(query, parts=False))


def _words(text: str, *, parts: bool = True) -> Iterator[str]:
    for word in _word_pattern().findall(normalize(text)):
        if not word[0].isalnum() and not any(c.isalnum() for c in word):
            continue  # a stray mark
        if not _HAS_APOSTROPHE.search(word):
            yield word[:MAX_WORD]
            continue
        pieces = _HAS_APOSTROPHE.split(word)
        if joined := "".join(pieces):  # not apostrophes alone (U+02BC is a letter to Python)
            yield joined[:MAX_WORD]
        if parts and not _CYRILLIC.search(word):  # Ukrainian's apostrophe is inside a word
            yield from (p[:MAX_WORD] for p in pieces if any(c.isalnum() for c in p))


@cache
def _word_pattern() -> re.Pattern[str]:
    """Runs of letters, digits and marks (as SQLite's unicode61 cuts words; Python's \\w lacks
    marks, which are parts of letters in Indic scripts and Arabic), apostrophes inside."""
    marks, start = [], None
    for point in range(0x300, 0x10000):  # the Basic Multilingual Plane's marks, built once
        is_mark = unicodedata.category(chr(point))[0] == "M"
        if is_mark and start is None:
            start = point
        elif not is_mark and start is not None:
            marks.append(f"{chr(start)}-{chr(point - 1)}")
            start = None
    letters = rf"(?:[^\W_]|[{''.join(marks)}\u200c\u200d])+"
    return re.compile(rf"{letters}(?:[{APOSTROPHES}]{letters})*")


@lru_cache(maxsize=1 << 17)
def _stemmed(word: str, language: str, tag: str, stem: Callable[[str], str]) -> str:
    lower = _lower(word, language)
    if not lower.islower():  # no cased letter (a number, Arabic, Chinese): nothing to stem,
        return "0" + tag + _plain(lower)  # and sumy's Czech stemmer warns about such words
    return "0" + tag + _plain(stem(lower))


@lru_cache(maxsize=1 << 17)
def _lower(word: str, language: str) -> str:
    """Case folded as the language does it (Turkish `I` is `ı`), `ё` as `е`."""
    if language == "turkish":
        word = word.replace("I", "ı").replace("İ", "i")
    return word.casefold().replace("ё", "е")


@lru_cache(maxsize=1 << 17)
def _plain(word: str) -> str:
    """Without accents and marks (but Indic viramas and nuktas), `ı` as `i`."""
    decomposed = unicodedata.normalize("NFKD", word.replace("ı", "i"))
    kept = (c for c in decomposed if unicodedata.combining(c) in _KEPT_MARKS or not
            unicodedata.combining(c))  # fmt: skip
    return unicodedata.normalize("NFC", "".join(kept))


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
