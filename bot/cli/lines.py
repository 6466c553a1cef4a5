"""JSON Lines input for `import` and `summarize --jsonl`: each line decoded on its own."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.cli.base import decode_text, read_bytes
from summaries.articles import check_text
from summaries.errors import InvalidArticleError


@dataclass(frozen=True, slots=True)
class Line:
    """One non-blank input line: its text, or why it can't be read (then `text` is "")."""

    number: int
    text: str
    error: str = ""


def read_lines(source: str | Path) -> list[Line]:
    """The non-blank lines of a file, or of stdin for '-'.

    Each line is decoded on its own, so one Latin-1 line is that line's error, not the
    file's. A NUL byte means a binary file: that refuses the whole input as read_text does.
    A byte-order mark at the start of any line is dropped (two files concatenated), and
    whitespace-only lines are skipped (a file may end with an extra newline).
    """
    name = "stdin" if source == "-" else str(source)
    data = read_bytes(source)
    if b"\x00" in data:
        decode_text(data, name)  # raises: not UTF-8, or a control character
    lines = []
    for number, raw in enumerate(data.splitlines(), start=1):  # only \n, \r\n and \r
        try:
            text = check_text(raw.decode("utf-8").removeprefix("\ufeff"), "the line")
        except UnicodeDecodeError as error:
            lines.append(Line(number, "", f"not UTF-8 text (byte {error.start + 1} of the line)"))
            continue
        except InvalidArticleError as error:
            lines.append(Line(number, "", str(error)))
            continue
        if text.strip():
            lines.append(Line(number, text))
    return lines
