"""`newsbot` as a user or an operator runs it (in a subprocess, or in this process where the
start-up itself is not what is tested), and what it left in the store."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner

NEWSBOT = [sys.executable, "-c", "from bot.launcher import main; main()"]


def newsbot(
    *args: str,
    db: Path,
    stdin: str = "",
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `newsbot *args` on `db`, Berlin time, with none of this shell's NEWSBOT_ settings."""
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "TELEGRAM_"))
    }
    environment |= {"NEWSBOT_DB": str(db), "NEWSBOT_TIMEZONE": "Europe/Berlin", **(env or {})}
    return subprocess.run(
        [*NEWSBOT, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        cwd=cwd or db.parent,
        timeout=60,
        check=False,
    )


def newsbot_here(
    *args: str, db: Path, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`newsbot *args` as `newsbot` above runs it, but in this process (click's runner): a
    second faster, for tests of many commands. A bug (an exception the command doesn't turn
    into an `Error:` line) is raised here, with its traceback."""
    from bot.cli.base import cli  # here: loading the CLI is what the subprocess tests time

    unset: dict[str, str | None] = {
        k: None for k in os.environ if k.startswith(("NEWSBOT_", "TELEGRAM_"))
    }
    environment = unset | {"NEWSBOT_DB": str(db), "NEWSBOT_TIMEZONE": "Europe/Berlin"}
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level  # a command may set up logging
    chatty = {name: logging.getLogger(name).level for name in ("httpx", "apscheduler")}
    try:
        with contextlib.chdir(db.parent):  # ./.env is read from here, as in the subprocess
            result = CliRunner().invoke(
                cli, list(args), prog_name="newsbot", input=stdin, env=environment | (env or {})
            )
    finally:
        root.handlers[:], root.level = handlers, level
        for name, was in chatty.items():
            logging.getLogger(name).setLevel(was)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(
        ["newsbot", *args], result.exit_code, result.stdout, result.stderr
    )


def snapshot(db: Path) -> list[tuple[Any, ...]]:
    """Every article row, to compare a database before and after a command."""
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT * FROM articles ORDER BY id").fetchall()
