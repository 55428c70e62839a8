"""`cockpit backport`: cherry-pick default-branch commits with `-x` onto a backport branch opened as a PR against the
release branch (--pr, the default), or straight onto the release branch (--direct); after a conflict,
`--continue | --skip | --abort`. A conflict exits 1 with one line naming the files, leaving git's own cherry-pick in
progress; a cherry-pick the cockpit did not start is never touched (exit 2)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from cockpit.cli.ops import confirmed, journal_for, plan_document, print_plan, refuse
from cockpit.cli.output import Exit, answer
from cockpit.cli.terminal import single_line
from cockpit.core.plan import Plan
from cockpit.errors import InputError
from cockpit.services.bundle import open_git
from cockpit.services.executor import Executor, Progress, describe_choices
from cockpit.services.forge.factory import open_forge
from cockpit.services.steps import StepContext
from cockpit.workflows import runner
from cockpit.workflows.backport import propose_backport
from cockpit.workflows.backport_session import abort_backport, continue_backport, require_backport, skip_current
from cockpit.workflows.proposal import Refusal
from cockpit.workflows.runner import RunOutcome


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


def report(out: Output, ran: RunOutcome) -> int:
    """Say how the backport (or its continuation) ended: done with its PR, or stopped with one line."""
    if ran.state == "blocked":  # the executor's own refusal: a plan journaled before its checks failed
        out.say(ran.error or "")
        answer(plan_document(ran.plan, "blocked", error=("refused", ran.error or "")))
        return Exit.CHECK_FAILED
    if ran.state == "stopped":
        step, reason = ran.stopped_at, ran.reason or ""
        print(f"cockpit: {reason if step is not None and step.kind == 'backport.pick' else ran.error}",
              file=sys.stderr)
        answer({**plan_document(ran.plan, "stopped", record=ran.record, error=("step-failed", reason)),
                "step": step.id if step is not None else None})
        return Exit.CHECK_FAILED
    record = ran.record
    assert record is not None
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
    plan = propose_backport(git, forge, args.branch, args.shas, args.mode or "pr", executor.journal)
    if isinstance(plan, Refusal):
        return refuse(plan)
    return start(args, out, executor, plan)


def start(args: argparse.Namespace, out: Output, executor: Executor, plan: Plan) -> int:
    print_plan(plan, out.say)
    ran = runner.run_plan(plan, lambda: executor, dry_run=bool(args.dry_run), on_progress=progress_printer(out),
                          confirm=lambda p: confirmed(args, "Proceed", len(p.warnings), out.say))
    if ran.state == "blocked":
        out.say("refused: an error-severity check failed")
        answer(plan_document(plan, "blocked", dry_run=bool(args.dry_run),
                             error=("refused", "an error-severity check failed")))
        return Exit.CHECK_FAILED
    if ran.state == "dry-run":
        out.say("dry run: nothing was changed")
        answer(plan_document(plan, "dry-run", dry_run=True))
        return Exit.OK
    if ran.state == "cancelled":
        out.say("cancelled: nothing was changed")
        answer(plan_document(plan, "cancelled"))
        return Exit.OK
    return report(out, ran)


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
    progress = progress_printer(out)
    if args.control == "skip":
        return report(out, runner.outcome_of(record.plan, executor, lambda: skip_current(executor, progress)))
    return report(out, runner.outcome_of(record.plan, executor, lambda: continue_backport(executor, progress)))
