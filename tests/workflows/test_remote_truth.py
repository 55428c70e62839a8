"""What the remote has decides (DESIGN.md, "Remote truth"): a `--no-tags` or shallow clone cannot check or tag a
version at or below one origin released, a release branch only origin has is tagged at origin's head (the tag alone
is pushed), a stale view of origin's branch refuses before any step, and a cut branch follows origin's."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from cockpit.errors import InputError
from cockpit.services.executor import Executor, StepFailed
from cockpit.services.git import GitService
from cockpit.services.journal import Journal
from cockpit.services.steps import StepContext
from cockpit.workflows.branch_cut import propose_branch_cut
from cockpit.workflows.reports.check import CheckReport
from cockpit.workflows.reports.check import check as check_report
from cockpit.workflows.tag_release import propose_tag

from builders import FalcoRepo, planned


def git(repo: Path | str, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout.strip()


def clone(falco: FalcoRepo, where: Path, *options: str) -> Path:
    git(where.parent, "clone", "-q", *options, f"file://{falco.b.origin}", str(where))
    return where


def blocking(report: CheckReport) -> set[str]:
    return {r.id for r in report.results if r.blocks}


@pytest.mark.parametrize("kind", ["notags", "shallow"])
def test_a_clone_without_origins_tags_cannot_go_below_them(falco: FalcoRepo, tmp_path: Path, kind: str) -> None:
    if kind == "notags":
        repo = clone(falco, tmp_path / kind, "--no-tags")
    else:  # one commit deep on master and on the release branch, no tags: a CI checkout (actions/checkout)
        repo = clone(falco, tmp_path / kind, "--depth", "1", "--no-tags")
        git(repo, "fetch", "-q", "--depth", "1", "--no-tags", "origin",
            "+refs/heads/release/0.2.x:refs/remotes/origin/release/0.2.x")
    assert git(repo, "tag") == ""
    service = GitService(repo)
    low = check_report(service, libs="0.2.0-rc3", at="release/0.2.x")  # origin released 0.2.0 already
    assert not low.ok and {"version.increases", "rc.sequence"} <= blocking(low)
    same = check_report(service, libs="0.2.0", at="release/0.2.x")
    assert {"version.increases", "tag.absent"} <= blocking(same)
    tag_absent = next(r for r in same.results if r.id == "tag.absent")
    assert "on the remote" in tag_absent.message  # not "locally": this clone has no such tag
    good = check_report(service, libs="0.2.1", at="release/0.2.x")
    assert good.ok, [r.message for r in good.results if r.blocks]
    assert planned(propose_tag(service, libs="0.2.0-rc3", branch="release/0.2.x")).blocked


def test_shallow_clone_says_it_cannot_compare_version_files(falco: FalcoRepo, tmp_path: Path) -> None:
    repo = clone(falco, tmp_path / "shallow", "--depth", "1")
    report = check_report(GitService(repo), libs="0.3.0-rc1", at="master")
    missing = [r for r in report.results if r.id == "libs.previous-local"]
    assert missing and missing[0].severity == "warning" and not missing[0].ok
    assert "0.2.0" in missing[0].message  # the previous release, only on origin, its commit not here


def test_no_tags_clone_reads_the_previous_release_from_origins_commit(falco: FalcoRepo, tmp_path: Path) -> None:
    """The commits are here, only the tags are not: the driver rule still compares the version files."""
    repo = clone(falco, tmp_path / "notags", "--no-tags")
    report = check_report(GitService(repo), driver="1.2.0+driver", at="master")
    computed = next(r for r in report.results if r.id == "driver.computed")
    assert computed.ok and "previous: 1.1.0+driver" in computed.evidence
    assert not [r for r in report.results if r.id == "driver.previous-local"]


def test_tag_on_a_branch_only_origin_has_goes_on_origins_head(falco: FalcoRepo, tmp_path: Path) -> None:
    repo = clone(falco, tmp_path / "fresh")
    assert "release/0.2.x" not in git(repo, "branch", "--list")  # only origin/release/0.2.x
    service = GitService(repo)
    plan = planned(propose_tag(service, libs="0.2.1", branch="release/0.2.x"))
    assert not plan.blocked, [c.message for c in plan.checks if c.blocks]
    push = plan.steps[-1]
    assert push.params["refs"] == {"refs/tags/0.2.1": falco.shas["fix6_bp"]}  # the branch is origin's: not pushed
    record = Executor(Journal(tmp_path / "journal.jsonl"), StepContext(service)).execute(plan)
    assert record.final == "finished"
    assert git(falco.b.origin, "rev-parse", "refs/tags/0.2.1^{commit}") == falco.shas["fix6_bp"]
    assert git(falco.b.origin, "rev-parse", "refs/heads/release/0.2.x") == falco.shas["fix6_bp"]


def test_a_branch_origin_has_and_this_clone_never_fetched(falco: FalcoRepo, tmp_path: Path) -> None:
    """Pushed by someone else after this clone fetched: at a commit this clone has, it is origin's head; at one it
    lacks, the check says to fetch, before any step."""
    git(falco.path, "push", "-q", str(falco.b.origin), f"{falco.shas['fork2']}:refs/heads/release/0.3.x")
    service = GitService(falco.path)
    report = check_report(service, libs="0.3.0-rc1", at="release/0.3.x")
    assert report.branch == "release/0.3.x" and report.commit == falco.shas["fork2"]
    fetched = next(r for r in report.results if r.id == "remote.fetched")
    assert fetched.ok and "only on origin" in fetched.message
    other = clone(falco, tmp_path / "other")
    git(other, "checkout", "-q", "-b", "release/0.4.x", "origin/master")
    git(other, "commit", "-q", "--allow-empty", "-m", "only on origin")
    git(other, "push", "-q", "origin", "release/0.4.x")
    with pytest.raises(InputError, match="cockpit fetch"):
        check_report(service, libs="0.4.0-rc1", at="release/0.4.x")


def test_a_stale_view_of_origins_branch_refuses_before_any_step(falco: FalcoRepo, tmp_path: Path) -> None:
    other = clone(falco, tmp_path / "other")
    git(other, "checkout", "-q", "release/0.2.x")
    git(other, "commit", "-q", "--allow-empty", "-m", "fix: moved on origin")
    git(other, "push", "-q", "origin", "release/0.2.x")
    git(falco.path, "branch", "-q", "-D", "release/0.2.x")
    before = git(falco.b.origin, "for-each-ref")
    plan = planned(propose_tag(GitService(falco.path), libs="0.2.1", branch="release/0.2.x"))
    assert plan.blocked and "remote.fetched" in {c.id for c in plan.checks if c.blocks}
    assert git(falco.b.origin, "for-each-ref") == before


def test_branch_cut_leaves_the_branch_following_origins(falco: FalcoRepo, tmp_path: Path) -> None:
    service = GitService(falco.path)
    plan = planned(propose_branch_cut(service, "0.3.0"))
    assert [s.kind for s in plan.steps] == ["git.branch", "git.push", "git.upstream"]
    journal = Journal(tmp_path / "journal.jsonl")
    assert Executor(journal, StepContext(service)).execute(plan).final == "finished"
    assert git(falco.path, "config", "branch.release/0.3.x.remote") == "origin"
    assert git(falco.path, "config", "branch.release/0.3.x.merge") == "refs/heads/release/0.3.x"
    assert service.upstream_of("release/0.3.x") == "refs/remotes/origin/release/0.3.x"
    again = Executor(journal, StepContext(service)).execute(plan)  # every step finds its work done
    assert all(c.get("already") for c in again.changes.values())


@pytest.mark.fault
def test_a_remote_that_moves_after_the_check_rejects_the_push_with_nothing_half_pushed(falco: FalcoRepo,
                                                                                       tmp_path: Path) -> None:
    service = GitService(falco.path)
    plan = planned(propose_tag(service, libs="0.2.1", branch="release/0.2.x"))
    assert not plan.blocked
    other = clone(falco, tmp_path / "other")
    git(other, "checkout", "-q", "release/0.2.x")
    git(other, "commit", "-q", "--allow-empty", "-m", "fix: someone else's backport")
    git(other, "push", "-q", "origin", "release/0.2.x")
    executor = Executor(Journal(tmp_path / "journal.jsonl"), StepContext(service))
    with pytest.raises(StepFailed, match=r"rejected the push.*nothing was pushed"):
        executor.execute(plan)
    assert "refs/tags/0.2.1" not in git(falco.b.origin, "for-each-ref", "refs/tags")
    outcome = executor.abort()
    assert outcome is not None and outcome.removed == ["refs/tags/0.2.1"]
    assert service.ref_commit("refs/tags/0.2.1") is None
