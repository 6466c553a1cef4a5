"""Settings, read once from the environment and `.env`; errors name the key, never a secret."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
from dotenv import dotenv_values

TOKEN_PATTERN = re.compile(r"\d{3,}:[A-Za-z0-9_-]{30,}")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(ValueError):
    """A setting is missing or malformed; the message says which and how to fix it."""


def default_db_path() -> Path:
    """The database when NEWSBOT_DB is unset: the user's data directory."""
    return platformdirs.user_data_path("newsbot") / "newsbot.db"


def parse_ids(text: str) -> frozenset[int]:
    """'123, 456' -> {123, 456}; ConfigError on anything that is not a user id."""
    parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    if not all(re.fullmatch(r"-?\d+", part) for part in parts):
        raise ConfigError("NEWSBOT_ADMIN_IDS must be Telegram user ids separated by commas")
    return frozenset(int(part) for part in parts)


def bot_api_url(env: Mapping[str, str], key: str, ending: str) -> str | None:
    """TELEGRAM_BASE_URL or TELEGRAM_BASE_FILE_URL, checked: python-telegram-bot appends the
    token to it, so a URL that doesn't end in `ending` would put the token where the port, a
    path or a host goes (and into the error that says so). The value is never echoed."""
    value = env.get(key, "").strip()
    if not value:
        return None
    example = f"e.g. http://127.0.0.1:8081{ending}"
    if any(char.isspace() or not char.isprintable() for char in value):
        raise ConfigError(f"{key} has spaces or control characters in it; {example}")
    try:
        parts = urlsplit(value)
        _ = parts.port  # ValueError for a port that isn't a number in range
    except ValueError:  # also an unclosed [IPv6 address
        raise ConfigError(
            f"{key} must be a URL with a host (and a port, if any); {example}"
        ) from None
    if parts.scheme not in {"http", "https"}:
        raise ConfigError(f"{key} must start with http:// or https://; {example}")
    if "{" in value or "}" in value:
        raise ConfigError(f"{key} can't hold placeholders: newsbot puts the token after {ending}")
    if not parts.hostname or parts.query or parts.fragment:
        raise ConfigError(f"{key} must be a URL with a host (and a port, if any); {example}")
    path = parts.path.rstrip("/")
    if not path.endswith(ending):
        raise ConfigError(f"{key} must end in {ending} (the token goes right after it); {example}")
    return value.rstrip("/")  # 'http://host/bot/' would have made '/bot/<token>'


def load_env(env_file: Path = Path(".env")) -> dict[str, str]:
    """The process environment over the values in `env_file` (the environment wins)."""
    from_file = {k: v for k, v in dotenv_values(env_file).items() if v is not None}
    return {**from_file, **os.environ}


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything newsbot is configured with."""

    token: str = field(default="", repr=False)  # repr=False: printing Settings can't leak it
    base_url: str | None = None  # None: Telegram's own Bot API server
    base_file_url: str | None = None
    db_path: Path = field(default_factory=default_db_path)
    admin_ids: frozenset[int] = frozenset()
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    log_level: str = "INFO"
    log_json: bool = False  # NEWSBOT_LOG_FORMAT=json: one JSON object a line
    digest_interval: float = 30.0  # seconds between looks for due digests
    rate_limit: bool = True  # AIORateLimiter: Telegram's 30 messages/s; off only for benchmarks
    fetch_loopback: bool = False  # /post URL may fetch from 127.0.0.1 (tests only)

    @classmethod
    def from_env(cls, env: Mapping[str, str], *, need_token: bool = True) -> Settings:
        """Read and check every NEWSBOT_* and TELEGRAM_* key; ConfigError names a bad one."""
        token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
        if need_token and not token:
            raise ConfigError("TELEGRAM_BOT_TOKEN is not set; get one from @BotFather")
        if token and not TOKEN_PATTERN.fullmatch(token):
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is not a bot token (it looks like 123456:ABC-DEF...)"
            )
        zone_name = env.get("NEWSBOT_TIMEZONE", "").strip() or "UTC"
        try:
            timezone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                f"NEWSBOT_TIMEZONE {zone_name!r} is not an IANA time zone, e.g. Europe/Rome"
            ) from None
        level = env.get("NEWSBOT_LOG_LEVEL", "").strip().upper() or "INFO"
        if level not in LOG_LEVELS:
            raise ConfigError(f"NEWSBOT_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")
        log_format = env.get("NEWSBOT_LOG_FORMAT", "").strip().lower() or "text"
        if log_format not in {"text", "json"}:
            raise ConfigError("NEWSBOT_LOG_FORMAT must be text or json")
        db = env.get("NEWSBOT_DB", "").strip()
        interval = env.get("NEWSBOT_DIGEST_INTERVAL", "").strip() or "30"
        try:
            digest_interval = float(interval)
        except ValueError:
            digest_interval = -1
        if not 0.1 <= digest_interval <= 60:
            raise ConfigError("NEWSBOT_DIGEST_INTERVAL must be seconds between 0.1 and 60")
        pace = env.get("NEWSBOT_RATE_LIMIT", "").strip() or "1"
        if pace not in {"0", "1"}:
            raise ConfigError("NEWSBOT_RATE_LIMIT must be 1 (on) or 0 (off, for benchmarks)")
        return cls(
            token=token,
            base_url=bot_api_url(env, "TELEGRAM_BASE_URL", "/bot"),
            base_file_url=bot_api_url(env, "TELEGRAM_BASE_FILE_URL", "/file/bot"),
            db_path=Path(db).expanduser() if db else default_db_path(),
            admin_ids=parse_ids(env.get("NEWSBOT_ADMIN_IDS", "")),
            timezone=timezone,
            log_level=level,
            log_json=log_format == "json",
            digest_interval=digest_interval,
            fetch_loopback=env.get("NEWSBOT_FETCH_LOOPBACK", "").strip() == "1",
            rate_limit=pace != "0",
        )
