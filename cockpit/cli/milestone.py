"""`cockpit milestone move | undo | close | orphans`: milestone triage from the command line, through the same plans,
checks, confirmation and journal as every other mutating command (ops.run_plan)."""

from __future__ import annotations

import argparse

from cockpit.cli.args import iso_date, require_forge
from cockpit.cli.ops import add_mutation_flags, journal_for, plan_document, record_of, run_plan
from cockpit.cli.output import Exit, amend, answer
from cockpit.cli.terminal import single_line
from cockpit.core.lines import classify
from cockpit.core.plan import Plan
from cockpit.services.bundle import open_git
from cockpit.services.git import GitService
from cockpit.workflows import milestones


def _run(args: argparse.Namespace, git: GitService, plan: Plan) -> int:
    """run_plan, then each item's outcome as the journal recorded it (also after a failure)."""
    if not plan.steps:
        print(f"{plan.title}: nothing to move")
        answer(plan_document(plan, "nothing-to-do", dry_run=args.dry_run))
        return Exit.OK
    code = run_plan(args, git, plan)
    if not args.dry_run:
        record = record_of(git, plan.id)
        if record is not None:
            lines = milestones.outcomes(record)
            print("outcome")
            for line in lines:
                print(f"  {line}")
            amend(outcome=list(lines))
    return code


def cmd_move(args: argparse.Namespace) -> int:
    git = open_git(args.repo)
    plan = milestones.plan_move(require_forge(git), args.from_title, args.to_title, unmerged_only=args.unmerged_only,
                                items=args.items, create=args.create, due=args.due)
    return _run(args, git, plan)


def cmd_undo(args: argparse.Namespace) -> int:
    git = open_git(args.repo)
    plan = milestones.plan_undo(require_forge(git), journal_for(git).plans(), args.plan)
    return _run(args, git, plan)


def cmd_close(args: argparse.Namespace) -> int:
    git = open_git(args.repo)
    released = [t.name for t in git.refs().tags if classify(t.name).is_release]
    plan = milestones.plan_close(require_forge(git), args.title, released)
    if not plan.steps:
        print(f"{plan.title}: nothing to do (it is closed already)")
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


def item_numbers(text: str) -> list[int]:
    try:
        numbers = [int(part.strip().lstrip("#")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a list of item numbers like 12,15") from None
    if not numbers or any(n <= 0 for n in numbers):
        raise argparse.ArgumentTypeError(f"{text!r} is not a list of item numbers like 12,15")
    return numbers


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
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
    p.set_defaults(func=cmd_move)

    p = ms_sub.add_parser("undo", parents=[common], help="move back what the last (or a given) move plan moved")
    p.add_argument("--plan", metavar="ID", help="the move plan to undo (see `cockpit journal`; default: the last)")
    add_mutation_flags(p)
    p.set_defaults(func=cmd_undo)

    p = ms_sub.add_parser("close", parents=[common], help="close a milestone after its final release")
    p.add_argument("title", metavar="TITLE")
    add_mutation_flags(p)
    p.set_defaults(func=cmd_close)

    p = ms_sub.add_parser("orphans", parents=[common], help="merged PRs without a milestone")
    p.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD", help="only PRs merged on or after this day")
    p.set_defaults(func=cmd_orphans)
