"""The news default before issue 12, kept to be measured against (bench/train_news.py).

A logistic regression over news_features fitted on dev.jsonl only, a hand-set headline
weight, a lead bonus and MMR: the weights below are the shipped ones, unchanged.
"""

from collections.abc import Sequence

from summaries.news_features import FEATURES, SentenceView

# Logistic-regression weights over raw news_features.FEATURES values (oracle labels);
# title_overlap is hand-set (2.0): the dev set has no headlines.
WEIGHTS: dict[str, float] = {
    "bias": -1.5659,
    "first": -2.4609,
    "second": -0.7171,
    "third": -0.401,
    "fourth": -0.2653,
    "fifth": -0.0854,
    "inverse_position": 2.5476,
    "log_position": -0.6473,
    "relative_position": 0.4401,
    "log_words": -0.3558,
    "words_30": -0.0256,
    "words_30_squared": -0.4705,
    "short": 0.2311,
    "long": 0.0632,
    "centroid": 5.7815,
    "word_probability": -0.3833,
    "lead_similarity": -0.8798,
    "title_overlap": 2.0,
    "quote": -0.1333,
    "digit": 0.2522,
    "capitalized": 0.3597,
    "pronoun_start": 0.0742,
    "said": -0.0746,
    "fragment": -0.0416,
    "question": 0.1605,
    "paragraph_start": 0.0,
}
# Added to the first three sentences' scores: news keeps its lead unless the
# evidence against it is strong (the first sentence practically always).
LEAD_BONUS: tuple[float, ...] = (5.0, 0.5, 0.5)
REDUNDANCY = 0.3  # MMR: score lost per share of content stems already picked
_CANDIDATES = 12


def rank(found: Sequence[SentenceView], rows: Sequence[Sequence[float]]) -> list[int]:
    """Sentence indices best first, as the old default ranked them."""
    names = {name: column for column, name in enumerate(FEATURES)}
    scores = [sum(w * row[names[n]] for n, w in WEIGHTS.items()) for row in rows]
    for index, bonus in enumerate(LEAD_BONUS[: len(scores)]):
        scores[index] += bonus
    ranked = sorted(range(len(scores)), key=lambda i: -scores[i])
    pool, rest = ranked[:_CANDIDATES], ranked[_CANDIDATES:]
    stems = {i: set(found[i].stems) for i in pool}
    chosen: list[int] = []
    while pool:

        def gain(i: int) -> float:
            seen = (len(stems[i] & stems[j]) / (len(stems[i]) or 1) for j in chosen)
            return scores[i] - REDUNDANCY * max(seen, default=0.0)

        best = max(pool, key=gain)
        pool.remove(best)
        chosen.append(best)
    return chosen + rest
