"""The Bot API methods that describe a chat and who is in it: getChat, getChatMember,
getChatAdministrators."""

from standin.errors import bad_request
from standin.messages import Files
from standin.params import chat_id
from standin.state import Json
from standin.telegram_state import TelegramState

GIFT_TYPES = {
    "unlimited_gifts": False, "limited_gifts": False, "unique_gifts": False,
    "premium_subscription": False, "gifts_from_channels": False,
}  # fmt: skip


def get_chat(tg: TelegramState, p: Json, files: Files) -> Json:
    """getChat (an id or a public chat's @username): a ChatFullInfo for a chat it may see."""
    chat = tg.chat(chat_id(p))
    outlet = tg.outlets.get(chat["id"])
    if outlet is not None:
        outlet.check_visible()
    extra: Json = {
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": GIFT_TYPES,
    }
    return {**chat, **extra}


def _creator(owner: Json) -> Json:
    return {"user": owner, "status": "creator", "is_anonymous": False}


def get_chat_member(tg: TelegramState, p: Json, files: Files) -> Json:
    """getChatMember: the bot's own record as its status shapes it (ChatMemberAdministrator,
    ChatMemberMember, ChatMemberRestricted, ChatMemberLeft, ChatMemberBanned)."""
    chat = tg.chat(chat_id(p))
    user_id = p.get("user_id")
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        raise bad_request("user_id is empty" if user_id is None else "invalid user_id specified")
    outlet = tg.outlets.get(chat["id"])
    if outlet is None:  # a private chat: the user, and the bot unless blocked
        if user_id == tg.bot["id"]:
            status = "kicked" if chat["id"] in tg.blocked_chats else "member"
            return {
                "user": tg.bot,
                "status": status,
                **({"until_date": 0} if status == "kicked" else {}),
            }
        if user_id != chat["id"]:
            raise bad_request("user not found")
        return {
            "user": {"id": user_id, "is_bot": False, "first_name": chat["first_name"]},
            "status": "member",
        }
    outlet.check_visible()
    if user_id == tg.bot["id"]:
        return outlet.member.json(tg.bot, outlet.type)
    if user_id == outlet.owner["id"]:
        return _creator(outlet.owner)
    raise bad_request("user not found")


def get_chat_administrators(tg: TelegramState, p: Json, files: Files) -> list[Json]:
    """getChatAdministrators: the creator and, if it is one, the bot (no other bots listed)."""
    chat = tg.chat(chat_id(p))
    outlet = tg.outlets.get(chat["id"])
    if outlet is None:
        raise bad_request("there are no administrators in the private chat")
    outlet.reachable()
    if outlet.type == "channel" and outlet.member.status != "administrator":
        raise bad_request("member list is inaccessible")
    admins = [_creator(outlet.owner)]
    if outlet.member.status == "administrator":
        admins.append(outlet.member.json(tg.bot, outlet.type))
    return admins
