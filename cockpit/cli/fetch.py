"""`cockpit fetch`: `git fetch --prune --tags` from the remote, with git's progress on stderr. A failure (offline, a
refused login) is one line that says so, exit 2; it never blocks local work, and no credential is ever shown."""

from __future__ import annotations

import argparse
import sys

from cockpit.cli.output import Exit, answer
from cockpit.cli.terminal import single_line
from cockpit.core.freshness import fetched_words
from cockpit.services.bundle import open_git


def show_progress(line: str) -> None:
    """git's progress line: redrawn in place on a terminal; through a pipe only the lines that end a phase, so a log
    does not get every percentage."""
    if line.startswith(("fatal:", "error:")):
        return  # the failure itself is the command's one-line error
    text = single_line(line)
    if sys.stderr.isatty():
        end = "\n" if "done" in text or "%" not in text else ""
        sys.stderr.write(f"\r\x1b[K{text}{end}")
    elif "done" in text or "%" not in text:
        sys.stderr.write(f"{text}\n")
    sys.stderr.flush()


def cmd_fetch(args: argparse.Namespace) -> int:
    git = open_git(args.repo)
    remote = git.config.remote
    git.fetch(show_progress, remote)
    when = git.fetched_at()
    print(f"{remote} ({git.remote_url_display(remote) or 'no URL'}): {fetched_words(when)}")
    answer({"remote": remote, "url": git.remote_url_display(remote),
            "fetched_at": when.isoformat(timespec="seconds") if when else None})
    return Exit.OK
