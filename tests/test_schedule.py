"""Due times across DST for several zones, with the clock in the test's hands."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from summaries.schedule import (
    Due,
    ScheduleError,
    catch_up,
    due_on,
    first_due,
    following_due,
    parse_time_of_day,
)

BERLIN, NEW_YORK = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")
SYDNEY, KOLKATA, CHATHAM = (
    ZoneInfo("Australia/Sydney"),
    ZoneInfo("Asia/Kolkata"),
    ZoneInfo("Pacific/Chatham"),
)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected_utc"),
    [
        (BERLIN, date(2026, 1, 15), time(8), utc(2026, 1, 15, 7)),  # winter, UTC+1
        (BERLIN, date(2026, 7, 15), time(8), utc(2026, 7, 15, 6)),  # summer, UTC+2
        (BERLIN, date(2026, 3, 29), time(2, 30), utc(2026, 3, 29, 1)),  # gap: 03:00 CEST
        (BERLIN, date(2026, 10, 25), time(2, 30), utc(2026, 10, 25, 0, 30)),  # twice: the first
        (NEW_YORK, date(2026, 3, 8), time(2, 15), utc(2026, 3, 8, 7)),  # gap: 03:00 EDT
        (NEW_YORK, date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 5, 30)),  # first 01:30 EDT
        (SYDNEY, date(2026, 10, 4), time(2, 30), utc(2026, 10, 3, 16)),  # gap: 03:00 AEDT
        (SYDNEY, date(2026, 4, 5), time(2, 30), utc(2026, 4, 4, 15, 30)),  # first 02:30 AEDT
        (KOLKATA, date(2026, 3, 29), time(7, 30), utc(2026, 3, 29, 2)),  # no DST, UTC+5:30
        (CHATHAM, date(2026, 9, 27), time(2, 50), utc(2026, 9, 26, 14)),  # gap 02:45->03:45
        (CHATHAM, date(2026, 4, 5), time(3, 0), utc(2026, 4, 4, 13, 15)),  # first 03:00 +13:45
    ],
)
def test_due_on(zone: ZoneInfo, day: date, at: time, expected_utc: datetime) -> None:
    assert due_on(day, at, zone) == expected_utc


@pytest.mark.parametrize("zone", [BERLIN, NEW_YORK, SYDNEY, KOLKATA, CHATHAM])
@pytest.mark.parametrize("at", [time(0, 0), time(1, 30), time(2, 30), time(3, 0), time(8, 0)])
def test_a_year_of_digests_is_one_a_local_day_never_early(zone: ZoneInfo, at: time) -> None:
    due = first_due(at, zone, utc(2026, 1, 1))
    days = []
    for _ in range(400):  # through both transitions of a whole year
        local = due.at.astimezone(zone)
        assert local.date() == due.day  # delivered on its own local day
        assert local.time() >= at  # never before the chosen time
        assert local.time() <= (datetime.combine(due.day, at) + timedelta(hours=1)).time() or (
            at.hour >= 23
        )  # at most the length of a gap later
        days.append(due.day)
        due = following_due(due.day, at, zone)
    assert days == [days[0] + timedelta(days=i) for i in range(400)]  # every day, once


def test_subscribing_after_todays_time_starts_tomorrow() -> None:
    now = utc(2026, 11, 25, 9)  # 10:00 in Berlin
    assert first_due(time(8), BERLIN, now).day == date(2026, 11, 26)
    assert first_due(time(11), BERLIN, now).day == date(2026, 11, 25)
    assert first_due(time(10), BERLIN, now).day == date(2026, 11, 26)  # not "now": it's past


def test_subscribing_from_a_zone_already_in_tomorrow() -> None:
    now = utc(2026, 11, 25, 20)  # 09:00 next day in Chatham (UTC+13:45)
    due = first_due(time(10), CHATHAM, now)
    assert due.day == date(2026, 11, 26)
    assert due.at == utc(2026, 11, 25, 20, 15)


def test_fall_back_day_is_one_digest() -> None:
    due = first_due(time(2, 30), BERLIN, utc(2026, 10, 24, 12))
    assert due.day == date(2026, 10, 25)
    nxt = following_due(due.day, time(2, 30), BERLIN)
    assert nxt.day == date(2026, 10, 26)  # not the second 02:30 an hour later


def test_catch_up_same_day_only() -> None:
    due = first_due(time(8), BERLIN, utc(2026, 11, 24, 12))  # 25 Nov 07:00 UTC
    assert catch_up(due, time(8), BERLIN, utc(2026, 11, 25, 15)) is None  # same local day
    today = catch_up(due, time(8), BERLIN, utc(2026, 11, 26, 9))  # a day late, after 08:00
    assert today == Due(date(2026, 11, 26), utc(2026, 11, 26, 7))  # today's, due already
    early = catch_up(due, time(8), BERLIN, utc(2026, 11, 26, 5))  # a day late, before 08:00
    assert early == Due(date(2026, 11, 26), utc(2026, 11, 26, 7))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7:30", time(7, 30)),
        ("07:30", time(7, 30)),
        ("7", time(7)),
        ("19.05", time(19, 5)),
        ("7am", time(7)),
        ("7:30 pm", time(19, 30)),
        ("12am", time(0)),
        ("12pm", time(12)),
        ("7.30", time(7, 30)),
        ("7h30", time(7, 30)),
        ("19h", time(19)),
        ("19H05", time(19, 5)),
        ("19:00h", time(19)),
        ("7:30 p.m.", time(19, 30)),
        ("noon", time(12)),
        ("Midnight", time(0)),
        ("１９：００", time(19)),  # full-width, as some keyboards type it
        ("7\u200b:30", time(7, 30)),  # a zero-width space pasted in
    ],
)
def test_parse_time_of_day(text: str, expected: time) -> None:
    assert parse_time_of_day(text) == expected


@pytest.mark.parametrize(
    "text",
    ["25:00", "7:60", "13pm", "seven", "", "7:5", "-1", "0am", "24h", "7h3", "h30", "noonish"],
)
def test_bad_times_are_refused(text: str) -> None:
    with pytest.raises(ScheduleError, match=r"07:30|hour"):
        parse_time_of_day(text)
