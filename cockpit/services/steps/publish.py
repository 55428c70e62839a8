"""Step kinds that publish on the forge: the GitHub release, the tracking issue and its announcements. Each checks
what the forge already has first, so a resumed plan never publishes twice."""

from __future__ import annotations

from typing import Any

from cockpit.services.steps.base import StepContext, StepError, StepKind

NO_FORGE = "no forge: configure GitHub (GH_TOKEN and the origin remote) or a local forge file"


def create_release(ctx: StepContext, p: dict[str, Any]) -> dict[str, Any]:
    forge = ctx.require_forge(NO_FORGE)
    existing = forge.release(p["tag"])
    if existing is not None:
        return {"release": existing.id, "url": existing.url, "already": True}
    made = forge.create_release(p["tag"], p["name"], p["body"], p["draft"], p["prerelease"], p["make_latest"])
    return {"release": made.id, "url": made.url}


def open_or_update_issue(ctx: StepContext, p: dict[str, Any]) -> dict[str, Any]:
    """Open the tracking issue, or bring its body up to date (an issue with the same title in the milestone is the
    one opened before)."""
    forge = ctx.require_forge(NO_FORGE)
    found = next((i for i in forge.milestone_items(p["milestone"]) if i.kind == "issue" and i.title == p["title"]),
                 None)
    if found is None:
        made = forge.create_issue(p["title"], p["body"], p["milestone"], p.get("labels", ()))
        return {"issue": made.number, "url": made.url}
    if found.body.strip() == p["body"].strip():
        return {"issue": found.number, "url": found.url, "already": True}
    forge.edit_body(found.number, p["body"])
    return {"issue": found.number, "url": found.url, "updated": True}


def announce(ctx: StepContext, p: dict[str, Any]) -> dict[str, Any]:
    forge = ctx.require_forge(NO_FORGE)
    issue = next((i for i in forge.milestone_items(p["milestone"]) if i.kind == "issue" and i.title == p["title"]),
                 None)
    if issue is None:
        raise StepError(f"no tracking issue {p['title']!r} in milestone {p['milestone']}: open it first")
    url = forge.comment(issue.number, p["body"])
    return {"issue": issue.number, "comment": url}


KINDS = (
    StepKind("forge.release", create_release),
    StepKind("forge.issue", open_or_update_issue),
    StepKind("forge.announce", announce),
)
