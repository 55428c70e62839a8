"""The graph read split across cores and indexed while git writes it: the same index as one walk of the same
tips, whatever commits the history is cut at; git stopped when nobody reads it; git's failure reported."""

from __future__ import annotations

import random
import signal

import pytest

from cockpit.services.git import GitCommandFailed, GitError, GitService
from cockpit.services.git.graph import history_cut
from cockpit.services.git.graph_walk import GraphWalk

from builders import FalcoRepo


def reachable(falco: FalcoRepo, *tips: str) -> dict[str, tuple[str, ...]]:
    """git's own answer: every commit reachable from `tips`, with its parents."""
    out = falco.b.git("rev-list", "--parents", *tips)
    return {line.split()[0]: tuple(line.split()[1:]) for line in out.splitlines()}


def test_history_cut_is_the_older_half_of_the_tags() -> None:
    tags = [(30, "c" * 40), (10, "a" * 40), (20, "b" * 40), (40, "d" * 40), (15, "a" * 40)]
    assert history_cut(tags) == ["a" * 40]  # 10 and 15 (one commit): the older two of five
    assert history_cut([]) == []


@pytest.mark.parametrize("seed", range(6))
def test_a_read_cut_anywhere_is_one_walk_of_the_tips_and_the_cut(falco: FalcoRepo, seed: int) -> None:
    rng = random.Random(seed)
    git = GitService(falco.path)
    snap = git.refs()
    tips = sorted({*snap.remote_branches.values(), *snap.local_branches.values()})
    everything = list(reachable(falco, *tips))
    cut = sorted(rng.sample(everything, rng.randint(1, 6)))
    index = git.graph(tips, cut, falco.shas["fix7"])
    assert index.parents_map() == reachable(falco, *tips, *cut)
    assert index.parents_map() == git.graph(tips).parents_map()  # the cut commits are reachable from the tips
    assert index.first_parent_chain(falco.shas["fix7"].encode()) == git.graph(tips).first_parent_chain(
        falco.shas["fix7"].encode())


def test_release_branches_read_cut_at_the_tags_equal_git_counts(falco: FalcoRepo) -> None:
    git = GitService(falco.path)
    snap = git.refs()
    assert history_cut((t.date, t.commit) for t in snap.tags)  # the falco repo has tags: the read is cut
    for b in git.release_branches(snap):
        behind, ahead = falco.b.git("rev-list", "--left-right", "--count", f"master...{b.head}").split()
        assert (b.ahead, b.behind) == (int(ahead), int(behind))
        assert b.fork_point == falco.b.git("merge-base", "master", b.head)


@pytest.mark.security
def test_the_graph_is_read_from_object_ids_only(falco: FalcoRepo) -> None:
    git = GitService(falco.path)
    with pytest.raises(GitError, match="object ids only"):
        git.graph(["--output=/tmp/x"])
    with pytest.raises(GitError, match="object ids only"):
        git.graph([falco.shas["fix7"]], ["master"])


def test_closing_a_walk_nobody_read_stops_git(falco: FalcoRepo) -> None:
    # git appends its arguments to a shell alias ("$@"): `:` takes them, so the walk sleeps, never fails fast
    walk = GraphWalk(falco.path, ("-c", "alias.slow=!sleep 9; :", "slow"), [[], []])
    assert walk.returncodes == [None, None]
    walk.close()
    assert walk.returncodes == [-signal.SIGKILL, -signal.SIGKILL]
    with pytest.raises(RuntimeError):
        walk.index()


def test_a_walk_git_fails_raises_with_gits_reason(falco: FalcoRepo) -> None:
    walk = GraphWalk(falco.path, ("rev-list", "--parents"), [[falco.shas["fix7"]], ["0" * 40]])
    with pytest.raises(GitCommandFailed, match="git rev-list failed: fatal: bad object"):
        walk.index()
    assert walk.returncodes[1] == 128
