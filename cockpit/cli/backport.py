"""`cockpit backport`: cherry-pick default-branch commits with `-x` onto a backport branch opened as a PR against the
release branch (--pr, the default), or straight onto the release branch (--direct); after a conflict,
`--continue | --skip | --abort`. A conflict exits 1 with one line naming the files, leaving git's own cherry-pick in
progress; a cherry-pick the cockpit did not start is never touched (exit 2)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from cockpit.cli.ops import confirmed, journal_for, plan_document, print_plan
from cockpit.cli.output import Exit, answer
from cockpit.cli.terminal import single_line
from cockpit.core.plan import Plan
from cockpit.errors import InputError
from cockpit.services.bundle import open_git
from cockpit.services.executor import Executor, PlanBlocked, Progress, StepFailed, describe_choices
from cockpit.services.forge.factory import open_forge
from cockpit.services.journal import PlanRecord
from cockpit.services.steps import StepContext
from cockpit.workflows.backport import plan_backport
from cockpit.workflows.backport_session import abort_backport, continue_backport, require_backport, skip_current


class Output:
    """Human text on stdout, or on stderr when --json keeps stdout for the one JSON document (output.py)."""

    def __init__(self, as_json: bool):
        self.as_json = as_json

    def say(self, text: str) -> None:
        print(text, file=sys.stderr if self.as_json else sys.stdout)


def progress_printer(out: Output) -> Callable[[Progress], None]:
    def report(p: Progress) -> None:
        if p.state == "started":
            return
        ch = p.changes or {}
        mark = {"done": "ok", "skipped": "==", "failed": "!!"}[p.state]
        if ch.get("skipped") and ch.get("empty"):
            note = " (empty: already on the branch, dropped)"
        elif ch.get("skipped"):
            note = " (skipped)"
        elif p.state == "skipped" or ch.get("already"):
            note = " (already done)"
        elif ch.get("nothing"):
            note = " (nothing picked: skipped)"
        elif ch.get("url"):
            note = f": #{ch.get('pull')} {ch['url']}"
        else:
            note = ""
        out.say(single_line(f"  [{mark}] {p.step.title}{note}"))
    return report


def outcome(out: Output, executor: Executor, run: Callable[[], PlanRecord], plan: Plan | None = None) -> int:
    """Run the plan (or its continuation) and report how it ended: done, or stopped with one line."""
    try:
        record = run()
    except PlanBlocked as exc:
        out.say(str(exc))
        if plan is not None:
            answer(plan_document(plan, "blocked", error=("refused", str(exc))))
        return Exit.CHECK_FAILED
    except StepFailed as exc:
        print(f"cockpit: {exc.reason if exc.step.kind == 'backport.pick' else exc}", file=sys.stderr)
        stopped = next((p for p in executor.journal.plans() if p.plan.id == exc.plan.id), None)
        answer({**plan_document(exc.plan, "stopped", record=stopped, error=("step-failed", exc.reason)),
                "step": exc.step.id})
        return Exit.CHECK_FAILED
    data = record.as_json()
    pull = next((s["changes"] for s in data["steps"] if s["changes"].get("url")), None)
    out.say(single_line(f"done: {record.plan.title}") + (f" — {pull['url']}" if pull else ""))
    answer({**plan_document(record.plan, "finished", record=record), "pull": pull})
    return Exit.OK


def cmd_backport(args: argparse.Namespace) -> int:
    out = Output(args.json)
    git = open_git(args.repo)
    forge = open_forge(git).forge
    executor = Executor(journal_for(git), StepContext(git, forge))
    if args.control:
        if args.shas or args.branch or args.mode:
            raise InputError(f"--{args.control} takes no SHA, --branch, --pr or --direct: it carries on the "
                             "unfinished backport")
        return control(args, out, executor)
    if not args.branch:
        raise InputError("--branch release/M.m.x is required")
    if not args.shas:
        raise InputError("nothing to backport: name one or more commits (SHA...)")
    plan = plan_backport(git, forge, args.branch, args.shas, args.mode or "pr", executor.journal)
    return start(args, out, executor, plan)


def start(args: argparse.Namespace, out: Output, executor: Executor, plan: Plan) -> int:
    print_plan(plan, out.say)
    if plan.blocked:
        out.say("refused: an error-severity check failed")
        answer(plan_document(plan, "blocked", dry_run=bool(args.dry_run),
                             error=("refused", "an error-severity check failed")))
        return Exit.CHECK_FAILED
    if args.dry_run:
        out.say("dry run: nothing was changed")
        answer(plan_document(plan, "dry-run", dry_run=True))
        return Exit.OK
    if not confirmed(args, "Proceed", len(plan.warnings), out.say):
        out.say("cancelled: nothing was changed")
        answer(plan_document(plan, "cancelled"))
        return Exit.OK
    return outcome(out, executor, lambda: executor.execute(plan, progress_printer(out)), plan)


def control(args: argparse.Namespace, out: Output, executor: Executor) -> int:
    state = require_backport(executor, args.control)  # none, or somebody else's cherry-pick: exit 2
    assert state.record is not None
    record = state.record
    out.say(state.describe())
    choices = describe_choices(record)
    will = {"continue": choices["continue"], "abort": choices["abort"],
            "skip": f"skip {state.step.title if state.step else 'nothing'}, then carry on"}[args.control]
    out.say(f"{args.control} will {will}")
    conflicted = list(state.conflicted)
    if args.dry_run:
        answer({**plan_document(record.plan, "dry-run", dry_run=True, record=record), "will": will,
                "conflicted": conflicted})
        return Exit.OK
    if not confirmed(args, args.control.capitalize(), say=out.say):
        out.say("cancelled: nothing was changed")
        answer({**plan_document(record.plan, "cancelled", record=record), "will": will, "conflicted": conflicted})
        return Exit.OK
    if args.control == "abort":
        aborted = abort_backport(executor)
        closed, undone = aborted.record, aborted.removed
        kept = "".join(f"; {k}" for k in aborted.kept)
        out.say("aborted" + (f"; undone: {', '.join(undone)}" if undone else "") + kept)
        answer({**plan_document(closed.plan, "aborted", record=closed), "undone": undone})
        return Exit.OK
    report = progress_printer(out)
    if args.control == "skip":
        return outcome(out, executor, lambda: skip_current(executor, report))
    return outcome(out, executor, lambda: continue_backport(executor, report))
