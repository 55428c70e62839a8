"""Argument parsing shared by every subcommand: one parser class whose errors can be answered in --json too, one
date type for every date argument, the --repo check that runs before any git does, and the forge a command needs.

A bad argument is the user's to fix: it gets one line naming the argument and exit 2, never a Python exception."""

from __future__ import annotations

import argparse
import os
import stat
from datetime import date
from typing import TYPE_CHECKING, NoReturn

from cockpit.errors import InputError

if TYPE_CHECKING:  # the parser imports this module: no git or forge library on the way to `--help`
    from cockpit.services.forge.base import Forge
    from cockpit.services.git import GitService

SHOWN_MAX = 60  # characters of an argument quoted back in a message (a 100,000-character path is not)


class UsageError(Exception):
    """argparse refused the command line; `parser` is the (sub)parser whose usage line explains it."""

    def __init__(self, parser: argparse.ArgumentParser, message: str):
        super().__init__(message)
        self.parser = parser


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises UsageError instead of printing and exiting, so the caller can answer with the
    --json error document as well as the usual usage line (subparsers are of the same class)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(self, message)


def shown(text: str) -> str:
    """`text` quoted for a one-line message, shortened when long (its length said instead)."""
    if len(text) <= SHOWN_MAX:
        return repr(text)
    return f"{text[:SHOWN_MAX - 20]!r}... ({len(text):,} characters)"


def iso_date(text: str) -> date:
    """The type of every date argument (--date, --due, --since): a YYYY-MM-DD day, or a usage error naming it."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{shown(text)} is not a YYYY-MM-DD date") from None


def item_numbers(text: str) -> list[int]:
    """The type of --items: issue and PR numbers like `12,15` or `#12, #15`."""
    try:
        numbers = [int(part.strip().lstrip("#")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{shown(text)} is not a list of item numbers like 12,15") from None
    if not numbers or any(n <= 0 for n in numbers):
        raise argparse.ArgumentTypeError(f"{shown(text)} is not a list of item numbers like 12,15")
    return numbers


def check_repo(path: str) -> None:
    """--repo names a directory that can be read; otherwise InputError naming it (a path too long for the system,
    a missing one, a file), before git or the journal ever see it."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError) as exc:  # ValueError: an embedded NUL
        reason = (exc.strerror if isinstance(exc, OSError) else None) or "not a usable path"
        raise InputError(f"--repo {shown(path)}: {reason}") from None
    if not stat.S_ISDIR(mode):
        raise InputError(f"--repo {shown(path)}: not a directory")


def require_forge(git: GitService) -> Forge:
    """The repository's forge, for a command that cannot do without one; otherwise InputError saying why there is
    none (no token, no GitHub remote, an unreadable forge file...)."""
    from cockpit.services.forge.factory import open_forge  # PyGithub only for a command that uses the forge

    choice = open_forge(git)
    if choice.forge is None:
        raise InputError(f"no forge: {choice.problem}")
    return choice.forge
