"""Next versions: what a release cut at a ref should carry, by the driver rule and the libs line."""

from __future__ import annotations

from cockpit.core.driver_rule import driver_bump
from cockpit.core.lines import DRIVER, LIBS, TagInfo, classify, releases
from cockpit.core.versions import change_between
from cockpit.errors import InputError
from cockpit.services.git import GitService, RefSnapshot
from cockpit.workflows.reports.status import version_text


def _previous(line: str, infos: list[TagInfo], since: str | None, snap: RefSnapshot, at_commit: str) -> TagInfo | None:
    if since is not None:
        info = classify(since)
        if since not in {t.name for t in snap.tags}:
            raise InputError(f"no tag {since!r} in the repository")
        if info.line != line or not info.regular:
            raise InputError(f"{since!r} is not a regular {line} tag")
        return info
    on_ref = {t.name for t in snap.tags if t.commit == at_commit}
    found = [t for t in releases(infos, line) if t.name not in on_ref]
    return found[0] if found else None


def next_versions(git: GitService, at: str | None = None, since_libs: str | None = None,
                  since_driver: str | None = None) -> dict:
    """The versions a release cut at `at` should carry, per the driver rule and the libs line."""
    snap = git.refs()
    shown = at or git.default_branch(snap)
    at_commit = git.commit_of(at, snap) if at else git.resolve(git.branch_ref(shown, snap))
    infos = [classify(t.name) for t in snap.tags]
    files_at = git.version_files(at_commit)

    prev_driver = _previous(DRIVER, infos, since_driver, snap, at_commit)
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

    prev_libs = _previous(LIBS, infos, since_libs, snap, at_commit)
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
    return {"at": shown, "commit": at_commit, "driver": driver, "libs": libs}
