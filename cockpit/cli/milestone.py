"""`cockpit milestone move | undo | close | orphans`: milestone triage from the command line, through the same plans,
checks, confirmation and journal as every other mutating command (ops.run_plan, the one runner)."""

from __future__ import annotations

import argparse

from cockpit.cli.args import require_forge
from cockpit.cli.ops import exit_code, journal_for, plan_document, refuse, run_and_report, run_plan
from cockpit.cli.output import Exit, amend, answer
from cockpit.cli.terminal import single_line
from cockpit.core.lines import classify
from cockpit.core.plan import Plan
from cockpit.services.bundle import open_git
from cockpit.services.git import GitService
from cockpit.workflows import milestones
from cockpit.workflows.proposal import Refusal


def _run(args: argparse.Namespace, git: GitService, plan: Plan | Refusal) -> int:
    """The plan run (ops.run_and_report), then each item's outcome as the journal recorded it (also after a
    failure)."""
    if isinstance(plan, Refusal):
        return refuse(plan)
    if not plan.steps:
        print(single_line(f"{plan.title}: nothing to move"))
        answer(plan_document(plan, "nothing-to-do", dry_run=args.dry_run))
        return Exit.OK
    ran = run_and_report(args, git, plan)
    if ran.record is not None:
        lines = milestones.outcomes(ran.record)
        print("outcome")
        for line in lines:
            print(f"  {line}")
        amend(outcome=list(lines))
    return exit_code(ran)


def cmd_move(args: argparse.Namespace) -> int:
    git = open_git(args.repo)
    plan = milestones.propose_move(require_forge(git), args.from_title, args.to_title, unmerged_only=args.unmerged_only,
                                items=args.items, create=args.create, due=args.due)
    return _run(args, git, plan)


def cmd_undo(args: argparse.Namespace) -> int:
    git = open_git(args.repo)
    plan = milestones.propose_undo(require_forge(git), journal_for(git).plans(), args.plan)
    return _run(args, git, plan)


def cmd_close(args: argparse.Namespace) -> int:
    git = open_git(args.repo)
    released = [t.name for t in git.refs().tags if classify(t.name).is_release]
    plan = milestones.propose_close(require_forge(git), args.title, released)
    if isinstance(plan, Refusal):
        return refuse(plan)
    if not plan.steps:
        print(single_line(f"{plan.title}: nothing to do (it is closed already)"))
        answer(plan_document(plan, "nothing-to-do", dry_run=args.dry_run))
        return Exit.OK
    return run_plan(args, git, plan)


def cmd_orphans(args: argparse.Namespace) -> int:
    items = milestones.orphans_json(milestones.orphans(require_forge(open_git(args.repo)), args.since))
    if args.json:
        answer({"orphans": items})
        return Exit.OK
    print(f"{len(items)} merged PR(s) without a milestone" + (" (no release's notes list them)" if items else ""))
    for i in items:
        print(single_line(f"  #{i['number']:<6} {i['merged_at']}  @{i['author']:<16} {i['title']}"))
    return Exit.OK
