"""What a forge (GitHub or its local stand-in) knows about a release, as frozen values: named tuples, which every
command that reads the forge defines at its start (a frozen dataclass costs six times more to define)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, NamedTuple

ItemKind = Literal["pr", "issue"]


class Repository(NamedTuple):
    owner: str
    name: str
    default_branch: str
    html_url: str
    can_push: bool | None = None  # None when the forge cannot tell

    @property
    def slug(self) -> str:
        return f"{self.owner}/{self.name}"


class Milestone(NamedTuple):
    number: int
    title: str
    state: Literal["open", "closed"]
    due_on: date | None
    description: str = ""
    open_items: int = 0
    closed_items: int = 0
    url: str = ""


class Item(NamedTuple):
    """An issue or a pull request in a milestone."""

    number: int
    kind: ItemKind
    title: str
    state: Literal["open", "closed"]
    author: str
    labels: tuple[str, ...] = ()
    body: str = ""
    milestone: str | None = None  # the milestone's title
    merged_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    url: str = ""
    author_url: str = ""
    merge_commit_sha: str | None = None

    @property
    def merged(self) -> bool:
        return self.merged_at is not None


class CommitPull(NamedTuple):
    """A pull request the forge associates with a commit (GitHub's `associatedPullRequests`): after a rebase merge
    every commit the PR landed on its base names it, which neither the subject nor `merge_commit_sha` tells."""

    number: int
    title: str
    author: str
    labels: tuple[str, ...] = ()
    milestone: str | None = None  # the milestone's title
    body: str = ""
    merged: bool = False
    base: str = ""
    state: Literal["open", "closed"] = "closed"


def landing_pull(pulls: tuple[CommitPull, ...] | list[CommitPull], default_branch: str) -> CommitPull | None:
    """The PR that brought a default-branch commit: a merged PR into the default branch, else any merged PR (the
    lowest number first, so the answer does not depend on the forge's order); None when no merged PR names it."""
    merged = sorted((p for p in pulls if p.merged), key=lambda p: (p.base != default_branch, p.number))
    return merged[0] if merged else None


class Release(NamedTuple):
    tag: str
    name: str
    body: str
    draft: bool
    prerelease: bool
    url: str = ""
    id: int = 0


class RateLimit(NamedTuple):
    limit: int
    remaining: int
    reset: datetime


class BranchProtection(NamedTuple):
    branch: str
    protected: bool
    required_reviews: int | None = None


class CombinedStatus(NamedTuple):
    ref: str
    state: Literal["success", "pending", "failure", "error", "unknown"]
    total: int = 0


class CheckRun(NamedTuple):
    """One check run of a commit (what GitHub Actions reports beside the commit statuses)."""

    name: str
    status: str  # queued | in_progress | completed (GitHub also has waiting, requested, pending)
    conclusion: str | None  # None until completed; success | failure | neutral | cancelled | skipped | ...
    url: str = ""

    @property
    def failed(self) -> bool:
        return self.status == "completed" and self.conclusion in FAILED_CONCLUSIONS

    @property
    def pending(self) -> bool:
        return self.status != "completed"


FAILED_CONCLUSIONS = frozenset({"failure", "timed_out", "cancelled", "action_required", "startup_failure", "stale"})


class MoveOutcome(NamedTuple):
    """One item's milestone move, as re-read afterwards: GitHub silently ignores moves without push access."""

    number: int
    moved: bool
    milestone: str | None
    reason: str = ""


class FileAt(NamedTuple):
    """A file of a repository at a ref: its text, and its blob sha, which an update must name (so a concurrent
    edit is refused instead of overwritten)."""

    path: str
    text: str
    sha: str


class FileCommit(NamedTuple):
    """What writing a file through the forge made: the file's new blob sha and the commit that carries it."""

    path: str
    sha: str
    commit: str
