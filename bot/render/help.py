"""/help and /start as readers see them, and the commands in Telegram's menu.

Everything here is in the current reader's language: the menu is registered once for each
language newsbot speaks (bot.app.on_startup).
"""

from __future__ import annotations

from telegram import BotCommand

from bot.i18n import N_, _

COMMANDS = [
    BotCommand("latest", N_("The newest headlines")),
    BotCommand("read", N_("Read an article: /read 3")),
    BotCommand("search", N_("Search the news: /search election")),
    BotCommand("subscribe", N_("A daily digest at your time: /subscribe 07:30 Berlin")),
    BotCommand("settings", N_("Your digest: time, zone, topics, pause")),
    BotCommand("digest", N_("The digest now")),
    BotCommand("topics", N_("Digest topics: /topics economy, climate")),
    BotCommand("unsubscribe", N_("Stop the daily digest")),
    BotCommand("language", N_("The language I write to you in")),
    BotCommand("forget", N_("Delete everything kept about you")),
    BotCommand("cancel", N_("Forget a question I asked")),
    BotCommand("help", N_("What this bot can do")),
    BotCommand("start", N_("Welcome")),
]

ADMIN_COMMANDS = [
    BotCommand("post", N_("Write an article (admins)")),
    BotCommand("edit", N_("Edit an article: /edit 3 (admins)")),
    BotCommand("delete", N_("Delete an article: /delete 3 (admins)")),
    BotCommand("stats", N_("Statistics (admins)")),
    BotCommand("sources", N_("News feeds: state, poll, pause, remove (admins)")),
    BotCommand("source", N_("Add a news feed: /source https://… (admins)")),
    BotCommand("channels", N_("Channels and groups the news is posted to (admins)")),
    BotCommand("channel", N_("Post the news to a channel: /channel @name (admins)")),
]

HELP = N_(
    """<b>newsbot</b> brings you the news: each story's photo with its caption, and a short \
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
/language – the language I write to you in (buttons, each in its own language)
/forget – delete everything the bot keeps about you (it asks first)
/cancel – close a question I asked you (a time zone, topics, a time, a confirmation)
/start – the welcome again
/help – this message

Under each summary: <b>Full text</b> shows the whole article a page at a time, <b>Next</b> \
the one before it, and <b>Share</b> posts it in another chat. In any chat you can also type \
@{bot} and a few words to share a story."""
)

ADMIN_HELP = N_(
    """<b>For admins</b>
/post – write an article step by step (headline, text, photo, link), see it as readers \
will, then publish it, or publish and notify the readers who want breaking news
A photo captioned "/post Headline" with the text on the next lines publishes at once.
/edit <i>number</i> – change an article field by field; its summary follows
/delete <i>number</i> – remove an article (after a confirmation)
/stats – articles, readers, digests sent, most-read articles
/sources – the news feeds read by the bot, how each is doing, with buttons to poll one now, \
pause or resume it, or remove it (its articles stay)
/source <i>address</i> – read a new feed (or the feed a web page links to); it is checked first
/channels – the channels and groups every new article is posted to, with posts sent and \
state, and buttons to pause, resume or remove one
/channel <i>@name</i> – post new articles to a channel (the bot an administrator with 'Post \
messages') or group; add <i>topics: economy, climate</i> for only some, in a forum \
<i>thread: ID</i>. When you make the bot a channel's administrator it offers this itself.
/cancel – drop the draft you are writing, or close a /delete confirmation"""
)


def welcome(name: str) -> str:
    """/start's greeting (`name` escaped already)."""
    return _(
        "Hello, {name}! I bring you the news: the story's photo and a short summary.\n\n"
        "Tap <b>Latest news</b>, or send /help to see everything I can do."
    ).format(name=name)


def welcome_anyone() -> str:
    """/start's greeting when Telegram names nobody (a channel's post)."""
    return _(
        "Hello! I bring you the news: the story's photo and a short summary.\n\n"
        "Tap <b>Latest news</b>, or send /help to see everything I can do."
    )


def help_text(bot: str | None, *, admin: bool) -> str:
    """/help: every command (and, for admins, theirs)."""
    text = _(HELP).format(bot=bot)
    return f"{text}\n\n{_(ADMIN_HELP)}" if admin else text


def commands(*, admin: bool = False) -> list[BotCommand]:
    """Telegram's command menu in the current language (with the admins' commands)."""
    shown = COMMANDS + ADMIN_COMMANDS if admin else COMMANDS
    return [BotCommand(c.command, _(c.description)) for c in shown]
