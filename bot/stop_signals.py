"""Stop signals that come before the bot has started: remembered, so it can stop quietly.

The launcher installs `remember_stop` first thing, and `newsbot run` again until it serves;
both ask `stop_requested()` at each step. It imports only `signal`: the launcher loads it
before anything slow, and `bot.cli` needs it without importing the launcher above it.
"""

from __future__ import annotations

import signal

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)  # in this order: tests take SIGTERM caught as both
_stopped: list[int] = []  # the stop signals that came while loading or starting


def remember_stop(signum: int, frame: object) -> None:
    """A stop signal before anything has started: stop at the next step, with exit 0."""
    _stopped.append(signum)


def stop_requested() -> bool:
    """Whether a stop signal came while loading or starting."""
    return bool(_stopped)
