"""An error's fields (`NewsbotError.fields`) kept as JSON, so a stored failure can be worded
later in each reader's language: a source's last poll error, an alert about it.

Times are kept as {"$time": "2026-12-05T09:00:00Z"} and come back as aware datetimes; a field
JSON can't hold makes the whole set unkept (None), and the English words are shown instead.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from summaries.models import from_db_time, to_db_time

_TIME = "$time"


def _encode(value: object) -> object:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return {_TIME: to_db_time(value)}
    raise TypeError(f"{type(value).__name__} is not kept")


def _decode(found: dict[str, Any]) -> object:
    if found.keys() == {_TIME} and isinstance(found[_TIME], str):
        return from_db_time(found[_TIME])
    return found


def fields_json(fields: Mapping[str, object]) -> str | None:
    """The fields as JSON; None if one of them can't be kept (then they are left out)."""
    try:
        return json.dumps(dict(fields), default=_encode, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError, OverflowError):  # an object, a circle, a time out of range
        return None


def fields_from_json(text: str | None) -> dict[str, object]:
    """The fields kept by `fields_json` (empty for None, or for text that isn't theirs)."""
    if not text:
        return {}
    try:
        found = json.loads(text, object_hook=_decode)
    except ValueError:  # not JSON, or a time that isn't one
        return {}
    return found if isinstance(found, dict) else {}
