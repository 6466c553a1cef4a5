"""Each summarized language's stemmer and stop words, from packages that ship them offline.

sumy has both for ten of our languages. For the others: NLTK's Snowball stemmers (Russian,
Dutch, Danish, Norwegian, Finnish, through sumy's Stemmer), sumy's own Ukrainian stemmer,
snowballstemmer's Turkish one (NLTK has none), and stopwords-iso's lists where sumy has none.
"""

import threading
from collections.abc import Callable
from functools import cache, lru_cache

import snowballstemmer
import stopwordsiso
from sumy.nlp.stemmers import Stemmer
from sumy.utils import get_stop_words

# sumy's Greek and Polish stemmers need packages we don't ship: greek-stemmer-pos (which
# declares pytest as a run-time dependency) and pystempel (an 11 MB table, 4 s to load, with a
# progress bar on stderr). Without them every call raised; words are compared unstemmed.
UNSTEMMED_LANGUAGES = frozenset({"greek", "polish"})
# Snowball stemmers NLTK (and so sumy) lacks, from the snowballstemmer package.
SNOWBALL_ONLY = frozenset({"turkish"})
# Stop words sumy lacks, from stopwords-iso by ISO 639-1 code.
ISO_STOP_WORDS = {
    "danish": "da",
    "dutch": "nl",
    "finnish": "fi",
    "norwegian": "no",
    "russian": "ru",
    "turkish": "tr",
}


@cache
def stemmer(language: str) -> Callable[[str], str]:
    """The language's stemmer, memoized: Snowball stems the same words all day.

    LookupError when there is none.
    """
    if language in UNSTEMMED_LANGUAGES:
        return str.lower  # what sumy's null_stemmer does to a str
    if language in SNOWBALL_ONLY:
        snowball, lock = snowballstemmer.stemmer(language), threading.Lock()

        def stem(word: str) -> str:
            with lock:  # it keeps the word it works on in itself; summaries run in threads
                return str(snowball.stemWord(word.lower()))

        return lru_cache(maxsize=1 << 16)(stem)
    return lru_cache(maxsize=1 << 16)(Stemmer(language))


@cache
def stop_words(language: str) -> frozenset[str]:
    """The language's stop words, lower-cased, read once; LookupError when there are none."""
    code = ISO_STOP_WORDS.get(language)
    if code is None:
        return frozenset(get_stop_words(language))
    if not stopwordsiso.has_lang(code):
        raise LookupError(f"no stop words for {language}")
    return frozenset(w.lower() for w in stopwordsiso.stopwords(code))
