"""Next versions: what a release cut at a ref should carry, by the driver rule and the libs line."""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.core.checks import CheckResult
from cockpit.core.cycle_rules import version_not_down
from cockpit.core.driver_rule import driver_bump
from cockpit.core.lines import DRIVER, LIBS, TagInfo, classify, releases
from cockpit.core.version_files import VersionFiles
from cockpit.core.versions import Change, Part, change_between
from cockpit.errors import InputError
from cockpit.services.git import GitError, GitService, RefSnapshot
from cockpit.workflows.reports.serialise import next_versions_json
from cockpit.workflows.reports.status import version_text


@dataclass(frozen=True, slots=True)
class VersionChange:
    """One version file between the previous release and the ref (the contract's from/to/change): `before` is None
    when the line has no previous release, so there is nothing to compare with."""

    before: str | None
    after: str | None
    change: Change


@dataclass(frozen=True, slots=True)
class PluginApiChange(VersionChange):
    """The plugin API version, and whether its header changed at all: a header edited without a version bump is
    what a release manager must notice."""

    header_changed: bool


@dataclass(frozen=True, slots=True)
class DriverNext:
    """The driver line: its previous release, the API/SCHEMA changes since, and the version the driver rule gives
    (`bump` None for a first release)."""

    previous: str | None
    api: VersionChange
    schema: VersionChange
    bump: Part | None
    next: str


@dataclass(frozen=True, slots=True)
class LibsNext:
    """The libs line: its previous release, the plugin API change since, and the next minor and patch (no patch
    without a previous release)."""

    previous: str | None
    plugin_api: PluginApiChange
    next_minor: str
    next_patch: str | None


@dataclass(frozen=True, slots=True)
class NextVersions:
    """What `cockpit next` answers, read by the CLI, `check` (the driver hint), the tags to check next and the
    release plan; its document is written in serialise.py."""

    at: str  # the ref as shown: the one asked for, else the default branch
    commit: str
    driver: DriverNext
    libs: LibsNext
    checks: tuple[CheckResult, ...]  # a version file that went down since the previous release

    @property
    def failed(self) -> bool:
        """An error-severity check failed: `next` then exits 1."""
        return any(c.blocks for c in self.checks)

    def as_json(self) -> dict:
        return next_versions_json(self)


def line_before(git: GitService, snap: RefSnapshot, at_commit: str) -> set[str]:
    """The tags a release at `at_commit` follows: those merged into it, and those on every release branch forked
    from the default branch before its own fork point ("the line before": drivers and patches are tagged on release
    branches, so the previous release is rarely an ancestor)."""
    seen = set(git.tags_merged_into(at_commit))
    try:
        default_head = git.resolve(git.branch_ref(git.default_branch(snap), snap))
    except GitError:
        return seen
    fork = git.merge_base(default_head, at_commit)
    if fork is None:
        return seen
    prefix = git.config.release_branch_prefix
    heads = {sha for name, sha in (*snap.local_branches.items(), *snap.remote_branches.items())
             if name.startswith(prefix)}
    for head in heads:
        branch_fork = git.merge_base(default_head, head)
        if branch_fork is not None and branch_fork != fork and git.is_ancestor(branch_fork, fork):
            seen.update(git.tags_merged_into(head))
    return seen


def _previous(line: str, infos: list[TagInfo], since: str | None, snap: RefSnapshot, at_commit: str,
              before: set[str] | None = None) -> TagInfo | None:
    if since is not None:
        info = classify(since)
        if since not in {t.name for t in snap.tags}:
            raise InputError(f"no tag {since!r} in the repository")
        if info.line != line or not info.regular:
            raise InputError(f"{since!r} is not a regular {line} tag")
        return info
    on_ref = {t.name for t in snap.tags if t.commit == at_commit}
    found = [t for t in releases(infos, line) if t.name not in on_ref and (before is None or t.name in before)]
    return found[0] if found else None


def next_versions(git: GitService, at: str | None = None, since_libs: str | None = None,
                  since_driver: str | None = None) -> NextVersions:
    """The versions a release cut at `at` should carry, per the driver rule and the libs line."""
    snap = git.refs()
    shown = at or git.default_branch(snap)
    at_commit = git.commit_of(at, snap) if at else git.resolve(git.branch_ref(shown, snap))
    infos = [classify(t.name) for t in snap.tags]
    files_at = git.version_files(at_commit)

    followed = line_before(git, snap, at_commit) if since_libs is None or since_driver is None else None
    prev_driver = _previous(DRIVER, infos, since_driver, snap, at_commit, followed)
    if prev_driver:
        before = git.version_files(prev_driver.name)
        bump = driver_bump(prev_driver.version, before.api, files_at.api, before.schema, files_at.schema)
        driver = DriverNext(prev_driver.name,
                            VersionChange(version_text(before.api), version_text(files_at.api), bump.api_change),
                            VersionChange(version_text(before.schema), version_text(files_at.schema),
                                          bump.schema_change),
                            bump.bump, str(bump.next))
    else:
        driver = DriverNext(None, VersionChange(None, version_text(files_at.api), "none"),
                            VersionChange(None, version_text(files_at.schema), "none"), None, "1.0.0+driver")

    prev_libs = _previous(LIBS, infos, since_libs, snap, at_commit, followed)
    if prev_libs:
        before = git.version_files(prev_libs.name)
        v = prev_libs.version
        plugin = PluginApiChange(version_text(before.plugin_api), version_text(files_at.plugin_api),
                                 change_between(before.plugin_api, files_at.plugin_api),
                                 before.plugin_header_blob != files_at.plugin_header_blob)
        libs = LibsNext(prev_libs.name, plugin, str(v.bump_minor()), str(v.bump_patch()))
    else:
        libs = LibsNext(None, PluginApiChange(None, version_text(files_at.plugin_api), "none", False), "0.1.0", None)
    checks = tuple(files_not_down(prev_driver, prev_libs, git, files_at))
    return NextVersions(shown, at_commit, driver, libs, checks)


def files_not_down(prev_driver: TagInfo | None, prev_libs: TagInfo | None, git: GitService,
                   files_at: VersionFiles) -> list[CheckResult]:
    """An API, schema or plugin API version lower than at the previous release is an error: no rule turns a version
    file going down into a release version."""
    pairs = []
    if prev_driver:
        before = git.version_files(prev_driver.name)
        pairs += [("API_VERSION", prev_driver.name, before.api, files_at.api),
                  ("SCHEMA_VERSION", prev_driver.name, before.schema, files_at.schema)]
    if prev_libs:
        pairs.append(("plugin API version", prev_libs.name, git.version_files(prev_libs.name).plugin_api,
                      files_at.plugin_api))
    return [version_not_down(*p) for p in pairs]
