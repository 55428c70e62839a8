"""The PRs a range of commits carries: by subject, by merge commit, by a backport's -x trailer, by a merge."""

from __future__ import annotations

from datetime import UTC, datetime

from cockpit.core.facts import CommitFact
from cockpit.core.forge_models import Item
from cockpit.core.notes_range import linked_shas, prs_in_range

MERGED = datetime(2026, 11, 1, tzinfo=UTC)


def pr(number: int, sha: str | None = None, merged: bool = True) -> Item:
    return Item(number, "pr", f"pr {number}", "closed", "x", merged_at=MERGED if merged else None,
                merge_commit_sha=sha)


def commit(sha: str, subject: str, body: str = "", parents: tuple[str, ...] = ()) -> CommitFact:
    return CommitFact(sha, subject, "x", "x@example.com", 0, parents, body)


def test_each_way_a_commit_names_its_pr() -> None:
    items = [pr(1), pr(2, "b" * 40), pr(3, "c" * 40), pr(4), pr(5, merged=False), pr(6)]
    commits = [commit("1" * 40, "fix: squashed (#1)"),
               commit("b" * 40, "fix: rebased straight onto the branch"),
               commit("2" * 40, "fix: a backport", f"fix\n\n(cherry picked from commit {'c' * 40})\n"),
               commit("3" * 40, "wip: not merged (#5)"),
               commit("4" * 40, "fix: of a PR in another milestone (#99)")]
    assert prs_in_range(commits, items) == {1, 2, 3}


def test_a_merge_commit_names_the_pr_of_the_commits_it_brought() -> None:
    items = [pr(4)]
    side = commit("5" * 40, "fix: on the side branch", parents=("6" * 40,))
    merge = commit("7" * 40, "Merge pull request #4 from someone/fix", parents=("6" * 40, "5" * 40))
    assert prs_in_range([merge, side], items) == {4}


def test_the_forge_association_names_the_pr_of_a_rebase_merged_commit_and_of_its_backport() -> None:
    items = [pr(7), pr(8), pr(9, merged=False)]
    commits = [commit("a" * 40, "fix: landed by a rebase merge"),
               commit("d" * 40, "fix: a backport", f"fix\n\n(cherry picked from commit {'e' * 40})\n"),
               commit("f" * 40, "wip: associated with an open PR")]
    associated = {"a" * 40: [7], "e" * 40: [8], "f" * 40: [9]}
    assert linked_shas(commits) == sorted(["a" * 40, "d" * 40, "e" * 40, "f" * 40])
    assert prs_in_range(commits, items, associated) == {7, 8}
    assert prs_in_range(commits, items) == set()
