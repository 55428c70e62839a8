"""The `cockpit` command: the TUI by default, and the headless subcommands of the CLI contract (DESIGN.md).

Exit codes: 0 success, 1 a check failed, 2 bad input (one line on stderr, never a traceback)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from cockpit import __version__, cli_backport, cli_bump, cli_milestone, cli_ops, cli_protect
from cockpit.cli_ops import print_json
from cockpit.cli_terminal import printable_output, raw_output
from cockpit.core.versions import VersionError
from cockpit.services.bundle import build_services, open_git
from cockpit.services.forge.base import ForgeError
from cockpit.services.forge.factory import ForgeChoice, open_forge
from cockpit.services.git import GitError, GitService
from cockpit.services.journal import JournalError
from cockpit.services.settings import SettingsError, data_dir, today
from cockpit.workflows import reports
from cockpit.workflows.reports import InputError

EXIT_OK, EXIT_CHECK_FAILED, EXIT_BAD_INPUT = 0, 1, 2
# argparse colours help and errors from Python 3.14 on: plain text, as the terminal output shows escapes literally
PLAIN_ARGPARSE: dict[str, bool] = {"color": False} if sys.version_info >= (3, 14) else {}
USER_ERRORS = (GitError, InputError, VersionError, SettingsError, ForgeError, JournalError)


def emit(args: argparse.Namespace, data: dict, text: Callable[[dict], str]) -> None:
    if args.json:
        print_json(data)
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
    released_on = date.fromisoformat(args.date) if args.date else today()
    notes = reports.release_notes(forge, args.milestone, released_on)
    if args.format == "json" or args.json:
        print_json(notes.as_json())
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
    from cockpit.services.sandbox import SandboxError, build_sandbox  # only the demo needs it

    root = Path(args.path) if args.path else data_dir() / "sandbox"
    try:
        sandbox = build_sandbox(root.expanduser().resolve(), today(), fresh=args.fresh)
    except SandboxError as exc:
        print(f"cockpit: {one_line(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.no_tui:
        print(f"Demo sandbox at {sandbox.root}")
        print(f"  origin  {sandbox.origin}")
        print(f"  forge   {sandbox.forge_file}")
        print(f"  clone   {sandbox.clone}")
        return EXIT_OK
    return run_tui(str(sandbox.clone))


def cmd_tui(args: argparse.Namespace) -> int:
    return run_tui(args.repo)


def run_tui(repo: str) -> int:
    services, cached = build_services(repo, today())
    from cockpit.ui.app import CockpitApp  # textual is only imported when the TUI runs

    with raw_output():  # Textual escapes what it shows itself and draws with escape sequences of its own
        CockpitApp(services, cached).run()
    return EXIT_OK


# --- text output ---------------------------------------------------------------------------------------------

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
    return "\n".join(out)


def format_next(n: dict) -> str:
    d, lb = n["driver"], n["libs"]
    api, schema, plugin = d["api"], d["schema"], lb["plugin_api"]
    return "\n".join([
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
    return "\n".join(out)


def format_candidates(c: dict) -> str:
    missing = [x for x in c["commits"] if not x["applied"]]
    out = [f"{c['branch']}: {len(c['commits'])} commit(s) on {c['upstream']} since {c['fork_point'][:10]}, "
           f"{len(missing)} not applied"]
    for x in c["commits"]:
        pr = f"#{x['pr']}" if x["pr"] else "-"
        state = f"applied ({x['evidence']})" if x["applied"] else "missing"
        out.append(f"  {x['sha'][:10]}  {pr:>6}  {state:<24} {x['subject'][:70]}  <{x['author']}>")
    return "\n".join(out)


# --- argument parsing ----------------------------------------------------------------------------------------

def iso_date(text: str) -> str:
    try:
        date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a YYYY-MM-DD date") from None
    return text


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--repo", default=".", metavar="PATH", help="repository to work on (default: current dir)")
    common.add_argument("--json", action="store_true", help="print one JSON document")
    parser = argparse.ArgumentParser(prog="cockpit", parents=[common], **PLAIN_ARGPARSE,
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
    with printable_output():  # output and errors quote tag, branch, commit and milestone text, and the arguments
        return run(build_parser().parse_args(argv))


def run(args: argparse.Namespace) -> int:
    try:
        return args.func(args)
    except USER_ERRORS as exc:
        print(f"cockpit: {one_line(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # the last line of defence: a user never sees a traceback
        if os.environ.get("COCKPIT_DEBUG"):
            raise
        print(f"cockpit: internal error: {type(exc).__name__}: {one_line(exc)} (COCKPIT_DEBUG=1 shows details)",
              file=sys.stderr)
        return EXIT_BAD_INPUT


def one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 300 else text[:297] + "..."
