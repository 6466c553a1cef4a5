"""Naming a reader's time zone: IANA names, cities in many languages, refused abbreviations.

What a reader types ('Europe/Berlin', 'São Paulo', 'москва', 'EST', 'UTC+3') becomes an IANA
zone, or a ScheduleError that says what to send instead.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from summaries.schedule import ScheduleError
from summaries.text import normalize

# Big cities people name that are not the city IANA names its zone after, and regions whose
# old zone names ("US/Hawaii") are not otherwise found by their last word.
CITY_ALIASES = {
    "beijing": "Asia/Shanghai",
    "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "bengaluru": "Asia/Kolkata",
    "san francisco": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "washington": "America/New_York",
    "boston": "America/New_York",
    "miami": "America/New_York",
    "munich": "Europe/Berlin",
    "münchen": "Europe/Berlin",
    "köln": "Europe/Berlin",
    "cologne": "Europe/Berlin",
    "milano": "Europe/Rome",
    "mailand": "Europe/Rome",
    "genève": "Europe/Zurich",
    "genf": "Europe/Zurich",
    "санкт-петербург": "Europe/Moscow",
    "北京": "Asia/Shanghai",
    "peking": "Asia/Shanghai",
    "pékin": "Asia/Shanghai",
    "hamburg": "Europe/Berlin",
    "frankfurt": "Europe/Berlin",
    "barcelona": "Europe/Madrid",
    "milan": "Europe/Rome",
    "geneva": "Europe/Zurich",
    "kyiv": "Europe/Kyiv",
    "kiev": "Europe/Kyiv",
    "st petersburg": "Europe/Moscow",
    "osaka": "Asia/Tokyo",
    "hanoi": "Asia/Bangkok",
    "rio de janeiro": "America/Sao_Paulo",
    "rio": "America/Sao_Paulo",
    "melbourne": "Australia/Melbourne",
    "london": "Europe/London",
    "dubai": "Asia/Dubai",
    "hawaii": "Pacific/Honolulu",
    "alaska": "America/Anchorage",
    "arizona": "America/Phoenix",
    "michigan": "America/Detroit",
    "saskatchewan": "America/Regina",
    "newfoundland": "America/St_Johns",
    "yukon": "America/Whitehorse",
}

# tzdata's old country-named links (tzdata's "backward" file), shown as the zone they follow.
LINKS = {
    "Cuba": "America/Havana",
    "Egypt": "Africa/Cairo",
    "Eire": "Europe/Dublin",
    "GB": "Europe/London",
    "GB-Eire": "Europe/London",
    "Hongkong": "Asia/Hong_Kong",
    "Iceland": "Atlantic/Reykjavik",
    "Iran": "Asia/Tehran",
    "Israel": "Asia/Jerusalem",
    "Jamaica": "America/Jamaica",
    "Japan": "Asia/Tokyo",
    "Kwajalein": "Pacific/Kwajalein",
    "Libya": "Africa/Tripoli",
    "NZ": "Pacific/Auckland",
    "NZ-CHAT": "Pacific/Chatham",
    "Navajo": "America/Denver",
    "PRC": "Asia/Shanghai",
    "Poland": "Europe/Warsaw",
    "Portugal": "Europe/Lisbon",
    "ROC": "Asia/Taipei",
    "ROK": "Asia/Seoul",
    "Singapore": "Asia/Singapore",
    "Turkey": "Europe/Istanbul",
    "W-SU": "Europe/Moscow",
}

# Names of UTC itself: the one fixed-offset zone readers ask for on purpose. Etc/GMT is UTC
# too (whoever types "Etc/" means it); plain GMT is not here: in the UK it means UK time.
UTC_NAMES = {"utc", "uct", "universal", "zulu", "etc/gmt", "etc/gmt0", "etc/greenwich"}
UTC_NAMES |= {f"etc/{name}" for name in UTC_NAMES if "/" not in name}

_US_EAST = ("America/New_York", "US Eastern")
_US_CENTRAL = ("America/Chicago", "US Central")
_US_MOUNTAIN = (("America/Denver", "US Mountain"), ("America/Phoenix", "Arizona, no summer time"))
_US_PACIFIC = ("America/Los_Angeles", "US Pacific")
_UK = (("Europe/London", "UK, summer time included"), ("UTC", "never changes"))
_CENTRAL_EU = (("Europe/Paris", "France"), ("Europe/Berlin", "Germany"))
_EASTERN_EU = (("Europe/Athens", "Greece"), ("Europe/Kyiv", "Ukraine"))
_AU_EAST = (("Australia/Sydney", "NSW, Victoria"), ("Australia/Brisbane", "Queensland"))

# Abbreviations, and tzdata's legacy names that are one (EST, EST5EDT, CET, GMT...): they name
# no place, so they can't follow its clock changes (EST is UTC-5 all year, never New York's
# summer time), and several mean different places. Refused, with the zones people usually mean.
ABBREVIATIONS: dict[str, tuple[tuple[str, str], ...]] = {
    **dict.fromkeys(["edt", "et", "est5edt", "eastern"], (_US_EAST,)),
    "est": (_US_EAST, ("Australia/Sydney", "eastern Australia")),
    **dict.fromkeys(["cdt", "ct", "cst6cdt", "central"], (_US_CENTRAL,)),
    "cst": (_US_CENTRAL, ("Asia/Shanghai", "China")),
    **dict.fromkeys(["mst", "mdt", "mt", "mst7mdt", "mountain"], _US_MOUNTAIN),
    **dict.fromkeys(["pst", "pdt", "pt", "pst8pdt", "pacific"], (_US_PACIFIC,)),
    **dict.fromkeys(["akst", "akdt"], (("America/Anchorage", "Alaska"),)),
    **dict.fromkeys(["hst", "hast"], (("Pacific/Honolulu", "Hawaii"),)),
    "adt": (("America/Halifax", "Atlantic Canada"),),
    "ast": (("America/Halifax", "Atlantic Canada"), ("Asia/Riyadh", "Arabia")),
    **dict.fromkeys(["gmt", "gmt0", "greenwich"], _UK),
    "bst": (_UK[0], ("Asia/Dhaka", "Bangladesh")),
    **dict.fromkeys(["wet", "west"], (("Europe/Lisbon", "Portugal"),)),
    **dict.fromkeys(["cet", "cest", "met", "mest"], _CENTRAL_EU),
    **dict.fromkeys(["eet", "eest"], _EASTERN_EU),
    "msk": (("Europe/Moscow", "Moscow"),),
    "ist": (("Asia/Kolkata", "India"), ("Europe/Dublin", "Ireland"), ("Asia/Jerusalem", "Israel")),
    "jst": (("Asia/Tokyo", "Japan"),),
    "kst": (("Asia/Seoul", "South Korea"),),
    **dict.fromkeys(["aest", "aedt"], _AU_EAST),
    **dict.fromkeys(["acst", "acdt"], (("Australia/Adelaide", "South Australia"),)),
    "awst": (("Australia/Perth", "Western Australia"),),
    **dict.fromkeys(["nzst", "nzdt"], (("Pacific/Auckland", "New Zealand"),)),
    "sast": (("Africa/Johannesburg", "South Africa"),),
    "hkt": (("Asia/Hong_Kong", "Hong Kong"),),
    "sgt": (("Asia/Singapore", "Singapore"),),
    "brt": (("America/Sao_Paulo", "Brazil"),),
}

# Where IANA's real zones live; US/, Canada/... are old but full zones (US/Eastern has DST).
AREAS = frozenset(
    {"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe"}
    | {"Indian", "Pacific"}
)
OLD_AREAS = frozenset({"US", "Canada", "Brazil", "Mexico", "Chile"})
# "UTC+3", "+05:30", "GMT-5", "Etc/GMT+5": a fixed offset, never a zone's summer time.
OFFSET = re.compile(r"(utc|gmt|etc/gmt|etc/utc)?([+-])(\d{1,2})(?::?(\d{2}))?")


def _key(text: str) -> str:
    """How a name is looked up: no accents, any case, '_' or '-' between words as a space.

    'São Paulo', 'SAO_PAULO' and 'sao  paulo' are all 'sao paulo'; 'St. John's' is
    'st johns'; the sign in 'GMT-5' stays.
    """
    decomposed = unicodedata.normalize("NFKD", normalize(text.replace("\u2212", "-")))  # − is -
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = re.sub(r"[.'\u2019]", "", plain.replace("_", " "))
    plain = re.sub(r"(?<=[^\W\d])-(?=[^\W\d])", " ", plain)
    return " ".join(plain.split())


@cache
def _zone_names() -> dict[str, str]:
    """Looked-up names of the zones readers may pick: IANA's Area/Location ones, old links."""
    found: dict[str, str] = {}
    for name in available_timezones():
        area = name.split("/", 1)[0]
        if "/" in name and area in AREAS | OLD_AREAS:
            found[_key(name)] = name
    found.update({_key(link): name for link, name in LINKS.items()})
    return found


@cache
def _zones_by_city() -> dict[str, str]:
    """'new york' -> 'America/New_York', from the names of IANA's own zones."""
    found: dict[str, str] = {}
    for name in sorted(available_timezones()):
        if "/" in name and name.split("/", 1)[0] in AREAS:
            found.setdefault(_key(name.rsplit("/", 1)[1]), name)
    found.update({_key(city): name for city, name in CITY_ALIASES.items()})
    return found


@cache
def _zones_by_city_elsewhere() -> dict[str, str]:
    """'москва' -> 'Europe/Moscow': the cities CLDR names each zone by in LANGUAGES. Built
    on the first name the other lookups miss (a quarter of a second), not for 'Berlin'."""
    found: dict[str, str] = {}
    for city, name in _localized_cities():
        found.setdefault(_key(city), name)  # the first language's wins: English, then German...
    return found


# The languages whose city names are understood: the most spoken ones CLDR covers fully.
LANGUAGES = (
    "en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "uk", "tr", "el", "cs", "sv", "da",
    "fi", "no", "ro", "hu", "ar", "he", "fa", "hi", "bn", "id", "vi", "th", "ja", "ko", "zh",
)  # fmt: skip


def _localized_cities() -> list[tuple[str, str]]:
    """(city, zone) pairs: CLDR's exemplar city of every zone in LANGUAGES ('München' is not
    one: only cities that name a zone are), via Babel, which ships CLDR's data offline."""
    from babel import Locale  # here: CLDR's data is read on the first lookup that needs it
    from babel.core import get_global

    renamed = get_global("zone_aliases")  # CLDR keys some zones by old names: Europe/Kiev
    zones = available_timezones()
    pairs: list[tuple[str, str]] = []
    for language in LANGUAGES:
        for cldr_name, names in Locale.parse(language).time_zones.items():
            name = renamed.get(cldr_name, cldr_name)
            city = names.get("city")
            if city and name in zones and name.split("/", 1)[0] in AREAS:
                pairs.append((city, name))
    return pairs


def _suggest(shown: str, zones: tuple[tuple[str, str], ...]) -> ScheduleError:
    """Refusing an abbreviation: the zones the reader probably means."""
    named = [f"{zone} ({where})" for zone, where in zones]
    choice = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " or " + named[-1]
    return ScheduleError(
        f"{shown!r} doesn't say where you are or when your clocks change, so I can't use it. "
        f"Send a zone or a city instead, e.g. {choice}",
        code="zone-abbreviation",
        text=shown,
        zones=[zone for zone, _ in zones],
    )


def resolve_zone(text: str) -> ZoneInfo:
    """An IANA zone from its name ('Europe/Berlin', any case) or a city ('Berlin', 'São Paulo').

    Accents and case don't matter. UTC is fine; abbreviations and fixed offsets (EST, CET,
    GMT, EST5EDT, UTC+3, Etc/GMT+5) are refused with the zones people usually mean: they
    don't follow a place's daylight saving, so the digest would be an hour off half the year.
    """
    key, shown = _key(text), " ".join(text.split())
    if not key:
        raise ScheduleError(
            "which time zone? e.g. Europe/Berlin, or a city such as Berlin", code="no-zone"
        )
    offset = OFFSET.fullmatch(key.replace(" ", ""))
    if offset and not int(offset[3]) and not int(offset[4] or 0):  # UTC+0, +00:00, GMT-0
        key, offset = offset[1] or "utc", None
    if key in UTC_NAMES:
        return ZoneInfo("UTC")
    if key in ABBREVIATIONS:
        raise _suggest(shown, ABBREVIATIONS[key])
    if offset:
        sign, hours = offset[2], int(offset[3])
        flipped = f" ({shown} is UTC{'-' if sign == '+' else '+'}{hours}: IANA flips the sign)"
        raise ScheduleError(
            f"{shown!r} is a fixed offset{flipped if offset[1] == 'etc/gmt' else ''}: it never "
            "moves for daylight saving, so your digest would be an hour off half the year. "
            "Send a city near you or a zone, e.g. Europe/Berlin or America/New_York",
            code="zone-offset-etc" if offset[1] == "etc/gmt" else "zone-offset",
            text=shown,
            flipped=f"UTC{'-' if sign == '+' else '+'}{hours}",
        )
    name = (
        _zone_names().get(key) or _zones_by_city().get(key) or _zones_by_city_elsewhere().get(key)
    )
    if name is None:
        raise ScheduleError(
            f"I don't know the time zone {shown!r}; use a name like Europe/Berlin "
            "or America/New_York, or a big city near you",
            code="unknown-zone",
            text=shown,
        )
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:  # pragma: no cover - listed zones always load
        raise ScheduleError(f"time zone {name} is not installed") from None
