"""The "Read in the bot" deep link's start parameter: which article, through which outlet.

The Bot API allows up to 64 characters of [A-Za-z0-9_-]; `a<article id>o<outlet id>` fits
(two 19-digit ids make 40). A plain `<article id>`, as links said before outlets, still works.
"""

from __future__ import annotations

import re

MAX_ID = 2**63 - 1  # SQLite's largest integer
_PARAM = re.compile(r"(?:a([0-9]{1,19})o([0-9]{1,19})|([0-9]{1,19}))")


def start_param(article_id: int, outlet_id: int | None = None) -> str:
    """The start parameter for an article, counted for `outlet_id` when given."""
    return str(article_id) if outlet_id is None else f"a{article_id}o{outlet_id}"


def parse_start(param: str) -> tuple[int, int | None] | None:
    """(article id, outlet id or None) from a start parameter; None if it names neither."""
    found = _PARAM.fullmatch(param)
    if found is None:
        return None
    article, outlet, plain = found.groups()
    ids = (int(plain), None) if plain else (int(article), int(outlet))
    if not all(i is None or 0 < i <= MAX_ID for i in ids):
        return None
    return ids
