"""The executor in process, on real temporary repositories: a plan runs through the registry's step kinds and the
journal, a finished step re-run is a no-op, the first failure stops the plan, and abort removes only the local refs
it created (the remote is asked first); kinds with their own undo are offered and run by abort."""

from __future__ import annotations

from pathlib import Path

import pytest

from cockpit.core.plan import Plan, Step
from cockpit.services.executor import Executor, StepFailed, describe_choices
from cockpit.services.git import GitService
from cockpit.services.journal import Journal
from cockpit.services.steps import StepContext
from cockpit.services.steps.backport import UNDO_DESCRIBE
from cockpit.services.steps.registry import KINDS, preview

from builders import FalcoRepo


def step(id_: str, kind: str, **params: object) -> Step:
    return Step(id_, id_, kind, dict(params), preview(kind, dict(params)))


def executor(falco: FalcoRepo, tmp_path: Path) -> Executor:
    return Executor(Journal(tmp_path / "journal.jsonl"), StepContext(GitService(falco.path)))


def test_a_plan_runs_through_the_registry_and_a_rerun_changes_nothing(falco: FalcoRepo, tmp_path: Path) -> None:
    head = falco.b.head("master")
    ref = "refs/heads/release/0.3.x"
    steps = (step("branch", "git.branch", name="release/0.3.x", sha=head),
             step("push", "git.push", remote="origin", refs={ref: head}))
    run = executor(falco, tmp_path)
    record = run.execute(Plan("cut", "cut", steps))
    assert [record.state_of(s.id) for s in steps] == ["done", "done"]
    assert falco.b.git("--git-dir", str(falco.b.origin), "rev-parse", ref) == head
    again = run.execute(Plan("cut-again", "cut again", steps))
    assert all(again.changes[s.id].get("already") for s in steps)


def test_the_first_failure_stops_and_abort_removes_only_what_the_remote_lacks(falco: FalcoRepo,
                                                                             tmp_path: Path) -> None:
    head = falco.b.head("master")
    steps = (step("branch", "git.branch", name="release/0.3.x", sha=head),
             step("push", "git.push", remote="origin",
                  refs={"refs/heads/release/0.3.x": head, "refs/tags/0.2.0": head}))
    run = executor(falco, tmp_path)
    with pytest.raises(StepFailed, match="a tag is never moved"):
        run.execute(Plan("cut", "cut", steps))
    record = run.journal.unfinished()
    assert record is not None and record.state_of("push") == "failed"
    outcome = run.abort(record)
    assert outcome is not None and outcome.removed == ["refs/heads/release/0.3.x"] and outcome.kept == []
    assert GitService(falco.path).ref_commit("refs/heads/release/0.3.x") is None
    assert run.journal.unfinished() is None


def test_an_unknown_kind_fails_the_step(falco: FalcoRepo, tmp_path: Path) -> None:
    with pytest.raises(StepFailed, match="unknown step kind"):
        executor(falco, tmp_path).execute(Plan("odd", "odd", (Step("x", "x", "git.nothing"),)))


def test_a_kind_with_its_own_undo_is_offered_and_undone(falco: FalcoRepo, tmp_path: Path) -> None:
    """A started backport: abort checks the user's branch out again and removes the backport branch it made."""
    assert KINDS["backport.start"].undo is not None
    head, base = falco.b.head("master"), falco.b.head("release/0.2.x")
    start = step("start", "backport.start", mode="pr", branch="release/0.2.x", work="backport/x", base=base,
                 remote="origin", local_before=None, original_branch="master", original_sha=head,
                 shas=[falco.shas["fix7"]])
    pick = step("pick", "backport.pick", sha=falco.shas["fix7"], subject="fix", work="backport/x", base=base,
                mainline=False)
    run = executor(falco, tmp_path)
    plan = Plan("bp", "backport", (start, pick, Step("stop", "stop", "git.nothing")))
    with pytest.raises(StepFailed):
        run.execute(plan)
    record = run.journal.unfinished()
    assert record is not None
    assert UNDO_DESCRIBE in describe_choices(record)["abort"]
    outcome = run.abort(record)
    assert outcome is not None and "backport/x (local)" in outcome.removed
    git = GitService(falco.path)
    assert git.symbolic_head() == "refs/heads/master" and git.ref_commit("refs/heads/backport/x") is None
