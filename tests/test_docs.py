"""Docs ship with the feature: every command is in the README and in /help."""

from __future__ import annotations

import pytest

# The group itself; importing bot.cli.base runs bot/cli/__init__.py, which adds every command.
from bot.cli.base import cli
from bot.render.help import ADMIN_COMMANDS, ADMIN_HELP, COMMANDS, HELP
from tests.helpers.samples import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_cli_command_is_in_the_readme(name: str) -> None:
    assert f"`newsbot {name}" in README


@pytest.mark.parametrize("command", [c.command for c in COMMANDS + ADMIN_COMMANDS])
def test_every_bot_command_is_in_the_readme_and_help(command: str) -> None:
    assert f"`/{command}" in README
    assert f"/{command}" in HELP + ADMIN_HELP


def test_every_setting_is_in_the_readme_and_env_example() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    for key in [
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_BASE_URL",
        "TELEGRAM_BASE_FILE_URL",
        "NEWSBOT_DB",
        "NEWSBOT_ADMIN_IDS",
        "NEWSBOT_TIMEZONE",
        "NEWSBOT_LOG_LEVEL",
        "NEWSBOT_DIGEST_INTERVAL",
        "NEWSBOT_RETENTION_DAYS",
        "NEWSBOT_FETCH_LOOPBACK",
        "NEWSBOT_RATE_LIMIT",
        "NEWSBOT_LOG_FORMAT",
        "NEWSBOT_FEED_INTERVAL",
        "NEWSBOT_FEED_FIRST_ITEMS",
    ]:
        assert f"`{key}`" in README
        assert key in example
