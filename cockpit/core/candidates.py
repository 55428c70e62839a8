"""Backport matching: which default-branch commits already reached a release branch, and by what evidence.

Release branches are merged by a bot with rebase, so `-x` trailers are often missing: the evidence is the `-x`
trailer, else an equal patch-id, else the same subject and author (lower confidence)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from cockpit.core.facts import CommitFact

EVIDENCE_ORDER = ("trailer", "patch-id", "subject+author")

_TRAILER = re.compile(r"\(cherry picked from commit ([0-9a-f]{40})\)")
_PR_SUBJECT = re.compile(r"\(#([0-9]+)\)\s*$")
_PR_MERGE = re.compile(r"^Merge pull request #([0-9]+)\b")


@dataclass(frozen=True)
class Candidate:
    commit: CommitFact
    pr: int | None
    applied_as: str | None = None
    evidence: str | None = None  # trailer | patch-id | subject+author
    pr_source: str | None = None  # subject | merge | forge: where the link to `pr` came from

    @property
    def applied(self) -> bool:
        return self.evidence is not None


def pr_number(subject: str) -> int | None:
    """The PR number of a squash/rebase subject `... (#123)` or a merge commit `Merge pull request #123 ...`."""
    m = _PR_SUBJECT.search(subject) or _PR_MERGE.match(subject)
    if not m:
        return None
    try:
        return int(m.group(1))
    except ValueError:  # more digits than int() converts (sys.get_int_max_str_digits): no PR has that number
        return None


def cherry_picked_from(body: str) -> list[str]:
    return _TRAILER.findall(body)


def prs_from_merges(commits: Iterable[CommitFact]) -> dict[str, int]:
    """PR numbers for commits brought in by `Merge pull request #N` merge commits, via their second parent.

    Walks from each merge's second parent through commits of the same range, stopping at the first-parent
    chain, so a commit is attributed to the merge that brought it."""
    by_sha = {c.sha: c for c in commits}
    first_parent_chain: set[str] = set()
    # The range is newest first; the chain starts at the newest commit and follows first parents.
    ordered = list(by_sha.values())
    if ordered:
        cur: str | None = ordered[0].sha
        while cur in by_sha:
            first_parent_chain.add(cur)
            parents = by_sha[cur].parents
            cur = parents[0] if parents else None
    owner: dict[str, int] = {}
    # Oldest merge first: a commit belongs to the first merge that brought it (a later stacked PR's branch
    # still reaches the commits of the PR it was based on).
    for merge in reversed(ordered):
        number = pr_number(merge.subject) if merge.is_merge else None
        if number is None:
            continue
        stack = list(merge.parents[1:])
        while stack:
            sha = stack.pop()
            if sha not in by_sha or sha in first_parent_chain or sha in owner:
                continue
            owner[sha] = number
            stack.extend(by_sha[sha].parents)
    return owner


def match_candidates(
    upstream: list[CommitFact],
    release_side: list[CommitFact],
    patch_equal: Mapping[str, str],
) -> list[Candidate]:
    """Mark each upstream commit (oldest first) applied or not.

    `patch_equal` maps upstream sha -> release-side sha with the same patch-id. Merge commits are not
    candidates themselves; the commits they bring carry the merge's PR number."""
    merge_prs = prs_from_merges(reversed(upstream))
    by_trailer: dict[str, str] = {}
    by_subject: dict[tuple[str, str], list[str]] = {}
    for rc in release_side:
        for origin in cherry_picked_from(rc.body):
            by_trailer.setdefault(origin, rc.sha)
        by_subject.setdefault((rc.subject, rc.email.lower()), []).append(rc.sha)
    result = []
    for c in upstream:
        if c.is_merge:
            continue
        pr, source = pr_number(c.subject), "subject"
        if pr is None:
            pr, source = merge_prs.get(c.sha), "merge"
        applied_as, evidence = None, None
        if c.sha in by_trailer:
            applied_as, evidence = by_trailer[c.sha], "trailer"
        elif c.sha in patch_equal:
            applied_as, evidence = patch_equal[c.sha], "patch-id"
        else:
            same = by_subject.get((c.subject, c.email.lower()))
            if same:
                applied_as, evidence = same[0], "subject+author"
        result.append(Candidate(c, pr, applied_as, evidence, source if pr is not None else None))
    return result


def unlinked(candidates: Iterable[Candidate]) -> list[str]:
    """The commits neither their subject nor a merge commit links to a PR: the ones to ask the forge about."""
    return [c.commit.sha for c in candidates if c.pr is None]


def link_forge(candidates: Iterable[Candidate], forge_prs: Mapping[str, int]) -> list[Candidate]:
    """Each candidate the subject and merge rules left without a PR, linked to the PR the forge associates with it
    (rebase merges: libs' master has neither `(#N)` subjects nor merge commits). The git rules come first."""
    return [replace(c, pr=forge_prs[c.commit.sha], pr_source="forge")
            if c.pr is None and c.commit.sha in forge_prs else c for c in candidates]
