"""NewsSummarizer: a news lead prior, plus what the article's words and headline say."""

from collections.abc import Sequence
from typing import Any

from sumy.summarizers._summarizer import AbstractSummarizer

from summaries.news_features import FEATURES, SentenceView, features, views
from summaries.news_weights import REDUNDANCY, WEIGHTS

_WEIGHTS = [WEIGHTS[name] for name in FEATURES]
_CANDIDATES = 12  # redundancy is only weighed among the best few: keeps it linear


class NewsSummarizer(AbstractSummarizer):  # type: ignore[misc]  # sumy ships no types
    """Rates sentences by learned weights over news_features, then drops repeats (MMR).

    News puts the story first, so position weighs most; a sentence displaces the lead
    only when its words are clearly more central or closer to the headline.
    """

    _stop_words: frozenset[str] = frozenset()

    @property
    def stop_words(self) -> frozenset[str]:
        """Words too common to say what a sentence is about."""
        return self._stop_words

    @stop_words.setter
    def stop_words(self, words: Sequence[str]) -> None:
        self._stop_words = frozenset(map(self.normalize_word, words))

    def __call__(self, document: Any, sentences_count: Any) -> tuple[Any, ...]:
        """The best `sentences_count` sentences, in document order (sumy's contract)."""
        ratings = self.rate(document)
        return tuple(self._get_best_sentences(document.sentences, sentences_count, ratings))

    def rate(self, document: Any) -> dict[Any, float]:
        """Each sentence's rating: higher is better, repeats of earlier picks demoted."""
        paragraphs = [[(str(s), s.words) for s in p.sentences] for p in document.paragraphs]
        found = views(paragraphs, self.stem_word, self._stop_words)
        title = [self.stem_word(w) for h in document.headings for w in h.words]
        title = [w for w in title if w not in self._stop_words]
        scores = [sum(w * x for w, x in zip(_WEIGHTS, row, strict=True))
                  for row in features(found, title)]  # fmt: skip
        place = {index: rank for rank, index in enumerate(diversify(scores, found))}
        return {s: -float(place[i]) for i, s in enumerate(document.sentences)}


def diversify(scores: Sequence[float], found: Sequence[SentenceView]) -> list[int]:
    """Indices best first; among the top few, each pick is penalized for repeating earlier ones."""
    ranked = sorted(range(len(scores)), key=lambda i: -scores[i])
    pool, rest = ranked[:_CANDIDATES], ranked[_CANDIDATES:]
    chosen: list[int] = []
    while pool:

        def gain(i: int) -> float:
            stems = set(found[i].stems)
            overlap = max((len(stems & set(found[j].stems)) / (len(stems) or 1)
                           for j in chosen), default=0.0)  # fmt: skip
            return scores[i] - REDUNDANCY * overlap

        best = max(pool, key=gain)
        pool.remove(best)
        chosen.append(best)
    return chosen + rest
