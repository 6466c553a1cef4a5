"""Logging with the bot token masked: httpx and PTB put it in every request URL they log."""

from __future__ import annotations

import asyncio
import json
import logging
import re

# A token's shape, with its colon as is or percent-encoded (a server may echo the URL quoted).
TOKEN = re.compile(r"\d{3,}(?::|%3[Aa])[A-Za-z0-9_-]{30,}")
MASK = "<token>"
_secrets: list[str] = []  # the configured token's secret part, whatever its shape


def mask_also(token: str) -> None:
    """Mask this token's secret part too, wherever it shows, even where it no longer has a
    token's shape (cut short, or run into other text)."""
    secret = token.strip().partition(":")[2]
    if len(secret) >= 8 and secret not in _secrets:  # shorter would mask ordinary words
        _secrets.append(secret)


def redact(text: str) -> str:
    """`text` with anything shaped like a bot token, and the configured one, replaced."""
    text = TOKEN.sub(MASK, text)
    for secret in _secrets:
        text = text.replace(secret, MASK)
    return text


class RedactTokenFilter(logging.Filter):
    """Masks tokens in the message, its arguments and its traceback, at every level.

    With `tracebacks=False` (every level but DEBUG) an exception becomes one line at the end
    of the message, `(ValueError: ...)`: operators read these logs, and a traceback is for the
    developer who asks for it with NEWSBOT_LOG_LEVEL=DEBUG.
    """

    def __init__(self, *, tracebacks: bool = True) -> None:
        super().__init__()
        self.tracebacks = tracebacks

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops it."""
        record.msg, record.args = redact(record.getMessage()), None
        if record.exc_info and not self.tracebacks:
            error = record.exc_info[1]
            if error is not None:
                said = redact(" ".join(str(error).split()))[:300]  # mask, then cut
                record.msg += f" ({type(error).__name__}{': ' if said else ''}{said})"
            record.exc_info, record.exc_text = None, None
        if record.exc_info and not record.exc_text:  # render the traceback now, then scrub it
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info) if self.tracebacks else None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line, for log collectors (the token filter has already run)."""

    def format(self, record: logging.LogRecord) -> str:
        """time, level, logger, message, and the traceback when there is one."""
        event = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_text or record.exc_info:
            event["traceback"] = record.exc_text or self.formatException(record.exc_info)  # type: ignore[arg-type]
        return json.dumps(event, ensure_ascii=False)


class CancelledJobFilter(logging.Filter):
    """Drops APScheduler's "Error running job" for a job its shutdown cancelled: stopping
    `newsbot run` or the console mid-round is no error (a job that failed still is)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """False for a record of a cancelled job."""
        return not (record.exc_info and isinstance(record.exc_info[1], asyncio.CancelledError))


JOB_EXECUTOR = "apscheduler.executors.default"  # the logger of the executor PTB's jobs run in


def setup_logging(level: str = "INFO", *, as_json: bool = False, token: str = "") -> None:
    """One line per event on stderr (text or JSON); tokens masked on every handler (on
    handlers: a logger's filters never see records from its child loggers); tracebacks only
    at DEBUG."""
    if token:
        mask_also(token)
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True
    )
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactTokenFilter(tracebacks=level == "DEBUG"))
        if as_json:
            handler.setFormatter(JsonFormatter())
    for chatty in ("httpx", "apscheduler"):  # a line per request, and two per digest look
        logging.getLogger(chatty).setLevel(max(logging.WARNING, logging.getLogger().level))
    executor = logging.getLogger(JOB_EXECUTOR)
    if not any(isinstance(f, CancelledJobFilter) for f in executor.filters):
        executor.addFilter(CancelledJobFilter())
