"""Settings, read once from the environment and `.env`; errors name the key, never a secret."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import httpx
import platformdirs
from dotenv import dotenv_values
from dotenv.parser import parse_stream

from summaries.schedule import ScheduleError
from summaries.zones import resolve_zone

TOKEN_PATTERN = re.compile(r"\d{3,}:[A-Za-z0-9_-]{30,}")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
MIN_RETENTION_DAYS = 8  # /stats counts a week of digests, by local date: a day's margin
MAX_RETENTION_DAYS = 3650


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
    if "?" in value or "#" in value:  # even an empty query: the token would follow it
        raise ConfigError(f"{key} can't have a query or a fragment (? or #); {example}")
    try:
        _ = httpx.URL(value).host  # decoding it checks an xn-- name
        (parts.hostname or "").encode("idna")  # as the socket layer will: 'a..b' fails here
    except (httpx.InvalidURL, UnicodeError):
        raise ConfigError(f"{key} has a host name that can't be looked up; {example}") from None
    if not parts.hostname:
        raise ConfigError(f"{key} must be a URL with a host (and a port, if any); {example}")
    path = parts.path.rstrip("/")
    if not path.endswith(ending):
        raise ConfigError(f"{key} must end in {ending} (the token goes right after it); {example}")
    return value.rstrip("/")  # 'http://host/bot/' would have made '/bot/<token>'


def database_path(setting: str) -> Path:
    """NEWSBOT_DB as a path, checked without touching it: a directory, a device such as
    /dev/null (SQLite would put a -journal file beside it) or a name the system can't take
    is refused here, by name, rather than as a disk I/O error later."""
    path = Path(setting).expanduser() if setting else default_db_path()
    if setting == ":memory:":
        return path
    try:
        if path.exists() and not path.is_file():
            kind = "a directory" if path.is_dir() else "not a regular file"
            raise ConfigError(f"NEWSBOT_DB {path} is {kind}; give it a database file's path")
        if setting and not path.parent.is_dir():  # a typo, not a folder to make (the default
            missing = "is not a folder" if path.parent.exists() else "doesn't exist"
            raise ConfigError(  # data directory is made on first use)
                f"NEWSBOT_DB {path}: the folder {path.parent} {missing}; create it first"
            )
    except OSError as error:
        raise ConfigError(f"NEWSBOT_DB can't be used: {error.strerror}") from None
    return path


def load_env(env_file: Path = Path(".env")) -> dict[str, str]:
    """The process environment over the values in `env_file` (the environment wins)."""
    return {**read_env_file(env_file), **os.environ}


def read_env_file(path: Path) -> dict[str, str]:
    """The settings in a .env file (none if there is no file); ConfigError, naming the line,
    for one that isn't UTF-8 text or has a line python-dotenv can't read (it would only
    print a warning and carry on without that setting)."""
    try:
        if not path.exists():
            return {}
        if not path.is_file():  # a FIFO would hang every command
            raise ConfigError(f"{path} is not a regular file; settings go in a text file")
        raw = path.read_bytes()
    except OSError as error:
        raise ConfigError(f"{path} can't be read: {error.strerror}") from None
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{path} is not UTF-8 text (byte {error.start + 1}); save it as UTF-8"
        ) from None
    for binding in parse_stream(io.StringIO(text)):
        if binding.error:
            raise ConfigError(
                f"{path} line {binding.original.line} is not KEY=value; fix or remove it"
            )
    return {k: v for k, v in dotenv_values(stream=io.StringIO(text)).items() if v is not None}


MIN_FEED_INTERVAL = 5  # seconds: for tests; a real feed is polled every few minutes at most
MAX_FEED_INTERVAL = 7 * 24 * 3600


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
    retention_days: int = 30  # deliveries older than this are deleted (broadcasts stay)
    rate_limit: bool = True  # AIORateLimiter: Telegram's 30 messages/s; off only for benchmarks
    fetch_loopback: bool = False  # /post URL and feeds may fetch from 127.0.0.1 (tests only)
    feed_interval: int = 900  # seconds between polls of a source with no interval of its own
    feed_first_items: int = 20  # a new source's newest items stored at its first poll

    @property
    def bot_api_name(self) -> str:
        """Where the Bot API is said to be, for messages: never a URL with the token."""
        return "the server at TELEGRAM_BASE_URL" if self.base_url else "api.telegram.org"

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
        try:  # as readers' zones are read: EST or UTC+3 never follows a place's clocks
            timezone = resolve_zone(zone_name)
        except ScheduleError as error:
            raise ConfigError(f"NEWSBOT_TIMEZONE: {error}") from None
        level = env.get("NEWSBOT_LOG_LEVEL", "").strip().upper() or "INFO"
        if level not in LOG_LEVELS:
            raise ConfigError(f"NEWSBOT_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")
        log_format = env.get("NEWSBOT_LOG_FORMAT", "").strip().lower() or "text"
        if log_format not in {"text", "json"}:
            raise ConfigError("NEWSBOT_LOG_FORMAT must be text or json")
        db_path = database_path(env.get("NEWSBOT_DB", "").strip())
        interval = env.get("NEWSBOT_DIGEST_INTERVAL", "").strip() or "30"
        try:
            digest_interval = float(interval)
        except ValueError:
            digest_interval = -1
        if not 0.1 <= digest_interval <= 60:
            raise ConfigError("NEWSBOT_DIGEST_INTERVAL must be seconds between 0.1 and 60")
        retention = env.get("NEWSBOT_RETENTION_DAYS", "").strip() or "30"
        plain = retention.isascii() and retention.isdecimal() and len(retention) <= 6
        retention_days = int(retention) if plain else -1
        if not MIN_RETENTION_DAYS <= retention_days <= MAX_RETENTION_DAYS:
            raise ConfigError(
                f"NEWSBOT_RETENTION_DAYS must be whole days between {MIN_RETENTION_DAYS} "
                f"(/stats counts the last 7) and {MAX_RETENTION_DAYS}"
            )
        pace = env.get("NEWSBOT_RATE_LIMIT", "").strip() or "1"
        if pace not in {"0", "1"}:
            raise ConfigError("NEWSBOT_RATE_LIMIT must be 1 (on) or 0 (off, for benchmarks)")
        feed_interval = whole_number(
            env, "NEWSBOT_FEED_INTERVAL", "900", MIN_FEED_INTERVAL, MAX_FEED_INTERVAL, "seconds"
        )
        first_items = whole_number(env, "NEWSBOT_FEED_FIRST_ITEMS", "20", 0, 1000, "items")
        return cls(
            token=token,
            base_url=bot_api_url(env, "TELEGRAM_BASE_URL", "/bot"),
            base_file_url=bot_api_url(env, "TELEGRAM_BASE_FILE_URL", "/file/bot"),
            db_path=db_path,
            admin_ids=parse_ids(env.get("NEWSBOT_ADMIN_IDS", "")),
            timezone=timezone,
            log_level=level,
            log_json=log_format == "json",
            digest_interval=digest_interval,
            retention_days=retention_days,
            fetch_loopback=env.get("NEWSBOT_FETCH_LOOPBACK", "").strip() == "1",
            rate_limit=pace != "0",
            feed_interval=feed_interval,
            feed_first_items=first_items,
        )


def whole_number(
    env: Mapping[str, str], key: str, default: str, low: int, high: int, unit: str
) -> int:
    """A whole number setting between `low` and `high`; ConfigError names the key."""
    text = env.get(key, "").strip() or default
    plain = text.isascii() and text.isdecimal() and len(text) <= 9
    value = int(text) if plain else -1
    if not low <= value <= high:
        raise ConfigError(f"{key} must be whole {unit} between {low} and {high}")
    return value
