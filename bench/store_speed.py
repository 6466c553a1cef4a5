"""Import throughput, indexing and search latency of the article store at 100,000 articles.

    python bench/store_speed.py [--articles 100000] [--imported 2000]

Import: `ArticleStore.add` (validate + summarize + insert) on real news text, against a
baseline of raw sqlite-utils inserts of the same rows in the same run. Search: `search()`
(what `newsbot list --search` runs) over a 100,000-article database, against `latest()` as the
baseline; plus the wall time of the `newsbot list --search` command itself.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.db import Table

from summaries.article_summary import add_article
from summaries.models import Draft, to_db_time, utc_now
from summaries.search_index import reindex_if_needed
from summaries.store import ArticleStore

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"
QUERIES = ["election", "police said", "world cup", "climate change", "president obama",
           "the", "syria rebels", "new york", "apple watch", "nonexistentword"]  # fmt: skip


def texts() -> list[str]:
    with DEV.open(encoding="utf-8") as lines:
        return [json.loads(line)["text"] for line in lines]


def draft(i: int, bodies: list[str], start: datetime) -> Draft:
    body = bodies[i % len(bodies)]
    title = " ".join(body.split()[3:12]).strip(".,") or f"Story {i}"
    return Draft(title=f"{title} #{i}", body=body, url=f"https://example.org/{i}",
                 published_at=start + timedelta(minutes=i))  # fmt: skip


def table(db: Database, name: str) -> Table:
    """`db[name]`, the lookup the raw baseline has always timed, narrowed to a Table."""
    found = db[name]
    if not isinstance(found, Table):
        raise TypeError(f"{name} is a view, not a table")
    return found


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    runs: list[float] = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - began) * 1000)
    return runs


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--imported", type=int, default=2_000)
    args = parser.parse_args()
    bodies, start = texts(), datetime(2026, 1, 1, tzinfo=UTC)
    work = Path(tempfile.mkdtemp(prefix="newsbot-bench-"))

    store = ArticleStore.open(work / "news.db")
    began = time.perf_counter()
    for i in range(args.imported):
        add_article(store, draft(i, bodies, start), now=utc_now())
    add_rate = args.imported / (time.perf_counter() - began)

    raw = Database(work / "raw.db")
    rows = [{"title": f"t{i}", "body": bodies[i % len(bodies)], "published_at": str(i)}
            for i in range(args.imported)]  # fmt: skip
    began = time.perf_counter()
    for row in rows:  # one transaction per article, like add()
        table(raw, "articles").insert(row)
    raw_rate = args.imported / (time.perf_counter() - began)

    # Fill the rest directly: summarizing 100,000 articles would take the whole session,
    # and search speed does not depend on how the rows got there.
    now = to_db_time(datetime.now(UTC))
    with store.db.atomic():
        store.db.table("articles").insert_all(
            {"title": f"{' '.join(bodies[i % len(bodies)].split()[3:12])} #{i}",
             "body": bodies[i % len(bodies)], "language": "english",
             "url": f"https://example.org/{i}",
             "published_at": to_db_time(start + timedelta(minutes=i)),
             "created_at": now, "updated_at": now}
            for i in range(args.imported, args.articles)
        )  # fmt: skip
    print(f"articles in the database: {store.count()}")
    # Rows put in directly are not in the search index: index them all, as an upgrade does
    # (m015) and a change of summaries.search_words does, and time it.
    store.db.execute("DELETE FROM article_words_state")
    began = time.perf_counter()
    indexed = reindex_if_needed(store.db)
    reindex_s = time.perf_counter() - began

    random.seed(1)
    search = {q: timed(partial(store.search, q, 20), 30) for q in QUERIES}
    latest = timed(lambda: store.latest(20), 30 * len(QUERIES))
    all_search = [v for values in search.values() for v in values]

    cli = [sys.executable, "-c", "from bot.launcher import main; main()"]
    cli += ["list", "--search", "police"]
    env = {"NEWSBOT_DB": str(work / "news.db"), "PATH": "/usr/bin:/bin"}
    cli_ms = timed(lambda: subprocess.run(cli, env=env, capture_output=True, check=True), 5)
    help_ms = timed(lambda: subprocess.run([*cli[:3], "--help"], env=env, capture_output=True,
                                           check=True), 5)  # fmt: skip

    print("\n| measurement | value |\n| --- | --- |")
    print(f"| `add()` (validate, summarize, insert), articles/s | {add_rate:.0f} |")
    print(f"| baseline: raw sqlite-utils insert, rows/s | {raw_rate:.0f} |")
    print(f"| ratio add / raw | {add_rate / raw_rate:.3f} |")
    print(f"| index every article again (an upgrade), s for {indexed:,} | {reindex_s:.1f} |")
    print(f"| ... articles/s, ratio to raw inserts | {indexed / reindex_s:.0f}, "
          f"{indexed / reindex_s / raw_rate:.1f} |")  # fmt: skip
    sizes = dict(
        store.db.execute(
            "SELECT name LIKE 'article_words%', sum(pgsize) FROM dbstat GROUP BY 1"
        ).fetchall()
    )
    print(f"| database MB: the search index / all the rest (articles, summaries) | "
          f"{sizes.get(1, 0) / 1e6:.0f} / {sizes.get(0, 0) / 1e6:.0f} |")  # fmt: skip
    print(
        f"| `search()` 20 results, median ms (all queries) | {statistics.median(all_search):.2f} |"
    )
    print(f"| `search()` p99 ms | {p99(all_search):.2f} |")
    print(f"| baseline `latest()` 20 results, median ms | {statistics.median(latest):.3f} |")
    print(f"| ratio search / latest (medians) | "
          f"{statistics.median(all_search) / statistics.median(latest):.1f} |")  # fmt: skip
    cli_median = statistics.median(cli_ms)
    print(f"| `newsbot list --search police` wall time, median ms | {cli_median:.0f} |")
    print(f"| baseline `newsbot --help` wall time, median ms | {statistics.median(help_ms):.0f} |")
    print("\n| query | median ms | max ms | hits (first page) |\n| --- | --- | --- | --- |")
    for q, values in search.items():
        hits = len(store.search(q, 20))
        print(f"| {q} | {statistics.median(values):.2f} | {max(values):.2f} | {hits} |")


if __name__ == "__main__":
    main()
