"""`coverage`: a milestone's merged PRs x the maintained release branches (core/coverage.py says what each status
means and which branches are maintained).

A PR's commits come from the forge, never from its subjects first: falcosecurity/libs merges by rebase, so no
subject carries `(#N)`. The forge's list is taken as it lands on the default branch: a listed commit that is on it
is used as is (the local forge file, and GitHub's association, name the landed commits); one that is not (GitHub's
`pulls/{n}/commits` names the PR's own commits, which a rebase merge re-creates under other ids) is matched by
patch-id against the default branch. Only when the forge lists nothing usable: the PR's `merge_commit_sha` (a squash
merge's commit), then the commits a `(#N)` subject or a `Merge pull request #N` attributes to it."""

from __future__ import annotations

from collections.abc import Sequence

from cockpit.core.branches import parse_release_branch
from cockpit.core.candidates import Candidate
from cockpit.core.coverage import Coverage, CoverageRow, Status, maintained, status_of
from cockpit.core.forge_models import Item
from cockpit.errors import InputError
from cockpit.services.forge.base import Forge, ForgeError
from cockpit.services.git import CandidateReport, GitService, RefSnapshot, UnknownRef
from cockpit.services.git.trial_pick import TrialUnavailable, trial_series


def coverage(git: GitService, forge: Forge, milestone: str, branches: Sequence[str] = ()) -> Coverage:
    """The coverage of `milestone` on `branches` (default: the maintained release branches)."""
    snap = git.refs(tags=False)
    chosen = _branches(git, snap, branches)
    items = forge.milestone_items(milestone)
    prs = sorted((i for i in items if i.kind == "pr" and i.merged), key=lambda i: i.number)
    default = git.default_branch(snap)
    up_ref = git.branch_ref(default, snap)
    reports = {b: git.candidates(b, snap=snap) for b in chosen}
    oldest = max(reports.values(), key=lambda r: len(r.candidates))  # the earliest fork has the most since
    history = git.commit_ids(f"{oldest.fork_point}..{up_ref}", reverse=True)
    release_heads = [head for n in git.release_branch_names(snap) if (head := snap.branch_head(n))]
    finder = _Landed(git, up_ref, history, oldest, release_heads)
    problems: list[str] = []
    found: list[tuple[Item, list[str], str]] = []
    for item in prs:
        try:
            listed = forge.pull_commits(item.number)
        except ForgeError as exc:
            listed = []
            problems.append(f"#{item.number}: its commits could not be read ({exc}): found from git instead")
        commits, source = finder.commits_of(item, listed)
        if source == "elsewhere":
            problems.append(f"#{item.number}: none of its commits is on {default} in this clone (a PR to another "
                            "branch, or not fetched yet): left out")
            continue
        found.append((item, commits, source))
    heads = {b: git.resolve(git.branch_ref(b, snap)) for b in chosen}
    rows, trial_problem = [], None
    for item, commits, source in sorted(found, key=lambda f: (min((finder.position.get(s, -1) for s in f[1]),
                                                                  default=-1), f[0].number)):
        statuses: dict[str, Status] = {}
        missing: dict[str, tuple[str, ...]] = {}
        for b in chosen:
            applied = _applied(reports[b], commits)
            left = tuple(s for s, done in zip(commits, applied, strict=True) if not done)
            conflicts = False
            if left:
                try:
                    conflicts = bool(trial_series(git, heads[b], left))
                except TrialUnavailable as exc:
                    trial_problem = f"conflicts could not be predicted: {exc}"
            statuses[b], missing[b] = status_of(applied, conflicts), left
        rows.append(CoverageRow(item.number, item.title, item.labels, tuple(commits), source, statuses, missing))
    if trial_problem:
        problems.append(trial_problem)
    order = {sha: finder.position[sha] for r in rows for sha in r.commits if sha in finder.position}
    return Coverage(milestone, tuple(chosen), tuple(rows), tuple(problems), order)


def _branches(git: GitService, snap: RefSnapshot, wanted: Sequence[str]) -> list[str]:
    prefix = git.config.release_branch_prefix
    names = git.release_branch_names(snap)
    for name in wanted:
        if parse_release_branch(name, prefix) is None:
            raise InputError(f"{name!r} is not a release branch ({prefix}M.m.x)")
        if name not in names:
            raise UnknownRef(f"unknown branch {name!r} (neither local nor on {git.config.remote})")
    if wanted:
        return list(dict.fromkeys(wanted))
    chosen = maintained((n, line) for n in names if (line := parse_release_branch(n, prefix)) is not None)
    if not chosen:
        raise InputError(f"no release branch ({prefix}M.m.x) to compare with: cut one first")
    return chosen


def _applied(report: CandidateReport, commits: Sequence[str]) -> list[bool]:
    """Each commit's flag on the branch: its candidate's evidence, or True for a commit older than the fork point
    (every commit the finder returns is on the default branch, so one outside fork..default is on the branch)."""
    by_sha: dict[str, Candidate] = {c.commit.sha: c for c in report.candidates}
    return [by_sha[s].applied if s in by_sha else True for s in commits]


class _Landed:
    """Where a PR's commits are on the default branch, from what the forge lists and what git can match."""

    def __init__(self, git: GitService, up_ref: str, history: list[str], oldest: CandidateReport,
                 release_heads: Sequence[str]):
        self.git, self.up_ref, self.release_heads = git, up_ref, tuple(release_heads)
        self.position = {sha: n for n, sha in enumerate(history)}
        self.history = history
        self.attributed: dict[int, list[str]] = {}
        for c in oldest.candidates:  # (#N) subjects and Merge pull request #N, as candidates attributes them
            if c.pr is not None:
                self.attributed.setdefault(c.pr, []).append(c.commit.sha)
        self._by_patch: dict[str, str] | None = None

    def _on_default(self, sha: str) -> bool:
        return sha in self.position or self.git.is_ancestor(sha, self.up_ref)

    def _patch_index(self) -> dict[str, str]:
        """patch-id -> the oldest default-branch commit since the oldest fork point with it (computed once)."""
        if self._by_patch is None:
            ids = self.git.patch_ids(self.history)
            self._by_patch = {}
            for sha in self.history:
                if sha in ids:
                    self._by_patch.setdefault(ids[sha], sha)
        return self._by_patch

    def commits_of(self, item: Item, listed: Sequence[str]) -> tuple[list[str], str]:
        """(the PR's commits on the default branch, oldest first; how they were found: forge, patch-id,
        merge-commit, subject; or `elsewhere` when the forge names commits of which none is on it, `none` when
        nothing names any)."""
        present = self.git.commits_present(listed)
        landed = [s for s in listed if s in present and self._on_default(s)]
        # a commit already on a release branch is a backport's (a PR to that branch), not a PR's own commit that a
        # rebase merge re-created on the default branch: only the latter are matched by patch-id
        others = [s for s in listed if s in present and s not in landed
                  and not any(self.git.is_ancestor(s, head) for head in self.release_heads)]
        matched: list[str] = []
        if others:
            ids = self.git.patch_ids(others)
            index = self._patch_index()
            matched = [index[ids[s]] for s in others if s in ids and ids[s] in index]
        if landed or matched:
            return self._ordered([*landed, *matched]), "patch-id" if matched else "forge"
        sha = item.merge_commit_sha
        if sha and sha in self.git.commits_present([sha]) and self._on_default(sha):
            facts = self.git.commits(sha, walk=False)
            if facts and not facts[0].is_merge:
                return [sha], "merge-commit"
        attributed = self.attributed.get(item.number, [])
        if attributed:
            return self._ordered(attributed), "subject"
        return [], "elsewhere" if listed or sha else "none"

    def _ordered(self, shas: Sequence[str]) -> list[str]:
        unique = list(dict.fromkeys(shas))
        return sorted(unique, key=lambda s: self.position.get(s, -1))
