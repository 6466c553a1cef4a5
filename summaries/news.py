"""NewsSummarizer: learned sentence scores, then the best set of three chosen together."""

import itertools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sumy.nlp.stemmers import null_stemmer
from sumy.summarizers._summarizer import AbstractSummarizer

from summaries.news_features import SentenceView, features, views
from summaries.news_model import Floats, Selection, TreeModel, shipped

# The model learned from English news only: elsewhere the default keeps the article's order,
# since no data shows the English model does no harm in other languages.
TRAINED_LANGUAGES = ("english",)
SET_SIZE = 3  # the summary the model and its selection were tuned for


class NewsSummarizer(AbstractSummarizer):  # type: ignore[misc]  # sumy ships no types
    """Scores sentences with gradient-boosted trees over news_features, then picks a set.

    The trees were fitted to how much of journalists' highlights each sentence holds (see
    bench/train_news.py), on CNN and Daily Mail stories with and without headlines; the three
    sentences are chosen together, so a pick that repeats another one loses its place.
    """

    _stop_words: frozenset[str] = frozenset()

    def __init__(
        self, stemmer: Callable[[str], str] = null_stemmer, model: TreeModel | None = None
    ) -> None:
        """Use the shipped model unless training passes another."""
        super().__init__(stemmer)
        self._model = model  # None: the shipped one, read when first needed

    @property
    def stop_words(self) -> frozenset[str]:
        """Words too common to say what a sentence is about."""
        return self._stop_words

    @stop_words.setter
    def stop_words(self, words: Sequence[str]) -> None:
        self._stop_words = frozenset(map(self.normalize_word, words))

    def features(self, document: Any) -> tuple[list[SentenceView], list[list[float]]]:
        """The sentences as news_features sees them, and their FEATURES rows."""
        paragraphs = [[(str(s), s.words) for s in p.sentences] for p in document.paragraphs]
        found = views(paragraphs, self._stemmer, self._stop_words)  # views lower-cases
        title = [self.stem_word(w) for h in document.headings for w in h.words]
        return found, features(found, [w for w in title if w not in self._stop_words])

    def __call__(self, document: Any, sentences_count: Any) -> tuple[Any, ...]:
        """The best `sentences_count` sentences, in document order (sumy's contract)."""
        ratings = self.rate(document)
        return tuple(self._get_best_sentences(document.sentences, sentences_count, ratings))

    def rate(self, document: Any) -> dict[Any, float]:
        """Each sentence's rating: higher is better (the chosen set first)."""
        found, rows = self.features(document)
        place = {index: rank for rank, index in enumerate(self.rank(found, rows))}
        return {s: -float(place[i]) for i, s in enumerate(document.sentences)}

    def rank(self, found: Sequence[SentenceView], rows: Sequence[Sequence[float]]) -> list[int]:
        """Sentence indices best first: the chosen set, then the rest by score."""
        if not rows:
            return []
        model = self._model or shipped()
        return choose(model.predict(rows), found, model.selection)


def choose(scores: Floats, found: Sequence[SentenceView], selection: Selection) -> list[int]:
    """Indices best first: the best SET_SIZE set among the top candidates, then the rest.

    A set is worth its scores (plus the lead bonus) minus `redundancy` for each pair's share
    of shared content stems; only the few best sentences form sets, so it stays linear.
    """
    scores = np.array(scores, dtype=np.float64)
    bonus = selection.lead_bonus[: scores.size]
    scores[: len(bonus)] += bonus
    ranked = [int(i) for i in np.argsort(-scores, kind="stable")]
    pool = ranked[: max(selection.candidates, SET_SIZE)]
    if len(pool) <= SET_SIZE or not selection.redundancy:
        return ranked
    stems = {i: frozenset(found[i].stems) for i in pool}

    def overlap(i: int, j: int) -> float:
        smaller = min(len(stems[i]), len(stems[j]))
        return len(stems[i] & stems[j]) / smaller if smaller else 0.0

    def worth(picked: tuple[int, ...]) -> float:
        pairs = itertools.combinations(picked, 2)
        return float(sum(scores[i] for i in picked)) - selection.redundancy * sum(
            overlap(i, j) for i, j in pairs
        )

    best = max(itertools.combinations(pool, SET_SIZE), key=worth)  # pool is best-first
    picked = sorted(best, key=ranked.index)
    return picked + [i for i in ranked if i not in best]
