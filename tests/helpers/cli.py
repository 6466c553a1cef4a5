"""`newsbot` in a subprocess, as a user or an operator runs it, and what it left in the store."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

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


def snapshot(db: Path) -> list[tuple[Any, ...]]:
    """Every article row, to compare a database before and after a command."""
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT * FROM articles ORDER BY id").fetchall()
