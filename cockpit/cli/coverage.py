"""`cockpit coverage --milestone TITLE`: which of a milestone's merged PRs reached which maintained release branches,
each cell applied / partial / missing / conflict, and the exact `cockpit backport` command that brings the missing
ones to each branch (with --json: the one document of the CLI contract)."""

from __future__ import annotations

import argparse
import sys

from cockpit.cli.args import require_forge
from cockpit.cli.output import Exit, answer
from cockpit.cli.terminal import single_line
from cockpit.core.coverage import Coverage, backport_command
from cockpit.services.bundle import open_git
from cockpit.workflows.reports.coverage import coverage
from cockpit.workflows.reports.serialise import coverage_json

MARK = {"applied": "applied", "partial": "partial", "missing": "missing", "conflict": "CONFLICT"}


def cmd_coverage(args: argparse.Namespace) -> int:
    git = open_git(args.repo)
    report = coverage(git, require_forge(git), args.milestone, args.branch or ())
    for problem in report.problems:
        print(single_line(f"note: {problem}"), file=sys.stderr)
    if args.json:
        answer(coverage_json(report))
    else:
        print(format_coverage(report))
    return Exit.OK


def format_coverage(c: Coverage) -> str:
    """One line per PR with its status on each branch, then per branch the command that backports what is missing
    (one line each: a line break in a title is shown, never followed)."""
    width = max((len(b) for b in c.branches), default=8) + 2
    out = [f"milestone {c.milestone}: {len(c.rows)} merged PR(s) x {len(c.branches)} branch(es)",
           f"{'PR':<8}{'commits':<9}" + "".join(f"{b:<{width}}" for b in c.branches) + "title"]
    for r in c.rows:
        cells = "".join(f"{MARK[r.branches[b]]:<{width}}" for b in c.branches)
        out.append(f"#{r.number:<7}{len(r.commits):<9}{cells}{r.title}")
    todo = [(b, c.to_backport(b)) for b in c.branches]
    if any(shas for _, shas in todo):
        out.append("to backport what is missing (a PR in conflict stops for you to resolve):")
    for b, shas in todo:
        out.append(f"  {backport_command(b, shas)}" if shas else f"  {b}: every PR is applied")
    return "\n".join(single_line(line) for line in out)
