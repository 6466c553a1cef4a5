"""Due times across DST for several zones, with the clock in the test's hands."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest

from summaries.schedule import (
    ABBREVIATIONS,
    AREAS,
    LINKS,
    OLD_AREAS,
    Due,
    ScheduleError,
    _localized_cities,
    catch_up,
    due_on,
    first_due,
    following_due,
    parse_time_of_day,
    resolve_zone,
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


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("Berlin", "Europe/Berlin"),
        ("new york", "America/New_York"),
        ("New_York", "America/New_York"),
        ("Mumbai", "Asia/Kolkata"),
        ("tokyo", "Asia/Tokyo"),
        ("UTC", "UTC"),
        ("  sao   paulo ", "America/Sao_Paulo"),
    ],
)
def test_resolve_zone(text: str, zone: str) -> None:
    assert resolve_zone(text).key == zone


@pytest.mark.parametrize("text", ["Atlantis", "Mars/Olympus", "", "../../etc/passwd", "x" * 500])
def test_unknown_zones_are_refused(text: str) -> None:
    with pytest.raises(ScheduleError):
        resolve_zone(text)


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("São Paulo", "America/Sao_Paulo"),
        ("SÃO PAULO", "America/Sao_Paulo"),
        ("america/são_paulo", "America/Sao_Paulo"),
        ("Zürich", "Europe/Zurich"),
        ("ZÜRICH", "Europe/Zurich"),
        ("Reykjavík", "Atlantic/Reykjavik"),
        ("Bogotá", "America/Bogota"),
        ("Asunción", "America/Asuncion"),
        ("México City", "America/Mexico_City"),
        ("St. John's", "America/St_Johns"),
        ("port au prince", "America/Port-au-Prince"),
        ("Japan", "Asia/Tokyo"),  # tzdata's old country link, shown as the zone it follows
        ("hawaii", "Pacific/Honolulu"),
    ],
)
def test_accents_case_and_punctuation_do_not_matter(text: str, zone: str) -> None:
    assert resolve_zone(text).key == zone
    assert resolve_zone(f"\u200b{text[:2]}\u00ad{text[2:]}").key == zone  # nor invisible ones


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("Москва", "Europe/Moscow"),
        ("москва", "Europe/Moscow"),
        ("münchen", "Europe/Berlin"),
        ("MUNCHEN", "Europe/Berlin"),
        ("Wien", "Europe/Vienna"),
        ("Londres", "Europe/London"),
        ("Varsovia", "Europe/Warsaw"),
        ("Київ", "Europe/Kyiv"),  # CLDR keys it by the old name Europe/Kiev
        ("東京", "Asia/Tokyo"),
        ("القاهرة", "Africa/Cairo"),
        ("Nueva York", "America/New_York"),
        ("Lisboa", "Europe/Lisbon"),
        ("北京", "Asia/Shanghai"),
    ],
)
def test_cities_in_other_languages_and_scripts(text: str, zone: str) -> None:
    assert resolve_zone(text).key == zone


def test_every_localized_city_is_an_installed_zone_and_abbreviations_stay_refused() -> None:
    installed = available_timezones()
    cities = _localized_cities()
    assert len(cities) > 5000
    assert all(zone in installed and zone.split("/")[0] in AREAS for _, zone in cities)
    for abbreviation in ["EST", "CET", "IST", "MSK"]:
        with pytest.raises(ScheduleError, match="doesn't say where you are"):
            resolve_zone(abbreviation)


@pytest.mark.parametrize(
    ("text", "suggested"),
    [
        ("est", "America/New_York"),
        ("EST", "America/New_York"),
        ("EDT", "America/New_York"),
        ("EST5EDT", "America/New_York"),
        ("cst", "America/Chicago"),
        ("CST6CDT", "America/Chicago"),
        ("MST", "America/Denver"),
        ("mst", "America/Phoenix"),
        ("PST", "America/Los_Angeles"),
        ("pdt", "America/Los_Angeles"),
        ("GMT", "Europe/London"),
        ("GMT", "UTC"),
        ("gmt+0", "Europe/London"),
        ("BST", "Europe/London"),
        ("CET", "Europe/Paris"),
        ("CEST", "Europe/Berlin"),
        ("EET", "Europe/Athens"),
        ("WET", "Europe/Lisbon"),
        ("HST", "Pacific/Honolulu"),
        ("IST", "Asia/Kolkata"),
        ("IST", "Europe/Dublin"),
        ("IST", "Asia/Jerusalem"),
        ("eastern", "America/New_York"),
    ],
)
def test_abbreviations_are_refused_with_real_zones(text: str, suggested: str) -> None:
    with pytest.raises(ScheduleError, match=re.escape(suggested)) as refused:
        resolve_zone(text)
    assert "doesn't say where you are" in str(refused.value)
    assert len(str(refused.value)) < 300  # shown whole: the handlers clip at 300


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Etc/GMT+5", "Etc/GMT+5 is UTC-5"),  # IANA's sign is the other way round
        ("etc/gmt-3", "etc/gmt-3 is UTC+3"),
        ("UTC+3", "fixed offset"),
        ("utc +05:30", "fixed offset"),
        ("+02:00", "fixed offset"),
        ("GMT-5", "fixed offset"),
        ("\u22125", "fixed offset"),  # a typographic minus
    ],
)
def test_fixed_offsets_are_refused(text: str, shown: str) -> None:
    with pytest.raises(ScheduleError, match=re.escape(shown)) as refused:
        resolve_zone(text)
    assert "daylight saving" in str(refused.value)
    assert "Europe/Berlin" in str(refused.value)
    assert len(str(refused.value)) < 300


@pytest.mark.parametrize(
    "text",
    ["UTC", "utc", "Etc/UTC", "UTC+0", "utc-00:00", "+00:00", "Zulu", "Etc/GMT", "Etc/GMT-0"],
)
def test_utc_stays_accepted(text: str) -> None:
    assert resolve_zone(text).key == "UTC"


def test_every_installed_name_is_a_real_place_utc_or_refused() -> None:
    areas = AREAS | OLD_AREAS
    for name in sorted(available_timezones()):
        try:
            key = resolve_zone(name).key
        except ScheduleError:
            assert name.split("/")[0] not in areas, name  # only legacy names are refused
            continue
        assert key == "UTC" or key.split("/")[0] in areas, (name, key)
        if name.split("/")[0] in areas:
            assert key == name  # a real zone is taken as it is
    legacy = ["EST", "MST", "HST", "CET", "EET", "WET", "MET", "EST5EDT", "PST8PDT", "GMT"]
    for name in [*legacy, "GMT0", "Greenwich", "localtime", "Factory", "Etc/GMT+5", "Etc/GMT-14"]:
        with pytest.raises(ScheduleError):
            resolve_zone(name)


def test_links_and_suggestions_are_installed_zones_with_the_same_clock() -> None:
    installed = available_timezones()
    days = [datetime(2026, month, 15, 12, tzinfo=UTC) for month in range(1, 13)]
    for link, target in LINKS.items():
        assert target in installed
        if link in installed:  # the link and the zone shown for it keep the same time
            offsets = [(d.astimezone(ZoneInfo(link)).utcoffset()) for d in days]
            assert offsets == [d.astimezone(ZoneInfo(target)).utcoffset() for d in days], link
    for suggestions in ABBREVIATIONS.values():
        for zone, _ in suggestions:
            assert zone in installed or zone == "UTC", zone
