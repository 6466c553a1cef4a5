"""The reader's language: gettext catalogs compiled by Babel, and locale-aware dates and numbers.

Render functions call `_`, `ngettext` and `pgettext` when they build a reply, and every
placeholder is named (`_("Article {id} is deleted.").format(id=...)`), so a translation may
move it. Which catalog answers is the language active in this context: set for each update
from the reader's stored language (bot.handlers.language), and for each reader while a digest
or breaking news is sent; English, the language of the source strings, when none is.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_skeleton
from babel.numbers import format_decimal
from babel.support import Translations

LOCALES = Path(__file__).parent / "locales"
DOMAIN = "newsbot"
SOURCE = "en"
LANGUAGES = ("en", "de", "es", "pt_BR", "ru", "uk")
"""The languages newsbot speaks, English (the source strings) first."""
FORMATS = {"en": "en_GB"}  # the source strings' dates: "5 Dec 2026", as before catalogs


@dataclass(frozen=True, slots=True)
class Translator:
    """One language's catalog, plurals and formats."""

    language: str
    catalog: _gettext.NullTranslations

    @property
    def locale(self) -> Locale:
        """Babel's locale for dates and numbers (English writes them the British way)."""
        return Locale.parse(FORMATS.get(self.language, self.language))

    def gettext(self, message: str) -> str:
        """The message in this language (the source text if the catalog lacks it)."""
        return self.catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The plural form this language uses for `n`."""
        return self.catalog.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        """A message whose translation depends on where it is shown (e.g. a button)."""
        return self.catalog.pgettext(context, message)

    def day(self, moment: datetime, skeleton: str = "MMMEd") -> str:
        """A day as this language writes it ('Sat 5 Dec', 'Sa., 5. Dez.'), in moment's zone.

        The CLDR skeleton names the fields; the locale orders and spells them.
        """
        return format_skeleton(skeleton, moment, tzinfo=moment.tzinfo, locale=self.locale)

    def clock_time(self, moment: datetime) -> str:
        """A time of day on the 24-hour clock, as this language writes it."""
        return format_skeleton("Hm", moment, tzinfo=moment.tzinfo, locale=self.locale)

    def date_time(self, moment: datetime) -> str:
        """'5 Dec 2026, 07:30' in this language's words and order."""
        pattern = self.locale.datetime_formats["medium"]
        return str(pattern).format(self.clock_time(moment), self.day(moment, "yMMMd"))

    def number(self, value: float) -> str:
        """A number with this language's separators."""
        return format_decimal(value, locale=self.locale)


@cache
def translator(language: str) -> Translator:
    """The translator for a shipped language (anything else: English)."""
    language = language if language in LANGUAGES else SOURCE
    if language == SOURCE:
        return Translator(language, _gettext.NullTranslations())
    catalog = Translations.load(LOCALES, [language], DOMAIN)
    return Translator(language, catalog)


_current: ContextVar[Translator] = ContextVar("newsbot_translator")


def current() -> Translator:
    """The translator for the reader being answered now."""
    return _current.get(translator(SOURCE))


def activate(language: str) -> None:
    """Answer in `language` for the rest of this context (one update's handling)."""
    _current.set(translator(language))


@contextmanager
def using(language: str) -> Iterator[Translator]:
    """Answer in `language` inside the block (a digest to one reader), then as before."""
    token = _current.set(translator(language))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def _(message: str) -> str:
    """The message in the current reader's language."""
    return current().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The plural form for `n` in the current reader's language."""
    return current().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """A message in context (e.g. 'button'), in the current reader's language."""
    return current().pgettext(context, message)


def N_(message: str) -> str:
    """Marks a message for the catalog where it is defined; `_` translates it when shown."""
    return message


def match(code: str | None) -> str:
    """The shipped language for a Telegram language_code ('pt-br' -> 'pt_BR'), else English."""
    if not code:
        return SOURCE
    wanted = code.replace("-", "_").lower()
    exact = {language.lower(): language for language in LANGUAGES}
    if wanted in exact:
        return exact[wanted]
    base = wanted.split("_", maxsplit=1)[0]
    return next((lang for lang in LANGUAGES if lang.split("_")[0] == base), SOURCE)


def menu_code(language: str) -> str:
    """The code Telegram's setMyCommands takes: two letters of ISO 639-1 ('pt_BR' -> 'pt')."""
    return language.split("_", maxsplit=1)[0]


def own_name(language: str) -> str:
    """A language in its own words ('Deutsch', 'Українська'), for its button."""
    locale = Locale.parse(language)
    name = locale.get_display_name(locale) or language
    return name[:1].upper() + name[1:]
