"""The Bot API methods that add to what a chat shows: sendMessage, sendPhoto (edits.py edits)."""

from typing import Any

from telegram.constants import FileSizeLimit

from standin import rules
from standin.errors import ApiError, bad_request
from standin.params import Upload, chat_id, media_input
from standin.state import ChatMessage, Json, is_image
from standin.telegram_state import TelegramState

Files = dict[str, Upload]
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
CHAT_ACTIONS = {
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note",
    "upload_video_note",
}  # fmt: skip


def shown_markup(markup: Any) -> Json | None:
    """Only an inline keyboard with buttons is part of the Message Telegram returns."""
    rules.reply_markup(markup)
    if isinstance(markup, dict) and markup.get("inline_keyboard"):
        return {"inline_keyboard": markup["inline_keyboard"]}
    return None


def _target(tg: TelegramState, p: Json, what: str) -> Json:
    """The chat a send goes to, if the bot may send `what` there now (rights, thread, pace)."""
    chat = tg.chat(chat_id(p))
    outlet = tg.outlets.get(chat["id"])
    if outlet is not None:
        outlet.check_send(what, p.get("message_thread_id"))
        if tg.pace is not None:
            tg.pace.check(outlet.id, tg.now())
    return chat


def _send(tg: TelegramState, chat: Json, p: Json, content: Json, source: str | None) -> Json:
    """Store a new bot message in the chat and return its Message JSON.

    In a channel the post comes from the channel itself: `sender_chat`, and no `from`.
    """
    markup = shown_markup(p.get("reply_markup"))
    sender = {"sender_chat": chat} if chat["type"] == "channel" else {"from": tg.bot}
    thread = p.get("message_thread_id") if chat["id"] in tg.outlets else None
    topic = {"message_thread_id": thread, "is_topic_message": True} if thread else {}
    message: Json = {
        "message_id": tg.updates.next_message_id(), **sender, "chat": chat,
        "date": tg.now(), **topic, **_reply_to(tg, chat["id"], p), **content,
    }  # fmt: skip
    if markup:
        message["reply_markup"] = markup
    tg.store(ChatMessage(message, from_bot=True, source=source, parse_mode=p.get("parse_mode")))
    outlet = tg.outlets.get(chat["id"])
    if tg.pace is not None and outlet is not None:
        tg.pace.record(outlet.id, tg.now())
    return message


def _reply_to(tg: TelegramState, chat: int, p: Json) -> Json:
    reply = p.get("reply_parameters") or {}
    target = reply.get("message_id", p.get("reply_to_message_id"))
    if target is None:
        return {}
    found = tg.find_message(chat, target)
    if found is not None:
        return {
            "reply_to_message": {k: v for k, v in found.json.items() if k != "reply_to_message"}
        }
    if reply.get("allow_sending_without_reply") or p.get("allow_sending_without_reply"):
        return {}
    raise bad_request("message to be replied not found")


def with_entities(key: str, text: str, entities: list[Json]) -> Json:
    """Text or caption with its entities field (Telegram leaves it out when empty)."""
    return (
        {key: text, f"{'caption_' if key == 'caption' else ''}entities": entities}
        if entities
        else {key: text}
    )


def send_message(tg: TelegramState, p: Json, files: Files) -> Json:
    """sendMessage: text 1..4096 after parsing, a valid keyboard, a chat that exists."""
    text, entities = rules.message_text(p.get("text"), p.get("parse_mode"), p.get("entities"))
    chat = _target(tg, p, "text messages")
    return _send(tg, chat, p, with_entities("text", text, entities), p["text"])


def send_photo(tg: TelegramState, p: Json, files: Files) -> Json:
    """sendPhoto: an upload (a real image), a URL, or a photo file_id this bot was given."""
    chat = _target(tg, p, "photos")
    caption, entities = rules.caption(
        p.get("caption"), p.get("parse_mode"), p.get("caption_entities")
    )
    content_json = {
        "photo": photo_sizes(tg, media_input("photo", p, files)),
        **(with_entities("caption", caption, entities) if caption else {}),
    }
    return _send(tg, chat, p, content_json, p.get("caption"))


def photo_sizes(tg: TelegramState, source: Upload | str | None) -> list[Json]:
    """A photo's sizes from an upload (a real image), a URL, or a photo file_id it issued."""
    if source is None:
        raise bad_request("there is no photo in the request")
    if isinstance(source, tuple):
        content = source[1]
        if len(content) > FileSizeLimit.PHOTOSIZE_UPLOAD:
            raise ApiError(413, "Request Entity Too Large")
        if not is_image(content):
            raise bad_request("IMAGE_PROCESS_FAILED")
        sizes = tg.files.photo_sizes(content)
    elif source.lower().startswith(("http://", "https://")):
        sizes = tg.files.photo_sizes(None)
    elif source in tg.files.photos:
        sizes = tg.files.photos[source]
    elif source in tg.files.by_id:
        raise bad_request("wrong file identifier/HTTP URL specified: can't use this file as Photo")
    else:
        raise bad_request("wrong file identifier/HTTP URL specified")
    return sizes


def send_chat_action(tg: TelegramState, p: Json, files: Files) -> bool:
    """sendChatAction: a known action in a chat the bot may write to."""
    outlet = tg.outlets.get(tg.chat(chat_id(p))["id"])
    if outlet is not None:
        outlet.reachable()
    if p.get("action") not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True
