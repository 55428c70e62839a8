"""Every subcommand and its arguments, declared without importing a command's module.

A command is named by where it lives (`Command("ops", "cmd_tag")`) and imported only when it runs, so `cockpit
--version`, `--help` and a usage error cost the interpreter and argparse, not GitPython, PyGithub or Textual. The
argument types used here come from a light module (args.py); tests/cli/test_parser.py
keeps the parser's choices in step with the command modules and checks that building the parser imports none."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from cockpit import __version__
from cockpit.cli.args import Parser, iso_date, item_numbers

if TYPE_CHECKING:  # a Protocol costs its class creation on every start: for the type checker only
    from typing import Protocol

    class AddsParsers(Protocol):
        """What the register functions use of argparse's subparsers action (OnlyCommand offers the same)."""

        def add_parser(self, name: str, **kwargs: Any) -> Any: ...

# argparse colours help and errors from Python 3.14 on: plain text, as the terminal output shows escapes literally
PLAIN_ARGPARSE: dict[str, bool] = {"color": False} if sys.version_info >= (3, 14) else {}

BACKPORT_CONTROLS = ("continue", "skip", "abort")
# core.bumps.TARGETS and PARTS, spelled out: that module brings semver and the config model along (a test keeps
# the two in step)
BUMP_TARGETS = ("api", "schema", "plugin")
BUMP_PARTS = ("major", "minor", "patch")
MAINTAINED = 2  # core.coverage.MAINTAINED, spelled out for the help text (a test keeps the two in step)


class Command(NamedTuple):  # a tuple: every command line pays for defining it, and a dataclass costs six times more
    """A command function `name` of the module `cockpit.cli.<module>`, imported when the command runs."""

    module: str
    name: str

    def __call__(self, args: argparse.Namespace) -> int:
        return int(getattr(importlib.import_module(f"cockpit.cli.{self.module}"), self.name)(args))


TUI = Command("launch", "cmd_tui")
DEMO = Command("launch", "cmd_demo")


def common_options(defaults: bool) -> Parser:
    """--repo and --json, taken before or after the subcommand: only the top-level copy has defaults, so the
    subcommand's copy never resets what was given before it (`cockpit --json status`)."""
    common = Parser(add_help=False)
    common.add_argument("--repo", default="." if defaults else argparse.SUPPRESS, metavar="PATH",
                        help="repository to work on (default: current dir)")
    common.add_argument("--json", action="store_true", default=False if defaults else argparse.SUPPRESS,
                        help="print one JSON document")
    return common


def add_mutation_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dry-run", action="store_true", help="show the checks and the plan; change nothing")
    p.add_argument("--yes", action="store_true", help="confirm without asking (acknowledges warnings)")


HELP_OR_END = {"-h", "--help", "--"}  # help lists every command; after `--` argparse reads words as arguments


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole parser; given the command line, only the parser of the command it names (argparse's building of
    every other command's arguments is a fifth of what a `status` on a small repository costs), or none for a line
    that opens the TUI. A line that names no known command (a typo) or asks for help gets the whole parser, so its
    help and errors list every command."""
    wanted = command_named(argv) if argv is not None else None
    if argv is not None and wanted is None and not HELP_OR_END.intersection(argv) and not asks_help(argv):
        return _top_parser()[0]  # the TUI (no command named, no help asked): no command's parser at all
    if wanted is not None:
        parser, sub = _top_parser()
        only = OnlyCommand(sub, wanted)
        _register(only)
        if only.found:
            return parser
    parser, sub = _top_parser()
    _register(sub)
    return parser


def asks_help(argv: Sequence[str]) -> bool:
    """A word argparse reads as --help: `-h` with more after it, or --help shortened (`--hel`, as argparse takes
    any unambiguous prefix of an option)."""
    return any(word.startswith("-h") or (len(word) > 2 and "--help".startswith(word)) for word in argv)


def _top_parser() -> tuple[argparse.ArgumentParser, argparse._SubParsersAction]:
    parser = Parser(prog="cockpit", parents=[common_options(defaults=True)], **PLAIN_ARGPARSE,
                    description="Release Cockpit: guided releases for falco-style projects.")
    parser.add_argument("--version", action="version", version=f"cockpit {__version__}")
    parser.set_defaults(func=TUI)
    return parser, parser.add_subparsers(dest="command", metavar="COMMAND")


def _register(sub: AddsParsers) -> None:
    common = common_options(defaults=False)
    for register in (launch_commands, report_commands, operation_commands, backport_commands, bump_commands,
                     milestone_commands, protect_commands, candidate_commands, fetch_commands,
                     coverage_commands):
        register(sub, common)


def command_named(argv: Sequence[str]) -> str | None:
    """The first word of the command line that is not a top-level option (or --repo's value): the command's
    name if the line has one."""
    words = iter(argv)
    for word in words:
        if word == "--repo":
            next(words, None)
        elif word == "--":  # argparse's own reading of what follows: the whole parser answers
            return None
        elif not word.startswith("-"):
            return word
    return None


class OnlyCommand:
    """The subparsers action as the register functions see it when one command runs: `add_parser` builds that
    command's parser and hands every other command a stand-in that takes and drops its arguments."""

    def __init__(self, sub: argparse._SubParsersAction, name: str):
        self.sub, self.name, self.found = sub, name, False

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        if name != self.name:
            return _Dropped()
        self.found = True
        return self.sub.add_parser(name, **kwargs)


class _Dropped:
    """A parser nobody will use: every call on it (add_argument, set_defaults, a group) is taken and dropped."""

    def __getattr__(self, _name: str) -> Callable[..., _Dropped]:
        return lambda *_args, **_kwargs: self


def launch_commands(sub: AddsParsers, common: argparse.ArgumentParser) -> None:
    sub.add_parser("tui", parents=[common], help="open the cockpit (the default)").set_defaults(func=TUI)

    p = sub.add_parser("demo", parents=[common], help="build (or reuse) the demo sandbox and open it")
    p.add_argument("--path", metavar="DIR", help="where to build it (default: the user data dir)")
    p.add_argument("--no-tui", action="store_true", help="only build it and print its path")
    p.add_argument("--fresh", action="store_true", help="rebuild it from scratch")
    p.set_defaults(func=DEMO)


def report_commands(sub: AddsParsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("status", parents=[common], help="branches, tags, version files and lines")
    p.set_defaults(func=Command("reports", "cmd_status"))

    p = sub.add_parser("next", parents=[common], help="the versions the next release should carry")
    p.add_argument("--at", metavar="REF", help="where the release is cut (default: the default branch)")
    p.add_argument("--since-libs", metavar="TAG", help="compare with this libs release")
    p.add_argument("--since-driver", metavar="TAG", help="compare with this driver release")
    p.set_defaults(func=Command("reports", "cmd_next"))

    p = sub.add_parser("check", parents=[common], help="every versioning check for a tag to be")
    p.add_argument("--libs", metavar="VERSION")
    p.add_argument("--driver", metavar="VERSION")
    p.add_argument("--at", metavar="REF", help="where the tag would go (default: the version's release branch)")
    p.set_defaults(func=Command("reports", "cmd_check"))

    p = sub.add_parser("notes", parents=[common], help="release notes of a milestone from its merged PRs")
    p.add_argument("milestone", metavar="MILESTONE")
    p.add_argument("--format", choices=("markdown", "json"), default="markdown")
    p.add_argument("--date", metavar="YYYY-MM-DD", type=iso_date, help="the release date (default: today)")
    p.add_argument("--since", metavar="TAG", help="only what landed after this tag (e.g. the previous RC)")
    p.add_argument("--until", metavar="REF", help="with --since: up to this ref (default: the head of the tag's "
                   "release branch)")
    p.set_defaults(func=Command("reports", "cmd_notes"))


def operation_commands(sub: AddsParsers, common: argparse.ArgumentParser) -> None:
    branch = sub.add_parser("branch", parents=[common], help="release branch operations")
    branch_sub = branch.add_subparsers(dest="branch_command", metavar="ACTION", required=True)
    p = branch_sub.add_parser("cut", parents=[common], help="cut release/M.m.x from the default branch and push it")
    p.add_argument("--version", required=True, metavar="M.m.0")
    p.add_argument("--from", dest="from_ref", metavar="REF", help="a commit of the default branch (default: its head)")
    add_mutation_flags(p)
    p.set_defaults(func=Command("ops", "cmd_branch_cut"))

    p = branch_sub.add_parser("hotfix", parents=[common], help="re-create release/M.m.x from a release tag, pushed")
    p.add_argument("--tag", required=True, metavar="M.m.p", help="the final libs release to branch from")
    add_mutation_flags(p)
    p.set_defaults(func=Command("ops", "cmd_branch_hotfix"))

    p = sub.add_parser("tag", parents=[common], help="tag an RC or a final release on the release branch head")
    p.add_argument("--libs", metavar="VERSION")
    p.add_argument("--driver", metavar="VERSION")
    p.add_argument("--branch", metavar="release/M.m.x", help="default: the libs version's release branch")
    p.add_argument("--ci-override", metavar="REASON",
                   help="tag although CI failed on the commit, for this reason (journaled with the plan)")
    add_mutation_flags(p)
    p.set_defaults(func=Command("ops", "cmd_tag"))

    p = sub.add_parser("release", parents=[common], help="the GitHub release of a tag, with its release notes")
    p.add_argument("--tag", required=True)
    p.add_argument("--draft", action="store_true", default=True, help="create it as a draft (the default)")
    p.add_argument("--publish", action="store_true", help="publish it at once instead of a draft")
    p.add_argument("--date", metavar="YYYY-MM-DD", type=iso_date, help="the release date in the notes (default: "
                   "today)")
    add_mutation_flags(p)
    p.set_defaults(func=Command("ops", "cmd_release"))

    p = sub.add_parser("tracking-issue", parents=[common], help="open or update the release tracking issue")
    p.add_argument("--milestone", required=True, metavar="TITLE")
    p.add_argument("--announce", action="store_true", help="also announce the current phase as a comment")
    add_mutation_flags(p)
    p.set_defaults(func=Command("ops", "cmd_tracking_issue"))

    p = sub.add_parser("plan-release", parents=[common], help="plan a release: its milestone(s) and due date")
    p.add_argument("--due", required=True, metavar="YYYY-MM-DD", type=iso_date,
                   help="the release date (thaw); phases follow")
    p.add_argument("--libs", metavar="VERSION", help="default: the next libs minor (cockpit next)")
    p.add_argument("--driver", metavar="VERSION", help="default: the computed next driver version")
    p.add_argument("--no-driver", action="store_true", help="a libs-only release")
    add_mutation_flags(p)
    p.set_defaults(func=Command("ops", "cmd_plan_release"))

    p = sub.add_parser("journal", parents=[common], help="what was planned and done, newest first")
    p.set_defaults(func=Command("ops", "cmd_journal"))
    p = sub.add_parser("resume", parents=[common], help="continue the unfinished plan")
    add_mutation_flags(p)
    p.set_defaults(func=Command("ops", "cmd_resume"))
    p = sub.add_parser("abort", parents=[common], help="close the unfinished plan (local refs it made are removed)")
    add_mutation_flags(p)
    p.set_defaults(func=Command("ops", "cmd_abort"))


def backport_commands(sub: AddsParsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("backport", parents=[common], help="cherry-pick fixes onto a release branch (-x), as a PR "
                       "(default) or directly; --continue/--skip/--abort after a conflict")
    p.add_argument("shas", nargs="*", metavar="SHA", help="default-branch commits to pick (any order: picked oldest "
                   "first)")
    p.add_argument("--branch", metavar="release/M.m.x", help="the release branch to backport to")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--pr", dest="mode", action="store_const", const="pr",
                      help="pick onto a new backport branch, push it and open a PR (the default)")
    mode.add_argument("--direct", dest="mode", action="store_const", const="direct",
                      help="pick onto the release branch itself and push it when the series completes")
    ctl = p.add_mutually_exclusive_group()
    for name in BACKPORT_CONTROLS:
        ctl.add_argument(f"--{name}", dest="control", action="store_const", const=name,
                         help={"continue": "carry on after resolving a conflict (and git add)",
                               "skip": "drop the commit that conflicted and carry on",
                               "abort": "undo the backport: back to your branch, the local branch removed"}[name])
    add_mutation_flags(p)
    p.set_defaults(func=Command("backport", "cmd_backport"), mode=None, control=None)


def bump_commands(sub: AddsParsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("bump", parents=[common], help="bump API_VERSION, SCHEMA_VERSION or the plugin API version "
                       "and commit it (not pushed)")
    p.add_argument("target", choices=BUMP_TARGETS, help="api: driver/API_VERSION, schema: driver/SCHEMA_VERSION, "
                   "plugin: the plugin API macros")
    p.add_argument("--part", required=True, choices=BUMP_PARTS, help="the part to bump (lower parts reset to 0)")
    add_mutation_flags(p)
    p.set_defaults(func=Command("bump", "cmd_bump"))


def milestone_commands(sub: AddsParsers, common: argparse.ArgumentParser) -> None:
    ms = sub.add_parser("milestone", parents=[common], help="milestone triage: move items, undo a move, close, orphans")
    ms_sub = ms.add_subparsers(dest="milestone_command", metavar="ACTION", required=True)

    p = ms_sub.add_parser("move", parents=[common], help="move items from one milestone to another")
    p.add_argument("--from", dest="from_title", required=True, metavar="TITLE")
    p.add_argument("--to", dest="to_title", required=True, metavar="TITLE")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--unmerged-only", action="store_true", help="only open PRs and issues (merged PRs stay)")
    which.add_argument("--items", type=item_numbers, metavar="N,N", help="only these items (default: all)")
    p.add_argument("--create", action="store_true", help="create the target milestone if it does not exist")
    p.add_argument("--due", type=iso_date, metavar="YYYY-MM-DD", help="due date of a created target milestone")
    add_mutation_flags(p)
    p.set_defaults(func=Command("milestone", "cmd_move"))

    p = ms_sub.add_parser("undo", parents=[common], help="move back what the last (or a given) move plan moved")
    p.add_argument("--plan", metavar="ID", help="the move plan to undo (see `cockpit journal`; default: the last)")
    add_mutation_flags(p)
    p.set_defaults(func=Command("milestone", "cmd_undo"))

    p = ms_sub.add_parser("close", parents=[common], help="close a milestone after its final release")
    p.add_argument("title", metavar="TITLE")
    add_mutation_flags(p)
    p.set_defaults(func=Command("milestone", "cmd_close"))

    p = ms_sub.add_parser("orphans", parents=[common], help="merged PRs without a milestone")
    p.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD", help="only PRs merged on or after this day")
    p.set_defaults(func=Command("milestone", "cmd_orphans"))


def protect_commands(sub: AddsParsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("protect", parents=[common], help="request protection of a release branch (a PR on the "
                       "infra repository, or the change to make by hand)")
    p.add_argument("--branch", required=True, metavar="release/M.m.x")
    p.add_argument("--infra-file", "--file", dest="infra_file", metavar="PATH",
                   help="a local copy of the infra config file, used when the forge cannot read it")
    add_mutation_flags(p)
    p.set_defaults(func=Command("protect", "cmd_protect"))


def candidate_commands(sub: AddsParsers, common: argparse.ArgumentParser) -> None:
    """Registered last, so `cockpit --help` lists the commands in the order it always has."""
    p = sub.add_parser("candidates", parents=[common], help="backport candidates for a release branch")
    p.add_argument("--branch", required=True, metavar="release/M.m.x")
    p.add_argument("--milestone", metavar="TITLE", help="only commits of PRs in this milestone (needs a forge)")
    p.set_defaults(func=Command("reports", "cmd_candidates"))


def fetch_commands(sub: AddsParsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("fetch", parents=[common], help="git fetch --prune --tags from the remote, with progress")
    p.set_defaults(func=Command("fetch", "cmd_fetch"))


def coverage_commands(sub: AddsParsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("coverage", parents=[common], help="which of a milestone's merged PRs reached which "
                       "maintained release branches", description="Each merged PR of the milestone against each "
                       f"maintained release branch: the release branches of the {MAINTAINED} newest lines (M.m), "
                       "unless --branch names them. A PR is applied when each of its commits has an equivalent on "
                       "the branch (-x trailer, patch-id, subject and author), partial when some have, missing when "
                       "none has, conflict when a trial pick of the missing ones stops on a conflict. Prints the "
                       "cockpit backport command that brings the missing ones to each branch.")
    p.add_argument("--milestone", required=True, metavar="TITLE", help="the milestone whose merged PRs to follow")
    p.add_argument("--branch", action="append", metavar="release/M.m.x",
                   help="a release branch to compare with (repeatable; default: the maintained ones)")
    p.set_defaults(func=Command("coverage", "cmd_coverage"))
