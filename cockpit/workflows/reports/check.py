"""Checks: every versioning check for tagging given versions at a ref."""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.core.branches import parse_release_branch, release_branch_name
from cockpit.core.checks import (
    Baseline,
    CheckResult,
    TargetState,
    check_fetched,
    check_release,
    check_target_state,
    fail,
    previous_release,
)
from cockpit.core.lines import DRIVER, LIBS, TagInfo, classify
from cockpit.core.versions import VersionError, parse_version
from cockpit.errors import InputError
from cockpit.services.git import GitService, RefSnapshot, RemoteUnavailable
from cockpit.services.git.remote import RemoteRefs


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


def _default_target(git: GitService, snap: RefSnapshot, libs: str | None, there: RemoteRefs | None) -> str:
    """Where a tag would go: the libs version's release branch when it exists (here, or on the remote at a commit
    this clone has), else the checked-out release branch, else the default branch (the checks then say why not)."""
    if libs:
        try:
            name = release_branch_name(parse_version(libs), git.config.release_branch_prefix)
        except VersionError:
            name = None
        if name and (snap.branch_head(name) or _remote_only_here(git, there, name)):
            return name
    if snap.head_branch and parse_release_branch(snap.head_branch, git.config.release_branch_prefix):
        return snap.head_branch
    return git.default_branch(snap)


def _remote_only_here(git: GitService, there: RemoteRefs | None, name: str) -> bool:
    """The remote has branch `name` and this clone has its head commit (a shallow clone may not)."""
    return there is not None and name in there.heads and git.ref_commit(there.heads[name]) is not None


def _branch_name(git: GitService, at: str) -> str:
    name = at.removeprefix("refs/heads/").removeprefix(f"refs/remotes/{git.config.remote}/")
    return name.removeprefix(f"{git.config.remote}/")


def _target_branch(git: GitService, snap: RefSnapshot, at: str, commit: str, there: RemoteRefs | None) -> str | None:
    prefix = git.config.release_branch_prefix
    name = _branch_name(git, at)
    if parse_release_branch(name, prefix) and (snap.branch_head(name) or (there is not None and name in there.heads)):
        return name
    heads = {n for n, sha in (*snap.local_branches.items(), *snap.remote_branches.items())
             if sha == commit and parse_release_branch(n, prefix)}
    return heads.pop() if len(heads) == 1 else None


def _commit_at(git: GitService, snap: RefSnapshot, at: str, there: RemoteRefs | None) -> str:
    """The commit `at` names; a branch that only the remote has (never fetched) is the remote's head, when this
    clone has that commit, else an InputError that says to fetch: nothing is checked against a guess."""
    name = _branch_name(git, at)
    if snap.local_branches.get(at) or snap.remote_branches.get(at) or there is None or name not in there.heads:
        return git.commit_of(at, snap)
    sha = there.heads[name]
    if git.ref_commit(sha) is None:
        raise InputError(f"{name} is only on {there.remote} (at {sha[:10]}), whose commits this clone lacks: "
                         f"cockpit fetch, then try again")
    return sha


def _read_remote(git: GitService) -> tuple[RemoteRefs | None, str | None]:
    """The remote's branches and tags (one `ls-remote` for the whole check or plan), or why they cannot be read."""
    try:
        return git.remote_refs(), None
    except RemoteUnavailable as exc:
        return None, str(exc)


def check(git: GitService, libs: str | None = None, driver: str | None = None, at: str | None = None) -> CheckReport:
    """Every versioning check for tagging `libs` and/or `driver` at `at`. What the remote has counts as much as
    what is local: its tags order the versions (a `--no-tags` or shallow clone must not tag below them) and a
    branch only the remote has is the remote's head."""
    if libs is None and driver is None:
        raise InputError("nothing to check: pass --libs VERSION and/or --driver VERSION")
    snap = git.refs()
    there, remote_error = _read_remote(git)
    at = at or _default_target(git, snap, libs, there)
    commit = _commit_at(git, snap, at, there)
    branch = _target_branch(git, snap, at, commit, there)
    local_names = {t.name for t in snap.tags}
    remote_only = frozenset(there.tags) - local_names if there is not None else frozenset()
    tags = tuple(classify(t.name) for t in snap.tags) + tuple(classify(n) for n in sorted(remote_only))
    branch_tags: tuple[TagInfo, ...] = ()
    if branch:
        fact = next((b for b in git.release_branches(snap) if b.name == branch), None)
        branch_tags = tuple(classify(n) for n in fact.tags) if fact else ()
    remote_head = (there.heads.get(branch or "") if there is not None
                   else snap.remote_branches.get(branch or ""))
    state = TargetState(
        ref=at, commit=commit, branch=branch, branch_local_head=snap.local_branches.get(branch or ""),
        branch_remote_head=remote_head, branch_tags=branch_tags,
        worktree_dirty=tuple(git.dirty_paths()), remote_tags=frozenset(there.tags) if there is not None else None,
        remote_error=remote_error, files=git.version_files(commit), default_branch=git.default_branch(snap),
        remote_only_tags=remote_only,
    )
    results: list[CheckResult] = []
    for line, text in ((LIBS, libs), (DRIVER, driver)):
        if text is None:
            continue
        base, missing = _baseline(git, tags, line, text, commit, local_names, there)
        results += check_release(line, text, tags, state, base, git.config)
        if missing:
            results.append(missing)
    results += check_target_state(state)
    if branch and there is not None:
        results.append(check_fetched(branch, snap.remote_branches.get(branch), there.heads.get(branch),
                                     there.remote))
    return CheckReport(at, commit, branch, tuple(results), tuple(t for t in (libs, driver) if t is not None))


def _baseline(git: GitService, tags: tuple[TagInfo, ...], line: str, text: str, commit: str,
              local_names: set[str], there: RemoteRefs | None) -> tuple[Baseline, CheckResult | None]:
    """The previous release and its version files; read from the remote's commit when the tag is only there (a
    `--no-tags` clone has the commit), else a warning that they cannot be compared (a shallow clone lacks it)."""
    try:
        version = parse_version(text)
    except VersionError:
        return Baseline(None), None
    prev = previous_release(tags, line, version)
    if prev is None:
        return Baseline(None), None
    ref: str | None = prev.name
    if prev.name not in local_names:
        sha = there.tags.get(prev.name) if there is not None else None
        ref = sha if sha and git.ref_commit(sha) else None
    if ref is None:
        return Baseline(None), fail(
            f"{line}.previous-local", "warning", f"the previous {line} release {prev.name} is only on the remote, "
            "with commits this clone lacks: its version files cannot be compared",
            "cockpit fetch (a shallow clone: git fetch --unshallow), then check again", f"remote: {prev.name}")
    return Baseline(prev, git.version_files(ref), tuple(git.changed_paths(ref, commit))), None
