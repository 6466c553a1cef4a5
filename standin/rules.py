"""Telegram's validation rules as pure functions: lengths, keyboards, callback data, results.

Each check raises ApiError with Telegram's description, so the stand-in answers exactly the 400
the real server would. Lengths count UTF-16 code units after entity parsing and stripping.
"""

import re
from typing import Any

from telegram.constants import InlineKeyboardButtonLimit, MessageLimit

from standin.chars import utf16_len
from standin.errors import ApiError, bad_request
from standin.html import parse_html

TEXT_LIMIT = MessageLimit.MAX_TEXT_LENGTH
CAPTION_LIMIT = MessageLimit.CAPTION_LENGTH
CALLBACK_DATA_LIMIT = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA  # bytes of UTF-8
CALLBACK_ANSWER_LIMIT = 200
INLINE_RESULTS_LIMIT = 50
BUTTONS_LIMIT = 100
BUTTON_ACTIONS = (
    "callback_data", "url", "switch_inline_query", "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat", "web_app", "login_url", "callback_game", "pay",
    "copy_text",
)  # fmt: skip
BUTTON_URL = re.compile(r"(https?://[^\s/$.?#][^\s]*|tg://[^\s]+)", re.IGNORECASE)
COMMAND = re.compile(r"[a-z0-9_]{1,32}")
REPLY_MARKUPS = ("inline_keyboard", "keyboard", "remove_keyboard", "force_reply")


def formatted(
    text: str, parse_mode: str | None, entities: list[dict[str, Any]] | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and entities as Telegram stores them: parsed, then stripped of outer spaces."""
    if parse_mode:
        if parse_mode.lower() != "html":
            if parse_mode.lower() in ("markdown", "markdownv2"):
                raise bad_request(
                    f"the stand-in implements parse_mode HTML only, not {parse_mode}"
                )
            raise bad_request("unsupported parse_mode")
        text, entities = parse_html(text)
    return _strip(text, list(entities or []))


def _strip(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Strip outer whitespace, moving and clipping entities the way Telegram does."""
    stripped = text.strip()
    if not stripped:
        return "", []
    shift = utf16_len(text[: len(text) - len(text.lstrip())])
    end = utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        stop = min(entity["offset"] + entity["length"] - shift, end)
        if stop > start:
            kept.append({**entity, "offset": start, "length": stop - start})
    return stripped, kept


def message_text(
    text: Any, parse_mode: str | None, entities: list[dict[str, Any]] | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """A message's text: 1..4096 UTF-16 units once parsed and stripped."""
    if not isinstance(text, str) or not text:
        raise bad_request("message text is empty")
    plain, found = formatted(text, parse_mode, entities)
    if not plain:
        raise bad_request("message text is empty")
    if utf16_len(plain) > TEXT_LIMIT:
        raise bad_request("message is too long")
    return plain, found


def caption(
    text: Any, parse_mode: str | None, entities: list[dict[str, Any]] | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """A media caption: optional, at most 1024 UTF-16 units once parsed and stripped."""
    if text is None or text == "":
        return "", []
    plain, found = formatted(str(text), parse_mode, entities)
    if utf16_len(plain) > CAPTION_LIMIT:
        raise bad_request("message caption is too long")
    return plain, found


def reply_markup(markup: Any) -> None:
    """Any reply_markup: exactly one known kind, and a valid inline keyboard."""
    if markup is None:
        return
    if not isinstance(markup, dict) or sum(kind in markup for kind in REPLY_MARKUPS) != 1:
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        inline_keyboard(markup["inline_keyboard"])
    elif "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request('field "keyboard" must be an Array of Arrays')


def inline_keyboard(rows: Any) -> None:
    """Rows of buttons; each has text and exactly one action."""
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('can\'t parse inline keyboard: field "inline_keyboard" must be an Array')
    if sum(len(row) for row in rows) > BUTTONS_LIMIT:
        raise bad_request("reply markup is too long")
    for row in rows:
        for button in row:
            inline_button(button)


def inline_button(button: Any) -> None:
    """One inline button, checked the way Telegram checks it."""
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request(
            'can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    actions = [name for name in BUTTON_ACTIONS if name in button]
    if not actions:
        raise bad_request("text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:  # Telegram picks one silently; the stand-in refuses the ambiguity
        raise bad_request(f"can't parse inline keyboard button: more than one action: {actions}")
    if "callback_data" in button:
        callback_data(button["callback_data"])
    if "url" in button and not BUTTON_URL.fullmatch(str(button["url"])):
        raise bad_request("BUTTON_URL_INVALID")


def callback_data(data: Any) -> None:
    """Callback data: a string of 1..64 bytes in UTF-8."""
    if not isinstance(data, str) or not 1 <= len(data.encode()) <= CALLBACK_DATA_LIMIT:
        raise bad_request("BUTTON_DATA_INVALID")


def callback_answer_text(text: Any) -> None:
    """answerCallbackQuery's notification: at most 200 characters."""
    if text is not None and utf16_len(str(text)) > CALLBACK_ANSWER_LIMIT:
        raise bad_request("MESSAGE_TOO_LONG")


def inline_results(results: Any) -> None:
    """answerInlineQuery's results: at most 50, ids unique and 1..64 bytes, articles complete."""
    if not isinstance(results, list):
        raise bad_request("can't parse inline query results JSON object")
    if len(results) > INLINE_RESULTS_LIMIT:
        raise bad_request("RESULTS_TOO_MUCH")
    seen: set[str] = set()
    for result in results:
        result_id = result.get("id") if isinstance(result, dict) else None
        if not isinstance(result_id, str) or not 1 <= len(result_id.encode()) <= 64:
            raise bad_request("RESULT_ID_INVALID")
        if result_id in seen:
            raise bad_request("RESULT_ID_DUPLICATE")
        seen.add(result_id)
        inline_result(result)


def inline_results_button(button: Any) -> None:
    """answerInlineQuery's button above the results: text, and a /start parameter Telegram
    takes (1..64 of A-Z, a-z, 0-9, _ and -) or a web app."""
    if button is None:
        return
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse inline query results button")
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    start = button.get("start_parameter")
    if "web_app" not in button and not (
        isinstance(start, str) and re.fullmatch(r"[A-Za-z0-9_-]{1,64}", start)
    ):
        raise bad_request("START_PARAM_INVALID")


def inline_result(result: dict[str, Any]) -> None:
    """One result: an article needs a title and message text that would send."""
    reply_markup(result.get("reply_markup"))
    if result.get("type") != "article":
        return
    if not str(result.get("title", "")).strip():
        raise bad_request("RESULT_TITLE_EMPTY")
    content = result.get("input_message_content")
    if not isinstance(content, dict) or "message_text" not in content:
        raise bad_request("MESSAGE_EMPTY")
    message_text(content["message_text"], content.get("parse_mode"), content.get("entities"))


def bot_commands(commands: Any) -> None:
    """setMyCommands: up to 100 commands, names [a-z0-9_]{1,32}, descriptions 1..256."""
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    for command in commands:
        if not isinstance(command, dict) or not COMMAND.fullmatch(str(command.get("command"))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")


def language_code(value: Any) -> str:
    """set/get/deleteMyCommands: empty (every language) or two letters of ISO 639-1, as
    Telegram takes them ("pt", never "pt-BR" or "pt_BR")."""
    code = "" if value is None else str(value)
    if code and not re.fullmatch(r"[a-z]{2}", code):
        raise ApiError(400, "Bad Request: invalid language code specified")
    return code


def at_most(value: Any, limit: int, reason: str) -> str:
    """An optional string parameter with a length limit (descriptions)."""
    text = "" if value is None else str(value)
    if utf16_len(text) > limit:
        raise ApiError(400, f"Bad Request: {reason}")
    return text
