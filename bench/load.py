"""Load: 200 readers at once for 60 s against the real `newsbot run`, next to an echo bot.

    python bench/load.py [--api-latency MS] [--readers 200] [--seconds 60] [--articles 1000]
                         [--bots newsbot,echo] [--echo-concurrent-updates N]

Each bot runs as its own process, polling a fresh Bot API stand-in (standin/server.py)
served over HTTP from this process: newsbot as in production with NEWSBOT_RATE_LIMIT=0, and
bench/echo_bot.py, a minimal python-telegram-bot echo bot (no rate limiter either).
Each reader is a closed loop: send a command, wait for the bot's first message to its chat,
think 0.5-1.5 s, repeat; all of them send their first command together. Commands and think
times come from a seeded generator per reader, so both bots get the same sequences: 30%
/read N, 20% /latest, 20% searches (/search or plain words), 15% /help, 15% /start.
With 1 s of thinking on average, 200 readers can ask for at most ~200 replies/s.
Latency runs from the moment the stand-in queues the update to the moment it receives the
reply; a reply later than 30 s, or none at all, is a timeout, counted and never dropped.
The bot's RSS is sampled every 0.5 s from /proc, its CPU time read before and after.
`--api-latency` adds Telegram's network round trip to every Bot API call (getUpdates too).

The stand-in and the readers share this process and the machine's cores with the bot, and
cost CPU of their own; that cost is the same for both bots, so the ratio stays fair.
"""

from __future__ import annotations

import argparse
import heapq
import json
import math
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from telegram.ext import ApplicationBuilder

from bot.app import build_application
from bot.config import Settings
from standin import FakeTelegram
from summaries.article_summary import add_article
from summaries.models import Draft, utc_now
from summaries.store import ArticleStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ is not an installed package
from standin.server import BotApiServer

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"
ECHO_BOT = Path(__file__).resolve().with_name("echo_bot.py")
SEARCHES = ["police", "election", "world cup", "president", "hospital", "football team"]
TIMEOUT = 30.0  # seconds: a reader who waited longer counts as a timeout
WINDOW = 10.0  # seconds: latency is also shown per window, to see a bot fall behind
RSS_EVERY = 0.5


@dataclass(frozen=True, slots=True)
class Outcome:
    """One command: when it was sent (seconds into the run) and how long its reply took."""

    kind: str
    sent: float
    latency: float | None  # None: no reply ever came


@dataclass
class Run:
    """What one bot did under the load."""

    name: str
    outcomes: list[Outcome]
    unmatched: int  # bot messages to a reader who was not waiting (a second message)
    rss_mb: list[float]
    idle_rss_mb: float
    bot_cpu: float
    bench_cpu: float
    exit_code: int
    log: list[str]  # the bot's own output (warnings and errors only)
    load_average: float  # the machine's, over the last minute of the run: other work shows here
    answered: list[float] = field(init=False)

    def __post_init__(self) -> None:
        self.answered = sorted(o.latency for o in self.outcomes if o.latency is not None)

    @property
    def timeouts(self) -> int:
        """Commands answered after TIMEOUT seconds, or never."""
        return sum(o.latency is None or o.latency > TIMEOUT for o in self.outcomes)


def command(rng: random.Random, article_ids: Sequence[int]) -> tuple[str, str]:
    """A reader's next command: (kind, text)."""
    roll = rng.random()
    if roll < 0.30:
        return "/read", f"/read {rng.choice(article_ids)}"
    if roll < 0.50:
        return "/latest", "/latest"
    if roll < 0.70:
        words = rng.choice(SEARCHES)
        return "search", f"/search {words}" if rng.random() < 0.5 else words
    if roll < 0.85:
        return "/help", "/help"
    return "/start", "/start"


class Readers:
    """Closed-loop readers driven from one thread; replies arrive through the server's hook."""

    def __init__(
        self, telegram: FakeTelegram, count: int, article_ids: Sequence[int], seed: int
    ) -> None:
        self.users = {chat: telegram.user(chat) for chat in range(10_001, 10_001 + count)}
        self.rngs = {chat: random.Random(f"{seed}:{chat}") for chat in self.users}
        self.article_ids = article_ids
        self.wake = threading.Condition()
        self.waiting: dict[int, tuple[str, float]] = {}  # chat -> (kind, queued at)
        self.due: list[tuple[float, int]] = []  # heap of (send at, chat)
        self.outcomes: list[Outcome] = []
        self.unmatched = 0
        self.started = 0.0
        self.sending = False

    def on_call(self, method: str, params: dict[str, Any], status: int) -> None:
        """The server's hook: a message to a waiting reader is their reply."""
        kind = method.lower()
        if status != 200 or not kind.startswith("send") or kind == "sendchataction":
            return
        now = time.monotonic()
        chat = int(params.get("chat_id", 0))
        with self.wake:
            pending = self.waiting.pop(chat, None)
            if pending is None:
                self.unmatched += chat in self.users
                return
            self.outcomes.append(Outcome(pending[0], pending[1] - self.started, now - pending[1]))
            if self.sending:
                heapq.heappush(self.due, (now + self.rngs[chat].uniform(0.5, 1.5), chat))
            self.wake.notify_all()  # the sender, or the final wait for owed replies

    def run(self, seconds: float) -> list[Outcome]:
        """Send for `seconds`, then wait (up to TIMEOUT) for the replies still owed."""
        self.started = time.monotonic()
        end = self.started + seconds
        with self.wake:
            self.sending = True
            self.due = [(self.started, chat) for chat in self.users]  # all at once
        while (ready := self._next_ready(end)) is not None:
            for chat in ready:
                kind, text = command(self.rngs[chat], self.article_ids)
                with self.wake:
                    self.waiting[chat] = (kind, time.monotonic())
                self.users[chat].sends(text)
        with self.wake:
            self.sending = False
            self.wake.wait_for(lambda: not self.waiting, timeout=TIMEOUT)
            for kind, sent in self.waiting.values():
                self.outcomes.append(Outcome(kind, sent - self.started, None))
            self.waiting.clear()
            return list(self.outcomes)

    def _next_ready(self, end: float) -> list[int] | None:
        """The readers whose think time is over (waiting for one); None when time is up."""
        with self.wake:
            while (now := time.monotonic()) < end:
                ready = []
                while self.due and self.due[0][0] <= now:
                    ready.append(heapq.heappop(self.due)[1])
                if ready:
                    return ready
                self.wake.wait(min(self.due[0][0] if self.due else end, end) - now)
            return None


def seed_articles(db: Path, count: int) -> list[int]:
    """Store `count` news articles (summaries are computed as they are stored: ~90/s)."""
    store = ArticleStore.open(db)
    ids = []
    with DEV.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number == count:
                break
            text = json.loads(line)["text"]
            title = " ".join(text.split()[:8])
            ids.append(add_article(store, Draft(title=title, body=text), now=utc_now()).id)
    store.close()
    return ids


def update_processing(db: Path, echo_concurrency: int) -> dict[str, str]:
    """How each bot handles updates: its update processor, as built from the code on disk."""
    token = FakeTelegram().token
    newsbot = build_application(Settings(token=token, db_path=db, rate_limit=False))
    newsbot.bot_data["services"].store.close()
    echo = ApplicationBuilder().token(token).concurrent_updates(echo_concurrency or False).build()
    modes = {}
    for name, app in (("newsbot", newsbot), ("echo", echo)):
        processor = app.update_processor
        at_once = getattr(processor, "handling", processor.max_concurrent_updates)
        modes[name] = f"{type(processor).__name__}, {at_once} at once"
    return modes


def start_bot(
    name: str, server: BotApiServer, db: Path, log: IO[bytes], echo_concurrency: int = 0
) -> subprocess.Popen[bytes]:
    """`newsbot run` or the echo bot, polling the stand-in; output to `log`, never a pipe."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "TELEGRAM_"))}
    env |= {
        "TELEGRAM_BOT_TOKEN": server.telegram.token,
        "TELEGRAM_BASE_URL": server.base_url,
        "TELEGRAM_BASE_FILE_URL": server.base_file_url,
        "NEWSBOT_DB": str(db),
        "NEWSBOT_LOG_LEVEL": "WARNING",
        "NEWSBOT_RATE_LIMIT": "0",
        "NEWSBOT_DIGEST_INTERVAL": "60",
    }
    if name == "newsbot":
        argv = [sys.executable, "-c", "from bot.launcher import main; main()", "run"]
    else:
        argv = [sys.executable, str(ECHO_BOT)]
        if echo_concurrency:
            env["ECHO_CONCURRENT_UPDATES"] = str(echo_concurrency)
    return subprocess.Popen(argv, env=env, cwd=db.parent, stdout=log, stderr=subprocess.STDOUT)


def rss_mb(pid: int) -> float:
    """Resident memory now (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return math.nan


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time so far (utime + stime in /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 30) -> None:
    """Poll `condition` until it holds; RuntimeError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.05)


class RssSampler(threading.Thread):
    """The process's RSS every RSS_EVERY seconds until stopped, and once more at the end."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.samples, self.done = pid, [rss_mb(pid)], threading.Event()

    def run(self) -> None:
        """Sample until stop()."""
        while not self.done.wait(RSS_EVERY):
            self.samples.append(rss_mb(self.pid))

    def stop(self) -> list[float]:
        """Stop sampling; every sample, the last taken now."""
        self.done.set()
        self.join()
        self.samples.append(rss_mb(self.pid))
        return self.samples


def measure(name: str, args: argparse.Namespace, db: Path, article_ids: Sequence[int]) -> Run:
    """One bot under the load, against its own fresh stand-in."""
    telegram = FakeTelegram()
    readers = Readers(telegram, args.readers, article_ids, args.seed)
    log_path = db.with_name(f"{name}.log")
    with (
        BotApiServer(telegram, latency=args.api_latency / 1000, on_call=readers.on_call) as server,
        log_path.open("wb") as log,
    ):
        bot = start_bot(name, server, db, log, args.echo_concurrent_updates)
        try:
            wait_for(lambda: bool(telegram.successful("getUpdates")), f"{name} to poll")
            time.sleep(2)  # start-up work (newsbot's first digest look) done before the load
            idle, sampler = rss_mb(bot.pid), RssSampler(bot.pid)
            bot_cpu, bench_cpu = cpu_seconds(bot.pid), time.process_time()
            sampler.start()
            outcomes = readers.run(args.seconds)
            bot_cpu, bench_cpu = cpu_seconds(bot.pid) - bot_cpu, time.process_time() - bench_cpu
            load_average, samples = os.getloadavg()[0], sampler.stop()
            bot.send_signal(signal.SIGTERM)
            code = bot.wait(timeout=30)
        finally:
            if bot.poll() is None:
                bot.kill()
                bot.wait()
    log_lines = log_path.read_text(errors="replace").splitlines()
    return Run(
        name, outcomes, readers.unmatched, samples, idle, bot_cpu, bench_cpu, code, log_lines,
        load_average,
    )  # fmt: skip


def pct(values: Sequence[float], q: float) -> float:
    """The q-th quantile (0-1) by nearest rank, in ms; NaN for no values."""
    if not values:
        return math.nan
    return values[min(len(values) - 1, max(0, math.ceil(q * len(values)) - 1))] * 1000


def latencies(
    run: Run, kind: str | None = None, sent_from: float = 0, sent_before: float = math.inf
) -> list[float]:
    """The answered commands' latencies (seconds, sorted), of one kind or sent in a window."""
    return sorted(
        o.latency
        for o in run.outcomes
        if o.latency is not None and kind in (None, o.kind) and sent_from <= o.sent < sent_before
    )


def table(heads: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Print a markdown table."""
    print("| " + " | ".join(heads) + " |\n" + "|---" * len(heads) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


SUMMARY = {  # column: format
    "replies": "{:.0f}", "replies/s": "{:.0f}", "median ms": "{:.1f}", "p90 ms": "{:.1f}",
    "p99 ms": "{:.1f}", "max ms": "{:.0f}", f"timeouts (>{TIMEOUT:g} s)": "{:.0f}",
    "peak RSS MB": "{:.1f}", "end RSS MB": "{:.1f}", "bot CPU s": "{:.1f}",
    "CPU ms/reply": "{:.2f}",
}  # fmt: skip


def summary(run: Run, seconds: float) -> list[float]:
    """The SUMMARY columns' values for one bot (replies/s counts replies within the run)."""
    within = sum(o.latency is not None and o.sent + o.latency <= seconds for o in run.outcomes)
    a = run.answered
    return [
        len(a), within / seconds, pct(a, 0.5), pct(a, 0.9), pct(a, 0.99), pct(a, 1.0),
        run.timeouts, max(run.rss_mb), run.rss_mb[-1], run.bot_cpu,
        run.bot_cpu * 1000 / max(len(a), 1),
    ]  # fmt: skip


def report(
    runs: list[Run], args: argparse.Namespace, modes: dict[str, str], articles: int
) -> None:
    """Summary with the newsbot/echo ratios, then latency per 10 s window and per command."""
    print(
        f"\n{args.readers} readers, {args.seconds:g} s, API round trip {args.api_latency:g} ms, "
        f"{articles} articles\n"
    )
    for run in runs:
        print(
            f"- {run.name}: {modes[run.name]}; idle RSS {run.idle_rss_mb:.1f} MB; "
            f"exit code {run.exit_code}; {len(run.log)} log lines; "
            f"messages besides the first reply: {run.unmatched}; "
            f"stand-in and readers used {run.bench_cpu:.1f} s CPU; "
            f"load average {run.load_average:.2f} at the end"
        )
    values = {run.name: summary(run, args.seconds) for run in runs}
    rows = [[name, *(f.format(v) for f, v in zip(SUMMARY.values(), row, strict=True))]
            for name, row in values.items()]  # fmt: skip
    if {"newsbot", "echo"} <= values.keys():
        pairs = zip(values["newsbot"], values["echo"], strict=True)
        rows.append(["newsbot/echo", *(f"{n / e:.2f}" if e else "–" for n, e in pairs)])
    print()
    table(["bot", *SUMMARY], rows)

    print("\nLatency (ms) by when the command was sent:\n")
    heads = ["sent"] + [
        f"{run.name} {col}" for run in runs for col in ("replies", "median", "p99")
    ]
    rows = []
    for start in range(0, math.ceil(args.seconds), int(WINDOW)):
        row = [f"{start}-{start + int(WINDOW)} s"]
        for run in runs:
            got = latencies(run, sent_from=start, sent_before=start + WINDOW)
            row += [str(len(got)), f"{pct(got, 0.5):.1f}", f"{pct(got, 0.99):.1f}"]
        rows.append(row)
    table(heads, rows)

    print("\nLatency (ms) by command:\n")
    heads = ["command"] + [f"{run.name} {col}" for run in runs for col in ("n", "median", "p99")]
    rows = []
    for kind in ["/read", "/latest", "search", "/help", "/start"]:
        row = [kind]
        for run in runs:
            got = latencies(run, kind)
            row += [str(len(got)), f"{pct(got, 0.5):.1f}", f"{pct(got, 0.99):.1f}"]
        rows.append(row)
    table(heads, rows)
    for run in runs:
        if run.exit_code != 0 or run.timeouts:
            print(f"\n{run.name}'s log, last lines:", *run.log[-15:], sep="\n")


def main() -> None:
    """Seed the articles, load each bot in turn, print the tables."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--api-latency", type=float, default=0, metavar="MS",
                        help="network round trip added to each Bot API call")  # fmt: skip
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--bots", default="newsbot,echo", help="which to run, in order")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--echo-concurrent-updates", type=int, default=0, metavar="N",
        help="the echo bot handles N updates at once (default 0: one by one, as PTB does)",
    )  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsbot-load-") as work:
        db = Path(work) / "news.db"
        began = time.perf_counter()
        article_ids = seed_articles(db, args.articles)
        took = time.perf_counter() - began
        print(f"seeded {len(article_ids)} articles in {took:.0f} s", flush=True)
        modes = update_processing(db, args.echo_concurrent_updates)
        runs = []
        for name in args.bots.split(","):
            print(f"loading {name} ({modes[name]}) for {args.seconds:g} s...", flush=True)
            runs.append(measure(name, args, db, article_ids))
    report(runs, args, modes, len(article_ids))


if __name__ == "__main__":
    main()
