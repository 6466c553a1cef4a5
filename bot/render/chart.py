"""/stats as a picture: reads and new digest readers per day, as two bar charts."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from PIL import Image, ImageDraw, ImageFont

WIDTH, PANEL, MARGIN = 720, 200, 40
INK, GRID, BARS = (40, 40, 40), (225, 225, 225), ((21, 101, 192), (46, 125, 50))


def stats_chart(days: Sequence[tuple[date, int, int]]) -> bytes:
    """A PNG: one panel per series (reads, new readers), one bar per day, labelled."""
    height = 2 * PANEL + 3 * MARGIN
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default()
    series = [
        ("Reads per day", [d[1] for d in days]),
        ("New digest readers per day", [d[2] for d in days]),
    ]
    for panel, (title, values) in enumerate(series):
        top = MARGIN + panel * (PANEL + MARGIN)
        _panel(draw, font, top, title, values, [d[0] for d in days], BARS[panel])
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _panel(
    draw: ImageDraw.ImageDraw,
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
    top: int,
    title: str,
    values: list[int],
    days: list[date],
    colour: tuple[int, int, int],
) -> None:
    peak = max([*values, 1])
    draw.text((MARGIN, top - 18), f"{title} (highest: {peak})", fill=INK, font=font)
    bottom, left, right = top + PANEL - 20, MARGIN, WIDTH - MARGIN
    draw.line([(left, bottom), (right, bottom)], fill=GRID, width=1)
    step = (right - left) / max(len(values), 1)
    for i, (value, day) in enumerate(zip(values, days, strict=True)):
        x0 = left + i * step + step * 0.15
        x1 = left + (i + 1) * step - step * 0.15
        bar_top = bottom - (PANEL - 40) * value / peak
        if value:
            draw.rectangle([(x0, bar_top), (x1, bottom)], fill=colour)
            draw.text((x0, bar_top - 14), str(value), fill=INK, font=font)
        draw.text((x0, bottom + 4), f"{day:%d.%m}", fill=INK, font=font)
