"""The services handlers use, kept in `bot_data` by `build_application`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from telegram.ext import CallbackContext

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
