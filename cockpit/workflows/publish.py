"""The GitHub release of a tag: release notes from the milestone's merged PRs, draft by default, pre-release for an
RC, never marked latest for a patch of an older line."""

from __future__ import annotations

from datetime import date

from cockpit.core.checks import CheckResult, fail, ok
from cockpit.core.lines import DRIVER, classify, marks_latest
from cockpit.core.notes import ReleaseNotes, build_notes, release_body
from cockpit.core.plan import Plan, Step
from cockpit.core.versions import core_version
from cockpit.errors import InputError
from cockpit.services.forge.base import Forge, NotFound
from cockpit.services.git import GitService, RemoteUnavailable
from cockpit.services.steps.registry import preview
from cockpit.workflows.common import new_plan_id
from cockpit.workflows.proposal import Refusal


def milestone_of(tag: str) -> str:
    """The milestone a tag's release was planned under: `0.26.0-rc2` -> `0.26.0`, `9.1.0+driver` -> `9.1.0+driver`."""
    info = classify(tag)
    if info.version is None or info.line is None:
        raise InputError(f"{tag!r} is not a release tag of the libs or driver line")
    core = str(core_version(info.version))
    return f"{core}+driver" if info.line == DRIVER else core


def notes_for(forge: Forge, milestone: str, released_on: date) -> tuple[ReleaseNotes, CheckResult]:
    try:
        items = forge.milestone_items(milestone)
    except NotFound:
        return (build_notes(milestone, [], released_on),
                fail("release.milestone", "warning", f"no milestone {milestone}: the notes are empty",
                     f"create or rename the milestone to {milestone} (the driver line's next-driver milestone is "
                     "renamed when its version is known)"))
    merged = sum(1 for i in items if i.kind == "pr" and i.merged)
    return build_notes(milestone, items, released_on), ok("release.milestone", "warning",
                                                          f"{merged} merged PR(s) in milestone {milestone}")


def propose_github_release(git: GitService, forge: Forge, tag: str, released_on: date, draft: bool = True,
                           body: str | None = None) -> Plan | Refusal:
    """The publication of `tag`'s GitHub release (draft by default) with the notes of its milestone's merged PRs
    (or `body`, the notes as the user edited them); refused for a tag of neither line."""
    info = classify(tag)
    try:
        milestone = milestone_of(tag)
    except InputError as exc:
        return Refusal.of(exc)
    snap = git.refs()
    infos = [classify(t.name) for t in snap.tags]
    checks: list[CheckResult] = []
    local = next((t for t in snap.tags if t.name == tag), None)
    checks.append(ok("release.tag-local", "error", f"tag {tag} exists") if local
                  else fail("release.tag-local", "error", f"tag {tag} does not exist", "tag it first: cockpit tag"))
    try:
        on_remote = tag in git.remote_tags()
        checks.append(ok("release.tag-pushed", "error", f"tag {tag} is on {git.config.remote}") if on_remote
                      else fail("release.tag-pushed", "error", f"tag {tag} is not on {git.config.remote}",
                                f"git push {git.config.remote} refs/tags/{tag}"))
    except RemoteUnavailable as exc:
        checks.append(fail("release.tag-pushed", "warning", str(exc), "check the remote"))
    notes, notes_check = notes_for(forge, milestone, released_on)
    checks.append(notes_check)
    if body is None:
        files = git.version_files(tag) if local else None
        versions = {"api": str(files.api) if files and files.api else None,
                    "schema": str(files.schema) if files and files.schema else None,
                    "min_api": str(files.scap_min_api) if files and files.scap_min_api else None,
                    "min_schema": str(files.scap_min_schema) if files and files.scap_min_schema else None}
        body = release_body(notes, info.line or "libs", versions)
    existing = forge.release(tag)
    if existing is not None:
        checks.append(CheckResult("release.absent", "info", True, f"a release for {tag} exists already: "
                                  "the step will report it and change nothing"))
    latest = marks_latest(info, infos)
    kind = "pre-release" if info.prerelease else "release"
    title = f"{'Draft ' if draft else ''}GitHub {kind} {tag}" + (" (marked latest)" if latest else "")
    params = {"tag": tag, "name": tag, "body": body, "draft": draft, "prerelease": info.prerelease,
              "make_latest": latest}
    step = Step("release", title, "forge.release", params, preview("forge.release", params),
                "nothing was published: check the token's access, then resume")
    return Plan(new_plan_id("release"), f"Publish the GitHub release of {tag}", (step,), tuple(checks))
