"""Updates from different chats run at once; one chat's run one after another, in order."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from telegram import Update

from bot.app import build_application
from bot.config import Settings
from bot.update_order import PerChatUpdateProcessor, order_key
from standin import FakeTelegram, StandInRequest


def message(update_id: int, chat_id: int) -> Update:
    return Update.de_json(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 0,
                "chat": {"id": chat_id, "type": "private"},
                "from": {"id": chat_id, "is_bot": False, "first_name": "Ada"},
                "text": "/latest",
            },
        },
        None,
    )


async def test_a_slow_chat_does_not_hold_up_another() -> None:
    processor = PerChatUpdateProcessor()
    release, log = asyncio.Event(), list[str]()

    async def slow() -> None:
        await release.wait()
        log.append("slow")

    async def quick() -> None:
        log.append("quick")

    async with processor:
        waiting = asyncio.create_task(processor.process_update(message(1, 10), slow()))
        await asyncio.wait_for(processor.process_update(message(2, 20), quick()), timeout=1)
        assert log == ["quick"]  # chat 20 was answered while chat 10 still waited
        release.set()
        await waiting
    assert log == ["quick", "slow"]


async def test_one_chat_is_handled_in_order_one_at_a_time() -> None:
    processor, log, busy = PerChatUpdateProcessor(), list[int](), [0]

    async def handle(n: int) -> None:
        busy[0] += 1
        assert busy[0] == 1  # never two of this chat's updates at once
        await asyncio.sleep(0.01 * (5 - n))  # the first is the slowest: still first to finish
        log.append(n)
        busy[0] -= 1

    async with processor:
        await asyncio.gather(
            *(processor.process_update(message(n, 10), handle(n)) for n in range(5))
        )
    assert log == [0, 1, 2, 3, 4]
    assert processor._queues == {}  # finished chats are forgotten: no growth over months


async def test_a_failing_update_does_not_block_its_chat() -> None:
    processor = PerChatUpdateProcessor()

    async def fail() -> None:
        raise RuntimeError("handler bug")

    async def ok() -> str:
        return "ok"

    async with processor:
        results = await asyncio.gather(
            processor.process_update(message(1, 10), fail()),
            processor.process_update(message(2, 10), ok()),
            return_exceptions=True,
        )
    assert isinstance(results[0], RuntimeError)
    assert results[1] is None
    assert processor._queues == {}


def test_updates_are_keyed_by_chat_then_user() -> None:
    assert order_key(message(1, 10)) == 10
    inline: dict[str, Any] = {
        "update_id": 3,
        "inline_query": {
            "id": "q",
            "from": {"id": 7, "is_bot": False, "first_name": "Bo"},
            "query": "rome",
            "offset": "",
        },
    }
    assert order_key(Update.de_json(inline, None)) == 7
    assert order_key(object()) is None


def test_the_application_uses_it(tmp_path: Path) -> None:
    telegram = FakeTelegram()
    app = build_application(
        Settings(token=telegram.token, db_path=tmp_path / "news.db"),
        request=StandInRequest(telegram),
    )
    assert isinstance(app.update_processor, PerChatUpdateProcessor)
    app.bot_data["services"].store.close()


async def test_a_burst_in_one_chat_does_not_hold_every_slot() -> None:
    processor, log = PerChatUpdateProcessor(max_concurrent_updates=2), list[str]()
    release = asyncio.Event()

    async def busy(n: int) -> None:
        await release.wait()
        log.append(f"busy {n}")

    async def quick() -> None:
        log.append("quick")

    async with processor:
        burst = [
            asyncio.create_task(processor.process_update(message(n, 10), busy(n)))
            for n in range(8)
        ]
        await asyncio.sleep(0)
        await asyncio.wait_for(processor.process_update(message(99, 20), quick()), timeout=1)
        assert log == ["quick"]  # chat 20 went first: chat 10's queue holds one slot, not eight
        release.set()
        await asyncio.gather(*burst)
    assert log == ["quick", *(f"busy {n}" for n in range(8))]


async def test_an_update_cancelled_while_waiting_is_closed_and_forgotten() -> None:
    processor, release = PerChatUpdateProcessor(), asyncio.Event()

    async def first() -> None:
        await release.wait()

    async def never() -> None:
        raise AssertionError("a cancelled update must not run")

    async with processor:
        running = asyncio.create_task(processor.process_update(message(1, 10), first()))
        waiting = asyncio.create_task(processor.process_update(message(2, 10), never()))
        await asyncio.sleep(0)
        waiting.cancel()
        release.set()
        await running
        await asyncio.gather(waiting, return_exceptions=True)
    assert processor._queues == {}
