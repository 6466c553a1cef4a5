"""NewsSummarizer: a news lead prior, plus what the article's words and headline say."""

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sumy.nlp.stemmers import null_stemmer
from sumy.summarizers._summarizer import AbstractSummarizer

from summaries import news_weights
from summaries.news_features import FEATURES, SentenceView, features, views

_CANDIDATES = 12  # redundancy is only weighed among the best few: keeps it linear


class NewsSummarizer(AbstractSummarizer):  # type: ignore[misc]  # sumy ships no types
    """Rates sentences by learned weights over news_features, then drops repeats (MMR).

    News puts the story first, so the first sentence is kept unless a rival is far better
    and the next two get a bonus; the weights were fitted to which sentences best match
    journalists' highlights (see bench/train_news.py).
    """

    _stop_words: frozenset[str] = frozenset()

    def __init__(
        self,
        stemmer: Callable[[str], str] = null_stemmer,
        weights: Mapping[str, float] = news_weights.WEIGHTS,
        lead_bonus: Sequence[float] = news_weights.LEAD_BONUS,
    ) -> None:
        """Use the shipped weights unless training passes others."""
        super().__init__(stemmer)
        self._weights = [weights[name] for name in FEATURES]
        self._lead_bonus = lead_bonus

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
        found = views(paragraphs, self.stem_word, self._stop_words)
        title = [self.stem_word(w) for h in document.headings for w in h.words]
        return found, features(found, [w for w in title if w not in self._stop_words])

    def __call__(self, document: Any, sentences_count: Any) -> tuple[Any, ...]:
        """The best `sentences_count` sentences, in document order (sumy's contract)."""
        ratings = self.rate(document)
        return tuple(self._get_best_sentences(document.sentences, sentences_count, ratings))

    def rate(self, document: Any) -> dict[Any, float]:
        """Each sentence's rating: higher is better, repeats of earlier picks demoted."""
        found, rows = self.features(document)
        place = {index: rank for rank, index in enumerate(self.rank(found, rows))}
        return {s: -float(place[i]) for i, s in enumerate(document.sentences)}

    def rank(self, found: Sequence[SentenceView], rows: Sequence[Sequence[float]]) -> list[int]:
        """Sentence indices best first: weighted features plus the lead bonus, then MMR."""
        scores = [sum(w * x for w, x in zip(self._weights, row, strict=True)) for row in rows]
        for index, bonus in enumerate(self._lead_bonus[: len(scores)]):
            scores[index] += bonus
        return diversify(scores, found)


def diversify(scores: Sequence[float], found: Sequence[SentenceView]) -> list[int]:
    """Indices best first; among the top few, each pick is penalized for repeating earlier ones."""
    ranked = sorted(range(len(scores)), key=lambda i: -scores[i])
    pool, rest = ranked[:_CANDIDATES], ranked[_CANDIDATES:]
    stems = {i: set(found[i].stems) for i in pool}
    chosen: list[int] = []
    while pool:

        def gain(i: int) -> float:
            seen = (len(stems[i] & stems[j]) / (len(stems[i]) or 1) for j in chosen)
            return scores[i] - news_weights.REDUNDANCY * max(seen, default=0.0)

        best = max(pool, key=gain)
        pool.remove(best)
        chosen.append(best)
    return chosen + rest
