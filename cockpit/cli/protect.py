"""`cockpit protect --branch release/M.m.x`: the branch-protection request on the infra repository, as a plan
(branch, file, PR) confirmed and journaled like every mutating command; without access to that repository, the
exact change to make by hand (a unified diff, the PR title and body), exit 0."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cockpit.cli.ops import executor_for, exit_code, run_and_report, run_plan
from cockpit.cli.output import Exit, amend, answer
from cockpit.core.plan import Plan
from cockpit.services.bundle import open_git
from cockpit.services.forge.factory import open_forge
from cockpit.services.git import GitService
from cockpit.services.steps.forge import NO_PUSH
from cockpit.workflows import protect
from cockpit.workflows.common import new_plan_id
from cockpit.workflows.runner import RunOutcome


def cmd_protect(args: argparse.Namespace) -> int:
    git = open_git(args.repo)
    infra = git.config.infra
    branch = protect.check_branch_name(git, args.branch)
    exists = protect.branch_check(git, branch)
    if exists.blocks:  # refused before the forge is even asked
        return run_plan(args, git, Plan(new_plan_id("protect"), f"Request protection of {branch}", (), (exists,)))
    choice = open_forge(git)
    access = protect.infra_access(choice.forge, choice.problem, infra)
    text, source = protect.read_infra_file(access, infra, Path(args.infra_file) if args.infra_file else None)
    req = protect.build_request(infra, branch, text, source, access.base)
    if not req.edit.changed:
        print(f"nothing to do: {branch} is already protected in {req.source}")
        answer({"branch": branch, "state": "already-protected", "source": req.source, "dry_run": args.dry_run})
        return Exit.OK
    if not access.writable:
        return manual(args, branch, req, access.problem)
    author = protect.signoff(git)
    plan = protect.plan_protect(req, (exists, *protect.request_checks(req, author)), author)
    ran = run_and_report(args, git, plan)
    if ran.state == "stopped":
        refused = close_if_refused(git, ran)
        if refused:
            print("cockpit: the plan is closed: without push access it cannot go on", file=sys.stderr)
            return manual(args, branch, req, refused, plan.id)
    url = opened_pull(ran) if ran.state == "finished" else None
    if url:
        print(f"pull request: {url}")
        amend(pull=url)
    return exit_code(ran)


def manual(args: argparse.Namespace, branch: str, req: protect.ProtectRequest, problem: str | None,
           plan_id: str | None = None) -> int:
    """No push access to the infra repository: the exact change to make by hand (for --json, as text)."""
    text = protect.manual_change(req, problem)
    print(text)
    answer({"branch": branch, "state": "manual", "plan": plan_id, "dry_run": args.dry_run, "problem": problem,
            "source": req.source, "change": text})
    return Exit.OK


def opened_pull(ran: RunOutcome) -> str | None:
    """The PR the plan opened (or found open), from its journal record."""
    record = ran.record
    return (record.changes.get("pull") or {}).get("url") if record is not None else None


def close_if_refused(git: GitService, ran: RunOutcome) -> str | None:
    """When the forge refused a write for lack of push access (a token that reads but may not write), abort the
    plan (what it made on the infra repository stays) and return why; None for any other failure."""
    record = ran.record
    if record is None or not record.unfinished:
        return None
    reason = next((e for e in record.errors.values() if e.startswith(NO_PUSH)), None)
    if reason is not None:
        executor_for(git).abort()
    return reason
