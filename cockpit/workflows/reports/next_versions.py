"""Next versions: what a release cut at a ref should carry, by the driver rule and the libs line."""

from __future__ import annotations

from cockpit.core.checks import CheckResult
from cockpit.core.cycle_rules import version_not_down
from cockpit.core.driver_rule import driver_bump
from cockpit.core.lines import DRIVER, LIBS, TagInfo, classify, releases
from cockpit.core.version_files import VersionFiles
from cockpit.core.versions import change_between
from cockpit.errors import InputError
from cockpit.services.git import GitError, GitService, RefSnapshot
from cockpit.workflows.reports.status import version_text


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
                  since_driver: str | None = None) -> dict:
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
        driver = {"previous": prev_driver.name,
                  "api": {"from": version_text(before.api), "to": version_text(files_at.api),
                          "change": bump.api_change},
                  "schema": {"from": version_text(before.schema), "to": version_text(files_at.schema),
                             "change": bump.schema_change},
                  "bump": bump.bump, "next": str(bump.next)}
    else:
        driver = {"previous": None, "api": {"from": None, "to": version_text(files_at.api), "change": "none"},
                  "schema": {"from": None, "to": version_text(files_at.schema), "change": "none"},
                  "bump": None, "next": "1.0.0+driver"}

    prev_libs = _previous(LIBS, infos, since_libs, snap, at_commit, followed)
    if prev_libs:
        before = git.version_files(prev_libs.name)
        v = prev_libs.version
        libs = {"previous": prev_libs.name,
                "plugin_api": {"from": version_text(before.plugin_api), "to": version_text(files_at.plugin_api),
                               "change": change_between(before.plugin_api, files_at.plugin_api),
                               "header_changed": before.plugin_header_blob != files_at.plugin_header_blob},
                "next_minor": str(v.bump_minor()), "next_patch": str(v.bump_patch())}
    else:
        libs = {"previous": None,
                "plugin_api": {"from": None, "to": version_text(files_at.plugin_api), "change": "none",
                               "header_changed": False},
                "next_minor": "0.1.0", "next_patch": None}
    checks = [c.as_dict() for c in files_not_down(prev_driver, prev_libs, git, files_at)]
    return {"at": shown, "commit": at_commit, "driver": driver, "libs": libs, "checks": checks}


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
