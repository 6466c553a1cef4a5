"""/start (with deep links to an article) and /help."""

from __future__ import annotations

from telegram import BotCommand, Update
from telegram.ext import CommandHandler, ContextTypes, filters

from bot import render
from bot.delivery.article import send_article
from bot.handlers.admin import is_admin
from bot.services import services

MESSAGES = filters.UpdateType.MESSAGE

COMMANDS = [
    BotCommand("latest", "The newest headlines"),
    BotCommand("read", "Read an article: /read 3"),
    BotCommand("search", "Search the news: /search election"),
    BotCommand("subscribe", "A daily digest at your time: /subscribe 07:30 Berlin"),
    BotCommand("settings", "Your digest: time, zone, topics, pause"),
    BotCommand("digest", "The digest now"),
    BotCommand("topics", "Digest topics: /topics economy, climate"),
    BotCommand("unsubscribe", "Stop the daily digest"),
    BotCommand("forget", "Delete everything kept about you"),
    BotCommand("cancel", "Forget a question I asked"),
    BotCommand("help", "What this bot can do"),
    BotCommand("start", "Welcome"),
]

HELP = """<b>newsbot</b> brings you the news: each story's photo with its caption, and a short \
summary of the article.

/latest – the newest headlines; tap one to read it
/read <i>number</i> – an article by its number, e.g. /read 3
/search <i>words</i> – articles with all these words (or just send the words)
/subscribe – a daily digest of what's new, at your time: /subscribe 07:30 Europe/Berlin \
(or a city), or just /subscribe to pick a time
/settings – your digest's time, zone and topics, with buttons to change, pause or stop it
/topics <i>words, words</i> – only news on these topics in your digest (/topics all: everything)
/digest – the digest right now
/unsubscribe – no more digests (your settings are kept for a later /subscribe)
/forget – delete everything the bot keeps about you (it asks first)
/cancel – close a question I asked you (a time zone, topics, a time, a confirmation)
/start – the welcome again
/help – this message

Under each summary: <b>Full text</b> sends the whole article, <b>Next</b> the one before it, \
and <b>Share</b> posts it in another chat. In any chat you can also type @{bot} and a few \
words to share a story."""


async def start_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: a welcome; /start <id> (the t.me/<bot>?start=<id> deep link) opens an article."""
    message = update.effective_message
    if message is None:
        return
    svc = services(context)
    svc.subscriptions.mark_unblocked(message.chat_id, now=svc.clock())  # back after blocking us
    args = context.args or []
    if len(args) == 1 and args[0].isdecimal():
        await send_article(context.bot, message.chat_id, int(args[0]), services(context))
        return
    name = render.esc(update.effective_user.first_name) if update.effective_user else "there"
    await message.reply_text(
        f"Hello, {name}! I bring you the news: the story's photo and a short summary.\n\n"
        "Tap <b>Latest news</b>, or send /help to see everything I can do.",
        reply_markup=render.start_keyboard(),
    )


ADMIN_HELP = """

<b>For admins</b>
/post – write an article step by step (headline, text, photo, link), see it as readers \
will, then publish it, or publish and notify the readers who want breaking news
A photo captioned "/post Headline" with the text on the next lines publishes at once.
/edit <i>number</i> – change an article field by field; its summary follows
/delete <i>number</i> – remove an article (after a confirmation)
/stats – articles, readers, digests sent, most-read articles
/cancel – drop the draft you are writing, or close a /delete confirmation"""

ADMIN_COMMANDS = [
    BotCommand("post", "Write an article (admins)"),
    BotCommand("edit", "Edit an article: /edit 3 (admins)"),
    BotCommand("delete", "Delete an article: /delete 3 (admins)"),
    BotCommand("stats", "Statistics (admins)"),
]


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help: every command, in plain words (and the admin ones, for admins)."""
    if update.effective_message is None:
        return
    text = HELP.format(bot=context.bot.username)
    if is_admin(update, context):
        text += ADMIN_HELP
    await update.effective_message.reply_text(text)


HANDLERS = [
    CommandHandler("start", start_command, filters=MESSAGES),
    CommandHandler("help", help_command, filters=MESSAGES),
]
