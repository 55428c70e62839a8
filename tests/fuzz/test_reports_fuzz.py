"""Branch names and refs as users type them (--branch, --at, --since-*, a milestone title), through the reports, on
a real small falco-shaped repository built once for the module.

Each report gives its result or a one-line GitError / InputError / VersionError, never another exception; and no
input reaches git as an option (`--output=FILE` writes no file) or changes the repository."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cockpit.core.versions import VersionError
from cockpit.errors import InputError
from cockpit.services.git import GitError, GitService
from cockpit.workflows.reports.candidates import candidates
from cockpit.workflows.reports.check import check as check_report
from cockpit.workflows.reports.next_versions import next_versions
from cockpit.workflows.reports.tags import next_branch_tags, next_release_tags, release_checks

from builders import FalcoRepo
from fuzzing import NUMBERS, PUNCTUATION, fuzz, one_line, pieces, tally

USER_ERRORS = (GitError, InputError, VersionError)
TRAP = "/tmp/cockpit-fuzz-trap"  # what an input taken as `--output=...` by git would create


@st.composite
def ref_text(draw: st.DrawFn) -> str:
    """What a user may type where a branch or a ref goes: real names, near misses, revision syntax, options."""
    real = st.sampled_from(["master", "release/0.1.x", "release/0.2.x", "origin/release/0.2.x", "0.2.0", "0.1.0-rc1",
                            "1.1.0+driver", "HEAD", "refs/heads/master", "refs/remotes/origin/release/0.1.x"])
    syntax = st.sampled_from(["~1", "^", "^{}", "@{-1}", "@{upstream}", "..master", ":/fix", "^!", "{", "*", "?"])
    options = st.sampled_from([f"--output={TRAP}", f"-o{TRAP}", "--all", "-n", "--", "-", "--exec=touch x"])
    return draw(st.one_of(
        real, options,
        st.builds(str.__add__, real, syntax),
        pieces(st.just("release/"), NUMBERS, PUNCTUATION, st.sampled_from([".x", "x", "0.2", "/"]), max_parts=6),
        st.text(max_size=16),
    ))


REFS = ref_text()
OPTIONAL = st.one_of(st.none(), REFS)


def refs_of(repo: Path) -> str:
    return subprocess.run(["git", "-C", str(repo), "for-each-ref", "--format=%(refname) %(objectname)"],
                          capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def git(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GitService]:
    """One repository for the module; at the end, it must be as it was, with no file written by an option."""
    env = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "T",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        falco = FalcoRepo.build(tmp_path_factory.mktemp("falco"))
    before = refs_of(falco.path)
    yield GitService(falco.path)
    assert refs_of(falco.path) == before
    assert not subprocess.run(["git", "-C", str(falco.path), "status", "--porcelain"], capture_output=True,
                              text=True, check=True).stdout
    assert not Path(TRAP).exists() and not (falco.path / "x").exists()


def answer(call: Callable[[], Any]) -> Any:
    """The report's value, or None after a one-line user error."""
    try:
        value = call()
    except USER_ERRORS as exc:
        assert one_line(str(exc)), repr(str(exc))
        tally(f"refused: {type(exc).__name__}")
        return None
    tally("answered")
    return value


@fuzz(100)
@given(branch=st.one_of(st.sampled_from(["release/0.1.x", "release/0.2.x", "master"]), REFS))
def test_candidates(git: GitService, branch: str) -> None:
    result = answer(lambda: candidates(git, branch))
    if result is not None:
        assert result.branch == branch and all(len(c.sha) == 40 for c in result.commits)


@fuzz(100)
@given(libs=OPTIONAL, driver=OPTIONAL, at=OPTIONAL)
def test_check(git: GitService, libs: str | None, driver: str | None, at: str | None) -> None:
    report = answer(lambda: check_report(git, libs=libs, driver=driver, at=at))
    if report is not None:
        assert report.results and report.results[0].id == "semver.valid" and isinstance(report.ok, bool)


@fuzz(100)
@given(at=OPTIONAL, since_libs=OPTIONAL, since_driver=OPTIONAL)
def test_next_versions(git: GitService, at: str | None, since_libs: str | None, since_driver: str | None) -> None:
    result = answer(lambda: next_versions(git, at, since_libs, since_driver))
    if result is not None:
        assert result.driver.next.endswith("+driver") and len(result.commit) == 40


@fuzz(100)
@given(branch=REFS, final=st.booleans())
def test_next_tags_of_a_branch_or_a_milestone(git: GitService, branch: str, final: bool) -> None:
    """What the release pane and `t` / `T` propose for a branch name or a milestone title."""
    answer(lambda: next_branch_tags(git, branch))
    answer(lambda: next_release_tags(git, branch, final=final))
    answer(lambda: release_checks(git, branch))
