"""The Bot API methods that change or remove what a chat shows: edits and deleteMessage.

The message must still be there and the bot must be allowed to touch it (its own, or, in a
channel or supergroup, by its administrator rights); an edit must change something.
"""

from standin import rules
from standin.chats import CANT_DELETE, CANT_EDIT, DELETE_WINDOW, OutletChat
from standin.errors import bad_request
from standin.messages import NOT_MODIFIED, Files, photo_sizes, shown_markup, with_entities
from standin.params import chat_id, media_input, message_id
from standin.state import ChatMessage, Json
from standin.telegram_state import TelegramState

CONTENT = ("text", "entities", "caption", "caption_entities", "reply_markup", "edit_date")
# "Service messages about a supergroup, channel, or forum topic creation can't be deleted."
UNDELETABLE = ("forum_topic_created", "supergroup_chat_created", "channel_chat_created")


def _found(
    tg: TelegramState, p: Json, missing: str, *, write: bool = True
) -> tuple[ChatMessage, OutletChat | None]:
    """The message named by chat_id and message_id, after the bot's access to the chat
    (`write=False` for edits: an upgraded group's old messages stay editable)."""
    if "inline_message_id" in p:
        raise bad_request("the stand-in does not support inline_message_id")
    chat = tg.chat(chat_id(p), write=write)["id"]
    outlet = tg.outlets.get(chat)
    if outlet is not None:
        outlet.reachable(write=write)
    found = tg.find_message(chat, message_id(p, "message identifier is not specified"))
    if found is None:
        raise bad_request(missing)
    return found, outlet


def _editable(tg: TelegramState, p: Json) -> ChatMessage:
    found, outlet = _found(tg, p, "message to edit not found", write=False)
    if outlet is not None:
        outlet.check_edit(found.from_bot)
    elif not found.from_bot:
        raise bad_request(CANT_EDIT)
    return found


def _edit(
    tg: TelegramState,
    old: ChatMessage,
    p: Json,
    content: Json,
    source: str | None,
    *,
    replaces: tuple[str, ...] = (),
    parse_mode: str | None = None,
) -> Json:
    """Replace the message's content; identical content and markup is Telegram's 400."""
    markup = shown_markup(p.get("reply_markup"))
    kept = {k: v for k, v in old.json.items() if k not in (*CONTENT, *replaces)}
    new = {**kept, **content, **({"reply_markup": markup} if markup else {})}
    if {**new, "edit_date": None} == {**old.json, "edit_date": None}:
        raise bad_request(NOT_MODIFIED)
    new["edit_date"] = tg.now()
    mode = parse_mode or p.get("parse_mode", old.parse_mode)
    tg.store(ChatMessage(new, old.from_bot, source, mode, edits=old.edits + 1))
    return new


def edit_message_text(tg: TelegramState, p: Json, files: Files) -> Json:
    """editMessageText: only text messages; no reply_markup given removes the keyboard."""
    old = _editable(tg, p)
    if old.text is None:
        raise bad_request("there is no text in the message to edit")
    text, entities = rules.message_text(p.get("text"), p.get("parse_mode"), p.get("entities"))
    return _edit(tg, old, p, with_entities("text", text, entities), p["text"])


def edit_message_caption(tg: TelegramState, p: Json, files: Files) -> Json:
    """editMessageCaption: only media messages; an empty caption removes it."""
    old = _editable(tg, p)
    if old.photo is None:
        raise bad_request("there is no caption in the message to edit")
    caption, entities = rules.caption(
        p.get("caption"), p.get("parse_mode"), p.get("caption_entities")
    )
    content = with_entities("caption", caption, entities) if caption else {}
    return _edit(tg, old, p, content, p.get("caption"))


def edit_message_media(tg: TelegramState, p: Json, files: Files) -> Json:
    """editMessageMedia with an InputMediaPhoto. The Bot API edits "animation, audio,
    document, photo, or video messages, or ... add[s] media to text messages" (its current
    wording; older versions refused a text message), so a text message may become a photo;
    the new media's caption replaces the old one, and none given means none."""
    old = _editable(tg, p)
    media = p.get("media")
    if not isinstance(media, dict):
        raise bad_request("can't parse InputMedia JSON object")
    if media.get("type") != "photo":  # the stand-in's words: Telegram takes other kinds
        raise bad_request(
            f"the stand-in implements editMessageMedia for photos only, not {media.get('type')}"
        )
    mode = media.get("parse_mode")
    caption, entities = rules.caption(media.get("caption"), mode, media.get("caption_entities"))
    content = {
        "photo": photo_sizes(tg, media_input("media", media, files)),
        **(with_entities("caption", caption, entities) if caption else {}),
    }
    return _edit(tg, old, p, content, media.get("caption"), replaces=("photo",), parse_mode=mode)


def edit_message_reply_markup(tg: TelegramState, p: Json, files: Files) -> Json:
    """editMessageReplyMarkup: same content, new (or no) inline keyboard."""
    old = _editable(tg, p)
    keys = ("text", "entities", "caption", "caption_entities")
    return _edit(tg, old, p, {k: old.json[k] for k in keys if k in old.json}, old.source)


def delete_message(tg: TelegramState, p: Json, files: Files) -> bool:
    """deleteMessage: "A message can only be deleted if it was sent less than 48 hours ago";
    in private chats any message; elsewhere as the bot's rights allow (OutletChat)."""
    found, outlet = _found(tg, p, "message to delete not found")
    if outlet is not None:
        outlet.check_delete(found.from_bot)
    if any(kind in found.json for kind in UNDELETABLE):
        raise bad_request(CANT_DELETE)
    if tg.now() - int(found.json["date"]) >= DELETE_WINDOW:
        raise bad_request(CANT_DELETE)
    found.deleted = True
    return True
