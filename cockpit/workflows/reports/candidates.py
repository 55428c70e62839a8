"""Backport candidates as the CLI contract shapes them: each commit linked to its PR (subject, merge commit, then
the forge's association) with that PR's title, milestone and labels.

The forge only adds to git's answer: when it is missing, rate limited or offline, the commits are all there, linked
by their subjects and merge commits alone, and `forge.problem` says what the forge could not add."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cockpit.core.candidates import Candidate, link_forge
from cockpit.core.forge_models import CommitPull, Item, landing_pull
from cockpit.services.forge.base import Forge, ForgeError
from cockpit.services.git import GitService, UnknownRef


@dataclass(frozen=True)
class PrDetails:
    """What the candidates show of a PR."""

    title: str | None
    milestone: str | None
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Association:
    """The forge's commit -> PR answer for a set of commits, or why there is none."""

    pulls: dict[str, CommitPull]  # commit -> the PR that landed it (merged), for the commits the forge linked
    problem: str | None = None


def associate(forge: Forge | None, shas: Iterable[str], default_branch: str,
              problem: str | None = "no forge") -> Association:
    """The PR that landed each commit, as the forge associates them (one batched question, cached forever once
    merged); a failing forge is a problem to report, never an error."""
    if forge is None:
        return Association({}, problem or "no forge")
    try:
        answer = forge.commit_pulls(list(shas))
    except ForgeError as exc:
        return Association({}, str(exc))
    found = {}
    for sha, pulls in answer.items():
        pull = landing_pull(pulls, default_branch)
        if pull is not None:
            found[sha] = pull
    return Association(found)


def linked(found: list[Candidate], association: Association) -> tuple[list[Candidate], dict[int, PrDetails]]:
    """The candidates with the forge's links added after git's own, and PR number -> its details."""
    result = link_forge(found, {sha: p.number for sha, p in association.pulls.items()})
    details = {p.number: PrDetails(p.title, p.milestone, p.labels) for p in association.pulls.values()}
    return result, details


def candidates(git: GitService, branch: str, prs: set[int] | None = None, forge: Forge | None = None,
               forge_problem: str | None = "no forge", items: Mapping[int, Item] | None = None) -> dict:
    """Backport candidates; `prs` keeps only the commits of those pull requests (a milestone's), whose `items`
    (read just now) say their title, milestone and labels."""
    snap = git.refs(tags=False)
    if not snap.branch_head(branch):
        raise UnknownRef(f"unknown branch {branch!r} (neither local nor on {git.config.remote})")
    report = git.candidates(branch, snap=snap)
    association = associate(forge, (c.commit.sha for c in report.candidates), report.upstream, forge_problem)
    found, details = linked(list(report.candidates), association)
    for number, item in (items or {}).items():
        details[number] = PrDetails(item.title, item.milestone, item.labels)
    none = PrDetails(None, None, ())
    return {
        "branch": report.branch,
        "upstream": report.upstream,
        "fork_point": report.fork_point,
        "forge": {"ok": association.problem is None, "problem": association.problem},
        "commits": [{"sha": c.commit.sha, "subject": c.commit.subject, "author": c.commit.author,
                     "email": c.commit.email, "date": c.commit.date, "pr": c.pr, "pr_source": c.pr_source,
                     "pr_title": d.title, "milestone": d.milestone, "labels": list(d.labels),
                     "applied": c.applied, "evidence": c.evidence, "applied_as": c.applied_as}
                    for c in found if prs is None or c.pr in prs
                    for d in [details.get(c.pr, none) if c.pr is not None else none]],
    }
