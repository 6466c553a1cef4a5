"""The `newsbot` command: one group, a module per family of subcommands.

The console script itself is bot/launcher.py, which loads this only once it can stop quietly.
"""

from __future__ import annotations

from bot.cli.add import add_command, import_command
from bot.cli.articles import delete_command, list_command, show_command, undelete_command
from bot.cli.backup import backup_command, restore_command
from bot.cli.base import cli
from bot.cli.channels import channel_group
from bot.cli.console import console_command
from bot.cli.doctor import doctor_command
from bot.cli.edit import edit_command
from bot.cli.post import post_command
from bot.cli.run import run_command
from bot.cli.sources import source_group
from bot.cli.summarize import summarize_command

for command in (
    run_command,
    console_command,
    summarize_command,
    add_command,
    import_command,
    list_command,
    show_command,
    edit_command,
    delete_command,
    undelete_command,
    post_command,
    source_group,
    backup_command,
    restore_command,
    doctor_command,
    channel_group,
):
    cli.add_command(command)
