"""The services handlers use, kept in `bot_data` by `build_application`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, cast

from telegram.ext import CallbackContext, ExtBot

from bot.config import Settings
from summaries.activity import ActivityLog
from summaries.deliveries import Deliveries
from summaries.leases import Leases
from summaries.models import utc_now
from summaries.store import ArticleStore
from summaries.subscriptions import Subscriptions


@dataclass(frozen=True, slots=True)
class Services:
    """Settings and stores, one set per application."""

    settings: Settings
    store: ArticleStore
    activity: ActivityLog
    subscriptions: Subscriptions
    deliveries: Deliveries
    leases: Leases
    clock: Callable[[], datetime] = field(default=utc_now)  # tests turn time themselves


def services(context: CallbackContext[Any, Any, Any, Any]) -> Services:
    """The application's services (the one cast over `bot_data`)."""
    return cast(Services, context.bot_data["services"])


class DigestRounds(Protocol):
    """What handlers may ask of the digest job (bot/digests.py), which sits beside them."""

    async def run_round(self, bot: ExtBot[Any]) -> dict[str, int]:
        """Send every digest and breaking news due now, after any round under way."""
        ...


def digest_sender(context: CallbackContext[Any, Any, Any, Any]) -> DigestRounds:
    """The application's digest sender (a DigestSender, set up by `build_application`)."""
    return cast(DigestRounds, context.bot_data["digest_sender"])
