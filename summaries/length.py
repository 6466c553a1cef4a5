"""Text length as Telegram counts it (UTF-16 code units), and plain text cut to fit one."""

from __future__ import annotations


def tg_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def clip(text: str, limit: int) -> str:
    """Fit plain text into `limit` units, cutting at a word if possible, with an ellipsis."""
    if tg_len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    while cut and tg_len(cut) > limit - 1:  # astral characters count twice
        cut = cut[:-1]
    if " " in cut[len(cut) // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + "…"
