"""Admins' outlets in the chat: /channels (the list, with Pause/Resume and Remove under each)
and /channel @name (checked with the Bot API, then added); the bot's own reaction to its rights
changing in a chat (my_chat_member) and to a group becoming a supergroup."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import (
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.handlers.admin import admins_only
from bot.handlers.buttons import acknowledge
from bot.handlers.questions import answered, ask, refused_as_cancelled
from bot.i18n import _
from bot.outlet_check import CheckedChat, chat_ref, check_chat, check_outlet, may_post
from bot.render import outlets as render
from bot.render.channel_args import parse_channel_args
from bot.services import Services, digest_sender, services
from summaries.errors import (
    DuplicateOutletError,
    NewsbotError,
    OutletError,
    OutletNotFoundError,
)
from summaries.outlet_model import Outlet
from summaries.topics import parse_topics

MESSAGES = filters.UpdateType.MESSAGE
# ASCII digits only ([0-9], not \d: int() would read '٣' too); an id out of SQLite's range
# is the domain's "not found" (summaries.ids)
PATTERN = (
    r"^out:(page:[0-9]+|(pause|resume):[0-9]+:[0-9]+|rm:[0-9]+(:yes|:no)?|offer:-?[0-9]{1,16})$"
)


@admins_only
async def channels_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/channels: the first page of outlets, each with its buttons."""
    if update.effective_message is None:
        return
    text, markup = _page(context, 0)
    await update.effective_message.reply_text(text, reply_markup=markup)


@admins_only
async def channel_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/channel @name [topics: a, b] [thread: ID]: check that the bot may post there, then
    add it; any problem is one sentence and nothing is stored."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    _command, _sep, args = message.text.partition(" ")
    if not args.strip():
        await message.reply_text(_(render.CHANNEL_USAGE), parse_mode=None)
        return
    svc = services(context)
    now = svc.clock()
    try:
        chat, topics_text, thread = parse_channel_args(args)
        ref = chat_ref(chat)
        wording = render.CHANNEL_TOPICS
        topics = parse_topics(topics_text, wording) if topics_text is not None else ()
        checked = await check_chat(context.bot, ref, thread_id=thread)
        outlet = _add(svc, checked, now=now, topics=topics)
    except NewsbotError as error:
        await message.reply_text(render.not_added(str(error)), parse_mode=None)
        return
    await message.reply_text(render.added_text(outlet, checked.notes), parse_mode=None)


def _add(
    svc: Services, checked: CheckedChat, *, now: datetime, topics: tuple[str, ...] = ()
) -> Outlet:
    try:
        return svc.outlets.add(
            checked.chat_id, now=now, kind=checked.kind, thread_id=checked.thread_id,
            title=checked.title, username=checked.username, topics=topics,
        )  # fmt: skip
    except DuplicateOutletError as error:  # say how to change its filters instead
        name = render.chat_name(checked.chat_id, checked.title, checked.username)
        raise OutletError(render.already_an_outlet(error.outlet_id, name)) from None


@admins_only
async def outlet_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every button of /channels, of a removal's confirmation and of an offer (admins only,
    checked at each press)."""
    query = update.callback_query
    if query is None or query.data is None or query.message is None:
        return
    _prefix, action, *rest = query.data.split(":")
    try:
        if action == "offer":
            await _offer_pressed(query, context, int(rest[0]))
            return
        numbers = [int(part) for part in rest if part.isdecimal()]
        if action == "page":
            await acknowledge(query)
            await _show(query, context, numbers[0])
        elif action in ("pause", "resume"):
            await _pause_or_resume(query, context, action, *numbers)
        elif rest[-1] in ("yes", "no"):
            await _remove(update, context, numbers[0], yes=rest[-1] == "yes")
        else:
            await _ask_remove(query, context, numbers[0])
    except OutletNotFoundError as error:  # removed meanwhile (an old list, a second Yes)
        await acknowledge(query, render.gone(error.outlet_id), alert=True)


async def _offer_pressed(
    query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE, chat_id: int
) -> None:
    """ "Post news here": the same checks as /channel, then the offer says what happened."""
    svc = services(context)
    now = svc.clock()
    await acknowledge(query)
    try:
        checked = await check_chat(context.bot, chat_id)
        outlet = _add(svc, checked, now=now)
    except OutletError as error:
        await context.bot.send_message(_chat(query), render.not_added(str(error)), parse_mode=None)
        return
    await query.edit_message_text(render.added_text(outlet, checked.notes), parse_mode=None)


async def _pause_or_resume(
    query: CallbackQuery,
    context: ContextTypes.DEFAULT_TYPE,
    action: str,
    outlet_id: int,
    offset: int,
) -> None:
    svc = services(context)
    now = svc.clock()
    if action == "pause":
        svc.outlets.pause(outlet_id, "admin", now=now)
        await acknowledge(query, render.paused(outlet_id))
    else:
        outlet = svc.outlets.get(outlet_id)
        if outlet.active:
            await acknowledge(query, render.not_paused(outlet_id), alert=True)
            return
        try:  # as /channel does: a kicked bot's outlet would only pause again at its next post
            await check_outlet(context.bot, outlet)
        except OutletError as error:
            await acknowledge(query, render.not_resumed(outlet_id, str(error)), alert=True)
            return
        skipped = svc.outlets.resume(outlet_id, now=now)
        await acknowledge(query, render.resumed(outlet_id, skipped), alert=bool(skipped))
    await _show(query, context, offset)


async def _ask_remove(
    query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE, outlet_id: int
) -> None:
    outlet = services(context).outlets.get(outlet_id)
    await acknowledge(query)
    sent = await context.bot.send_message(
        _chat(query),
        render.remove_question(outlet),
        reply_markup=render.remove_keyboard(outlet_id),
    )
    ask(context, "remove-outlet", sent, outlet=outlet_id)


async def _remove(
    update: Update, context: ContextTypes.DEFAULT_TYPE, outlet_id: int, *, yes: bool
) -> None:
    query = update.callback_query
    if query is None or query.message is None or await refused_as_cancelled(update, context):
        return
    svc = services(context)
    outlet = svc.outlets.get(outlet_id)  # OutletNotFoundError: a second Yes says it is gone
    await acknowledge(query)
    answered(context, "remove-outlet", query.message.message_id)
    if not yes:
        await query.edit_message_text(_(render.OUTLET_KEPT))
        return
    dropped = svc.outlets.remove(outlet_id, now=svc.clock())
    await query.edit_message_text(render.removed(outlet, dropped))


async def _show(query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE, offset: int) -> None:
    """The list's page at `offset` in the pressed message (a page that shows it already stays)."""
    text, markup = _page(context, offset)
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in error.message:
            raise


def _page(
    context: ContextTypes.DEFAULT_TYPE, offset: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    every = services(context).outlets.all()
    size = render.OUTLETS_PAGE
    if offset >= len(every):  # past the end (outlets removed since): the last page
        offset = max(len(every) - 1, 0) // size * size
    shown = every[offset : offset + size]
    text = render.outlets_page(shown, offset=offset, total=len(every))
    return text, render.outlets_keyboard(shown, offset=offset, has_more=offset + size < len(every))


def _chat(query: CallbackQuery) -> int:
    return query.message.chat.id if query.message is not None else query.from_user.id


# The bot's own reactions: no admin acts here, Telegram tells of a change.


class OutletMemberHandler(ChatMemberHandler[Any, Any]):
    """my_chat_member in a channel or group (a private chat's is a reader blocking the bot)."""

    def check_update(self, update: object) -> bool:
        """Only the bot's own membership, and only outside private chats."""
        if not isinstance(update, Update) or update.my_chat_member is None:
            return False
        return update.my_chat_member.chat.type != "private" and bool(super().check_update(update))


async def rights_changed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The bot's place in a chat changed: its outlets there pause (lost rights) or resume
    (rights back), and the admins hear of it once, through the alerts outbox; a channel
    that isn't an outlet, where the bot may now post, is offered to them."""
    change = update.my_chat_member
    if change is None:
        return
    svc = services(context)
    now = svc.clock()
    chat, new = change.chat, change.new_chat_member
    can, could = may_post(new, chat.type), may_post(change.old_chat_member, chat.type)
    outlets = svc.outlets.of_chat(chat.id)
    details: dict[str, Any] = {"chat_id": chat.id, "title": chat.title or "",
                               "username": chat.username}  # fmt: skip
    with svc.store.db.atomic():  # the change and its alert, together
        if outlets:
            svc.outlets.refresh(chat.id, title=chat.title or "", username=chat.username, now=now)
        alert: tuple[str, dict[str, Any]] | None = None
        if not can:
            hit = [o.id for o in outlets if o.active]
            for outlet_id in hit:
                svc.outlets.pause(outlet_id, "rights", now=now)
            if hit:
                why = render.lost_rights(new.status, chat.type)  # worded again for each admin
                lost = {"status": new.status, "chat_type": chat.type}
                alert = ("outlet-paused", details | {"outlets": hit, "why": why, **lost})
        else:
            back = [o.id for o in outlets if o.paused_reason == "rights"]
            skipped = sum(svc.outlets.resume(outlet_id, now=now) for outlet_id in back)
            if back:
                alert = ("outlet-resumed", details | {"outlets": back, "skipped": skipped})
            elif not outlets and not could and chat.type == "channel":
                alert = ("outlet-offer", details)
        if alert is not None:
            svc.alerts.queue(*alert, now=now)
    if alert is not None and context.application.running:  # told now, not at the next
        # round (up to 30 s later); the outbox still sends it once
        context.application.create_task(
            digest_sender(context).run_round(context.bot), name="alerts now"
        )


async def chat_migrated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group became a supergroup: its outlets move to the new chat id (both service
    messages arrive; the second finds nothing left to move)."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    svc = services(context)
    svc.outlets.migrate_chat(old, new, now=svc.clock())


HANDLERS = [
    CommandHandler("channels", channels_command, filters=MESSAGES),
    CommandHandler("channel", channel_command, filters=MESSAGES),
    CallbackQueryHandler(outlet_button, pattern=PATTERN),
    OutletMemberHandler(rights_changed, ChatMemberHandler.MY_CHAT_MEMBER),
    MessageHandler(filters.StatusUpdate.MIGRATE, chat_migrated),
]
