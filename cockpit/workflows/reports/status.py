"""Status: the repository at a glance (tags classified by line, release branches, version files)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial

import semver

from cockpit.core.facts import BranchFact
from cockpit.core.lines import DRIVER, LIBS, TagInfo, classify, prereleases, releases
from cockpit.core.version_files import VersionFiles
from cockpit.core.versions import precedence
from cockpit.services.background import Running
from cockpit.services.git import GitService, RefSnapshot
from cockpit.workflows.reports.serialise import status_json

LINES = (LIBS, DRIVER)


def version_text(t: object) -> str | None:
    return str(t) if t is not None else None


def _sort_key(info: TagInfo) -> tuple:
    if info.version is None:
        return (2, info.line or "", precedence(semver.Version(0)), info.name)
    return (0 if info.line else 1, info.line or "", precedence(info.version), info.name)


def classified_tags(snap: RefSnapshot) -> list[tuple[TagInfo, str | None]]:
    """(classification, commit) for every tag, lines first, highest version first; a tag on a tree or a blob last,
    irregular and on no line (it can never be a release), with no commit."""
    pairs: list[tuple[TagInfo, str | None]] = [(classify(t.name), t.commit) for t in snap.tags]
    pairs.sort(key=lambda p: _sort_key(p[0]), reverse=True)
    pairs.sort(key=lambda p: (p[0].version is None, p[0].line is None))
    pairs += [(TagInfo(name, None, None, f"points at a {kind}, not a commit: never a release"), None)
              for name, kind in snap.non_commit_tags]
    return pairs


@dataclass(frozen=True, slots=True)
class LineSummary:
    """A line's newest release and pre-release: what `status` and the dashboard show of it first."""

    latest: str | None
    latest_prerelease: str | None


@dataclass(frozen=True, slots=True)
class Status:
    """The repository at a glance, read once for the dashboard and `cockpit status`: its tags classified, its
    release branches (with their divergence when asked), the version files on the default branch."""

    root: str
    remote_url: str | None
    head_branch: str | None
    default_branch: str
    default_head: str  # the commit the default branch is read from (the remote's when it has it)
    dirty: tuple[str, ...] | None  # the worktree's changed paths; None when not read (the TUI never shows it)
    versions: VersionFiles
    tags: tuple[tuple[TagInfo, str | None], ...]
    branches: tuple[BranchFact, ...]
    fetched_at: datetime | None = None  # the last fetch from the remote (FETCH_HEAD's time), None if never
    irregular_branches: tuple[tuple[str, str], ...] = ()  # (name, reason): under the release prefix, not M.m.x

    def line_summary(self, line: str) -> LineSummary:
        infos = [t for t, _ in self.tags]
        rel, pre = releases(infos, line), prereleases(infos, line)
        return LineSummary(rel[0].name if rel else None, pre[0].name if pre else None)

    def line_summaries(self) -> dict[str, LineSummary]:
        """Each line's summary, libs first."""
        return {line: self.line_summary(line) for line in LINES}

    def as_json(self) -> dict:
        """The git side of the `status` document (serialise.py writes it)."""
        return status_json(self)


def status(git: GitService, divergence: bool = True, worktree: bool = True) -> Status:
    """Everything `cockpit status` shows. `divergence=False` skips the one read of the whole commit graph (fork
    points, ahead/behind, tags per branch): the cockpit paints that first and fills the rest in after.
    `worktree=False` skips `git status` (a quarter of a second on 150k files), which the dashboard never shows."""
    snap = git.refs()
    default = git.default_branch(snap)
    head = git.branch_ref(default, snap)
    # git status, the version files and FETCH_HEAD's time are read beside the commit graph
    dirty = Running(git.dirty_paths) if worktree else None
    versions = Running(partial(git.version_files, head))
    fetched = Running(git.fetched_at)
    try:
        branches = git.release_branches(snap) if divergence else git.release_branch_heads(snap)
        tags = classified_tags(snap)
    finally:  # no read of this status outlives it, whatever happened
        for read in (dirty, versions, fetched):
            if read is not None:
                read.wait()
    return Status(
        root=str(git.root), remote_url=git.remote_url_display(), head_branch=snap.head_branch, default_branch=default,
        default_head=snap.branch_head(default) or "",
        dirty=tuple(dirty.result()) if dirty is not None else None, versions=versions.result(), tags=tuple(tags),
        branches=tuple(branches),
        fetched_at=fetched.result(), irregular_branches=tuple(git.irregular_release_branches(snap)),
    )
