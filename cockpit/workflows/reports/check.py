"""Checks: every versioning check for tagging given versions at a ref."""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.core.branches import parse_release_branch, release_branch_name
from cockpit.core.checks import (
    Baseline,
    CheckResult,
    TargetState,
    check_release,
    check_target_state,
    previous_release,
)
from cockpit.core.lines import DRIVER, LIBS, TagInfo, classify
from cockpit.core.versions import VersionError, parse_version
from cockpit.errors import InputError
from cockpit.services.git import GitService, RefSnapshot, RemoteUnavailable


@dataclass(frozen=True)
class CheckReport:
    at: str
    commit: str
    branch: str | None
    results: tuple[CheckResult, ...]
    tags: tuple[str, ...] = ()  # the tags that were checked

    @property
    def ok(self) -> bool:
        return not any(r.blocks for r in self.results)

    def as_json(self) -> dict:
        return {"ok": self.ok, "at": self.at, "commit": self.commit, "branch": self.branch,
                "checks": [r.as_dict() for r in self.results]}


def _default_target(git: GitService, snap: RefSnapshot, libs: str | None) -> str:
    """Where a tag would go: the libs version's release branch when it exists, else the checked-out release
    branch, else the default branch (the checks then say the branch must be cut first)."""
    if libs:
        try:
            name = release_branch_name(parse_version(libs), git.config.release_branch_prefix)
        except VersionError:
            name = None
        if name and snap.branch_head(name):
            return name
    if snap.head_branch and parse_release_branch(snap.head_branch, git.config.release_branch_prefix):
        return snap.head_branch
    return git.default_branch(snap)


def _target_branch(git: GitService, snap: RefSnapshot, at: str, commit: str) -> str | None:
    prefix = git.config.release_branch_prefix
    name = at.removeprefix("refs/heads/").removeprefix(f"refs/remotes/{git.config.remote}/")
    name = name.removeprefix(f"{git.config.remote}/")
    if parse_release_branch(name, prefix) and snap.branch_head(name):
        return name
    heads = {n for n, sha in (*snap.local_branches.items(), *snap.remote_branches.items())
             if sha == commit and parse_release_branch(n, prefix)}
    return heads.pop() if len(heads) == 1 else None


def check(git: GitService, libs: str | None = None, driver: str | None = None, at: str | None = None) -> CheckReport:
    """Every versioning check for tagging `libs` and/or `driver` at `at`."""
    if libs is None and driver is None:
        raise InputError("nothing to check: pass --libs VERSION and/or --driver VERSION")
    snap = git.refs()
    at = at or _default_target(git, snap, libs)
    commit = git.commit_of(at, snap)
    branch = _target_branch(git, snap, at, commit)
    tags = tuple(classify(t.name) for t in snap.tags)
    branch_tags: tuple[TagInfo, ...] = ()
    if branch:
        fact = next((b for b in git.release_branches(snap) if b.name == branch), None)
        branch_tags = tuple(classify(n) for n in fact.tags) if fact else ()
    try:
        remote_tags, remote_error = git.remote_tags(), None
    except RemoteUnavailable as exc:
        remote_tags, remote_error = None, str(exc)
    state = TargetState(
        ref=at, commit=commit, branch=branch, branch_local_head=snap.local_branches.get(branch or ""),
        branch_remote_head=snap.remote_branches.get(branch or ""), branch_tags=branch_tags,
        worktree_dirty=tuple(git.dirty_paths()), remote_tags=remote_tags, remote_error=remote_error,
        files=git.version_files(commit), default_branch=git.default_branch(snap),
    )
    results: list[CheckResult] = []
    for line, text in ((LIBS, libs), (DRIVER, driver)):
        if text is None:
            continue
        results += check_release(line, text, tags, state, _baseline(git, tags, line, text, commit), git.config)
    results += check_target_state(state)
    return CheckReport(at, commit, branch, tuple(results), tuple(t for t in (libs, driver) if t is not None))


def _baseline(git: GitService, tags: tuple[TagInfo, ...], line: str, text: str, commit: str) -> Baseline:
    try:
        version = parse_version(text)
    except VersionError:
        return Baseline(None)
    prev = previous_release(tags, line, version)
    if prev is None:
        return Baseline(None)
    return Baseline(prev, git.version_files(prev.name), tuple(git.changed_paths(prev.name, commit)))
