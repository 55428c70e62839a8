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
from cockpit.workflows.reports.serialise import candidates_json


@dataclass(frozen=True, slots=True)
class CandidateRow:
    """One commit of the default branch since the fork point, as the backport screen lists it and the contract
    shapes it: the PR git or the forge linked it to, that PR's details, and whether (and how surely) it reached the
    release branch."""

    sha: str
    subject: str
    author: str
    email: str
    date: int  # the author date, seconds since the epoch
    pr: int | None
    pr_source: str | None  # subject | merge | forge: where the link to `pr` came from
    pr_title: str | None
    milestone: str | None
    labels: tuple[str, ...]
    applied: bool
    evidence: str | None  # trailer | patch-id | subject+author, the strongest found
    applied_as: str | None  # the release-branch commit that carries it


@dataclass(frozen=True, slots=True)
class CandidatesReport:
    """What `cockpit candidates` answers and the backport screen shows: git's answer, with what the forge could not
    add said in `forge_problem` rather than raised."""

    branch: str
    upstream: str  # the default branch the commits come from
    fork_point: str
    forge_problem: str | None
    commits: tuple[CandidateRow, ...]  # oldest first: the order a backport picks them in

    @property
    def forge_ok(self) -> bool:
        return self.forge_problem is None

    def as_json(self) -> dict:
        return candidates_json(self)


@dataclass(frozen=True, slots=True)
class PrDetails:
    """What the candidates show of a PR."""

    title: str | None
    milestone: str | None
    labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
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
               forge_problem: str | None = "no forge", items: Mapping[int, Item] | None = None) -> CandidatesReport:
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
    rows = tuple(CandidateRow(c.commit.sha, c.commit.subject, c.commit.author, c.commit.email, c.commit.date, c.pr,
                              c.pr_source, d.title, d.milestone, tuple(d.labels), c.applied, c.evidence, c.applied_as)
                 for c in found if prs is None or c.pr in prs
                 for d in [details.get(c.pr, none) if c.pr is not None else none])
    return CandidatesReport(report.branch, report.upstream, report.fork_point, association.problem, rows)
