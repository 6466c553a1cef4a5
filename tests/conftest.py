"""Fixtures only: an in-memory store, the shared wire story, the running application.

What tests share besides fixtures lives in tests/helpers/; no test module imports this one.
"""

from __future__ import annotations

import os
import signal
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from telegram import Bot

from standin import FakeTelegram, StandInRequest
from summaries.store import ArticleStore
from tests.helpers.clock import STANDIN_START
from tests.helpers.harness import Harness, running_harness
from tests.helpers.samples import FIXTURE_ARTICLE, SHARED

# PTB 22 warns on RetryAfter.retry_after as an int, and warnings are errors here.
os.environ.setdefault("PTB_TIMEDELTA", "1")

if not (SHARED / "fixtures").is_dir() or not (SHARED / "eval").is_dir():
    pytest.exit(
        f"the tests read real articles from {SHARED} (fixtures/ and eval/ beside this checkout, "
        "as CI provides them); put a copy there and run them again",
        returncode=4,
    )
# A shell that starts `make test &` hands its children Ctrl-C ignored; the tests that send one
# need it to count, or they wait for a process that never stops.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture
def store() -> Iterator[ArticleStore]:
    """A fresh store in memory."""
    store = ArticleStore.open(":memory:")
    yield store
    store.close()


@pytest.fixture
def fixture_article() -> tuple[str, str]:
    """(headline, body) of the shared wire story about a photo."""
    title, _, body = FIXTURE_ARTICLE.read_text(encoding="utf-8").partition("\n")
    return title.strip(), body.strip()


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    """The real application against the in-process Bot API stand-in."""
    async for running in running_harness(tmp_path / "news.db"):
        yield running


@pytest.fixture
def standin_tg() -> FakeTelegram:
    """The stand-in at a fixed time (tests turn it with `advance`): chats, rights, pace."""
    return FakeTelegram(clock=lambda: STANDIN_START)


@pytest.fixture
async def standin_bot(standin_tg: FakeTelegram) -> AsyncIterator[Bot]:
    """python-telegram-bot's Bot talking to `standin_tg` in process."""
    request = StandInRequest(standin_tg, long_poll=False)
    async with Bot(standin_tg.token, request=request, get_updates_request=request) as bot:
        yield bot
