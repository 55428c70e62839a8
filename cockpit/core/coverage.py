"""Coverage: which of a milestone's merged PRs reached which maintained release branches.

A PR is `applied` to a branch when every commit it landed on the default branch has an equivalent there (a `-x`
trailer, an equal patch-id, the same subject and author: core/candidates.py), `partial` when some have, `missing`
when none has, and `conflict` when not all have and a trial pick of the missing ones onto the branch stops on a
conflict (services/git/trial_pick.py).

Maintained branches: the release branches of the newest MAINTAINED lines (M.m): the release being prepared and the
one before it, which is what gets patch releases in the falcosecurity/libs process."""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

Status = Literal["applied", "partial", "missing", "conflict"]
STATUSES: tuple[Status, ...] = ("applied", "partial", "missing", "conflict")
MAINTAINED = 2


def status_of(applied: Sequence[bool], conflicts: bool) -> Status:
    """The status of one PR on one branch from its commits' applied flags (in order) and the trial's verdict on the
    missing ones. A PR with no known commit is `missing`: nothing shows it reached the branch."""
    if applied and all(applied):
        return "applied"
    if conflicts:
        return "conflict"
    return "partial" if any(applied) else "missing"


def maintained(branches: Iterable[tuple[str, tuple[int, int]]], keep: int = MAINTAINED) -> list[str]:
    """The release branches of the `keep` newest lines, newest first, from (name, (M, m)) pairs."""
    ordered = sorted(branches, key=lambda b: b[1], reverse=True)
    return [name for name, _ in ordered[:keep]]


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """One merged PR: its commits on the default branch (oldest first), where each came from, and its status on
    each branch with the commits still missing there."""

    number: int
    title: str
    labels: tuple[str, ...]
    commits: tuple[str, ...]
    source: str  # how the commits were found: forge | patch-id | merge-commit | subject | none
    branches: dict[str, Status] = field(default_factory=dict)
    missing: dict[str, tuple[str, ...]] = field(default_factory=dict)  # branch -> its commits not applied there


@dataclass(frozen=True, slots=True)
class Coverage:
    """A milestone's merged PRs x release branches, read by `cockpit coverage` and the coverage screen (its JSON
    document is written with the other reports', in workflows/reports/serialise.py)."""

    milestone: str
    branches: tuple[str, ...]
    rows: tuple[CoverageRow, ...]
    problems: tuple[str, ...] = ()  # what the forge could not tell (a PR whose commits were not listed, ...)
    order: dict[str, int] = field(default_factory=dict)  # each row commit's place on the default branch

    def to_backport(self, branch: str, numbers: Iterable[int] | None = None) -> list[str]:
        """The commits of the PRs (all, or `numbers`) not yet on `branch`, oldest first on the default branch: what
        a backport of them picks."""
        wanted = set(numbers) if numbers is not None else None
        shas = [sha for r in self.rows if wanted is None or r.number in wanted for sha in r.missing.get(branch, ())]
        return sorted(dict.fromkeys(shas), key=lambda s: self.order.get(s, len(self.order)))


def backport_command(branch: str, shas: Sequence[str]) -> str:
    """The exact command that backports `shas` to `branch` as a PR (each value quoted for a shell)."""
    return shlex.join(["cockpit", "backport", "--branch", branch, *shas, "--pr"])
