"""Zone names readers type: IANA names, cities in many languages; abbreviations and offsets
refused with the zones people mean."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, available_timezones

import pytest

from summaries.schedule import ScheduleError
from summaries.zones import ABBREVIATIONS, AREAS, LINKS, OLD_AREAS, _localized_cities, resolve_zone


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
