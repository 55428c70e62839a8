"""Which merged PRs of a milestone landed between two tags: what changed between two RCs (or the last RC and the
final), for the announcement on the tracking issue.

A commit of the range names its PR by its subject (`... (#N)`, `Merge pull request #N`), by being the PR's merge
commit, by the forge's own association (after a rebase merge, every commit the PR landed names it), or, for a
backport, by the `(cherry picked from commit SHA)` trailer pointing at any of those."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from cockpit.core.candidates import cherry_picked_from, pr_number, prs_from_merges
from cockpit.core.facts import CommitFact
from cockpit.core.forge_models import Item


def linked_shas(commits: list[CommitFact]) -> list[str]:
    """The commits whose PR the forge is asked for: those of the range and those their backports were picked from."""
    return sorted({c.sha for c in commits} | {s for c in commits for s in cherry_picked_from(c.body)})


def prs_in_range(commits: list[CommitFact], items: Iterable[Item],
                 associated: Mapping[str, Iterable[int]] | None = None) -> set[int]:
    """The numbers of the merged PRs among `items` that the commits of the range carry; `associated` is the forge's
    commit -> PR numbers answer for `linked_shas(commits)`."""
    merged = {i.number: i for i in items if i.kind == "pr" and i.merged}
    by_sha: dict[str, int] = {sha: n for sha, numbers in (associated or {}).items() for n in numbers if n in merged}
    by_sha |= {i.merge_commit_sha: n for n, i in merged.items() if i.merge_commit_sha}
    found: set[int] = set()
    for commit in commits:
        number = pr_number(commit.subject)
        if number in merged:
            found.add(number)
        for sha in (commit.sha, *cherry_picked_from(commit.body)):
            if sha in by_sha:
                found.add(by_sha[sha])
    found |= {n for n in prs_from_merges(commits).values() if n in merged}
    return found
