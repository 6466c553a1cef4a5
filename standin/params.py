"""One place that turns either transport's parameters into the Python values Telegram means.

In process, PTB's `RequestData.parameters` are already JSON values (reply_markup is a dict).
Over HTTP every form field is a string and objects are JSON-encoded. Both end up here.
"""

import json
import re
from typing import Any

from standin.errors import bad_request

Json = dict[str, Any]
Upload = tuple[str, bytes, str]  # filename, content, MIME type
INT_FIELDS = {
    "chat_id", "message_id", "offset", "limit", "timeout", "cache_time", "message_thread_id",
    "reply_to_message_id", "from_chat_id", "user_id", "max_connections",
}  # fmt: skip
BOOL_FIELDS = {
    "disable_notification", "protect_content", "show_alert", "is_personal",
    "drop_pending_updates", "disable_web_page_preview", "has_spoiler",
    "show_caption_above_media", "allow_sending_without_reply", "allow_paid_broadcast",
}  # fmt: skip
JSON_FIELDS = {
    "reply_markup", "entities", "caption_entities", "results", "commands", "scope",
    "link_preview_options", "reply_parameters", "allowed_updates", "media", "button",
}  # fmt: skip
JSON_NAMES = {"reply_markup": "reply keyboard markup", "results": "inline query results"}
INTEGER = re.compile(r"-?\d+")


def normalise(params: Json) -> Json:
    """Typed parameters: ints, bools and JSON objects decoded; None values dropped."""
    return {name: _typed(name, value) for name, value in params.items() if value is not None}


def _typed(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if name in JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {JSON_NAMES.get(name, name)} JSON object") from None
    if name in INT_FIELDS and INTEGER.fullmatch(value.strip()):
        return int(value)
    if name in BOOL_FIELDS:
        return value.strip().lower() in ("true", "1")
    return value


def media_input(name: str, params: Json, files: dict[str, Upload]) -> Upload | str | None:
    """A media parameter: an upload (by field or `attach://`), a file_id/URL string, or None."""
    if name in files and name not in params:
        return files[name]
    value = params.get(name)
    if isinstance(value, str) and value.startswith("attach://"):
        attached = files.get(value.removeprefix("attach://"))
        if attached is None:
            raise bad_request(f"file of type {name} not found in the request")  # stand-in words
        return attached
    return value if isinstance(value, str) and value else None


def chat_id(params: Json) -> int | str:
    """The target chat: an id, or a public chat's `@username` (TelegramState resolves it);
    Telegram says "chat not found" for anything else."""
    value = params.get("chat_id")
    if value is None or value == "":
        raise bad_request("chat_id is empty")
    if isinstance(value, str) and value.startswith("@"):
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_request("chat not found")
    return value


def message_id(params: Json, missing: str) -> int:
    """A message_id parameter; `missing` is Telegram's wording when it is absent or invalid."""
    value = params.get("message_id")
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_request(missing)
    return value
