"""The Bot API methods that change what a chat shows: send, edit, delete."""

from typing import Any

from telegram.constants import FileSizeLimit

from standin import rules
from standin.errors import ApiError, bad_request
from standin.params import Upload, chat_id, media_input, message_id
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


def _shown_markup(markup: Any) -> Json | None:
    """Only an inline keyboard with buttons is part of the Message Telegram returns."""
    rules.reply_markup(markup)
    if isinstance(markup, dict) and markup.get("inline_keyboard"):
        return {"inline_keyboard": markup["inline_keyboard"]}
    return None


def _send(tg: TelegramState, p: Json, content: Json, source: str | None) -> Json:
    """Store a new bot message in the chat and return its Message JSON."""
    chat = tg.chat(chat_id(p))
    markup = _shown_markup(p.get("reply_markup"))
    message: Json = {
        "message_id": tg.updates.next_message_id(), "from": tg.bot, "chat": chat,
        "date": tg.updates.clock(), **_reply_to(tg, chat["id"], p), **content,
    }  # fmt: skip
    if markup:
        message["reply_markup"] = markup
    tg.store(ChatMessage(message, from_bot=True, source=source, parse_mode=p.get("parse_mode")))
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


def _with_entities(key: str, text: str, entities: list[Json]) -> Json:
    return (
        {key: text, f"{'caption_' if key == 'caption' else ''}entities": entities}
        if entities
        else {key: text}
    )


def send_message(tg: TelegramState, p: Json, files: Files) -> Json:
    """sendMessage: text 1..4096 after parsing, a valid keyboard, a chat that exists."""
    text, entities = rules.message_text(p.get("text"), p.get("parse_mode"), p.get("entities"))
    return _send(tg, p, _with_entities("text", text, entities), p["text"])


def send_photo(tg: TelegramState, p: Json, files: Files) -> Json:
    """sendPhoto: an upload (a real image), a URL, or a photo file_id this bot was given."""
    tg.chat(chat_id(p))
    caption, entities = rules.caption(
        p.get("caption"), p.get("parse_mode"), p.get("caption_entities")
    )
    source = media_input("photo", p, files)
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
    content_json = {
        "photo": sizes,
        **(_with_entities("caption", caption, entities) if caption else {}),
    }
    return _send(tg, p, content_json, p.get("caption"))


def send_chat_action(tg: TelegramState, p: Json, files: Files) -> bool:
    """sendChatAction: a known action in a chat the bot may write to."""
    tg.chat(chat_id(p))
    if p.get("action") not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


def _editable(tg: TelegramState, p: Json) -> ChatMessage:
    if "inline_message_id" in p:
        raise bad_request("the stand-in does not support inline_message_id")
    chat = tg.chat(chat_id(p))["id"]
    found = tg.find_message(chat, message_id(p, "message identifier is not specified"))
    if found is None:
        raise bad_request("message to edit not found")
    if not found.from_bot:
        raise bad_request("message can't be edited")
    return found


def _edit(tg: TelegramState, old: ChatMessage, p: Json, content: Json, source: str | None) -> Json:
    """Replace the message's content; identical content and markup is Telegram's 400."""
    markup = _shown_markup(p.get("reply_markup"))
    kept = {
        k: v
        for k, v in old.json.items()
        if k
        not in ("text", "entities", "caption", "caption_entities", "reply_markup", "edit_date")
    }
    new = {**kept, **content, **({"reply_markup": markup} if markup else {})}
    if {**new, "edit_date": None} == {**old.json, "edit_date": None}:
        raise bad_request(NOT_MODIFIED)
    new["edit_date"] = tg.updates.clock()
    parse_mode = p.get("parse_mode", old.parse_mode)
    tg.store(ChatMessage(new, True, source, parse_mode, edits=old.edits + 1))
    return new


def edit_message_text(tg: TelegramState, p: Json, files: Files) -> Json:
    """editMessageText: only text messages; no reply_markup given removes the keyboard."""
    old = _editable(tg, p)
    if old.text is None:
        raise bad_request("there is no text in the message to edit")
    text, entities = rules.message_text(p.get("text"), p.get("parse_mode"), p.get("entities"))
    return _edit(tg, old, p, _with_entities("text", text, entities), p["text"])


def edit_message_caption(tg: TelegramState, p: Json, files: Files) -> Json:
    """editMessageCaption: only media messages; an empty caption removes it."""
    old = _editable(tg, p)
    if old.photo is None:
        raise bad_request("there is no caption in the message to edit")
    caption, entities = rules.caption(
        p.get("caption"), p.get("parse_mode"), p.get("caption_entities")
    )
    content = _with_entities("caption", caption, entities) if caption else {}
    return _edit(tg, old, p, content, p.get("caption"))


def edit_message_reply_markup(tg: TelegramState, p: Json, files: Files) -> Json:
    """editMessageReplyMarkup: same content, new (or no) inline keyboard."""
    old = _editable(tg, p)
    keys = ("text", "entities", "caption", "caption_entities")
    return _edit(tg, old, p, {k: old.json[k] for k in keys if k in old.json}, old.source)


def delete_message(tg: TelegramState, p: Json, files: Files) -> bool:
    """deleteMessage: the message must still be in the chat."""
    chat = tg.chat(chat_id(p))["id"]
    found = tg.find_message(chat, message_id(p, "message identifier is not specified"))
    if found is None:
        raise bad_request("message to delete not found")
    found.deleted = True
    return True
