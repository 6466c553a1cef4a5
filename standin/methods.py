"""The Bot API methods that don't touch chat history, and BY_NAME, the whole dispatch table."""

import json
from collections.abc import Callable
from typing import Any

from standin import edits, members, messages, rules
from standin.errors import ApiError, bad_request
from standin.params import Upload
from standin.state import Json
from standin.telegram_state import TelegramState

Files = dict[str, Upload]
Method = Callable[[TelegramState, Json, Files], Any]
EXPIRED_QUERY = "query is too old and response timeout expired or query ID is invalid"
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
DEFAULT_UPDATES = {"chat_member", "message_reaction", "message_reaction_count"}  # opt-in only


def get_me(tg: TelegramState, p: Json, files: Files) -> Json:
    """getMe: the bot's own User, with its capabilities."""
    return tg.me


def get_updates(tg: TelegramState, p: Json, files: Files) -> list[Json]:
    """getUpdates: confirm those below offset, return what's queued; never blocks here."""
    if tg.settings["webhook"]:
        raise ApiError(409, WEBHOOK_CONFLICT)
    offset = p.get("offset", 0)
    if "allowed_updates" in p:  # Telegram remembers the last list it was given
        tg.settings["allowed_updates"] = list(p["allowed_updates"])
    allowed = set(tg.settings.get("allowed_updates") or [])

    def wanted(update: Json) -> bool:
        kind = next(k for k in update if k != "update_id")
        return kind in allowed if allowed else kind not in DEFAULT_UPDATES

    tg.pending = [u for u in tg.pending if u["update_id"] >= offset and wanted(u)]
    limit = min(max(int(p.get("limit", 100)), 1), 100)
    return tg.pending[:limit]


def set_webhook(tg: TelegramState, p: Json, files: Files) -> bool:
    """setWebhook: HTTPS only; an empty url removes it."""
    url = str(p.get("url", ""))
    if url and not url.startswith("https://"):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    tg.settings["webhook"] = url
    return True


def delete_webhook(tg: TelegramState, p: Json, files: Files) -> bool:
    """deleteWebhook: optionally drop the queued updates too."""
    tg.settings["webhook"] = ""
    if p.get("drop_pending_updates"):
        tg.pending.clear()
    return True


def get_webhook_info(tg: TelegramState, p: Json, files: Files) -> Json:
    """getWebhookInfo: url, and how many updates wait."""
    url = tg.settings["webhook"]
    return {"url": url, "has_custom_certificate": False, "pending_update_count": len(tg.pending)}


def _commands_key(p: Json) -> str:
    scope = json.dumps(p.get("scope") or {"type": "default"}, sort_keys=True)
    return f"{scope}|{rules.language_code(p.get('language_code'))}"


def set_my_commands(tg: TelegramState, p: Json, files: Files) -> bool:
    """setMyCommands: per scope and language."""
    rules.bot_commands(p.get("commands"))
    tg.commands[_commands_key(p)] = list(p["commands"])
    return True


def get_my_commands(tg: TelegramState, p: Json, files: Files) -> list[Json]:
    """getMyCommands: what was set for that scope and language."""
    return tg.commands.get(_commands_key(p), [])


def delete_my_commands(tg: TelegramState, p: Json, files: Files) -> bool:
    """deleteMyCommands."""
    tg.commands.pop(_commands_key(p), None)
    return True


def _describer(key: str, limit: int) -> tuple[Method, Method]:
    def setter(tg: TelegramState, p: Json, files: Files) -> bool:
        tg.settings[key] = rules.at_most(p.get(key), limit, f"{key.upper()}_INVALID")
        return True

    def getter(tg: TelegramState, p: Json, files: Files) -> Json:
        return {key: tg.settings[key]}

    return setter, getter


set_my_description, get_my_description = _describer("description", 512)
set_my_short_description, get_my_short_description = _describer("short_description", 120)


def _open_query(tg: TelegramState, p: Json, kind: str) -> None:
    query_id = str(p.get(f"{kind}_query_id", ""))
    query = tg.open_queries.get(query_id)
    if query is None or ("data" in query) != (kind == "callback"):
        raise bad_request(EXPIRED_QUERY)
    del tg.open_queries[query_id]  # answered once; a second answer is "too old"
    tg.answers[query_id] = p


def answer_callback_query(tg: TelegramState, p: Json, files: Files) -> bool:
    """answerCallbackQuery: a query it sent, answered once, text at most 200 characters."""
    rules.callback_answer_text(p.get("text"))
    _open_query(tg, p, "callback")
    return True


def answer_inline_query(tg: TelegramState, p: Json, files: Files) -> bool:
    """answerInlineQuery: a query it sent, answered once, results valid."""
    rules.inline_results(p.get("results"))
    rules.inline_results_button(p.get("button"))
    _open_query(tg, p, "inline")
    return True


def get_file(tg: TelegramState, p: Json, files: Files) -> Json:
    """getFile: a file_path for a file_id it issued."""
    stored = tg.files.by_id.get(str(p.get("file_id", "")))
    if stored is None:
        raise bad_request("invalid file_id")
    found: Json = {"file_id": stored.file_id, "file_unique_id": stored.unique_id}
    if stored.content is not None:
        found["file_size"] = len(stored.content)
    return {**found, "file_path": stored.path}


BY_NAME: dict[str, Method] = {
    name.replace("_", ""): function
    for name, function in {
        "get_me": get_me, "get_updates": get_updates, "set_webhook": set_webhook,
        "delete_webhook": delete_webhook, "get_webhook_info": get_webhook_info,
        "set_my_commands": set_my_commands, "get_my_commands": get_my_commands,
        "delete_my_commands": delete_my_commands, "set_my_description": set_my_description,
        "get_my_description": get_my_description,
        "set_my_short_description": set_my_short_description,
        "get_my_short_description": get_my_short_description,
        "answer_callback_query": answer_callback_query,
        "answer_inline_query": answer_inline_query, "get_file": get_file,
        "get_chat": members.get_chat,
        "get_chat_member": members.get_chat_member,
        "get_chat_administrators": members.get_chat_administrators,
        "send_message": messages.send_message, "send_photo": messages.send_photo,
        "send_chat_action": messages.send_chat_action,
        "edit_message_text": edits.edit_message_text,
        "edit_message_caption": edits.edit_message_caption,
        "edit_message_media": edits.edit_message_media,
        "edit_message_reply_markup": edits.edit_message_reply_markup,
        "delete_message": edits.delete_message,
    }.items()
}  # fmt: skip  # keys: Telegram's method names lower-cased (the Bot API ignores their case)
