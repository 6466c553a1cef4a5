"""What language detection and the news default do outside English, on text we have offline.

    .venv/bin/python -m bench.languages [--limit N]   # from the project root: reads tests/

There is no non-English evaluation set with reference summaries here, so no ROUGE outside
English can be measured. This prints what can be: (1) how py3langid, as
summaries.languages asks it, tells the dev set's English articles and headlines (wrong,
unsure) and how fast; (2) on the news paragraphs of tests/test_languages.py, whether each
language is told, and how often the English-fitted news model, forced onto that language,
would pick other sentences than Lead-3 (the default there is Lead-3 itself).
"""

import argparse
import json
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from summaries import languages
from summaries.languages import DETECT_CHARS, detect_language
from summaries.summarize import prepare, shared_summarizer
from summaries.tokenizer import SUPPORTED_LANGUAGES
from tests.test_languages import news_in

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"
PICKS = 3


def dev_detection(limit: int) -> None:
    """English articles and headlines: told English, told wrong, or not told."""
    with DEV.open(encoding="utf-8") as lines:
        items = [json.loads(line) for line, _ in zip(lines, range(limit), strict=False)]
    started = time.perf_counter()
    languages._identifier()
    print(f"model load: {(time.perf_counter() - started) * 1000:.0f} ms")
    for what, texts in (
        ("articles (headline + body)", [f"{i['title']}\n{i['text']}" for i in items]),
        ("headlines alone", [i["title"] for i in items]),
    ):
        times, told = [], []
        for text in texts:
            started = time.perf_counter()
            told.append(detect_language(text[:DETECT_CHARS]))
            times.append(time.perf_counter() - started)
        wrong = sum(1 for t in told if t not in (None, "english"))
        unsure = told.count(None)
        print(
            f"dev {what}: {len(texts)}, English {told.count('english')}, unsure {unsure} "
            f"(stored as English), wrong {wrong}; {statistics.mean(times) * 1000:.2f} ms each"
        )


def forced_news(language: str) -> list[int]:
    """The English-fitted news model's top picks on a language's paragraph, forced."""
    document, _ = prepare(news_in(language), "", language)
    ranked: list[Any] = []

    def keep_all(infos: Sequence[Any]) -> Sequence[Any]:  # sumy passes infos best first
        ranked.extend(infos)
        return infos

    shared_summarizer("news", language)(document, keep_all)
    return sorted(info.order for info in ranked[:PICKS])


def languages_table() -> None:
    """Per supported language: told from its paragraph, and news-forced vs Lead-3."""
    print("\n| language | told as | forced news top-3 | = Lead-3 |")
    print("| --- | --- | --- | --- |")
    for language in SUPPORTED_LANGUAGES:
        told = detect_language(news_in(language))
        picks = forced_news(language)
        lead = list(range(min(PICKS, len(picks))))
        print(f"| {language} | {told} | {picks} | {'yes' if picks == lead else 'no'} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=1000, help="dev articles to read")
    args = parser.parse_args()
    dev_detection(args.limit)
    languages_table()


if __name__ == "__main__":
    main()
