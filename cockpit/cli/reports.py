"""The read-only commands: `status`, `next`, `check`, `candidates` and `notes`. Each prints its report as text, or
as the one JSON document of the CLI contract with --json (DESIGN.md); `check` exits 1 when a check fails."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from cockpit.cli.args import iso_date, require_forge
from cockpit.cli.output import Exit, answer, dumps
from cockpit.cli.terminal import single_line
from cockpit.services.bundle import open_git
from cockpit.services.forge.base import ForgeError
from cockpit.services.forge.factory import open_forge
from cockpit.services.settings import today
from cockpit.workflows import reports


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
    return Exit.OK


def cmd_notes(args: argparse.Namespace) -> int:
    git = open_git(args.repo)
    forge = require_forge(git)
    notes = reports.release_notes(forge, args.milestone, args.date or today())
    if args.json:
        answer(notes.as_json())
    elif args.format == "json":
        print(dumps(notes.as_json()))
    else:
        print(notes.as_markdown(), end="")
    return Exit.OK


def cmd_next(args: argparse.Namespace) -> int:
    data = reports.next_versions(open_git(args.repo), args.at, args.since_libs, args.since_driver)
    emit(args, data, format_next)
    return Exit.OK


def cmd_check(args: argparse.Namespace) -> int:
    report = reports.check(open_git(args.repo), libs=args.libs, driver=args.driver, at=args.at)
    emit(args, report.as_json(), format_check)
    return Exit.OK if report.ok else Exit.CHECK_FAILED


def cmd_candidates(args: argparse.Namespace) -> int:
    """Without --milestone the forge only adds PR links and details (its problem is reported, git's answer stays);
    --milestone needs it: the milestone's PRs decide which commits are kept."""
    git = open_git(args.repo)
    prs, items = None, None
    if args.milestone:
        forge, problem = require_forge(git), None
        pulls = [i for i in forge.milestone_items(args.milestone) if i.kind == "pr"]
        prs, items = {i.number for i in pulls}, {i.number: i for i in pulls}
    else:
        choice = open_forge(git)
        forge, problem = choice.forge, choice.problem
    emit(args, reports.candidates(git, args.branch, prs, forge, problem, items), format_candidates)
    return Exit.OK


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
    if c["forge"]["problem"]:
        out.append(f"forge: {c['forge']['problem']} (PRs linked by subject and merge commits only)")
    for x in c["commits"]:
        pr = f"#{x['pr']}" if x["pr"] else "-"
        source = f"({x['pr_source']})" if x["pr_source"] else ""
        state = f"applied ({x['evidence']})" if x["applied"] else "missing"
        milestone = f"  [{x['milestone']}]" if x["milestone"] else ""
        out.append(f"  {x['sha'][:10]}  {pr:>6} {source:<9} {state:<24} {x['subject'][:70]}  <{x['author']}>"
                   f"{milestone}")
    return lines(out)


# --- arguments -----------------------------------------------------------------------------------------------------

def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
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


def register_candidates(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Registered last, so `cockpit --help` lists the commands in the order it always has."""
    p = sub.add_parser("candidates", parents=[common], help="backport candidates for a release branch")
    p.add_argument("--branch", required=True, metavar="release/M.m.x")
    p.add_argument("--milestone", metavar="TITLE", help="only commits of PRs in this milestone (needs a forge)")
    p.set_defaults(func=cmd_candidates)
