"""Time per article of every summarize() method at 30, 100 and 500 sentences, against Lead-3.

    .venv/bin/python bench/summary_speed.py [--repeats 5] [--methods news,lead] [--sizes 30,500]

Articles are dev.jsonl sentences concatenated in order, cut to the size. Each cell is the
fastest of the repeats (the biggest size gets at most 3, since the centrality methods are
quadratic): on a shared machine a call longer than the scheduler's slice is often preempted
(news on 100 sentences took 5 or 9 ms, lead never doubled), so a median would inflate the
slower method's ratio. The repeats take turns, each running every method once, lead first,
and "x lead" (time / lead's time, per size) compares like with like. "us/sentence" is the
time over the sentence count: flat when the method is linear. A size above a method's
MAX_SENTENCES is refused there, shown as "-".
"""

import argparse
import json
import time
from pathlib import Path

from summaries.summarize import MAX_SENTENCES, METHODS, summarize
from summaries.tokenizer import split_sentences

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"


def article(size: int) -> str:
    """The first `size` sentences of the dev articles, one after another."""
    sentences: list[str] = []
    with DEV.open(encoding="utf-8") as lines:
        for line in lines:
            sentences.extend(split_sentences(json.loads(line)["text"]))
            if len(sentences) >= size:
                break
    return " ".join(sentences[:size])


def runs(text: str, size: int, methods: list[str], repeats: int) -> dict[str, float]:
    """Fastest wall time of summarize(text) per method, the methods taking turns."""
    methods = [m for m in methods if size <= MAX_SENTENCES.get(m, size)]
    for method in methods:  # warm-up: stemmer, stop words, Punkt model, summarizer
        summarize(text, method=method)
    times: dict[str, list[float]] = {m: [] for m in methods}
    for _ in range(repeats):
        for method in methods:
            start = time.perf_counter()
            summarize(text, method=method)
            times[method].append(time.perf_counter() - start)
    return {m: min(t) for m, t in times.items()}


def main() -> None:
    """Time the chosen methods and print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--sizes", default="30,100,500")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    methods = ["lead"] + [m for m in args.methods.split(",") if m != "lead"]
    timed = {}
    for size in sizes:
        repeats = args.repeats if size < 500 else min(args.repeats, 3)
        timed[size] = runs(article(size), size, methods, repeats)
    per_size = " / ".join(map(str, sizes))
    head = " | ".join(f"{n} sentences" for n in sizes)
    print(f"| method | {head} | x lead ({per_size}) | us/sentence ({per_size}) |")
    print("|---|" + "---:|" * len(sizes) + "---|---|")
    for method in methods:
        cells, ratios, costs = [], [], []
        for n in sizes:
            took = timed[n].get(method)
            cells.append("-" if took is None else f"{1000 * took:.1f} ms")
            ratios.append("-" if took is None else f"x{took / timed[n]['lead']:.1f}")
            costs.append("-" if took is None else f"{1e6 * took / n:.0f}")
        print(f"| {method} | {' | '.join(cells)} | {' / '.join(ratios)} | {' / '.join(costs)} |")


if __name__ == "__main__":
    main()
