"""The poster: queued channel and group posts sent, then edits and deletes owed, resumably.

A repeating job starts a round as a task of its own (never two at once, as bot/feed_job.py
does), so a burst of posts never holds readers' updates or the digest round up. One process
posts, by lease (its own, "outlets"), and a new holder first settles what a dead one left:
a claim that never left goes again, a post on the wire is in doubt and never resent.

Every post, edit and delete is claimed in the ledger before its first request and marked
'sending' as that request leaves (`leaving()`, bot/ratelimit.py). Posts to one chat go one
at a time, in article order, within Telegram's 20 messages a minute (the ledger counts
what left in the last minute: a photo and a text are 2); chats go side by side.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from telegram.ext import ContextTypes, ExtBot

from bot import i18n
from bot.delivery.channel_post import (
    PostError,
    SentMessage,
    delete_post,
    edit_post,
    send_post,
)
from bot.render.channel import ChannelPost, channel_post
from bot.services import Services, services
from summaries import outlet_links
from summaries.errors import ArticleNotFoundError
from summaries.leases import ended_here, new_owner
from summaries.models import Article
from summaries.outlet_fixes import Fix, OutletFixes
from summaries.outlet_model import Post, PostMessage
from summaries.outlet_pace import PER_CHAT, WINDOW
from summaries.outlet_posts import OutletPosts
from summaries.outlet_queue import OutletQueue
from summaries.outlets import PauseReason

logger = logging.getLogger(__name__)

LEASE = "outlets"
LEASE_TTL = timedelta(seconds=90)
LOOK_EVERY = 3.0  # seconds between rounds: one small query when nothing is queued
PASSES = 5  # looks at the queue per round: a chat's window refills while others post
RETRY_AFTER = timedelta(seconds=10)  # a post with no retry_after waits this long
UNREACHABLE = (
    "the group became a supergroup: this post stays in the old group, where its messages "
    "can be edited but nothing can be added or deleted"
)


def _sent(messages: Sequence[PostMessage]) -> list[SentMessage]:
    return [SentMessage(m.message_id, m.kind, m.file_id) for m in messages]


def _ledger(messages: Sequence[SentMessage]) -> list[PostMessage]:
    return [PostMessage(m.message_id, m.kind, m.file_id) for m in messages]


class _PostMarks:
    """The `leaving()` hook of one post: 'sending' as its first request leaves."""

    def __init__(
        self,
        posts: OutletPosts,
        post_id: int,
        messages: int,
        version: int,
        clock: Callable[[], datetime],
    ) -> None:
        self.posts, self.post_id, self.messages, self.version = posts, post_id, messages, version
        self.clock = clock
        self.left = False

    def __call__(self, leaving: bool) -> None:
        """Marked once, as the first request leaves; a try that certainly failed leaves the
        mark (a crash then counts the post in doubt: never twice, at worst once less)."""
        if leaving and not self.left:
            self.left = True
            self.posts.mark_sending(
                self.post_id, messages=self.messages, now=self.clock(), version=self.version
            )


class _FixMarks:
    """The `leaving()` hook of one edit or delete: 'sending' as its first request leaves."""

    def __init__(self, mark: Callable[[], None]) -> None:
        self.mark, self.left = mark, False

    def __call__(self, leaving: bool) -> None:
        if leaving and not self.left:
            self.left = True
            self.mark()


class OutletPoster:
    """Sends queued posts, edits and deletes; holds the lease while it does."""

    def __init__(self, svc: Services, owner: str | None = None) -> None:
        self.svc = svc
        self.owner = owner or new_owner()
        self._holding = False
        self._other_holder: str | None = None
        self._round = asyncio.Lock()
        self._running = False  # a round task is under way (the job starts no second one)
        self.stopping = False  # winding down: nothing more is claimed

    @property
    def posts(self) -> OutletPosts:
        """The posts ledger (over the services' database, which tests may swap)."""
        return OutletPosts(self.svc.store.db)

    @property
    def fixes(self) -> OutletFixes:
        """The edits and deletes owed."""
        return OutletFixes(self.svc.store.db)

    def begin_round(self) -> bool:
        """Whether the job may start a round now (none under way, not stopping)."""
        if self._running or self.stopping:
            return False
        self._running = True
        return True

    def end_round(self) -> None:
        """The round task is over."""
        self._running = False

    def stop(self) -> None:
        """Claim nothing more (the app is stopping); what is on the wire finishes."""
        self.stopping = True

    def release(self) -> None:
        """Give the lease up, so a restarted bot posts at once."""
        self.svc.leases.release(LEASE, self.owner)

    async def run_round(self, bot: ExtBot[Any]) -> dict[str, int]:
        """Queue what is new, send what the pace allows, then the edits and deletes owed;
        how many ended in each state."""
        async with self._round:
            svc = self.svc
            if self.stopping or not self._take_lease(svc.clock()):
                return {}
            counts: dict[str, int] = {}
            OutletQueue(svc.store.db).enqueue(svc.clock())
            for _ in range(PASSES):
                due = self.posts.next_posts(svc.clock(), per_chat=PER_CHAT, window=WINDOW)
                if not due or self.stopping:
                    break
                by_chat: dict[int, list[Post]] = {}
                for post in due:
                    by_chat.setdefault(post.chat_id, []).append(post)
                for outcomes in await asyncio.gather(
                    *(self._post_chat(bot, posts) for posts in by_chat.values())
                ):
                    for outcome in outcomes:
                        counts[outcome] = counts.get(outcome, 0) + 1
            for outcome in await self._fixes(bot):
                counts[outcome] = counts.get(outcome, 0) + 1
            self._renew()
            if counts:
                logger.info("outlet round: %s", counts)
            return counts

    # Posts.

    async def _post_chat(self, bot: ExtBot[Any], due: list[Post]) -> list[str]:
        """One chat's posts, one at a time in article order, while its window allows."""
        outcomes: list[str] = []
        for post in due:
            now = self.svc.clock()
            if self.stopping or self.posts.next_free_at(post.chat_id, now) > now:
                break  # the window is full (a photo and a text count two): the next round
            outcome = await self._post(bot, post)
            outcomes.append(outcome)
            if outcome in ("retry", "paused", "migrated"):
                break  # the chat's other posts wait: they go in order, later
        return outcomes

    async def _post(self, bot: ExtBot[Any], post: Post) -> str:
        svc, posts = self.svc, self.posts
        try:
            article = svc.store.get(post.article_id)
        except ArticleNotFoundError:
            return "dropped"  # deleted meanwhile: claim() refuses it, next_posts skips it
        if not posts.claim(post.id, self.owner, now=svc.clock()):
            return "already-claimed"
        rendered = await self._render(bot, article, post.outlet_id)
        messages = 2 if rendered.photo and rendered.text is not None else 1
        marks = _PostMarks(posts, post.id, messages, article.version, svc.clock)
        try:
            sent = await send_post(
                bot, post.chat_id, post.thread_id, article, rendered,
                photos=svc.store, on_the_wire=marks,
                on_message=lambda m: posts.add_message(post.id, _ledger([m])[0]),
            )  # fmt: skip
        except PostError as error:
            return self._post_failed(post, error)
        posts.finish(post.id, _ledger(sent), now=svc.clock())
        return "sent"

    async def _render(self, bot: ExtBot[Any], article: Article, outlet_id: int) -> ChannelPost:
        summary = await self.svc.summary(article)
        with i18n.using(i18n.of_article(article.language)):  # no reader: the story's language
            return channel_post(
                article, summary, bot_username=bot.username,
                start_param=outlet_links.start_param(article.id, outlet_id),
                tz=self.svc.settings.timezone,
            )  # fmt: skip

    def _post_failed(self, post: Post, error: PostError) -> str:
        """Settle a post Telegram did not take whole, by what its error means."""
        posts, now = self.posts, self.svc.clock()
        if error.kind == "in-doubt":  # it may have arrived: counted as posted, never resent
            posts.in_doubt(post.id, now=now, error=error.message)
            return "in-doubt"
        if error.sent:  # the photo went: it is never repeated
            posts.partial(post.id, _ledger(error.sent), error.message, now=now)
            self._act_on(post, error)
            return "partial"
        if error.kind in ("rights", "topic-gone", "topic-closed", "migrated", "retry"):
            posts.requeue(post.id)
            return self._act_on(post, error)
        posts.fail(post.id, error.message, now=now)
        logger.error("post of article %s to outlet %s refused: %s",
                     post.article_id, post.outlet_id, error.message)  # fmt: skip
        return "failed"

    def _act_on(self, post: Post, error: PostError) -> str:
        """What the chat's error means for its outlets: paused, moved, or held a while."""
        svc, now = self.svc, self.svc.clock()
        if error.kind == "rights":
            self._pause_chat(post.chat_id, error.message, now)
            return "paused"
        if error.kind in ("topic-gone", "topic-closed"):
            self._pause_topic(post, error, now)
            return "paused"
        if error.kind == "migrated" and error.new_chat_id is not None:
            moved = svc.outlets.migrate_chat(post.chat_id, error.new_chat_id, now=now)
            logger.info("chat %s became %s: %d outlet(s) moved",
                        post.chat_id, error.new_chat_id, moved)  # fmt: skip
            return "migrated"
        if error.kind == "retry":
            wait = timedelta(seconds=error.retry_after) if error.retry_after else RETRY_AFTER
            self.posts.hold_chat(post.chat_id, now + wait)
            return "retry"
        return "failed"

    def _pause_chat(self, chat_id: int, why: str, now: datetime) -> None:
        """The bot may not post there any more: the chat's active outlets pause (their
        queues kept) and the admins are told once, as when Telegram reports the change."""
        svc = self.svc
        outlets = svc.outlets.of_chat(chat_id)
        hit = [o.id for o in outlets if o.active]
        if not hit:
            return
        first = outlets[0]
        details: dict[str, Any] = {"chat_id": chat_id, "title": first.title,
                                   "username": first.username}  # fmt: skip
        with svc.store.db.atomic():
            for outlet_id in hit:
                svc.outlets.pause(outlet_id, "rights", now=now)
            svc.alerts.queue(
                "outlet-paused",
                details | {"outlets": hit, "why": f"Telegram said: {why}"[:200]},
                now=now,
            )
        logger.warning("outlet(s) %s paused: the bot may not post to %s (%s)", hit, chat_id, why)

    def _pause_topic(self, post: Post, error: PostError, now: datetime) -> None:
        """The forum topic the post goes to was deleted or closed: that topic's outlet pauses
        (the chat's other topics still work) and the admins are told why, once."""
        svc = self.svc
        outlet = svc.outlets.find(post.chat_id, post.thread_id)
        if outlet is None or not outlet.active:
            return
        reason: PauseReason = "topic-closed" if error.kind == "topic-closed" else "topic-gone"
        details: dict[str, Any] = {
            "chat_id": post.chat_id,
            "title": outlet.title,
            "username": outlet.username,
            "thread_id": post.thread_id,
            "outlets": [outlet.id],
            "cause": reason,
            "why": f"Telegram said: {error.message}"[:200],
        }
        with svc.store.db.atomic():
            svc.outlets.pause(outlet.id, reason, now=now)
            svc.alerts.queue("outlet-paused", details, now=now)
        logger.warning("outlet %s paused: topic %s of %s (%s)", outlet.id, post.thread_id,
                       post.chat_id, error.message)  # fmt: skip

    # Edits and deletes.

    async def _fixes(self, bot: ExtBot[Any]) -> list[str]:
        outcomes: list[str] = []
        fixes = self.fixes
        for fix in fixes.edits_due(self.svc.clock()):
            if self.stopping:
                break
            outcomes.append(await self._edit(bot, fix))
        for fix in fixes.deletes_due(self.svc.clock()):
            if self.stopping:
                break
            outcomes.append(await self._delete(bot, fix))
        return outcomes

    def _held(self, chat_id: int) -> bool:
        now = self.svc.clock()
        return self.posts._held_until(chat_id, now) is not None

    async def _edit(self, bot: ExtBot[Any], fix: Fix) -> str:
        svc, fixes, post = self.svc, self.fixes, fix.post
        if self._held(post.chat_id):
            return "held"
        if not fixes.claim_edit(post.id, fix.version, self.owner, now=svc.clock()):
            return "already-claimed"
        try:
            article = svc.store.get(post.article_id)
        except ArticleNotFoundError:
            fixes.release(post.id)  # deleted meanwhile: its delete is due instead
            return "dropped"
        rendered = await self._render(bot, article, post.outlet_id)
        if post.state == "in-doubt" and all(m.kind == "photo" for m in post.messages):
            # its text was on the wire at a crash and may be there: never send one again
            rendered = dataclasses.replace(rendered, text=None)
        marks = _FixMarks(lambda: fixes.mark_edit_sending(post.id, now=svc.clock()))
        try:
            now_made_of = await edit_post(
                bot, post.chat_id, post.thread_id, article, rendered, _sent(post.messages),
                photos=svc.store, on_the_wire=marks,
            )  # fmt: skip
        except PostError as error:
            return self._fix_failed(post, error, fixes.fail_edit, "edit")
        fixes.finish_edit(post.id, article.version, now=svc.clock(), messages=_ledger(now_made_of))
        return "edited"

    async def _delete(self, bot: ExtBot[Any], fix: Fix) -> str:
        svc, fixes, post = self.svc, self.fixes, fix.post
        if self._held(post.chat_id):
            return "held"
        if not fixes.claim_delete(post.id, self.owner, now=svc.clock()):
            return "already-claimed"
        article = svc.store.get_any(post.article_id)
        marks = _FixMarks(lambda: fixes.mark_delete_sending(post.id, now=svc.clock()))
        try:
            how = await delete_post(bot, post.chat_id, article, _sent(post.messages),
                                    on_the_wire=marks)  # fmt: skip
        except PostError as error:
            return self._fix_failed(post, error, fixes.fail_delete, "delete")
        fixes.finish_delete(post.id, "withdrawn" if how == "withdrawn" else "deleted",
                            now=svc.clock())  # fmt: skip
        return how

    def _fix_failed(
        self, post: Post, error: PostError, fail: Callable[..., None], what: str
    ) -> str:
        """An edit or a delete is safe to repeat: given up only when it can never work."""
        now = self.svc.clock()
        if error.kind in ("in-doubt", "retry"):
            self.fixes.release(post.id)
            if error.kind == "retry":
                self._act_on(post, error)
            return "retry"
        why = error.message
        if error.kind == "rights":
            self._pause_chat(post.chat_id, error.message, now)
        if error.kind in ("topic-gone", "topic-closed"):
            self._pause_topic(post, error, now)
        if error.kind == "migrated":  # old messages are edited in the old group; no new one
            self._act_on(post, error)
            why = UNREACHABLE
        logger.warning("%s of post %s (chat %s) refused: %s", what, post.id, post.chat_id,
                       why)  # fmt: skip
        fail(post.id, why, now=now)
        return "gone" if error.kind == "gone" else f"{what}-failed"

    # The lease.

    def _take_lease(self, now: datetime) -> bool:
        """Hold the lease (taking it from a dead local process); settle what was left."""
        leases = self.svc.leases
        holder = leases.hold(LEASE, self.owner, now, LEASE_TTL)
        if holder is not None and ended_here(holder):
            logger.warning(
                "taking over the outlet lease of %s, which is no longer running", holder
            )
            leases.release(LEASE, holder)
            holder = leases.hold(LEASE, self.owner, now, LEASE_TTL)
        if holder is not None:
            if holder != self._other_holder:
                logger.warning("another newsbot process (%s) holds the outlet lease; this one "
                               "posts nothing to channels", holder)  # fmt: skip
            self._other_holder, self._holding = holder, False
            return False
        if not self._holding:
            self._holding = True
            requeued, in_doubt = self.posts.settle_unfinished(self.owner, now=now)
            if requeued or in_doubt:
                logger.warning(
                    "a stopped process left %d post(s) unsent (posting them now) and %d on the "
                    "wire (not resent: they may have arrived, so they count as posted)",
                    requeued,
                    in_doubt,
                )
        return True

    def _renew(self) -> None:
        self.svc.leases.hold(LEASE, self.owner, self.svc.clock(), LEASE_TTL)


def outlet_poster(context: ContextTypes.DEFAULT_TYPE) -> OutletPoster:
    """The application's poster (set up by build_application)."""
    poster: OutletPoster = context.bot_data["outlet_poster"]
    return poster


async def outlet_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The JobQueue's repeating job: start a round unless one is under way."""
    poster = outlet_poster(context)
    poster.svc = services(context)  # tests may turn the clock in bot_data
    if poster.begin_round():
        context.application.create_task(_round(poster, context.bot), name="outlet round")


async def _round(poster: OutletPoster, bot: ExtBot[Any]) -> None:
    try:
        await poster.run_round(bot)
    except Exception:  # a round's failure must not stop the next one
        logger.exception("outlet round failed")
    finally:
        poster.end_round()
