"""Proposals are values: each operation's `propose_*` answers a Plan to show, or a Refusal saying why there is none
(with the input error it comes from and its exit kind), never an exception for "cannot propose". On a real falco-shaped
repository and the demo sandbox's local forge."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cockpit.core.infra_yaml import add_protected_branch
from cockpit.core.plan import Plan
from cockpit.demo import Sandbox
from cockpit.errors import InputError
from cockpit.services.forge.base import NotFound
from cockpit.services.forge.local import LocalForge
from cockpit.services.git import GitService, UnknownRef
from cockpit.services.journal import Journal
from cockpit.workflows import milestones, protect
from cockpit.workflows.backport import propose_backport
from cockpit.workflows.branch_cut import propose_branch_cut, propose_hotfix_branch
from cockpit.workflows.bump import propose_bump
from cockpit.workflows.plan_release import propose_release_milestones
from cockpit.workflows.proposal import Refusal
from cockpit.workflows.publish import propose_github_release
from cockpit.workflows.tag_release import propose_tag
from cockpit.workflows.tracking import propose_tracking_issue

from builders import FalcoRepo
from ui_helpers import TODAY

CONFIG = (Path(__file__).resolve().parent.parent / "data" / "test-infra-config.yaml").read_text()


def refused(answer: Plan | Refusal, error: type[Exception], starts: str) -> Refusal:
    assert isinstance(answer, Refusal), answer
    assert isinstance(answer.error, error) or (answer.error is None and error is InputError)
    assert answer.kind == "input" and answer.exit_kind == "bad-input"
    assert answer.why.startswith(starts), answer.why
    return answer


def test_git_operations_refuse_bad_input_and_propose_plans(falco: FalcoRepo) -> None:
    git = GitService(falco.path)
    refused(propose_branch_cut(git, "nope"), InputError, "'nope' is not a SemVer 2.0 version")
    refused(propose_branch_cut(git, "0.3.0", "no-such-ref"), UnknownRef, "unknown ref 'no-such-ref'")
    refused(propose_hotfix_branch(git, "0.2.0-rc1"), InputError, "'0.2.0-rc1' is not a final libs release tag")
    refused(propose_tag(git), InputError, "nothing to tag")
    refused(propose_tag(git, libs="0.2.1", ci_override=" "), InputError, "--ci-override needs a reason")
    refused(propose_tag(git, libs="0.2.1", branch="release/9.9.x"), UnknownRef, "unknown ref")
    refused(propose_bump(git, "nope", "minor"), InputError, "bump nope --part minor")
    refused(propose_backport(git, None, "release/0.2.x", [falco.shas["fix7"]], "sideways"), InputError,
            "unknown backport mode 'sideways'")
    refused(propose_backport(git, None, "main", [falco.shas["fix7"]]), InputError, "'main' is not a release branch")
    cut, hotfix, bump = propose_branch_cut(git, "0.3.0"), propose_hotfix_branch(git, "0.1.1"), propose_bump(
        git, "api", "minor")
    assert isinstance(cut, Plan) and not cut.blocked and [s.kind for s in cut.steps] == [
        "git.branch", "git.push", "git.upstream"]
    assert isinstance(hotfix, Plan) and hotfix.title == "Hotfix branch release/0.1.x from 0.1.1"
    assert isinstance(bump, Plan) and [s.kind for s in bump.steps] == ["git.commit_file"]
    blocked = propose_tag(git, libs="1.0.0", branch="release/0.2.x")  # failing checks: still a plan to show
    assert isinstance(blocked, Plan) and blocked.blocked


def test_forge_operations_refuse_bad_input_and_propose_plans(sandbox: Sandbox) -> None:
    git, forge = GitService(sandbox.clone), LocalForge(sandbox.forge_file)
    refused(propose_github_release(git, forge, "nope", TODAY), InputError, "'nope' is not a release tag")
    refused(propose_tracking_issue(git, forge, "nope", TODAY), NotFound, "unknown milestone 'nope'")
    refused(milestones.propose_move(forge, "0.26.0", "0.26.0"), InputError, "--from and --to are both '0.26.0'")
    refused(milestones.propose_move(forge, "0.26.0", "0.27.0", items=[999999]), InputError,
            "not in milestone 0.26.0: #999999")
    refused(milestones.propose_close(forge, "nope"), NotFound, "unknown milestone 'nope'")
    refused(milestones.propose_undo(forge, Journal(sandbox.clone.parent / "j.jsonl").plans()), InputError,
            "nothing to undo")
    refused(protect.propose_protection(git, forge, None, "main"), InputError, "'main' is not a release branch")
    tracking = propose_tracking_issue(git, forge, "0.26.0", TODAY, announce=True)
    assert isinstance(tracking, Plan) and [s.kind for s in tracking.steps] == ["forge.issue", "forge.announce"]
    moved = milestones.propose_move(forge, "0.26.0", "0.27.0", unmerged_only=True)
    assert isinstance(moved, Plan) and moved.steps and {s.kind for s in moved.steps} == {"milestone.move-item"}
    planned = propose_release_milestones(git, forge, date(2027, 3, 1), TODAY)
    assert isinstance(planned, Plan) and planned.steps[0].kind == "milestone.create"


def test_protection_answers_a_plan_the_change_by_hand_or_nothing_to_do(sandbox: Sandbox, tmp_path: Path) -> None:
    """Without the release branch on the remote: a blocked plan (its check says why). With access to the infra
    repository: the plan. Without: the change to make by hand, or nothing to do when it is there already; both are
    refusals that are no failure (exit 0)."""
    git, forge = GitService(sandbox.clone), LocalForge(sandbox.forge_file)
    blocked = protect.propose_protection(git, forge, None, "release/0.26.x")
    assert isinstance(blocked, Plan) and blocked.blocked and blocked.steps == ()
    git.create_branch("release/0.26.x", git.resolve("HEAD"))
    git.push_atomic({"refs/heads/release/0.26.x": git.resolve("HEAD")}, "origin")
    plan = protect.propose_protection(git, forge, None, "release/0.26.x")
    assert isinstance(plan, Plan) and [s.kind for s in plan.steps] == ["forge.branch", "forge.protect-entry",
                                                                       "forge.pull"]
    copy = tmp_path / "config.yaml"
    copy.write_text(CONFIG)
    manual = protect.propose_protection(git, None, "no token", "release/0.26.x", copy)
    assert isinstance(manual, Refusal) and (manual.kind, manual.exit_kind) == ("manual", "ok")
    assert manual.why.startswith("cannot open the PR on falcosecurity/test-infra (no token): make the change by hand")
    copy.write_text(add_protected_branch(CONFIG, "falcosecurity", "libs", "release/0.26.x").text)
    done = protect.propose_protection(git, None, "no token", "release/0.26.x", copy)
    assert isinstance(done, Refusal) and (done.kind, done.exit_kind) == ("nothing-to-do", "ok")
    unreadable = protect.propose_protection(git, None, "no token", "release/0.26.x")
    refused(unreadable, InputError, "cannot read config/config.yaml of falcosecurity/test-infra (no token)")
