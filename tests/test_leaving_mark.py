"""One way to mark a delivery as leaving: the same states, with the rate limiter or without.

The stand-in notes a delivery's state as each request starts to leave (before the mark) and
as it arrives (after it), so every step a crash could interrupt is compared, not just the end.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.digests import DigestSender
from bot.transport import request_sent
from standin import StandInRequest
from summaries.models import Draft
from tests.helpers.clock import Clock
from tests.helpers.harness import Harness, running_harness
from tests.helpers.samples import BODY, PNG

READER = 1
Steps = list[tuple[str, str, str]]  # (method, state as it starts to leave, state on arrival)


class Crash(BaseException):
    """The process dies: nothing after it runs (a BaseException, as SystemExit is)."""


@pytest.fixture(params=[True, False], ids=["limiter", "no-limiter"])
async def either(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Harness]:
    """The application with the rate limiter on (production), or off (the benchmarks)."""
    async for running in running_harness(tmp_path / "news.db", rate_limit=request.param):
        yield running


def watch(h: Harness, kind: str, crash_on: str | None = None) -> Steps:
    """Note the delivery's state at each request's two moments; `crash_on`: die on arrival."""
    steps: Steps = []
    transport = h.app.bot.request
    assert isinstance(transport, StandInRequest)
    handle: Callable[..., Any] = h.tg.handle

    def state() -> str:
        rows = h.services.deliveries.deliveries(READER, kind)
        return str(rows[0]["state"]) if rows else "-"

    def leaving() -> None:
        steps.append(("?", state(), ""))
        request_sent()

    def arriving(method: str, *args: Any, **kwargs: Any) -> Any:
        steps[-1] = (method, steps[-1][1], state())
        if method == crash_on:
            raise Crash
        return handle(method, *args, **kwargs)

    transport.on_sent = leaving
    h.tg.handle = arriving  # type: ignore[method-assign]
    return steps


def a_reader(h: Harness, *, due: bool) -> tuple[DigestSender, Clock]:
    """A subscribed reader and some news; `due`: the clock at their digest's time."""
    clock = Clock(datetime.now(UTC))
    sender = h.set_clock(clock)
    h.tg.user(READER)
    sub = h.services.subscriptions.subscribe(READER, time(8), ZoneInfo("UTC"), now=clock.now)
    h.store.add(
        Draft(title="Bridge approved", body=BODY, published_at=clock.now), now=h.services.clock()
    )
    if due:
        assert sub.due_at is not None
        clock.now = sub.due_at
    return sender, clock


def state_of(h: Harness, kind: str) -> str:
    return str(h.services.deliveries.deliveries(READER, kind)[0]["state"])


@pytest.mark.parametrize(
    ("fault", "end"),
    [
        ({}, "sent"),
        ({"status": 400}, "failed"),  # refused: it never reached a reader, and isn't retried
        ({"timeout": True}, "in-doubt"),  # Telegram acted, the answer was lost
    ],
    ids=["sent", "refused", "timed-out"],
)
async def test_a_digest_leaves_through_the_same_states(
    either: Harness, fault: dict[str, Any], end: str
) -> None:
    sender, _ = a_reader(either, due=True)
    if fault:
        either.tg.fail_next("sendMessage", **fault)
    steps = watch(either, "daily")
    await sender.run_round(either.app.bot)
    assert steps == [("sendMessage", "claimed", "sending")]  # marked only as it left
    assert state_of(either, "daily") == end


async def test_a_crash_after_the_request_left_leaves_it_in_doubt(either: Harness) -> None:
    sender, clock = a_reader(either, due=True)
    steps = watch(either, "daily", crash_on="sendMessage")
    with pytest.raises(Crash):
        await sender.run_round(either.app.bot)
    assert steps == [("sendMessage", "claimed", "sending")]
    assert state_of(either, "daily") == "sending"
    either.tg.handle = type(either.tg).handle.__get__(either.tg)  # type: ignore[method-assign]
    restarted = DigestSender(either.services, owner="restarted")  # the next process
    clock.now += timedelta(minutes=2)  # once the dead one's lease has run out
    await restarted.run_round(either.app.bot)
    assert state_of(either, "daily") == "in-doubt"  # it may have arrived: never sent twice
    assert [c.method for c in either.tg.calls if c.method == "sendMessage"] == []


async def test_breaking_news_whose_photo_is_refused_is_a_plain_claim_again(
    either: Harness,
) -> None:
    sender, _ = a_reader(either, due=False)
    either.services.subscriptions.set_flags(READER, breaking=True, now=either.services.clock())
    article = either.store.add(
        Draft(title="Flood", body=BODY, photo=PNG), now=either.services.clock()
    )
    either.services.deliveries.start_broadcast(article.id, None, now=either.services.clock())
    either.tg.fail_next("sendPhoto", 400, "Bad Request: wrong type of the web page content")
    steps = watch(either, "breaking")
    await sender.run_round(either.app.bot)
    assert steps == [
        ("sendPhoto", "claimed", "sending"),
        ("sendMessage", "claimed", "sending"),  # the refused photo was undone before this
    ]
    assert state_of(either, "breaking") == "sent"
