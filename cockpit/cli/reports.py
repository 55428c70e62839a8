"""The read-only commands: `status`, `next`, `check`, `candidates` and `notes`. Each prints its report as text, or
as the one JSON document of the CLI contract with --json (DESIGN.md); `check` exits 1 when a check fails."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from cockpit.cli.args import require_forge
from cockpit.cli.output import Exit, answer, dumps
from cockpit.cli.terminal import single_line
from cockpit.core.freshness import fetched_words
from cockpit.errors import InputError
from cockpit.services.forge.base import ForgeError
from cockpit.services.forge.factory import open_forge
from cockpit.services.repository import open_git
from cockpit.services.settings import today
from cockpit.workflows.reports.serialise import (
    candidates_json,
    check_json,
    next_versions_json,
    notes_json,
    notes_since_json,
    status_document,
)

if TYPE_CHECKING:
    from cockpit.workflows.reports.candidates import CandidatesReport
    from cockpit.workflows.reports.check import CheckReport
    from cockpit.workflows.reports.next_versions import NextVersions

R = TypeVar("R")

# Each command imports its own report: `status` runs on every start of a script and should not pay for the others.


def emit(args: argparse.Namespace, data: Any, text: Callable[[Any], str]) -> None:
    """--json: `data` is the document; otherwise `text(data)` is printed."""
    if args.json:
        answer(data)
    else:
        print(text(data))


def emit_report(args: argparse.Namespace, report: R, document: Callable[[R], dict], text: Callable[[R], str]) -> None:
    """--json: the report's contract document (written by serialise.py); otherwise its text, read from the typed
    report itself."""
    if args.json:
        answer(document(report))
    else:
        print(text(report))


# --- subcommands ---------------------------------------------------------------------------------------------

def cmd_status(args: argparse.Namespace) -> int:
    from cockpit.ui.last_session import keep_status
    from cockpit.workflows.reports.milestones import milestone_views
    from cockpit.workflows.reports.status import status as status_report

    git = open_git(args.repo)
    status = status_report(git)
    keep_status(Path(args.repo), status)
    choice = open_forge(git)
    problem, views = choice.problem, []
    if choice.forge is not None:
        try:
            views = milestone_views(choice.forge, status, today(), git.config.schedule)
        except ForgeError as exc:  # the forge failing never hides the git data
            problem = str(exc)
    emit(args, status_document(status, choice.description, problem, views), format_status)
    return Exit.OK


def cmd_notes(args: argparse.Namespace) -> int:
    from cockpit.workflows.reports.notes_since import notes_since
    from cockpit.workflows.reports.release_gate import linted_notes

    git = open_git(args.repo)
    forge = require_forge(git)
    if args.since:
        since = notes_since(git, forge, args.milestone, args.since, args.until, args.date or today())
        notes, problems, data = since.notes, since.problems, notes_since_json(since)
    else:
        if args.until:
            raise InputError("--until needs --since TAG")
        notes, problems = linted_notes(forge, args.milestone, args.date or today())
        data = notes_json(notes, problems)
    if args.json:
        answer(data)
    elif args.format == "json":
        print(dumps(data))
    else:
        print(notes.as_markdown(), end="")
        if problems:  # the notes stay pipeable: the lint goes to stderr
            print(f"{len(problems)} merged PR(s) lack a well-formed release-note block:", file=sys.stderr)
            for p in problems:
                print(f"  {single_line(p.line())}", file=sys.stderr)
    return Exit.OK


def cmd_next(args: argparse.Namespace) -> int:
    from cockpit.workflows.reports.next_versions import next_versions

    report = next_versions(open_git(args.repo), args.at, args.since_libs, args.since_driver)
    emit_report(args, report, next_versions_json, format_next)
    return Exit.CHECK_FAILED if report.failed else Exit.OK


def cmd_check(args: argparse.Namespace) -> int:
    from cockpit.workflows.reports.check import check as check_report
    from cockpit.workflows.reports.release_gate import with_forge_checks

    git = open_git(args.repo)
    choice = open_forge(git)
    report = with_forge_checks(check_report(git, libs=args.libs, driver=args.driver, at=args.at), choice.forge,
                               choice.problem)
    emit_report(args, report, check_json, format_check)
    return Exit.OK if report.ok else Exit.CHECK_FAILED


def cmd_candidates(args: argparse.Namespace) -> int:
    """Without --milestone the forge only adds PR links and details (its problem is reported, git's answer stays);
    --milestone needs it: the milestone's PRs decide which commits are kept."""
    from cockpit.workflows.reports.candidates import candidates as candidates_report

    git = open_git(args.repo)
    prs, items = None, None
    if args.milestone:
        forge, problem = require_forge(git), None
        pulls = [i for i in forge.milestone_items(args.milestone) if i.kind == "pr"]
        prs, items = {i.number for i in pulls}, {i.number: i for i in pulls}
    else:
        choice = open_forge(git)
        forge, problem = choice.forge, choice.problem
    emit_report(args, candidates_report(git, args.branch, prs, forge, problem, items), candidates_json,
                format_candidates)
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
           f"remote      {fetched_words(_when(s['fetched_at']))}",
           f"versions    API {shown(v['api_version'])}  SCHEMA {shown(v['schema_version'])}  "
           f"plugin API {shown(v['plugin_api_version'])}"]
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
    if s["irregular_branches"]:
        out.append("irregular branches (never used as release branches)")
        out.extend(f"  {b['name']}: {b['reason']}" for b in s["irregular_branches"])
    irregular = [t for t in s["tags"] if t["irregular"]]
    if irregular:
        out.append("irregular tags")
        out.extend(f"  {t['name']}: {t['irregular']}" for t in irregular)
    return lines(out)


def _when(iso: str | None) -> datetime | None:
    return datetime.fromisoformat(iso) if iso else None


def shown(value: Any, absent: str = "-") -> str:
    """A value of a JSON document as a person reads it: an absent one (None) is `absent`, never "None"."""
    return absent if value is None else str(value)


def format_next(n: NextVersions) -> str:
    d, lb = n.driver, n.libs
    api, schema, plugin = d.api, d.schema, lb.plugin_api
    out = [
        f"at {n.at} ({n.commit[:10]})",
        f"driver  {shown(d.previous, '(none)')} -> {d.next}  ({d.bump or 'first'} bump: "
        f"API {shown(api.before)} -> {shown(api.after)} {api.change}, "
        f"SCHEMA {shown(schema.before)} -> {shown(schema.after)} {schema.change})",
        f"libs    {shown(lb.previous, '(none)')} -> next minor {lb.next_minor}, next patch "
        f"{shown(lb.next_patch)}  (plugin API {shown(plugin.before)} -> {shown(plugin.after)} {plugin.change}"
        f"{', header changed' if plugin.header_changed else ''})",
    ]
    for c in n.checks:
        if not c.ok:
            out.append(f"  {MARKS[c.severity]}  {c.id:<26} {c.message}")
            if c.fix_hint:
                out.append(f"          fix: {c.fix_hint}")
    return lines(out)


MARKS = {True: "ok  ", "error": "FAIL", "warning": "WARN", "info": "info"}


def format_check(r: CheckReport) -> str:
    out = [f"checks at {r.at} ({r.commit[:10]})"]
    for c in r.results:
        mark = MARKS[True] if c.ok else MARKS[c.severity]
        out.append(f"  {mark}  {c.id:<26} {c.message}")
        if not c.ok:
            out.extend(f"          evidence: {e}" for e in c.evidence[:5])
            if c.fix_hint:
                out.append(f"          fix: {c.fix_hint}")
    failed = [c for c in r.results if not c.ok]
    errors = sum(c.severity == "error" for c in failed)
    warnings = sum(c.severity == "warning" for c in failed)
    out.append(f"{'OK' if r.ok else 'BLOCKED'}: {errors} error(s), {warnings} warning(s)")
    return lines(out)


def format_candidates(c: CandidatesReport) -> str:
    missing = [x for x in c.commits if not x.applied]
    out = [f"{c.branch}: {len(c.commits)} commit(s) on {c.upstream} since {c.fork_point[:10]}, "
           f"{len(missing)} not applied"]
    if c.forge_problem:
        out.append(f"forge: {c.forge_problem} (PRs linked by subject and merge commits only)")
    for x in c.commits:
        pr = f"#{x.pr}" if x.pr else "-"
        source = f"({x.pr_source})" if x.pr_source else ""
        state = f"applied ({x.evidence})" if x.applied else "missing"
        milestone = f"  [{x.milestone}]" if x.milestone else ""
        out.append(f"  {x.sha[:10]}  {pr:>6} {source:<9} {state:<24} {x.subject[:70]}  <{x.author}>"
                   f"{milestone}")
    return lines(out)


# --- arguments -----------------------------------------------------------------------------------------------------
