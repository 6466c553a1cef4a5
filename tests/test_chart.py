"""The /stats chart: drawn in the admin's language, with a shipped font that has a glyph for
every character of every language's labels (no boxes for Cyrillic), as a valid PNG."""

from __future__ import annotations

import io
import tomllib
from datetime import date, timedelta
from fnmatch import fnmatch

import pytest
from PIL import Image

from bot.i18n import LANGUAGES, using
from bot.render.chart import FONT, chart_font, chart_labels, day_label, stats_chart
from tests.helpers.fonts import covered
from tests.helpers.samples import ROOT

DAYS = [(date(2026, 11, 22) + timedelta(days=i), i * 1234 % 5000, i % 3) for i in range(14)]
PEAKS = (4936, 2)  # the highest of each series above


def labels(language: str) -> list[str]:
    with using(language):
        return [*chart_labels(PEAKS), *(day_label(day) for day, *_ in DAYS)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_chart_is_a_png_in_every_language(language: str) -> None:
    with using(language):
        png = stats_chart(DAYS)
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        image.verify()  # the checksums and the chunks' structure hold
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (720, 520)
        assert len(image.getcolors(maxcolors=100_000) or []) > 3  # bars and text, not blank


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_character_of_every_label_has_a_glyph(language: str) -> None:
    glyphs = covered(FONT)
    missing = {char for label in labels(language) for char in label} - glyphs
    assert missing == set(), f"{language}: no glyph for {sorted(missing)}"


def test_the_labels_speak_the_admins_language() -> None:
    assert labels("en")[:2] == [
        "Reads per day (highest: 4,936)",
        "New digest readers per day (highest: 2)",
    ]
    assert labels("de")[:3] == [
        "Lesezugriffe pro Tag (höchstens 4.936)",
        "Neue Leser der Übersicht pro Tag (höchstens 2)",
        "22.11.",
    ]
    assert labels("ru")[0] == "Прочтения по дням (максимум: 4\xa0936)"
    assert labels("uk")[1] == "Нові читачі дайджесту за днями (найбільше: 2)"


def test_the_font_covers_latin_greek_and_cyrillic() -> None:
    glyphs = covered(FONT)
    wanted = (
        "ÄÖÜßäöüÉéÇçÑñÃãÕõĞğİıŞşŁłŒœ"  # German, Spanish, Portuguese, Turkish, Polish, French
        "ΑΒΓΔΩαβγδωάέ"  # Greek
        "АБВГҐДЕЄЁЖИІЇЙЩЫЬЭЮЯабвгґдеєёжиіїйщыьэюяЎў"  # Russian, Ukrainian, Belarusian
        "0123456789 .,:;!?()/-–—…«»„“”’\xa0\u202f№"
    )
    assert set(wanted) - glyphs == set()
    assert FONT.stat().st_size < 200_000  # a subset, not DejaVu's 750 kB


def test_the_font_is_read_once() -> None:
    assert chart_font() is chart_font()


def test_the_font_and_its_licence_ship_in_the_package() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = pyproject["tool"]["setuptools"]["package-data"]["bot"]
    licence = FONT.parent / "LICENSE-DejaVu.txt"
    assert "Bitstream Vera" in licence.read_text(encoding="utf-8")
    for path in (FONT, licence):
        name = str(path.relative_to(ROOT / "bot"))
        assert any(fnmatch(name, glob) for glob in globs), name
