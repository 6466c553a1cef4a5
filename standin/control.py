"""The stand-in's test-side controls over HTTP (`/standin/<action>`), for end-to-end runs.

What a test does in process with FakeTelegram, a test of the real `newsbot run` process does
with curl or urllib: a user writes, a channel or group is created, the bot's rights change,
topics open and close, a group is upgraded, the pace changes, time moves on. Parameters come
as form fields or JSON; each answer is `{"ok": true, "result": ...}`, like the Bot API's.
"""

import json
from collections.abc import Callable
from typing import Any

from standin.fake import FakeTelegram
from standin.pace import Pace
from standin.state import Json

NOT_FOUND = {"ok": False, "error_code": 404, "description": "Not Found"}
Action = Callable[[FakeTelegram, Json], Any]


def _flag(params: Json, name: str) -> bool:
    value = params.get(name, False)
    return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")


def _object(params: Json, name: str) -> dict[str, bool] | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    found = json.loads(value) if isinstance(value, str) else value
    return {str(key): bool(allowed) for key, allowed in dict(found).items()}


def _int(params: Json, name: str) -> int | None:
    value = params.get(name)
    return None if value is None or value == "" else int(value)


def send(tg: FakeTelegram, p: Json) -> Json:
    """user_id writes text to the bot (to chat_id, a group, if given)."""
    user = tg.user(int(p["user_id"]), str(p.get("name", "Ada")))
    return user.sends(str(p["text"]), chat_id=_int(p, "chat_id"))


def create_chat(tg: FakeTelegram, p: Json) -> Json:
    """type (channel, supergroup, group), title, username, forum, chat_id, and the bot's
    status, rights and permissions (JSON objects); answers the Chat object."""
    outlet = tg.add_outlet(
        str(p.get("type", "channel")), str(p.get("title", "News")), chat_id=_int(p, "chat_id"),
        username=p.get("username") or None, forum=_flag(p, "forum"),
        status=str(p.get("status", "administrator" if p.get("type", "channel") == "channel"
                         else "member")),
        rights=_object(p, "rights"), permissions=_object(p, "permissions"),
    )  # fmt: skip
    return outlet.json


def bot_status(tg: FakeTelegram, p: Json) -> Json:
    """chat_id, status, rights, permissions: answers the my_chat_member update it queued."""
    chat = tg.outlet(int(p["chat_id"]))
    return chat.set_bot(
        str(p["status"]), rights=_object(p, "rights"), permissions=_object(p, "permissions")
    )


def add_topic(tg: FakeTelegram, p: Json) -> Json:
    """chat_id, name, closed: answers the topic's message_thread_id."""
    thread = tg.outlet(int(p["chat_id"])).add_topic(str(p["name"]), closed=_flag(p, "closed"))
    return {"message_thread_id": thread}


def close_topic(tg: FakeTelegram, p: Json) -> bool:
    """chat_id, message_thread_id, closed (default true; false reopens)."""
    closed = _flag(p, "closed") if "closed" in p else True
    tg.outlet(int(p["chat_id"])).close_topic(int(p["message_thread_id"]), closed=closed)
    return True


def post(tg: FakeTelegram, p: Json) -> Json:
    """chat_id, text: someone else posts there; answers the update."""
    return tg.outlet(int(p["chat_id"])).post(str(p["text"]))


def migrate(tg: FakeTelegram, p: Json) -> Json:
    """chat_id of a basic group: answers the new supergroup's Chat object."""
    return tg.outlet(int(p["chat_id"])).migrate().json


def pace(tg: FakeTelegram, p: Json) -> Json | None:
    """per_chat and window (seconds), or off=1: answers the pace now in force."""
    if _flag(p, "off"):
        tg.pace = None
        return None
    tg.pace = Pace(_int(p, "per_chat") or 20, _int(p, "window") or 60)
    return {"per_chat": tg.pace.per_chat, "window": tg.pace.window}


def advance(tg: FakeTelegram, p: Json) -> int:
    """seconds: move the stand-in's clock on; answers its time now."""
    tg.advance(int(p["seconds"]))
    return tg.now()


ACTIONS: dict[str, Action] = {
    "send": send, "create_chat": create_chat, "bot_status": bot_status,
    "add_topic": add_topic, "close_topic": close_topic, "post": post, "migrate": migrate,
    "pace": pace, "advance": advance,
}  # fmt: skip


def control(tg: FakeTelegram, action: str, params: Json) -> tuple[int, Json]:
    """Answer `/standin/<action>`; `chats/<id>` shows what a chat shows now."""
    if action.startswith("chats/"):
        shown = tg.messages(int(action.removeprefix("chats/")))
        return 200, {"ok": True, "result": [message.json for message in shown]}
    found = ACTIONS.get(action)
    if found is None:
        return 404, NOT_FOUND
    with tg.lock:
        try:
            return 200, {"ok": True, "result": found(tg, params)}
        except (KeyError, ValueError, TypeError) as error:
            return 400, {"ok": False, "error_code": 400, "description": f"stand-in: {error!r}"}
