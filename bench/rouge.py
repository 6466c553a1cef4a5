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

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
DATA = {"dev": ["dev.jsonl"], "train_mixed": ["train_mixed.jsonl"],
        "both": ["dev.jsonl", "train_mixed.jsonl"]}  # fmt: skip
KEYS = ("rouge1", "rouge2", "rougeLsum")
OUTLETS = {"cnn": "CNN", "dailymail": "Daily Mail"}


def load(
    data: str, limit: int | None = None, *, outlet: str | None = None, titles: bool = True
) -> list[dict[str, str]]:
    """The articles of a data set (the first `limit`), of one outlet if given."""
    items = []
    for name in DATA[data]:
        with (EVAL / name).open(encoding="utf-8") as lines:
            items += [json.loads(line) for line in lines]
    items = [item for item in items if outlet in (None, item["outlet"])]
    if not titles:
        items = [{**item, "title": ""} for item in items]
    return items[:limit]


Result = tuple[list[dict[str, float]], float, list[list[str]]]


def evaluate(items: list[dict[str, str]], method: str, count: int) -> Result:
    """Each article's F1 x100 per ROUGE key, mean ms per article, and the summaries."""
    scorer = rouge_scorer.RougeScorer(list(KEYS), use_stemmer=True)
    seconds = 0.0
    scores, summaries = [], []
    for item in items:
        start = time.perf_counter()
        summary = summarize(item["text"], title=item.get("title", ""), sentences=count,
                            method=method)  # fmt: skip
        seconds += time.perf_counter() - start
        summaries.append(summary)
        score = scorer.score(item["reference"], "\n".join(summary))
        scores.append({key: 100 * score[key].fmeasure for key in KEYS})
    return scores, 1000 * seconds / len(items), summaries


def table(results: dict[str, Result], picked: list[int], heading: str) -> None:
    """One markdown table over the picked articles: each method, and its gap to Lead-3."""
    lead = mean_scores(results["lead"], picked)
    print(f"\n{heading} ({len(picked)} articles)\n")
    print("| method | ROUGE-1 | ROUGE-2 | ROUGE-Lsum | vs Lead-3 (R1/R2/RLsum) | ms/article |")
    print("|---|---:|---:|---:|---|---:|")
    for method, result in results.items():
        scores = mean_scores(result, picked)
        delta = "/".join(f"{scores[k] - lead[k]:+.2f}" for k in KEYS)
        name = f"**{method}** (default)" if method == DEFAULT_METHOD else method
        cells = " | ".join(f"{scores[k]:.2f}" for k in KEYS)
        print(f"| {name} | {cells} | {delta} | {result[1]:.2f} |")


def mean_scores(result: Result, picked: list[int]) -> dict[str, float]:
    """Mean F1 x100 per key over the picked articles."""
    return {k: statistics.mean(result[0][i][k] for i in picked) for k in KEYS}


def main() -> None:
    """Score the chosen methods and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", choices=sorted(DATA), default="dev")
    parser.add_argument("--outlet", choices=sorted(OUTLETS), default=None)
    parser.add_argument("--no-titles", action="store_true", help="drop the headlines")
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated")
    parser.add_argument("--sentences", type=int, default=3)
    args = parser.parse_args()
    items = load(args.data, args.limit, outlet=args.outlet, titles=not args.no_titles)
    methods = args.methods.split(",")
    for needed in ("lead", DEFAULT_METHOD):  # the comparison below needs both
        if needed not in methods:
            methods.insert(0, needed)
    results = {m: evaluate(items, m, args.sentences) for m in methods}
    titled = sum(bool(item.get("title")) for item in items)
    print(f"{len(items)} articles of {args.data} ({titled} with a headline), "
          f"{args.sentences} sentences per summary")  # fmt: skip
    table(results, list(range(len(items))), "All")
    for outlet, name in OUTLETS.items():
        picked = [i for i, item in enumerate(items) if item["outlet"] == outlet]
        if 0 < len(picked) < len(items):
            table(results, picked, name)
    news, leads = results[DEFAULT_METHOD][2], results["lead"][2]
    differ = [a != b for a, b in zip(news, leads, strict=True)]
    first = [bool(a) and bool(b) and a[0] != b[0] for a, b in zip(news, leads, strict=True)]
    moved, replaced = 100 * statistics.mean(differ), 100 * statistics.mean(first)
    print(f"\nThe default's sentences differ from Lead-3's in {moved:.1f}% of articles; "
          f"its first is not the article's first in {replaced:.1f}%.")  # fmt: skip


if __name__ == "__main__":
    main()
