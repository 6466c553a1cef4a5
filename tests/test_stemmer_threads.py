"""Stemmers used from many threads at once (summaries and feed polls run in worker threads)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
import snowballstemmer

from summaries.lexicon import stemmer
from summaries.search_words import words_to_index

ROOTS = ["kitap", "seçim", "ev", "araba", "okul", "şehir", "yol", "gün", "iş", "dağ", "göl"]
SUFFIXES = ["lar", "ler", "ımız", "imiz", "dan", "den", "la", "le", "ları", "leri", "ında"]


def words(thread: int) -> list[str]:
    """Words no other thread stems (so no cache answers for another's)."""
    return [f"{r}{a}{b}{'ı' * thread}" for r in ROOTS for a in SUFFIXES for b in SUFFIXES]


def in_threads(work: Callable[[int], list[str]], threads: int = 4) -> list[list[str]]:
    results: list[list[str]] = [[] for _ in range(threads)]
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            results[n] = work(n)
        except BaseException as error:
            errors.append(error)

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    return results


def test_the_summarizers_turkish_stemmer_takes_turns() -> None:
    # Snowball keeps the word it works on in the stemmer: unguarded, threads got others'
    # stems and IndexErrors.
    fresh = snowballstemmer.stemmer("turkish")
    stem = stemmer("turkish")
    results = in_threads(lambda n: [stem(w) for w in words(n)])
    for n, got in enumerate(results):
        assert got == [fresh.stemWord(w) for w in words(n)]


@pytest.mark.parametrize("language", ["turkish", "russian", "german"])
def test_search_words_are_the_same_from_any_thread(language: str) -> None:
    texts = [" ".join(words(n)) for n in range(4)]
    results = in_threads(lambda n: [words_to_index("", texts[n], language)])
    expected = [[words_to_index("", text, language)] for text in texts]
    assert results == expected
