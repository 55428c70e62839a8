"""The `cockpit` command: the TUI by default, and the headless subcommands of the CLI contract (DESIGN.md).

Exit codes: 0 success, 1 a check failed, 2 bad input (one line on stderr, never a traceback)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from cockpit import __version__, cli_backport, cli_bump, cli_milestone, cli_ops, cli_protect
from cockpit.cli_args import Parser, UsageError, check_repo, iso_date, shown
from cockpit.cli_output import (
    EXIT_BAD_INPUT,
    EXIT_CHECK_FAILED,
    EXIT_OK,
    answer,
    answered,
    dumps,
    failed,
    usage_failed,
    wants_json,
)
from cockpit.cli_terminal import printable_output, raw_output, single_line, tolerant_encoding
from cockpit.errors import InputError
from cockpit.services.bundle import build_services, open_git
from cockpit.services.forge.base import ForgeError
from cockpit.services.forge.factory import ForgeChoice, open_forge
from cockpit.services.git import GitService
from cockpit.services.settings import data_dir, today
from cockpit.workflows import reports

# argparse colours help and errors from Python 3.14 on: plain text, as the terminal output shows escapes literally
PLAIN_ARGPARSE: dict[str, bool] = {"color": False} if sys.version_info >= (3, 14) else {}


def emit(args: argparse.Namespace, data: Any, text: Callable[[Any], str]) -> None:
    """--json: `data` is the document; otherwise `text(data)` is printed."""
    if args.json:
        answer(data)
    else:
        print(text(data))


# --- subcommands ---------------------------------------------------------------------------------------------

def cmd_status(args: argparse.Namespace) -> int:
    git = open_git(args.repo)
    status = reports.status(git)
    data = status.as_json()
    choice = open_forge(git)
    data["forge"] = {"description": choice.description, "problem": choice.problem}
    data["milestones"] = []
    if choice.forge is not None:
        try:
            views = reports.milestone_views(choice.forge, status, today(), git.config.schedule)
            data["milestones"] = [v.as_json() for v in views]
        except ForgeError as exc:  # the forge failing never hides the git data
            data["forge"]["problem"] = str(exc)
    emit(args, data, format_status)
    return EXIT_OK


def require_forge(git: GitService) -> ForgeChoice:
    choice = open_forge(git)
    if choice.forge is None:
        raise InputError(f"no forge: {choice.problem}")
    return choice


def cmd_notes(args: argparse.Namespace) -> int:
    git = open_git(args.repo)
    forge = require_forge(git).forge
    notes = reports.release_notes(forge, args.milestone, args.date or today())
    if args.json:
        answer(notes.as_json())
    elif args.format == "json":
        print(dumps(notes.as_json()))
    else:
        print(notes.as_markdown(), end="")
    return EXIT_OK


def cmd_next(args: argparse.Namespace) -> int:
    data = reports.next_versions(open_git(args.repo), args.at, args.since_libs, args.since_driver)
    emit(args, data, format_next)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    report = reports.check(open_git(args.repo), libs=args.libs, driver=args.driver, at=args.at)
    emit(args, report.as_json(), format_check)
    return EXIT_OK if report.ok else EXIT_CHECK_FAILED


def cmd_candidates(args: argparse.Namespace) -> int:
    git = open_git(args.repo)
    prs = None
    if args.milestone:
        items = require_forge(git).forge.milestone_items(args.milestone)
        prs = {i.number for i in items if i.kind == "pr"}
    emit(args, reports.candidates(git, args.branch, prs), format_candidates)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    """--json implies --no-tui: the document is where the sandbox is."""
    from cockpit.services.sandbox import SandboxError, build_sandbox  # only the demo needs it

    root = Path(args.path) if args.path else data_dir() / "sandbox"
    try:
        sandbox = build_sandbox(root.expanduser().resolve(), today(), fresh=args.fresh)
    except SandboxError as exc:
        return failed("sandbox", str(exc), EXIT_BAD_INPUT)
    except (OSError, ValueError) as exc:  # a --path the system refuses (too long, NUL, not a directory...)
        reason = (exc.strerror if isinstance(exc, OSError) else None) or "not a usable path"
        where = f"--path {shown(args.path)}" if args.path else f"the data dir {root}"
        return failed("input", f"{where}: {reason}", EXIT_BAD_INPUT)
    answer({"root": str(sandbox.root), "origin": str(sandbox.origin), "forge": str(sandbox.forge_file),
            "clone": str(sandbox.clone)})
    if args.no_tui or args.json:
        print(f"Demo sandbox at {sandbox.root}")
        print(f"  origin  {sandbox.origin}")
        print(f"  forge   {sandbox.forge_file}")
        print(f"  clone   {sandbox.clone}")
        return EXIT_OK
    return run_tui(str(sandbox.clone))


def cmd_tui(args: argparse.Namespace) -> int:
    if args.json:
        raise InputError("the TUI has no --json answer: use a headless command, e.g. `cockpit status --json`")
    return run_tui(args.repo)


def run_tui(repo: str) -> int:
    services, cached = build_services(repo, today())
    from cockpit.ui.app import CockpitApp  # textual is only imported when the TUI runs

    with raw_output():  # Textual escapes what it shows itself and draws with escape sequences of its own
        CockpitApp(services, cached).run()
    return EXIT_OK


# --- text output ---------------------------------------------------------------------------------------------

def lines(out: list[str]) -> str:
    """Each entry is one line of the report: a line break inside a tag, branch, title or subject is shown (␤), so
    forge or git text cannot forge a line of the report."""
    return "\n".join(single_line(line) for line in out)


def format_status(s: dict) -> str:
    repo, v = s["repo"], s["versions"]
    out = [f"repository  {repo['path']}" + (f"  ({repo['remote_url']})" if repo["remote_url"] else ""),
           f"branch      {repo['head_branch'] or '(detached)'}, {'clean' if repo['clean'] else 'uncommitted changes'}",
           f"default     {s['default_branch']}",
           f"versions    API {v['api_version']}  SCHEMA {v['schema_version']}  plugin API {v['plugin_api_version']}"]
    for line, info in s["lines"].items():
        pre = f"  (latest pre-release {info['latest_prerelease']})" if info["latest_prerelease"] else ""
        out.append(f"{line:<11} latest {info['latest'] or '-'}{pre}")
    out.append("release branches")
    for b in s["release_branches"]:
        tags = ", ".join(b["tags"][:4]) + (" ..." if len(b["tags"]) > 4 else "")
        out.append(f"  {b['name']:<16} {b['head'][:10]}  +{b['ahead']} -{b['behind']}  {b['sync']:<8} {tags}")
    if s["milestones"]:
        out.append("milestones")
        for m in s["milestones"]:
            due = f"due {m['due_on']} ({m['days_left']:+d} d)" if m["due_on"] else "no due date"
            out.append(f"  {m['title']:<16} {due:<26} {m['phase']:<15} {m['closed']} closed / {m['open']} open")
    elif s["forge"]["problem"]:
        out.append(f"forge       {s['forge']['problem']}")
    irregular = [t for t in s["tags"] if t["irregular"]]
    if irregular:
        out.append("irregular tags")
        out.extend(f"  {t['name']}: {t['irregular']}" for t in irregular)
    return lines(out)


def format_next(n: dict) -> str:
    d, lb = n["driver"], n["libs"]
    api, schema, plugin = d["api"], d["schema"], lb["plugin_api"]
    return lines([
        f"at {n['at']} ({n['commit'][:10]})",
        f"driver  {d['previous'] or '(none)'} -> {d['next']}  ({d['bump'] or 'first'} bump: "
        f"API {api['from']} -> {api['to']} {api['change']}, "
        f"SCHEMA {schema['from']} -> {schema['to']} {schema['change']})",
        f"libs    {lb['previous'] or '(none)'} -> next minor {lb['next_minor']}, next patch {lb['next_patch']}  "
        f"(plugin API {plugin['from']} -> {plugin['to']} {plugin['change']}"
        f"{', header changed' if plugin['header_changed'] else ''})",
    ])


MARKS = {True: "ok  ", "error": "FAIL", "warning": "WARN", "info": "info"}


def format_check(r: dict) -> str:
    out = [f"checks at {r['at']} ({r['commit'][:10]})"]
    for c in r["checks"]:
        mark = MARKS[True] if c["ok"] else MARKS[c["severity"]]
        out.append(f"  {mark}  {c['id']:<26} {c['message']}")
        if not c["ok"]:
            out.extend(f"          evidence: {e}" for e in c["evidence"][:5])
            if c["fix_hint"]:
                out.append(f"          fix: {c['fix_hint']}")
    failed = [c for c in r["checks"] if not c["ok"]]
    errors = sum(c["severity"] == "error" for c in failed)
    warnings = sum(c["severity"] == "warning" for c in failed)
    out.append(f"{'OK' if r['ok'] else 'BLOCKED'}: {errors} error(s), {warnings} warning(s)")
    return lines(out)


def format_candidates(c: dict) -> str:
    missing = [x for x in c["commits"] if not x["applied"]]
    out = [f"{c['branch']}: {len(c['commits'])} commit(s) on {c['upstream']} since {c['fork_point'][:10]}, "
           f"{len(missing)} not applied"]
    for x in c["commits"]:
        pr = f"#{x['pr']}" if x["pr"] else "-"
        state = f"applied ({x['evidence']})" if x["applied"] else "missing"
        out.append(f"  {x['sha'][:10]}  {pr:>6}  {state:<24} {x['subject'][:70]}  <{x['author']}>")
    return lines(out)


# --- argument parsing ----------------------------------------------------------------------------------------

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
    parser.set_defaults(func=cmd_tui)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("tui", parents=[common], help="open the cockpit (the default)").set_defaults(func=cmd_tui)

    p = sub.add_parser("demo", parents=[common], help="build (or reuse) the demo sandbox and open it")
    p.add_argument("--path", metavar="DIR", help="where to build it (default: the user data dir)")
    p.add_argument("--no-tui", action="store_true", help="only build it and print its path")
    p.add_argument("--fresh", action="store_true", help="rebuild it from scratch")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("status", parents=[common], help="branches, tags, version files and lines")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("next", parents=[common], help="the versions the next release should carry")
    p.add_argument("--at", metavar="REF", help="where the release is cut (default: the default branch)")
    p.add_argument("--since-libs", metavar="TAG", help="compare with this libs release")
    p.add_argument("--since-driver", metavar="TAG", help="compare with this driver release")
    p.set_defaults(func=cmd_next)

    p = sub.add_parser("check", parents=[common], help="every versioning check for a tag to be")
    p.add_argument("--libs", metavar="VERSION")
    p.add_argument("--driver", metavar="VERSION")
    p.add_argument("--at", metavar="REF", help="where the tag would go (default: the version's release branch)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("notes", parents=[common], help="release notes of a milestone from its merged PRs")
    p.add_argument("milestone", metavar="MILESTONE")
    p.add_argument("--format", choices=("markdown", "json"), default="markdown")
    p.add_argument("--date", metavar="YYYY-MM-DD", type=iso_date, help="the release date (default: today)")
    p.set_defaults(func=cmd_notes)

    cli_ops.register(sub, common)
    cli_backport.register(sub, common)
    cli_bump.register(sub, common)
    cli_milestone.register(sub, common)
    cli_protect.register(sub, common)

    p = sub.add_parser("candidates", parents=[common], help="backport candidates for a release branch")
    p.add_argument("--branch", required=True, metavar="release/M.m.x")
    p.add_argument("--milestone", metavar="TITLE", help="only commits of PRs in this milestone (needs a forge)")
    p.set_defaults(func=cmd_candidates)
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
    if args.func is not cmd_demo:
        check_repo(args.repo)
    return int(args.func(args))
