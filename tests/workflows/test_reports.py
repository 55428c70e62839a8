"""Reports on a real repository: arbitrary user input gets a result or a clear error, never an exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cockpit.core.versions import VersionError
from cockpit.demo import Sandbox
from cockpit.errors import InputError
from cockpit.services.git import GitError, GitService
from cockpit.workflows import plan_release
from cockpit.workflows.reports.candidates import candidates as candidates_report
from cockpit.workflows.reports.check import check as check_report
from cockpit.workflows.reports.next_versions import next_versions
from cockpit.workflows.reports.status import status as status_report

from builders import FalcoRepo

USER_ERRORS = (GitError, InputError, VersionError)
# Names that look like refs, options, versions and paths, plus arbitrary text.
REFISH = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"\A[-a-z0-9./+~^:@{}]{1,30}\Z"),
    st.sampled_from(["release/0.2.x", "release/9.9.x", "--output=/tmp/x", "-n", "HEAD~1", "0.2.0", "master..x",
                     "refs/heads/master", "origin/release/0.2.x", "@{-1}", "1.1.0+driver", ""]),
)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def git(tmp_path_factory: pytest.TempPathFactory) -> GitService:
    import os

    os.environ.setdefault("GIT_AUTHOR_NAME", "T")
    os.environ.setdefault("GIT_AUTHOR_EMAIL", "t@example.com")
    os.environ.setdefault("GIT_COMMITTER_NAME", "T")
    os.environ.setdefault("GIT_COMMITTER_EMAIL", "t@example.com")
    return GitService(FalcoRepo.build(tmp_path_factory.mktemp("falco")).path)


@FUZZ
@given(branch=REFISH)
def test_candidates_any_branch_name(git: GitService, branch: str) -> None:
    try:
        result = candidates_report(git, branch)
    except USER_ERRORS as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert result.branch == branch and all(len(c.sha) == 40 for c in result.commits)


@FUZZ
@given(libs=st.one_of(st.none(), REFISH), driver=st.one_of(st.none(), REFISH), at=st.one_of(st.none(), REFISH))
def test_check_any_input(git: GitService, libs: str | None, driver: str | None, at: str | None) -> None:
    try:
        report = check_report(git, libs=libs, driver=driver, at=at)
    except USER_ERRORS as exc:
        assert str(exc)
    else:
        assert report.results and isinstance(report.ok, bool)
        assert report.results[0].id == "semver.valid"


@FUZZ
@given(at=st.one_of(st.none(), REFISH), since_libs=st.one_of(st.none(), REFISH),
       since_driver=st.one_of(st.none(), REFISH))
def test_next_any_input(git: GitService, at: str | None, since_libs: str | None, since_driver: str | None) -> None:
    try:
        result = next_versions(git, at, since_libs, since_driver)
    except USER_ERRORS as exc:
        assert str(exc)
    else:
        assert result.driver.next.endswith("+driver")


def test_status_sorts_lines_before_other_tags(falco: FalcoRepo) -> None:
    falco.b.tag("foo")
    falco.b.tag("1.1.0+driver-rc1", at="release/0.2.x")
    tags = status_report(GitService(falco.path)).as_json()["tags"]
    names = [t["name"] for t in tags]
    assert names.index("1.1.0+driver") < names.index("foo")
    assert names[-1] == "foo"


def test_check_defaults_to_the_versions_release_branch(falco: FalcoRepo) -> None:
    report = check_report(GitService(falco.path), libs="0.2.1")
    assert report.branch == "release/0.2.x"
    assert {r.id for r in report.results if not r.ok} == set()


def test_check_dirty_worktree_blocks(falco: FalcoRepo, tmp_path: Path) -> None:
    (falco.path / "README.md").write_text("local edit\n")
    report = check_report(GitService(falco.path), libs="0.2.1")
    failed = {r.id: r for r in report.results if not r.ok}
    assert set(failed) == {"worktree.clean"} and "README.md" in failed["worktree.clean"].evidence
    assert not report.ok


def test_a_plan_made_right_after_a_release_follows_it(sandbox: Sandbox) -> None:
    """0.26.0 is tagged where master's head is (the branch was cut with nothing new on master yet). `next` leaves
    it out, as its contract says (it is the release being checked there); the plan of the next release follows it."""
    git = GitService(sandbox.clone)
    head = git.resolve("origin/master")
    git.run("tag", "0.26.0", head)
    git.run("tag", "9.1.0+driver", head)
    found = next_versions(git)
    assert found.libs.next_minor == "0.26.0" and found.driver.next == "9.1.0+driver"
    assert plan_release.suggested(git) == ("0.27.0", "9.1.1+driver")
