"""ROUGE-1/2/Lsum F1 of every summarize() method against the dev.jsonl highlights.

    .venv/bin/python bench/rouge.py [--limit N] [--methods news,lead] [--sentences 3]

Prints a markdown table (F1 x100, mean ms per article) and how often the default's
sentences differ from Lead-3's. rouge-score with use_stemmer=True; for Lsum, summary
sentences and highlights are joined with "\\n", as the rouge-score docs ask.
"""

import argparse
import json
import statistics
import time
from pathlib import Path

from rouge_score import rouge_scorer

from summaries.summarize import DEFAULT_METHOD, METHODS, summarize

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"
KEYS = ("rouge1", "rouge2", "rougeLsum")


def load(limit: int | None) -> list[dict[str, str]]:
    """The first `limit` dev articles (all by default)."""
    with DEV.open(encoding="utf-8") as lines:
        items = [json.loads(line) for line in lines]
    return items[:limit]


def evaluate(
    items: list[dict[str, str]], method: str, count: int
) -> tuple[dict[str, float], float, list[list[str]]]:
    """Mean F1 x100 per ROUGE key, mean ms per article, and the summaries."""
    scorer = rouge_scorer.RougeScorer(list(KEYS), use_stemmer=True)
    totals = dict.fromkeys(KEYS, 0.0)
    seconds = 0.0
    summaries = []
    for item in items:
        start = time.perf_counter()
        summary = summarize(item["text"], title=item.get("title", ""), sentences=count,
                            method=method)  # fmt: skip
        seconds += time.perf_counter() - start
        summaries.append(summary)
        scores = scorer.score(item["reference"], "\n".join(summary))
        for key in KEYS:
            totals[key] += scores[key].fmeasure
    n = len(items)
    return {k: 100 * v / n for k, v in totals.items()}, 1000 * seconds / n, summaries


def main() -> None:
    """Score the chosen methods and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated")
    parser.add_argument("--sentences", type=int, default=3)
    args = parser.parse_args()
    items = load(args.limit)
    methods = args.methods.split(",")
    for needed in ("lead", DEFAULT_METHOD):  # the comparison below needs both
        if needed not in methods:
            methods.insert(0, needed)
    results = {m: evaluate(items, m, args.sentences) for m in methods}
    lead = results["lead"][0]
    print(f"{len(items)} articles of {DEV.name}, {args.sentences} sentences per summary\n")
    print("| method | ROUGE-1 | ROUGE-2 | ROUGE-Lsum | vs Lead-3 (R1/R2/RLsum) | ms/article |")
    print("|---|---:|---:|---:|---|---:|")
    for method, (scores, ms, _) in results.items():
        delta = "/".join(f"{scores[k] - lead[k]:+.2f}" for k in KEYS)
        name = f"**{method}** (default)" if method == DEFAULT_METHOD else method
        cells = " | ".join(f"{scores[k]:.2f}" for k in KEYS)
        print(f"| {name} | {cells} | {delta} | {ms:.2f} |")
    news, leads = results[DEFAULT_METHOD][2], results["lead"][2]
    differ = [a != b for a, b in zip(news, leads, strict=True)]
    first = [bool(a) and bool(b) and a[0] != b[0] for a, b in zip(news, leads, strict=True)]
    # A lead-favouring proxy (wire or Daily Mail stories, where the lead carries the
    # story): score against the article's own first three sentences as the reference.
    scorer = rouge_scorer.RougeScorer(list(KEYS), use_stemmer=True)
    proxy = [scorer.score("\n".join(b), "\n".join(a)) for a, b in zip(news, leads, strict=True)]
    cells = "/".join(f"{100 * statistics.mean(p[k].fmeasure for p in proxy):.2f}" for k in KEYS)
    print(f"\nLead-favouring proxy (reference = the first three sentences; Lead-3 scores 100):"
          f" the default scores {cells} (R1/R2/RLsum).")  # fmt: skip
    moved, replaced = 100 * statistics.mean(differ), 100 * statistics.mean(first)
    print(f"\nThe default's sentences differ from Lead-3's in {moved:.1f}% of articles; "
          f"its first is not the article's first in {replaced:.1f}%.")  # fmt: skip


if __name__ == "__main__":
    main()
