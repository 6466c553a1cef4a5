"""When a daily digest is due: wall-clock times in a reader's IANA zone, DST included.

A digest belongs to a *local date*. Its due instant is that date's chosen time in the reader's
zone; on the spring-forward day a time that does not exist moves to the next valid minute,
and on the fall-back day a time that happens twice counts once (the first). The next digest
is always the next local date's, never "the next time the clock shows 08:00", which on a
fall-back day would come round twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from summaries.errors import NewsbotError
from summaries.text import normalize


class ScheduleError(NewsbotError, ValueError):
    """A time of day or a time zone the reader typed is not one we can use."""


# Times readers write as words.
NAMED_TIMES = {"noon": time(12), "midday": time(12), "midnight": time(0)}


def parse_time_of_day(text: str) -> time:
    """'7:30', '07:30', '7.30', '7h30', '19h', '19:00h', '7', '7am', '7:30 pm', 'noon' or
    'midnight' as a time; else ScheduleError."""
    cleaned = normalize(text).strip().lower().replace("a.m.", "am").replace("p.m.", "pm")
    if cleaned in NAMED_TIMES:
        return NAMED_TIMES[cleaned]
    # 7h30 and 19h are how much of Europe and Latin America write times; 19:00h too.
    match = re.fullmatch(r"(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|h)?", cleaned)
    if match is None:
        raise ScheduleError(
            f"{text!r} is not a time of day; write it like 07:30, 7pm, 19h or noon",
            code="not-a-time",
            text=text,
        )
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half == "h":
        half = None
    if half:
        if not 1 <= hour <= 12:
            raise ScheduleError(
                f"{text!r}: with am/pm the hour is 1 to 12", code="am-pm-hour", text=text
            )
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ScheduleError(
            f"{text!r} is not a time of day; hours 0-23, minutes 0-59",
            code="time-out-of-range",
            text=text,
        )
    return time(hour, minute)


def _exists(moment: datetime) -> bool:
    """Whether an aware local time is real (not skipped by a spring-forward gap)."""
    zone = moment.tzinfo
    assert zone is not None  # noqa: S101 - callers pass aware times
    return moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == moment.replace(
        tzinfo=None
    )


def due_on(day: date, at: time, zone: tzinfo) -> datetime:
    """The UTC instant of `at` on local date `day`: gaps move forward, repeats count once."""
    local = datetime.combine(day, at).replace(tzinfo=zone, fold=0)  # fold=0: the first of two
    for _ in range(24 * 60):  # a gap is at most a few hours; this never runs long
        if _exists(local):
            return local.astimezone(UTC)
        local = (local.replace(tzinfo=None) + timedelta(minutes=1)).replace(tzinfo=zone)
    raise ScheduleError(f"{at:%H:%M} never happens on {day} in {zone}")  # pragma: no cover


def local_date(moment: datetime, zone: tzinfo) -> date:
    """The reader's calendar date at an instant."""
    return moment.astimezone(zone).date()


@dataclass(frozen=True, slots=True)
class Due:
    """A digest's appointment: its local date (the delivery's key) and its UTC instant."""

    day: date
    at: datetime


def first_due(at: time, zone: tzinfo, now: datetime) -> Due:
    """The first digest after subscribing (or changing the time) at `now`: today's if still
    ahead, else tomorrow's."""
    today = local_date(now, zone)
    for day in (today - timedelta(days=1), today, today + timedelta(days=1)):
        instant = due_on(day, at, zone)
        if instant > now:
            return Due(day, instant)
    day = today + timedelta(days=2)  # pragma: no cover - only for zones > 24 h apart
    return Due(day, due_on(day, at, zone))


def following_due(done: date, at: time, zone: tzinfo) -> Due:
    """The digest after the one for local date `done`: the next local date's."""
    day = done + timedelta(days=1)
    return Due(day, due_on(day, at, zone))


def catch_up(due: Due, at: time, zone: tzinfo, now: datetime) -> Due | None:
    """None if an overdue digest may still go out now (same local day); else today's.

    A reader whose time passed while the bot was down gets that day's digest when it comes
    back the same local day. Later than that, the missed day is dropped for today's (its
    articles are still new, so they come then); today's may itself be due already.
    """
    today = local_date(now, zone)
    if today <= due.day:
        return None
    return Due(today, due_on(today, at, zone))
