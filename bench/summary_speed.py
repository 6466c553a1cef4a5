"""Time per article of every summarize() method at 20, 100 and 500 sentences.

    .venv/bin/python bench/summary_speed.py [--repeats 5] [--methods news,lead] [--sizes 20,500]

Articles are dev.jsonl sentences concatenated in order, cut to the size. Each cell is the
median of the repeats (the biggest size gets at most 3, since the centrality methods are
quadratic); lead runs in the same process as the baseline, so ratios on a noisy shared
machine compare like with like. Growth ratios: time(100) / time(20), time(500) / time(100);
a linear method is near 5.
"""

import argparse
import itertools
import json
import statistics
import time
from pathlib import Path

from summaries.summarize import METHODS, summarize
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


def seconds(text: str, method: str, repeats: int) -> float:
    """Median wall time of summarize(text) over `repeats` runs, after one warm-up."""
    summarize(text, method=method)  # caches: stemmer, stop words, Punkt model
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        summarize(text, method=method)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Time the chosen methods and print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--sizes", default="20,100,500")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    texts = {size: article(size) for size in sizes}
    methods = args.methods.split(",")
    if "lead" not in methods:
        methods.insert(0, "lead")
    head = " | ".join(f"{n} sentences" for n in sizes)
    ratios = [f"{b}/{a}" for a, b in itertools.pairwise(sizes)]
    print(f"| method | {head} | growth {' , '.join(ratios)} |")
    print("|---|" + "---:|" * len(sizes) + "---|")
    for method in methods:
        times = [seconds(texts[n], method, args.repeats if n < 500 else min(args.repeats, 3))
                 for n in sizes]  # fmt: skip
        cells = " | ".join(f"{1000 * t:.1f} ms" for t in times)
        growth = " , ".join(f"x{b / a:.1f}" for a, b in itertools.pairwise(times))
        print(f"| {method} | {cells} | {growth} |", flush=True)


if __name__ == "__main__":
    main()
