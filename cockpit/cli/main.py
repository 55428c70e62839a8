"""The `cockpit` command: the TUI by default, and the headless subcommands of the CLI contract (DESIGN.md).

This module is the entry point. The parser (parser.py) declares every subcommand without importing its module;
each command group is a module of its own (reports, ops, backport, bump, milestone, protect, launch), imported
when one of its commands runs. What every command shares sits below them, so no command module imports this one:
the exit codes (`Exit`) and the one mapping of errors to exit codes and error kinds are in output.py, the one date
argument type (`iso_date`) in args.py.

Exit codes: 0 success, 1 a check failed, 2 bad input (one line on stderr, never a traceback)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from cockpit.cli.args import UsageError, check_repo
from cockpit.cli.output import answered, usage_failed, wants_json
from cockpit.cli.parser import DEMO, build_parser
from cockpit.cli.terminal import printable_output, tolerant_encoding

__all__ = ["build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Output and errors quote tag, branch, commit and milestone text, and the arguments: shown safely on a
    terminal, and written with escapes where the output encoding lacks a character."""
    argv = list(sys.argv[1:] if argv is None else argv)
    with tolerant_encoding(), printable_output():
        try:
            args = build_parser(argv).parse_args(argv)
        except UsageError as exc:
            return usage_failed(exc, wants_json(argv))
        return answered(run, args, args.json)


def run(args: argparse.Namespace) -> int:
    """The command, once its --repo is known to be a directory (the demo makes its own repository)."""
    if args.func != DEMO:
        check_repo(args.repo)
    return int(args.func(args))
