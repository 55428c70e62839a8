"""The mutating commands: each asks its workflow for a proposal (a Plan, or a Refusal said as bad input), prints the
plan's checks and steps (with the equivalent git and gh commands), and runs it through the one plan runner
(workflows/runner.py), answering for --yes (which also acknowledges warnings) or asking on the terminal; the text and
the --json document are printed from the runner's outcome. --dry-run prints the same and changes nothing: no ref,
file, forge object or journal line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cockpit.cli.args import require_forge
from cockpit.cli.output import Exit, answer, error_document, error_kinds, failed
from cockpit.cli.terminal import single_line
from cockpit.core.plan import Plan
from cockpit.errors import InputError
from cockpit.services.bundle import open_git
from cockpit.services.dirs import state_dir
from cockpit.services.executor import Executor, Progress, describe_choices
from cockpit.services.forge.factory import open_forge
from cockpit.services.git import GitService
from cockpit.services.journal import Journal, JournalError, PlanRecord, journal_file
from cockpit.services.settings import today
from cockpit.services.steps import StepContext
from cockpit.workflows import runner
from cockpit.workflows.branch_cut import propose_branch_cut, propose_hotfix_branch
from cockpit.workflows.plan_release import propose_release_milestones
from cockpit.workflows.proposal import Refusal
from cockpit.workflows.publish import propose_github_release
from cockpit.workflows.runner import RunOutcome
from cockpit.workflows.tag_release import propose_tag
from cockpit.workflows.tracking import propose_tracking_issue

MARK = {"error": "FAIL", "warning": "WARN", "info": "info"}
NO_ANSWER = "no answer (stdin closed): pass --yes to confirm"


def usable_state_dir() -> Path:
    """The state dir, when a journal can live there: the nearest part of its path that exists is a directory.
    Otherwise JournalError naming it (XDG_STATE_HOME pointing to a file), before any plan runs."""
    root = state_dir()
    for path in (root / "journal", root, *root.parents):
        if path.exists():
            if not path.is_dir():
                raise JournalError(f"the journal cannot be kept under {root}: {path} is not a directory "
                                   "(XDG_STATE_HOME must name a directory)")
            break
    return root


def journal_for(git: GitService) -> Journal:
    return Journal(journal_file(usable_state_dir(), git.root))


def executor_for(git: GitService) -> Executor:
    return Executor(journal_for(git), StepContext(git, open_forge(git).forge))


def plan_document(plan: Plan, state: str, *, dry_run: bool = False, record: PlanRecord | None = None,
                  error: tuple[str, str] | None = None) -> dict[str, Any]:
    """The --json answer of a mutating command: the plan (checks, steps with their git commands) and its outcome:
    `state`, which steps ran and which are left, what each changed; `plan` is the id the journal knows it by."""
    steps = [{"id": s.id, "title": s.title, "kind": s.kind, "commands": list(s.commands),
              "state": record.state_of(s.id) if record else "planned",
              "changes": record.changes.get(s.id, {}) if record else {},
              "error": record.errors.get(s.id) if record else None} for s in plan.steps]
    doc: dict[str, Any] = {
        "plan": plan.id, "title": plan.title, "dry_run": dry_run, "state": state,
        "journaled": record is not None, "checks": [c.as_dict() for c in plan.checks], "steps": steps,
        "ran": [s["id"] for s in steps if s["state"] == "done"],
        "left": [s["id"] for s in steps if s["state"] != "done"], "note": plan.note}
    if error is not None:
        doc.update(error_document(*error))
    return doc


def print_plan(plan: Plan, out: Callable[[str], None] = print) -> None:
    shown = [c for c in plan.checks if not c.ok] + [c for c in plan.checks if c.ok and c.severity != "info"]
    if shown:
        out("checks")
        for c in shown:
            out(single_line(f"  {'ok  ' if c.ok else MARK[c.severity]}  {c.id:<26} {c.message}"))
            if not c.ok and c.fix_hint:
                out(single_line(f"          fix: {c.fix_hint}"))
    out(plan.preview())


def confirmed(args: argparse.Namespace, question: str, warnings: int = 0, say: Callable[[str], None] = print) -> bool:
    """--yes confirms (and acknowledges the warnings printed above); otherwise ask on a terminal; a pipe without
    --yes is refused (nothing runs unconfirmed)."""
    if args.yes:
        if warnings:
            say(f"acknowledged {warnings} warning(s) (--yes)")
        return True
    stdin = sys.stdin
    if stdin is None or stdin.closed:
        raise InputError(NO_ANSWER)
    if not stdin.isatty():
        raise InputError("confirmation needed: run in a terminal or pass --yes")
    ack = f", acknowledging {warnings} warning(s)" if warnings else ""
    try:
        reply = input(f"{question}{ack}? [y/N] ")
    except EOFError:  # Ctrl-D
        raise InputError(NO_ANSWER) from None
    return reply.strip().lower() in ("y", "yes")


def report_progress(p: Progress) -> None:
    mark = {"started": "..", "done": "ok", "skipped": "==", "failed": "!!"}[p.state]
    if p.state != "started":
        print(single_line(f"  [{mark}] {p.step.title}") + (" (already done)" if p.state == "skipped" or
                                              (p.changes or {}).get("already") else ""))


def run_proposal(args: argparse.Namespace, git: GitService, proposal: Plan | Refusal) -> int:
    """A workflow's proposal: a plan goes through `run_plan`; a refusal is said and exits with its kind's code."""
    if isinstance(proposal, Refusal):
        return refuse(proposal)
    return run_plan(args, git, proposal)


def refuse(refusal: Refusal) -> int:
    """A refusal as the CLI says any bad input (output.guarded): one line, the error document of its error's kind,
    exit 2; nothing to do, or a change to make by hand, is printed and exits 0."""
    if refusal.exit_kind == "ok":
        print(refusal.why)
        return Exit.OK
    kind = next((k for cls, k in error_kinds() if isinstance(refusal.error, cls)), "input")
    return failed(kind, refusal.why, Exit.BAD_INPUT)


def run_plan(args: argparse.Namespace, git: GitService, plan: Plan) -> int:
    """Show the plan, run it through the one runner, say how it went; the exit code of its outcome."""
    return exit_code(run_and_report(args, git, plan))


def exit_code(outcome: RunOutcome) -> int:
    return Exit.CHECK_FAILED if outcome.failed else Exit.OK


def run_and_report(args: argparse.Namespace, git: GitService, plan: Plan) -> RunOutcome:
    """Show the plan, then refuse, stop (dry run), ask, or run it (runner.run_plan); --json's document says which
    and how it went. The outcome goes back to commands that say more (the items moved, the PR opened)."""
    print_plan(plan)
    outcome = runner.run_plan(plan, lambda: executor_for(git), dry_run=bool(args.dry_run),
                              confirm=lambda p: confirmed(args, "Proceed", len(p.warnings)),
                              on_progress=report_progress)
    if outcome.state == "blocked":
        print(outcome.error)
        answer(plan_document(plan, "blocked", dry_run=bool(args.dry_run), error=("refused", outcome.error or "")))
    elif outcome.state == "dry-run":
        print("dry run: nothing was changed")
        answer(plan_document(plan, "dry-run", dry_run=True))
    elif outcome.state == "cancelled":
        print("cancelled: nothing was changed")
        answer(plan_document(plan, "cancelled"))
    elif outcome.state == "stopped":
        print(f"cockpit: {outcome.error}", file=sys.stderr)
        print("cockpit: the plan is kept in the journal: `cockpit resume` continues it, `cockpit abort` closes it",
              file=sys.stderr)
        answer(plan_document(plan, "stopped", record=outcome.record, error=("step-failed", outcome.error or "")))
    else:
        print(single_line(f"done: {plan.title}"))
        answer(plan_document(plan, "finished", record=outcome.record))
    return outcome


# --- commands ------------------------------------------------------------------------------------------------------

def cmd_branch_cut(args: argparse.Namespace) -> int:
    git = open_git(args.repo)
    return run_proposal(args, git, propose_branch_cut(git, args.version, args.from_ref, open_forge(git).forge))


def cmd_branch_hotfix(args: argparse.Namespace) -> int:
    git = open_git(args.repo)
    return run_proposal(args, git, propose_hotfix_branch(git, args.tag))


def cmd_tag(args: argparse.Namespace) -> int:
    git = open_git(args.repo)
    choice = open_forge(git)
    return run_proposal(args, git, propose_tag(git, libs=args.libs, driver=args.driver, branch=args.branch,
                                               forge=choice.forge, forge_problem=choice.problem,
                                               ci_override=args.ci_override))


def cmd_release(args: argparse.Namespace) -> int:
    git = open_git(args.repo)
    forge = require_forge(git)
    return run_proposal(args, git, propose_github_release(git, forge, args.tag, args.date or today(),
                                                          draft=not args.publish))


def cmd_tracking_issue(args: argparse.Namespace) -> int:
    git = open_git(args.repo)
    forge = require_forge(git)
    return run_proposal(args, git, propose_tracking_issue(git, forge, args.milestone, today(), args.announce))


def cmd_plan_release(args: argparse.Namespace) -> int:
    git = open_git(args.repo)
    forge = require_forge(git)
    plan = propose_release_milestones(git, forge, args.due, today(), libs=args.libs, driver=args.driver,
                                      with_driver=not args.no_driver)
    return run_plan(args, git, plan)


def cmd_journal(args: argparse.Namespace) -> int:
    plans = [p.as_json() for p in journal_for(open_git(args.repo)).plans()]
    if args.json:
        answer(plans)
        return Exit.OK
    if not plans:
        print("the journal is empty")
    for p in plans:
        print(single_line(f"{p['started_at'][:19]}  {p['state']:<10} {p['title']}  ({p['id']})"))
        for s in p["steps"]:
            print(single_line(f"    {s['state']:<8} {s['title']}" + (f"  — {s['error']}" if s["error"] else "")))
    return Exit.OK


def on_unfinished(args: argparse.Namespace, choice: str, act: Callable[[Executor, PlanRecord], int]) -> int:
    """`resume` and `abort`: find the unfinished plan, say what the choice will do, confirm, act."""
    executor = executor_for(open_git(args.repo))
    record = executor.journal.unfinished()
    torn = executor.journal.torn_tail()
    if torn:  # said, never hidden: the plans are read from the complete records before it
        print(f"cockpit: {torn}", file=sys.stderr)
    if record is None:
        message = f"nothing to {'resume' if choice == 'continue' else choice}: no unfinished plan"
        print(message)
        answer({"plan": None, "state": "none", "dry_run": bool(args.dry_run), "message": message,
                "journal_problem": torn})
        return Exit.OK
    will = describe_choices(record)[choice]
    print(single_line(f"unfinished: {record.plan.title} ({record.plan.id})"))
    print(f"{choice} will {will}")
    if args.dry_run:
        answer({**plan_document(record.plan, "dry-run", dry_run=True, record=record), "will": will})
        return Exit.OK
    if not confirmed(args, choice.capitalize()):
        answer({**plan_document(record.plan, "cancelled", record=record), "will": will})
        return Exit.OK
    return act(executor, record)


def cmd_resume(args: argparse.Namespace) -> int:
    def resume(executor: Executor, record: PlanRecord) -> int:
        outcome = runner.continue_plan(record, lambda: executor, report_progress)
        if outcome.state != "finished":
            print(f"cockpit: {outcome.error}", file=sys.stderr)
            answer(plan_document(record.plan, "stopped", record=outcome.record or record,
                                 error=("step-failed", outcome.error or "")))
            return Exit.CHECK_FAILED
        print(f"done: {record.plan.title}")
        answer(plan_document(record.plan, "finished", record=outcome.record))
        return Exit.OK
    return on_unfinished(args, "continue", resume)


def cmd_abort(args: argparse.Namespace) -> int:
    def abort(executor: Executor, record: PlanRecord) -> int:
        outcome = executor.abort()
        removed, kept = (outcome.removed, outcome.kept) if outcome else ([], [])
        print("aborted" + (f"; removed {', '.join(removed)}" if removed else "") + "".join(f"; {k}" for k in kept))
        closed = next((p for p in executor.journal.plans() if p.plan.id == record.plan.id), record)
        answer({**plan_document(record.plan, "aborted", record=closed), "removed": removed, "kept": kept})
        return Exit.OK
    return on_unfinished(args, "abort", abort)
