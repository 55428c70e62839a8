"""The git service on real repositories built in temp dirs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cockpit.core.versions import Triple
from cockpit.demo import Sandbox
from cockpit.services.git import GitService, NotARepository, RemoteUnavailable, UnknownRef

from builders import FalcoRepo, RepoBuilder


def test_not_a_repository_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NotARepository, match="not inside a git repository"):
        GitService(tmp_path)
    with pytest.raises(NotARepository, match="not a directory"):
        GitService(tmp_path / "missing")


def test_refs_reads_branches_remote_branches_and_tags(falco: FalcoRepo) -> None:
    snap = GitService(falco.path).refs()
    assert snap.local_branches["master"] == falco.shas["fix7"]
    assert snap.remote_branches["release/0.2.x"] == falco.b.head("release/0.2.x")
    tags = {t.name: t for t in snap.tags}
    assert tags["0.2.0"].annotated and tags["0.2.0"].commit == falco.shas["fix6_bp"]
    assert not tags["0.1.0"].annotated and tags["0.1.0"].commit == falco.shas["fix1_bp"]
    assert snap.head_branch == "master"


def test_default_branch_falls_back_to_master(falco: FalcoRepo) -> None:
    assert GitService(falco.path).default_branch() == "master"


def test_release_branches_divergence_matches_git(falco: FalcoRepo) -> None:
    git = GitService(falco.path)
    facts = {b.name: b for b in git.release_branches()}
    assert list(facts) == ["release/0.2.x", "release/0.1.x"]  # newest first
    for name, fact in facts.items():
        expected_fork = falco.b.git("merge-base", "master", name)
        behind, ahead = falco.b.git("rev-list", "--left-right", "--count", f"master...{name}").split()
        assert (fact.fork_point, fact.ahead, fact.behind) == (expected_fork, int(ahead), int(behind))
        assert fact.sync == "synced"
    assert set(facts["release/0.2.x"].tags[:3]) == {"1.1.0+driver", "0.2.0", "0.2.0-rc2"}
    assert "0.2.0-rc1" in facts["release/0.2.x"].tags  # rc1 sits on the fork point


def test_release_branch_sync_states(falco: FalcoRepo) -> None:
    b = falco.b
    b.checkout("release/0.2.x")
    b.commit("fix: local only change (#20)", {"z.txt": "z\n"})
    b.checkout("master")
    facts = {f.name: f for f in GitService(falco.path).release_branches()}
    assert facts["release/0.2.x"].sync == "unpushed"
    assert facts["release/0.2.x"].head == b.head("release/0.2.x")
    b.git("branch", "release/0.3.x", "master")
    facts = {f.name: f for f in GitService(falco.path).release_branches()}
    assert facts["release/0.3.x"].sync == "local-only"
    assert (facts["release/0.3.x"].ahead, facts["release/0.3.x"].behind) == (0, 0)


def test_divergence_falls_back_to_git_for_unusual_shapes(repo: RepoBuilder) -> None:
    """A release branch forked from a topic that was later merged: it meets master off the first-parent chain."""
    repo.commit("base", {"a": "1\n"})
    repo.checkout("topic", create=True)
    topic = repo.commit("topic work", {"b": "1\n"})
    repo.checkout("release/0.1.x", create=True)
    repo.commit("release fix", {"c": "1\n"})
    repo.checkout("master")
    repo.commit("master work", {"d": "1\n"})
    repo.git("merge", "-q", "--no-ff", "-m", "Merge pull request #5 from dev/topic", "topic")
    repo.push("master", "release/0.1.x")
    fact = GitService(repo.clone).release_branches()[0]
    behind, ahead = repo.git("rev-list", "--left-right", "--count", "master...release/0.1.x").split()
    assert (fact.fork_point, fact.ahead, fact.behind) == (topic, int(ahead), int(behind))


def test_version_files_at_any_ref(falco: FalcoRepo) -> None:
    git = GitService(falco.path)
    old, new = git.version_files("0.1.0"), git.version_files("master")
    assert (old.api, old.schema, old.plugin_api) == (Triple(1, 0, 0), Triple(1, 0, 0), Triple(3, 0, 0))
    assert (new.api, new.schema, new.plugin_api) == (Triple(1, 1, 0), Triple(1, 1, 0), Triple(3, 1, 0))
    assert new.scap_min_api == Triple(1, 0, 0)
    assert old.plugin_header_blob != new.plugin_header_blob


def test_read_files_reports_missing_paths(falco: FalcoRepo) -> None:
    found = GitService(falco.path).read_files("master", ["README.md", "nope/missing.txt"])
    assert found["README.md"][1] == "libs 0.2\n"
    assert found["nope/missing.txt"] is None


def test_changed_paths_between_refs(falco: FalcoRepo) -> None:
    changed = GitService(falco.path).changed_paths("1.1.0+driver", "master")
    assert "driver/SCHEMA_VERSION" in changed and "driver/event_table.c" in changed
    assert "driver/API_VERSION" not in changed


def test_unknown_ref(falco: FalcoRepo) -> None:
    git = GitService(falco.path)
    with pytest.raises(UnknownRef, match="nope"):
        git.resolve("nope")
    with pytest.raises(UnknownRef):
        git.resolve("--output=/tmp/x")


def test_dirty_paths(falco: FalcoRepo) -> None:
    git = GitService(falco.path)
    assert git.dirty_paths() == []
    (falco.path / "README.md").write_text("changed\n")
    assert git.dirty_paths() == ["README.md"]


def test_remote_tags_and_missing_remote(falco: FalcoRepo) -> None:
    git = GitService(falco.path)
    assert {"0.1.0", "0.2.0", "1.1.0+driver"} <= git.remote_tags()
    falco.b.git("remote", "remove", "origin")
    with pytest.raises(RemoteUnavailable, match="no remote named 'origin'"):
        git.remote_tags()


def test_candidates_evidence(falco: FalcoRepo) -> None:
    report = GitService(falco.path).candidates("release/0.2.x")
    s = falco.shas
    by_sha = {c.commit.sha: c for c in report.candidates}
    assert report.fork_point == s["fork2"]
    assert [c.commit.sha for c in report.candidates] == [s[k] for k in
                                                          ("fix4", "fix5", "fix6", "schema", "plugin", "fix7")]
    assert (by_sha[s["fix6"]].evidence, by_sha[s["fix6"]].applied_as) == ("trailer", s["fix6_bp"])
    assert (by_sha[s["fix4"]].evidence, by_sha[s["fix4"]].applied_as) == ("patch-id", s["fix4_bp"])
    assert (by_sha[s["fix5"]].evidence, by_sha[s["fix5"]].applied_as) == ("subject+author", s["fix5_bp"])
    for key in ("schema", "plugin", "fix7"):
        assert not by_sha[s[key]].applied and by_sha[s[key]].applied_as is None
    assert by_sha[s["fix7"]].pr == 13


def test_candidates_pr_from_merge_commit(repo: RepoBuilder) -> None:
    repo.commit("base", {"a": "1\n"})
    repo.checkout("release/0.1.x", create=True)
    repo.checkout("master")
    repo.checkout("topic", create=True)
    work = repo.commit("fix: topic work", {"b": "1\n"})
    repo.checkout("master")
    repo.commit("chore: master work", {"c": "1\n"})
    repo.git("merge", "-q", "--no-ff", "-m", "Merge pull request #42 from dev/topic", "topic")
    repo.push("master", "release/0.1.x")
    report = GitService(repo.clone).candidates("release/0.1.x")
    by_sha = {c.commit.sha: c for c in report.candidates}
    assert by_sha[work].pr == 42
    assert all(not c.commit.is_merge for c in report.candidates)


def test_candidates_unknown_branch(falco: FalcoRepo) -> None:
    with pytest.raises(UnknownRef, match=r"release/9\.9\.x"):
        GitService(falco.path).candidates("release/9.9.x")


def test_a_branchs_latest_tag_is_its_libs_tag_when_both_lines_tagged_one_commit(sandbox: Sandbox) -> None:
    branches = {b.name: b for b in GitService(sandbox.clone).release_branches()}
    assert branches["release/0.25.x"].tags[:2] == ("0.25.1", "9.0.1+driver")  # one commit, one moment


@pytest.mark.security
def test_asking_whether_the_worktree_is_clean_never_rewrites_the_index(repo: RepoBuilder) -> None:
    """`git status` refreshes a stale index in place; the clean-worktree check runs in every dry run, which must
    write nothing, the index included."""
    repo.commit("base", {"a": "1", "b": "2"})
    index = repo.clone / ".git" / "index"
    os.utime(repo.clone / "a", (1, 1))  # same content, other stat data: the index is stale
    before = index.read_bytes(), index.stat().st_mtime_ns
    assert GitService(repo.clone).dirty_paths() == []
    assert (index.read_bytes(), index.stat().st_mtime_ns) == before
