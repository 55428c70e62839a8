"""The `cockpit` command: the TUI by default, and the headless subcommands of the CLI contract (DESIGN.md).

This module is the parser and the entry point; each command group is a module of its own (reports, ops, backport,
bump, milestone, protect, launch) that registers its subcommands here. What every command shares sits below them,
so no command module imports this one: the exit codes (`Exit`) and the one mapping of errors to exit codes and
error kinds are in output.py, the one date argument type (`iso_date`) in args.py.

Exit codes: 0 success, 1 a check failed, 2 bad input (one line on stderr, never a traceback)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from cockpit import __version__
from cockpit.cli import backport, bump, coverage, launch, milestone, ops, protect, reports
from cockpit.cli.args import Parser, UsageError, check_repo
from cockpit.cli.output import answered, usage_failed, wants_json
from cockpit.cli.terminal import printable_output, tolerant_encoding

# argparse colours help and errors from Python 3.14 on: plain text, as the terminal output shows escapes literally
PLAIN_ARGPARSE: dict[str, bool] = {"color": False} if sys.version_info >= (3, 14) else {}


def common_options(defaults: bool) -> Parser:
    """--repo and --json, taken before or after the subcommand: only the top-level copy has defaults, so the
    subcommand's copy never resets what was given before it (`cockpit --json status`)."""
    common = Parser(add_help=False)
    common.add_argument("--repo", default="." if defaults else argparse.SUPPRESS, metavar="PATH",
                        help="repository to work on (default: current dir)")
    common.add_argument("--json", action="store_true", default=False if defaults else argparse.SUPPRESS,
                        help="print one JSON document")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = common_options(defaults=False)
    parser = Parser(prog="cockpit", parents=[common_options(defaults=True)], **PLAIN_ARGPARSE,
                    description="Release Cockpit: guided releases for falco-style projects.")
    parser.add_argument("--version", action="version", version=f"cockpit {__version__}")
    parser.set_defaults(func=launch.cmd_tui)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    launch.register(sub, common)
    reports.register(sub, common)
    ops.register(sub, common)
    backport.register(sub, common)
    bump.register(sub, common)
    milestone.register(sub, common)
    protect.register(sub, common)
    reports.register_candidates(sub, common)
    coverage.register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Output and errors quote tag, branch, commit and milestone text, and the arguments: shown safely on a
    terminal, and written with escapes where the output encoding lacks a character."""
    argv = list(sys.argv[1:] if argv is None else argv)
    with tolerant_encoding(), printable_output():
        try:
            args = build_parser().parse_args(argv)
        except UsageError as exc:
            return usage_failed(exc, wants_json(argv))
        return answered(run, args, args.json)


def run(args: argparse.Namespace) -> int:
    """The command, once its --repo is known to be a directory (the demo makes its own repository)."""
    if args.func is not launch.cmd_demo:
        check_repo(args.repo)
    return int(args.func(args))
