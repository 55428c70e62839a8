"""Checks: every versioning check for tagging given versions at a ref."""

from __future__ import annotations

from dataclasses import dataclass

import semver

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
from cockpit.core.cycle_rules import (
    check_driver_final_where_rc,
    check_libs_brings_driver,
    check_rc_moves_on,
    files_down_since,
    hints_from_state,
    with_prerelease,
)
from cockpit.core.lines import DRIVER, LIBS, TagInfo, classify
from cockpit.core.versions import VersionError, core_version, parse_version
from cockpit.errors import InputError
from cockpit.services.git import GitService, RefSnapshot, RemoteUnavailable
from cockpit.services.git.remote import RemoteRefs
from cockpit.workflows.reports.next_versions import NextVersions, next_versions
from cockpit.workflows.reports.serialise import check_json


@dataclass(frozen=True, slots=True)
class CheckReport:
    """Every check for tagging given versions at a ref, read by `cockpit check`, `cockpit tag` (which refuses when
    it is not ok) and the release screen."""

    at: str
    commit: str
    branch: str | None  # the release branch the tags go on; None when the target is not one
    results: tuple[CheckResult, ...]
    tags: tuple[str, ...] = ()  # the tags that were checked

    @property
    def ok(self) -> bool:
        """No error-severity check failed: the tags may be made."""
        return not any(r.blocks for r in self.results)

    def as_json(self) -> dict:
        return check_json(self)


def _default_target(git: GitService, snap: RefSnapshot, libs: str | None, there: RemoteRefs | None,
                    driver: str | None = None) -> str:
    """Where a tag would go: the libs version's release branch when it exists (here, or on the remote at a commit
    this clone has), else the checked-out release branch, else (a driver alone) the release branch holding its RC,
    else the default branch (the checks then say the branch must be cut first)."""
    if libs:
        try:
            name = release_branch_name(parse_version(libs), git.config.release_branch_prefix)
        except VersionError:
            name = None
        if name and (snap.branch_head(name) or _remote_only_here(git, there, name)):
            return name
    if snap.head_branch and parse_release_branch(snap.head_branch, git.config.release_branch_prefix):
        return snap.head_branch
    if driver:
        held = _branch_holding_rc(git, snap, driver)
        if held:
            return held
    return git.default_branch(snap)


def _remote_only_here(git: GitService, there: RemoteRefs | None, name: str) -> bool:
    """The remote has branch `name` and this clone has its head commit (a shallow clone may not)."""
    return there is not None and name in there.heads and git.ref_commit(there.heads[name]) is not None

def _branch_holding_rc(git: GitService, snap: RefSnapshot, driver: str) -> str | None:
    """The newest release branch that holds an RC of `driver` (where its next RC or final goes), or None."""
    try:
        target = core_version(parse_version(driver))
    except VersionError:
        return None
    rcs = [t.commit for t in snap.tags if (info := classify(t.name)).line == DRIVER and info.regular
           and info.rc is not None and core_version(info.version) == target]
    for name in git.release_branch_names(snap) if rcs else ():
        head = snap.branch_head(name)
        if head and any(git.is_ancestor(c, head) for c in rcs):
            return name
    return None

def _branch_name(git: GitService, at: str) -> str:
    name = at.removeprefix("refs/heads/").removeprefix(f"refs/remotes/{git.config.remote}/")
    return name.removeprefix(f"{git.config.remote}/")

def _target_branch(git: GitService, snap: RefSnapshot, at: str, commit: str, there: RemoteRefs | None) -> str | None:
    prefix = git.config.release_branch_prefix
    name = _branch_name(git, at)
    if parse_release_branch(name, prefix) and (snap.branch_head(name) or (there is not None and name in there.heads)):
        return name
    if snap.branch_head(name):  # a branch named that is no release branch (master), even where one was just cut
        return None
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
    at = at or _default_target(git, snap, libs, there, driver)
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
    cycle = _Cycle(git, snap, commit, tags)
    for line, text in ((LIBS, libs), (DRIVER, driver)):
        if text is None:
            continue
        base, missing = _baseline(git, tags, line, text, commit, local_names, there)
        found = check_release(line, text, tags, state, base, git.config)
        results += cycle.rules(line, text, found, state, base, with_driver=driver is not None)
        if missing:
            results.append(missing)
    results += check_target_state(state)
    if branch and there is not None:
        results.append(check_fetched(branch, snap.remote_branches.get(branch), there.heads.get(branch),
                                     there.remote))
    return CheckReport(at, commit, branch, tuple(results), tuple(t for t in (libs, driver) if t is not None))

class _Cycle:
    """The release-cycle rules (core.cycle_rules) of one check run, with the facts they need read once: the tags on
    the target commit, and what `next` computes there (for the driver hint and the libs tag's driver)."""

    def __init__(self, git: GitService, snap: RefSnapshot, commit: str, tags: tuple[TagInfo, ...]) -> None:
        self.git, self.snap, self.commit, self.tags = git, snap, commit, tags
        self.on_commit = tuple(classify(t.name) for t in snap.tags if t.commit == commit)
        self._next: NextVersions | None = None

    @property
    def next(self) -> NextVersions:
        if self._next is None:
            self._next = next_versions(self.git, at=self.commit)
        return self._next

    def rules(self, line: str, text: str, found: list[CheckResult], state: TargetState, base: Baseline,
              with_driver: bool) -> list[CheckResult]:
        try:
            version = parse_version(text)
        except VersionError:
            return found
        found = [*found, *files_down_since(line, state, base), check_rc_moves_on(line, version, self.on_commit)]
        if line == DRIVER:
            found.append(check_driver_final_where_rc(version, state.branch, self._rcs_held(version)))
        elif not with_driver and not version.build:
            found.append(self._brings_driver(version))
        driver_next = self.next.driver.next if line == DRIVER else None
        return hints_from_state(found, line, version, self.tags, driver_next)

    def _rcs_held(self, version: semver.Version) -> list[tuple[str, bool]]:
        target = core_version(version)
        return [(t.name, self.git.is_ancestor(t.commit, self.commit)) for t in self.snap.tags
                if (info := classify(t.name)).line == DRIVER and info.regular and info.rc is not None
                and core_version(info.version) == target]

    def _brings_driver(self, libs: semver.Version) -> CheckResult:
        previous = self.next.driver.previous
        prefix = self.git.config.driver_path_prefix
        changed = [p for p in self.git.changed_paths(previous, self.commit) if p.startswith(prefix)] \
            if previous else []
        computed = core_version(semver.Version.parse(self.next.driver.next))
        suggestion = with_prerelease(computed, libs, self.tags, DRIVER)
        return check_libs_brings_driver(libs, previous, changed,
                                        [t.name for t in self.on_commit if t.line == DRIVER and t.regular],
                                        str(suggestion))

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
