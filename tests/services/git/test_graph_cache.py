"""The graph cache: a warm or incremental answer is always a cold run's answer, and a file it cannot trust is
rebuilt. Real repositories; refs moved with plumbing (commit-tree, update-ref) to reach every shape quickly."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from cockpit.services.git import GitService

from builders import RepoBuilder


class Refs:
    """A repository whose refs the test moves directly: main line `master`, release branches, tags."""

    def __init__(self, root: Path):
        self.repo = RepoBuilder.create(root)
        self.n = 0
        self.tree = ""
        self.repo.commit("initial", {"README": "x"})
        self.tree = self.repo.git("rev-parse", "HEAD^{tree}")
        for _ in range(5):
            self.advance("refs/heads/master")

    def commit(self, *parents: str) -> str:
        self.n += 1
        args = [a for p in parents for a in ("-p", p)]
        return self.repo.git("commit-tree", self.tree, *args, "-m", f"change {self.n}")

    def head(self, ref: str) -> str:
        return self.repo.git("rev-parse", ref)

    def advance(self, ref: str, *also: str) -> str:
        sha = self.commit(self.head(ref), *also)
        self.repo.git("update-ref", ref, sha)
        return sha

    def branches(self) -> list[str]:
        out = self.repo.git("for-each-ref", "--format=%(refname)", "refs/heads/release/")
        return out.split()

    def tags(self) -> list[str]:
        return self.repo.git("for-each-ref", "--format=%(refname)", "refs/tags/").split()


def cold(path: Path):
    return GitService(path).release_branches()


def counting_graph_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How often the whole graph is read (the original read still runs: only counted)."""
    reads: list[int] = []
    original = GitService.graph

    def graph(self: GitService, *args, **kwargs):
        reads.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(GitService, "graph", graph)
    return reads


@pytest.fixture()
def refs(tmp_path: Path) -> Refs:
    r = Refs(tmp_path / "repo")
    for minor in (1, 2, 3):
        r.repo.git("update-ref", f"refs/heads/release/0.{minor}.x", r.head("master"))
        r.advance(f"refs/heads/release/0.{minor}.x")
        r.repo.git("update-ref", f"refs/tags/0.{minor}.0", r.head(f"refs/heads/release/0.{minor}.x"))
        for _ in range(3):
            r.advance("refs/heads/master")
    return r


def test_nothing_moved_reads_no_graph(refs: Refs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    first = GitService(refs.repo.clone, graph_cache_dir=cache).release_branches()
    reads = counting_graph_reads(monkeypatch)
    again = GitService(refs.repo.clone, graph_cache_dir=cache).release_branches()
    assert again == first and reads == []


def test_new_main_commits_walk_only_themselves(refs: Refs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    before = {b.name: b for b in GitService(refs.repo.clone, graph_cache_dir=cache).release_branches()}
    refs.advance("refs/heads/master")
    refs.advance("refs/heads/master", refs.commit(refs.head("master~3")))  # a merge brings a side commit too
    reads = counting_graph_reads(monkeypatch)
    after = GitService(refs.repo.clone, graph_cache_dir=cache).release_branches()
    assert reads == []
    assert {b.name: b.behind for b in after} == {n: b.behind + 3 for n, b in before.items()}
    assert after == cold(refs.repo.clone)


def test_a_backport_on_a_release_branch_walks_only_it(refs: Refs, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    GitService(refs.repo.clone, graph_cache_dir=cache).release_branches()
    refs.advance("refs/heads/release/0.2.x")
    refs.repo.git("update-ref", "refs/tags/0.2.1", refs.head("refs/heads/release/0.2.x"))
    reads = counting_graph_reads(monkeypatch)
    after = {b.name: b for b in GitService(refs.repo.clone, graph_cache_dir=cache).release_branches()}
    assert reads == []
    assert after["release/0.2.x"].ahead == 2 and after["release/0.2.x"].tags[0] == "0.2.1"
    assert list(after.values()) == cold(refs.repo.clone)


def test_a_merge_of_the_main_line_into_a_branch_is_computed_again(refs: Refs, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    GitService(refs.repo.clone, graph_cache_dir=cache).release_branches()
    refs.advance("refs/heads/release/0.1.x", refs.head("master"))  # its fork point moves to master's head
    reads = counting_graph_reads(monkeypatch)
    after = GitService(refs.repo.clone, graph_cache_dir=cache).release_branches()
    assert reads == [1] and after == cold(refs.repo.clone)
    assert {b.name: b.fork_point for b in after}["release/0.1.x"] == refs.head("master")


SHAPES = ("main", "main-merge", "branch", "branch-merge-main", "force-back", "rewrite", "new-branch",
          "delete-branch", "tag", "delete-tag", "main-rewind", "merge-back")


@pytest.mark.parametrize("seed", range(4))
def test_every_answer_equals_a_cold_run_over_random_ref_changes(refs: Refs, tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    cache = tmp_path / "cache"
    for step in range(30):
        shape = rng.choice(SHAPES)
        branches = refs.branches()
        branch = rng.choice(branches) if branches else None
        if shape == "main":
            refs.advance("refs/heads/master")
        elif shape == "main-merge":
            refs.advance("refs/heads/master", refs.commit(refs.head("master~2")))
        elif shape == "branch" and branch:
            refs.advance(branch)
        elif shape == "branch-merge-main" and branch:
            refs.advance(branch, refs.head("master"))
        elif shape == "force-back" and branch:
            refs.repo.git("update-ref", branch, refs.head(f"{branch}~1"))
        elif shape == "rewrite" and branch:
            fork = refs.repo.git("merge-base", "master", branch)
            refs.repo.git("update-ref", branch, refs.commit(fork))
        elif shape == "new-branch":
            at = refs.head(f"master~{rng.randint(0, 4)}")
            refs.repo.git("update-ref", f"refs/heads/release/0.{10 + step}.x", refs.commit(at))
        elif shape == "delete-branch" and branch and len(branches) > 1:
            refs.repo.git("update-ref", "-d", branch)
        elif shape == "tag" and branch:
            refs.repo.git("update-ref", f"refs/tags/0.{step}.{seed}", refs.head(branch))
        elif shape == "delete-tag" and refs.tags():
            refs.repo.git("update-ref", "-d", rng.choice(refs.tags()))
        elif shape == "main-rewind":
            refs.repo.git("update-ref", "refs/heads/master", refs.head("master~1"))
        elif shape == "merge-back" and branch:
            refs.advance("refs/heads/master", refs.head(branch))
        warm = GitService(refs.repo.clone, graph_cache_dir=cache).release_branches()
        assert warm == cold(refs.repo.clone), f"seed {seed}, step {step}: {shape} on {branch}"


def cached_answer(refs: Refs, cache: Path) -> tuple[list, Path]:
    """A cold run's release branches, and the cache file that run wrote."""
    service = GitService(refs.repo.clone, graph_cache_dir=cache)
    truth = service.release_branches()
    assert service.graph_cache is not None and service.graph_cache.path.is_file()
    return truth, service.graph_cache.path


@pytest.mark.security
@pytest.mark.parametrize("content", [
    b"{not json", b"[]", b'{"format": 1}', b"\xff\xfe",
    json.dumps({"format": 1, "repository": "/elsewhere", "main": None, "branches": {}}).encode(),
])
def test_a_corrupt_or_foreign_cache_file_is_ignored_and_rebuilt(refs: Refs, tmp_path: Path, content: bytes) -> None:
    cache = tmp_path / "cache"
    truth, path = cached_answer(refs, cache)
    path.write_bytes(content)
    assert GitService(refs.repo.clone, graph_cache_dir=cache).release_branches() == truth
    assert json.loads(path.read_text())["repository"] == str(refs.repo.clone.resolve())


@pytest.mark.security
def test_a_cache_entry_that_lies_about_its_shape_is_not_trusted(refs: Refs, tmp_path: Path) -> None:
    """Right repository and format, wrong contents (a count that is not the own commits', a non-id): rebuilt."""
    cache = tmp_path / "cache"
    truth, path = cached_answer(refs, cache)
    for lie in ({"ahead": 99}, {"fork_point": "--upload-pack=x"}, {"behind": -1}, {"own": ["zz"]},
                {"walked": "yes"}):
        data = json.loads(path.read_text())
        data["branches"]["release/0.1.x"].update(lie)
        path.write_text(json.dumps(data))
        assert GitService(refs.repo.clone, graph_cache_dir=cache).release_branches() == truth, lie


@pytest.mark.security
def test_a_cache_file_linked_to_a_device_is_refused(refs: Refs, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    truth, path = cached_answer(refs, cache)
    path.unlink()
    path.symlink_to("/dev/zero")
    assert GitService(refs.repo.clone, graph_cache_dir=cache).release_branches() == truth
