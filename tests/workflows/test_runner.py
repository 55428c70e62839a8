"""The one plan runner (workflows/runner.py) on a real falco-shaped repository and its bare origin: each way a run
can end comes back as a typed outcome (state, steps done and left, the journal's record), and what did not run
opened nothing and changed nothing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from cockpit.core.plan import Plan
from cockpit.services.executor import Executor, Progress
from cockpit.services.git import GitService
from cockpit.services.journal import Journal
from cockpit.services.steps import StepContext
from cockpit.workflows.branch_cut import propose_branch_cut
from cockpit.workflows.runner import confirmed_already, continue_plan, run_plan
from cockpit.workflows.tag_release import propose_tag

from builders import FalcoRepo, planned


def refs(repo: Path) -> str:
    return subprocess.run(["git", "-C", str(repo), "for-each-ref"], capture_output=True, text=True,
                          check=True).stdout


class Opened:
    """The executor factory the runner is given, counting how often the runner opened it."""

    def __init__(self, git: GitService, journal: Path):
        self.git, self.journal, self.count = git, journal, 0

    def __call__(self) -> Executor:
        self.count += 1
        return Executor(Journal(self.journal), StepContext(self.git))


def test_a_confirmed_plan_finishes_with_its_record(falco: FalcoRepo, tmp_path: Path) -> None:
    git = GitService(falco.path)
    plan = planned(propose_branch_cut(git, "0.3.0"))
    seen: list[Plan] = []
    progress: list[tuple[str, str]] = []

    def confirm(p: Plan) -> bool:
        seen.append(p)
        return True
    ran = run_plan(plan, Opened(git, tmp_path / "j.jsonl"), confirm=confirm,
                   on_progress=lambda p: progress.append((p.step.id, p.state)))
    assert ran.state == "finished" and not ran.failed
    assert seen == [plan]
    assert ran.plan_id == plan.id and ran.journaled and ran.record is not None and ran.record.final == "finished"
    assert ran.done == ("branch", "push", "upstream") and ran.left == ()
    assert progress == [(s, state) for s in ran.done for state in ("started", "done")]
    assert "refs/heads/release/0.3.x" in refs(falco.b.origin)


def test_dry_run_cancel_and_blocked_open_nothing_and_change_nothing(falco: FalcoRepo, tmp_path: Path) -> None:
    git = GitService(falco.path)
    opened = Opened(git, tmp_path / "j.jsonl")
    before = refs(falco.path), refs(falco.b.origin)
    plan = planned(propose_branch_cut(git, "0.3.0"))

    def never(_p: Plan) -> bool:
        raise AssertionError("a dry run asks nothing")
    dry = run_plan(plan, opened, confirm=never, dry_run=True)
    cancelled = run_plan(plan, opened, confirm=lambda _p: False)
    blocked_plan = planned(propose_tag(git, libs="1.0.0", branch="release/0.2.x"))  # libs major must be 0: no override
    assert blocked_plan.blocked
    blocked = run_plan(blocked_plan, opened, confirm=never)
    assert (dry.state, cancelled.state, blocked.state) == ("dry-run", "cancelled", "blocked")
    assert blocked.failed and not dry.failed and not cancelled.failed
    assert blocked.error is not None and blocked.error.startswith("refused: an error-severity check failed")
    for ran in (dry, cancelled, blocked):
        assert ran.record is None and not ran.journaled and ran.done == ()
        assert ran.left == tuple(s.id for s in ran.plan.steps)
    assert opened.count == 0 and not (tmp_path / "j.jsonl").exists()
    assert (refs(falco.path), refs(falco.b.origin)) == before


@pytest.mark.fault
def test_a_step_that_fails_stops_with_what_is_left_then_continues(falco: FalcoRepo, tmp_path: Path) -> None:
    """The remote refuses the push (a hook): the outcome names the step, its reason and what is left; the journal's
    record comes with it, and continuing once the remote accepts finishes the same plan."""
    git = GitService(falco.path)
    hook = falco.b.origin / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'closed for maintenance' >&2\nexit 1\n")
    hook.chmod(0o755)
    opened = Opened(git, tmp_path / "j.jsonl")
    plan = planned(propose_tag(git, libs="0.2.1", branch="release/0.2.x"))
    ran = run_plan(plan, opened, confirm=confirmed_already)
    assert ran.state == "stopped" and ran.failed
    assert ran.stopped_at is not None and ran.stopped_at.id == "push"
    assert ran.reason is not None and "rejected the push" in ran.reason
    assert ran.error is not None and ran.error.startswith("step push (") and ran.reason in ran.error
    assert ran.done == ("tag-libs",) and ran.left == ("push",)
    assert ran.record is not None and ran.record.unfinished and ran.record.errors["push"] == ran.reason
    hook.unlink()
    seen: list[Progress] = []
    again = continue_plan(ran.record, opened, seen.append)
    assert again.state == "finished" and again.done == ("tag-libs", "push") and again.left == ()
    assert [(p.step.id, p.state) for p in seen] == [("tag-libs", "skipped"), ("push", "started"), ("push", "done")]
    assert "refs/tags/0.2.1" in refs(falco.b.origin)
    assert opened.count == 2
