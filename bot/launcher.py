"""The `newsbot` console script: a stop signal while it is still loading ends it quietly.

Loading the bot (python-telegram-bot, sumy, numpy, nltk) takes about half a second, and a
SIGTERM from a supervisor or a Ctrl-C in that time would otherwise end it with status 143 or
a traceback. Nothing has started yet, so until the command takes over, a stop signal is only
remembered, and the launcher (or `newsbot run`, once the bot is built) stops with exit 0 at
its next step. Raising from the handler instead would land anywhere: in an import, or in a
library's `__del__`, which prints a traceback and carries on. Only `signal` (by way of
bot/stop_signals.py, which `newsbot run` shares) is imported before the handler is in place;
Python's own start, a few hundredths of a second, comes before any of this and can't be
covered.
"""

from __future__ import annotations

import signal
import sys

from bot.stop_signals import STOP_SIGNALS, remember_stop, stop_requested


def main() -> None:
    """Console-script entry point."""
    previous = {sig: signal.signal(sig, remember_stop) for sig in STOP_SIGNALS}
    if (bad := not_utf8_argument(sys.argv[1:])) is not None:  # before any command sees it
        raise SystemExit(f"Error: argument {bad} is not UTF-8 text")
    import bot.cli  # noqa: F401 - the slow part: every subcommand, added to the group
    from bot.cli.base import cli

    if stop_requested():  # nothing started: `newsbot run` stops as a service should, with 0;
        # any other command says it did nothing, so `newsbot import ... && next` stops here
        words = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
        if not words or words[0] == "run":
            raise SystemExit(0)
        raise SystemExit("Error: stopped before it started; nothing was done")
    for sig, handler in previous.items():  # loaded: each command handles signals its own way
        signal.signal(sig, handler)
    try:
        cli(prog_name="newsbot")
    except Exception as error:  # a bug: one line, never a traceback (it could hold the token)
        raise SystemExit(unexpected(error)) from None


def not_utf8_argument(args: list[str]) -> int | None:
    """The number (from 1) of the first argument that is not UTF-8 text, if any.

    Python hands such bytes over as surrogate escapes (U+DC80..U+DCFF); left alone, they
    would be stored as U+FFFD, junk the user never typed (`--title "$(printf 'a\\x85b')"`).
    """
    for number, arg in enumerate(args, start=1):
        if any("\udc80" <= char <= "\udcff" for char in arg):
            return number
    return None


def unexpected(error: Exception) -> str:
    """The one `Error:` line for an error no command expected, with the token masked; the
    traceback, masked too, only when NEWSBOT_LOG_LEVEL=DEBUG asks for details."""
    import os
    import traceback

    from bot.logs import mask_also, redact

    mask_also(os.environ.get("TELEGRAM_BOT_TOKEN", ""))
    if os.environ.get("NEWSBOT_LOG_LEVEL", "").strip().upper() == "DEBUG":
        sys.stderr.write(redact("".join(traceback.format_exception(error))))
    reason = redact(" ".join(str(error).split()))[:300] or type(error).__name__
    return (
        f"Error: unexpected {type(error).__name__}: {reason} "
        "(a bug: please report it; NEWSBOT_LOG_LEVEL=DEBUG shows where)"
    )
