"""Fit NewsSummarizer's weights on dev.jsonl and write news_weights.py (a dev-time tool).

    .venv/bin/python bench/train_news.py [--dev PATH] [--write]

Each sentence is labelled 1 if the greedy ROUGE oracle (best ROUGE-1 + ROUGE-2 F1 against
the highlights, up to three sentences) picks it; a logistic regression (L2, Newton steps,
numpy) learns the FEATURES weights. 5-fold cross-validation reports ROUGE-1/2 F1 of the
runtime ranking (lead bonus, MMR) on held-out articles for a range of lead bonuses, so the
bonus is chosen on figures the model never saw. Needs numpy and rouge-score (dev extras).
"""

import argparse
import itertools
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from rouge_score.tokenizers import DefaultTokenizer

from summaries.news import NewsSummarizer
from summaries.news_features import FEATURES, SentenceView
from summaries.summarize import build_document, make_summarizer
from summaries.tokenizer import tokenizer_for

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"
WEIGHTS_FILE = Path(__file__).resolve().parents[1] / "summaries" / "news_weights.py"
TITLE_WEIGHT = 2.0  # dev.jsonl has no headlines: hand-set, about the pull of the first slot
L2 = 1.0
FOLDS = 5
Grams = tuple[Counter[tuple[str, ...]], Counter[tuple[str, ...]]]


class Article:
    """One dev article: its sentence views, feature rows, n-grams and oracle labels."""

    def __init__(self, item: dict[str, str], tokens: DefaultTokenizer) -> None:
        """Tokenize like rouge-score (stemmed) so the oracle optimizes what is measured."""
        document = build_document(item["text"], "", tokenizer_for("english"))
        self.found, rows = make_summarizer("news", "english", document).features(document)
        self.rows = np.array(rows)
        self.grams = [grams(tokens.tokenize(str(s))) for s in document.sentences]
        self.reference = grams(tokens.tokenize(item["reference"]))
        self.labels = np.zeros(len(self.grams))
        self.labels[oracle(self.grams, self.reference)] = 1.0


def grams(tokens: Sequence[str]) -> Grams:
    """Unigram and bigram counts."""
    return Counter((t,) for t in tokens), Counter(itertools.pairwise(tokens))


def f1(candidate: Counter[Any], reference: Counter[Any]) -> float:
    """ROUGE-N F1 from n-gram counts (clipped overlap), as rouge-score computes it."""
    overlap = sum((candidate & reference).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(candidate.values()), overlap / sum(reference.values())
    return 2 * precision * recall / (precision + recall)


def rouge12(chosen: Sequence[int], sentences: Sequence[Grams], reference: Grams) -> float:
    """ROUGE-1 F1 + ROUGE-2 F1 of the chosen sentences."""
    uni: Counter[tuple[str, ...]] = Counter()
    bi: Counter[tuple[str, ...]] = Counter()
    for index in chosen:
        uni.update(sentences[index][0])
        bi.update(sentences[index][1])
    return f1(uni, reference[0]) + f1(bi, reference[1])


def oracle(sentences: Sequence[Grams], reference: Grams, size: int = 3) -> list[int]:
    """Greedily add the sentence that raises ROUGE-1 + ROUGE-2 most, while one does."""
    chosen: list[int] = []
    best = 0.0
    for _ in range(size):
        scored = [(rouge12([*chosen, i], sentences, reference), i)
                  for i in range(len(sentences)) if i not in chosen]  # fmt: skip
        if not scored or max(scored)[0] <= best:
            break
        best, index = max(scored)
        chosen.append(index)
    return chosen


def fit(articles: Sequence[Article]) -> dict[str, float]:
    """Logistic regression on standardized features, returned as raw-feature weights."""
    x = np.vstack([a.rows for a in articles])
    y = np.concatenate([a.labels for a in articles])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    mean[0], scale[0] = 0.0, 1.0  # the bias column stays as it is
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    penalty = L2 * np.eye(len(FEATURES))
    penalty[0, 0] = 0.0
    w = np.zeros(len(FEATURES))
    for _ in range(50):
        p = 1 / (1 + np.exp(-z @ w))
        step = np.linalg.solve(
            (z * (p * (1 - p))[:, None]).T @ z + penalty, z.T @ (p - y) + penalty @ w
        )
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    raw = w / scale
    raw[0] = w[0] - float((w[1:] * mean[1:] / scale[1:]).sum())
    weights = {name: round(float(v), 4) for name, v in zip(FEATURES, raw, strict=True)}
    return weights | {"title_overlap": TITLE_WEIGHT}


def evaluate(articles: Sequence[Article], weights: dict[str, float], bonus: float) -> list[float]:
    """Mean ROUGE-1 and ROUGE-2 F1 (x100) of three sentences, and % differing from Lead-3."""
    ranker = NewsSummarizer(weights=weights, lead_bonus=lead_bonus(bonus))
    r1 = r2 = moved = 0.0
    for a in articles:
        found: list[SentenceView] = a.found
        chosen = sorted(ranker.rank(found, a.rows.tolist())[:3])
        r1 += rouge12(chosen, [(u, Counter()) for u, _ in a.grams], (a.reference[0], Counter()))
        r2 += rouge12(chosen, [(Counter(), b) for _, b in a.grams], (Counter(), a.reference[1]))
        moved += chosen != list(range(min(3, len(a.grams))))
    return [100 * r1 / len(articles), 100 * r2 / len(articles), 100 * moved / len(articles)]


def lead_bonus(bonus: float) -> tuple[float, ...]:
    """The first sentence is all but fixed; the next two get `bonus`."""
    return (5.0, bonus, bonus)


def main() -> None:
    """Cross-validate, print the figures, and with --write ship weights fitted on all."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--dev", type=Path, default=DEV)
    parser.add_argument("--bonus", type=float, default=0.5, help="lead bonus to ship")
    parser.add_argument("--write", action="store_true", help=f"rewrite {WEIGHTS_FILE.name}")
    args = parser.parse_args()
    tokens = DefaultTokenizer(use_stemmer=True)
    with args.dev.open(encoding="utf-8") as lines:
        articles = [Article(json.loads(line), tokens) for line in lines]
    folds = [articles[k::FOLDS] for k in range(FOLDS)]
    emit("| lead bonus | R1 5-fold CV | R2 5-fold CV | % != Lead-3 | R1 train | R2 train |")
    emit("|---:|---:|---:|---:|---:|---:|")
    everything = fit(articles)
    for bonus in (0.0, 0.25, 0.5, 0.75, 1.0, 1.5):
        held = np.zeros(3)
        for k, test in enumerate(folds):
            train = [a for j, fold in enumerate(folds) if j != k for a in fold]
            held += np.array(evaluate(test, fit(train), bonus)) * len(test) / len(articles)
        train_r1, train_r2, _ = evaluate(articles, everything, bonus)
        emit(f"| {bonus} | {held[0]:.2f} | {held[1]:.2f} | {held[2]:.1f} | "
             f"{train_r1:.2f} | {train_r2:.2f} |")  # fmt: skip
    if args.write:
        write(everything, lead_bonus(args.bonus), len(articles))


def emit(line: str) -> None:
    """One line of the report on stdout."""
    sys.stdout.write(line + "\n")


def write(weights: dict[str, float], bonus: tuple[float, ...], count: int) -> None:
    """Rewrite news_weights.py as a plain literal: no numpy or JSON parsing at run time."""
    lines = [
        f'"""NewsSummarizer\'s weights: fitted by bench/train_news.py on {count} articles."""',
        "",
        "# Logistic-regression weights over raw news_features.FEATURES values (oracle labels);",
        f"# title_overlap is hand-set ({TITLE_WEIGHT}): the dev set has no headlines.",
        "WEIGHTS: dict[str, float] = {",
        *(f'    "{name}": {value!r},' for name, value in weights.items()),
        "}",
        "# Added to the first three sentences' scores: news keeps its lead unless the",
        "# evidence against it is strong (the first sentence practically always).",
        f"LEAD_BONUS: tuple[float, ...] = {bonus!r}",
        "REDUNDANCY = 0.3  # MMR: score lost per share of content stems already picked",
        "",
    ]
    WEIGHTS_FILE.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
