"""/stats as a picture: reads and new digest readers per day, as two bar charts, labelled in
the admin's language (the current one: bot.i18n).

Pillow's default font has no Cyrillic, so the chart is drawn with DejaVu Sans, shipped in
bot/fonts/ with its licence (LICENSE-DejaVu.txt) and cut down to what the labels of every
language may need (Latin with its extensions, Greek, Cyrillic, punctuation): DejaVu Sans 2.37
(Debian's fonts-dejavu-core), subset once with fontTools, which newsbot does not depend on:

    pyftsubset DejaVuSans.ttf --output-file=DejaVuSans-subset.ttf --unicodes=U+0020-007E,\
U+00A0-024F,U+0300-036F,U+0370-03FF,U+0400-052F,U+2000-206F,U+20A0-20C0,U+2116,U+2122,U+2212,\
U+FFFD
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from functools import cache
from pathlib import Path

from babel.dates import format_skeleton
from PIL import Image, ImageDraw, ImageFont

from bot.i18n import _, current

FONT = Path(__file__).parent.parent / "fonts" / "DejaVuSans-subset.ttf"
FONT_SIZE = 11
WIDTH, PANEL, MARGIN = 720, 200, 40
INK, GRID, BARS = (40, 40, 40), (225, 225, 225), ((21, 101, 192), (46, 125, 50))


@cache
def chart_font() -> ImageFont.FreeTypeFont:
    """The chart's font, read from the package once."""
    return ImageFont.truetype(FONT, FONT_SIZE)


def chart_labels(peaks: tuple[int, int]) -> tuple[str, str]:
    """The two panels' titles in the current language, each with its highest value."""
    number = current().number
    return (
        # Translators: a bar chart's title in /stats' picture, one bar a day; keep it short.
        _("Reads per day (highest: {peak})").format(peak=number(peaks[0])),
        # Translators: the second bar chart: readers who started a daily digest, per day.
        _("New digest readers per day (highest: {peak})").format(peak=number(peaks[1])),
    )


def day_label(day: date) -> str:
    """A bar's day, short, as the current language writes it ('05/12', '5.12.', '05.12')."""
    return format_skeleton("dM", day, locale=current().locale)


def stats_chart(days: Sequence[tuple[date, int, int]]) -> bytes:
    """A PNG: one panel per series (reads, new readers), one bar per day, labelled."""
    height = 2 * PANEL + 3 * MARGIN
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    series = [[d[1] for d in days], [d[2] for d in days]]
    titles = chart_labels((max(series[0], default=0), max(series[1], default=0)))
    labels = [day_label(d[0]) for d in days]
    for panel, (title, values) in enumerate(zip(titles, series, strict=True)):
        top = MARGIN + panel * (PANEL + MARGIN)
        _panel(draw, top, title, values, labels, BARS[panel])
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _panel(
    draw: ImageDraw.ImageDraw,
    top: int,
    title: str,
    values: list[int],
    labels: list[str],
    colour: tuple[int, int, int],
) -> None:
    font, number = chart_font(), current().number
    peak = max([*values, 1])  # the bars' scale: 1 for a series of zeros
    draw.text((MARGIN, top - 18), title, fill=INK, font=font)
    bottom, left, right = top + PANEL - 20, MARGIN, WIDTH - MARGIN
    draw.line([(left, bottom), (right, bottom)], fill=GRID, width=1)
    step = (right - left) / max(len(values), 1)
    for i, (value, label) in enumerate(zip(values, labels, strict=True)):
        x0 = left + i * step + step * 0.15
        x1 = left + (i + 1) * step - step * 0.15
        bar_top = bottom - (PANEL - 40) * value / peak
        if value:
            draw.rectangle([(x0, bar_top), (x1, bottom)], fill=colour)
            draw.text((x0, bar_top - 14), number(value), fill=INK, font=font)
        draw.text((x0, bottom + 4), label, fill=INK, font=font)
