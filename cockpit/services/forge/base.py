"""The Forge protocol both forges implement, and the errors a user can understand.

Every forge failure is a ForgeError whose message is one line that says what happened and what to do; the
cockpit keeps working on git data when the forge fails."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol, runtime_checkable

from cockpit.core.forge_models import (
    BranchProtection,
    CheckRun,
    CombinedStatus,
    CommitPull,
    FileAt,
    FileCommit,
    Item,
    Milestone,
    MoveOutcome,
    RateLimit,
    Release,
    Repository,
)


class ForgeError(Exception):
    """A forge problem in one line, with what to do about it."""


class AuthError(ForgeError):
    pass


class PermissionDenied(ForgeError):
    pass


class NotFound(ForgeError):
    pass


class Conflict(ForgeError):
    pass


class RateLimited(ForgeError):
    def __init__(self, message: str, reset: datetime | None = None):
        super().__init__(message)
        self.reset = reset


class Offline(ForgeError):
    pass


class ForgeTimeout(ForgeError):
    pass


@runtime_checkable
class Forge(Protocol):
    """What the cockpit needs from a forge. Milestones are named by title, as the release process names them."""

    def repository(self, repo: str | None = None) -> Repository: ...  # repo: "owner/name", default: the project

    def milestones(self, state: str = "open") -> list[Milestone]: ...

    def milestone(self, title: str) -> Milestone: ...

    def milestone_items(self, title: str) -> list[Item]: ...

    def create_milestone(self, title: str, due_on: date | None = None, description: str = "") -> Milestone: ...

    def rename_milestone(self, title: str, new_title: str) -> Milestone: ...

    def close_milestone(self, title: str) -> Milestone: ...

    def move_items(self, numbers: Sequence[int], to_title: str | None) -> list[MoveOutcome]: ...

    def merged_without_milestone(self, since: date | None = None) -> list[Item]: ...

    def item(self, number: int) -> Item: ...

    # commit id -> the PRs the forge associates with it (GitHub's associatedPullRequests; a rebase merge associates
    # every commit it landed); a commit without any is left out. Full 40-character ids only.
    def commit_pulls(self, shas: Sequence[str]) -> dict[str, tuple[CommitPull, ...]]: ...

    def create_issue(self, title: str, body: str, milestone: str | None = None,
                     labels: Sequence[str] = ()) -> Item: ...

    def comment(self, number: int, body: str) -> str: ...

    def edit_body(self, number: int, body: str) -> Item: ...

    def create_pull(self, title: str, body: str, head: str, base: str, repo: str | None = None) -> Item: ...

    # the full ids of a PR's commits, oldest first (GitHub: the PR's own commits, which a rebase merge lands under
    # other ids; the local forge file: the "commits" it landed on its base); [] when the forge lists none
    def pull_commits(self, number: int) -> list[str]: ...

    def add_labels(self, number: int, labels: Sequence[str]) -> tuple[str, ...]: ...  # returns all its labels now

    # --- another repository's files and PRs (the infra repository of the branch-protection request) ---------

    def read_file(self, repo: str, path: str, ref: str | None = None) -> FileAt: ...  # ref: default branch

    def branch_head(self, repo: str, branch: str) -> str | None: ...  # None: no such branch

    # from_ref: a branch (default: the default branch); returns the commit the new branch starts at
    def create_branch(self, repo: str, name: str, from_ref: str | None = None) -> str: ...

    # sha: the blob replaced (None for a new file; a stale one is a Conflict); author: (name, email)
    def write_file(self, repo: str, path: str, text: str, message: str, branch: str, sha: str | None,
                   author: tuple[str, str] | None = None) -> FileCommit: ...

    def pulls_from(self, repo: str, head: str) -> list[Item]: ...  # PRs from that branch, any state, newest first

    def create_release(self, tag: str, name: str, body: str, draft: bool, prerelease: bool,
                       make_latest: bool) -> Release: ...

    def release(self, tag: str) -> Release | None: ...

    def branch_protection(self, branch: str) -> BranchProtection: ...

    def combined_status(self, ref: str) -> CombinedStatus: ...

    def check_runs(self, ref: str) -> list[CheckRun]: ...  # the newest run of each name, by name

    def rate_limit(self) -> RateLimit | None: ...


def newest_merged_first(items: Sequence[Item], since: date | None = None) -> list[Item]:
    """Merged items (merged on or after `since`), newest merge first: one order for both forges."""
    found = [i for i in items if i.merged_at is not None and (since is None or i.merged_at.date() >= since)]
    return sorted(found, key=lambda i: (i.merged_at, i.number), reverse=True)


def unknown_milestone(title: str, known: Sequence[str]) -> NotFound:
    titles = [t if t.isprintable() else repr(t) for t in known[:8]]  # a title with a line break stays on the line
    shown = ", ".join(titles) + (" ..." if len(known) > 8 else "")
    return NotFound(f"unknown milestone {title!r} (known: {shown or 'none'})")
