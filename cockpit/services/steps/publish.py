"""Step kinds that publish on the forge: the GitHub release, the tracking issue and its announcements. Each checks
what the forge already has first, so a resumed plan never publishes twice."""

from __future__ import annotations

from typing import Any

from cockpit.services.steps.base import THE_PROJECT, ForgeRequest, Params, StepContext, StepError, StepKind

NO_FORGE = "no forge: configure GitHub (GH_TOKEN and the origin remote) or a local forge file"


# --- the writes, described once: `run` sends them, `preview` shows them as `gh` commands --------------------------

def release_requests(p: Params) -> tuple[ForgeRequest, ...]:
    return (ForgeRequest(p.get("repo", THE_PROJECT), "POST", "releases", {
        "tag_name": p["tag"], "name": p["name"], "body": p["body"], "draft": bool(p["draft"]),
        "prerelease": bool(p["prerelease"]), "make_latest": "true" if p["make_latest"] else "false"}),)


def preview_release(p: Params) -> tuple[str, ...]:
    """The notes travel in a file, as `gh` takes them."""
    f = release_requests(p)[0].fields
    flags = " ".join(x for x in ("--draft" if f["draft"] else "", "--prerelease" if f["prerelease"] else "",
                                 f"--latest={f['make_latest']}") if x)
    return (f"gh release create {f['tag_name']} --title {f['name']} --notes-file notes.md {flags}",)


def issue_requests(p: Params) -> tuple[ForgeRequest, ...]:
    """A new issue, or the body of the one found when the plan was made (`issue`: its number) brought up to date."""
    repo = p.get("repo", THE_PROJECT)
    if p.get("issue"):
        return (ForgeRequest(repo, "PATCH", f"issues/{int(p['issue'])}", {"body": p["body"]}),)
    return (ForgeRequest(repo, "POST", "issues", {"title": p["title"], "body": p["body"], "milestone": p["milestone"],
                                                  "labels": list(p.get("labels", ()))}),)


def preview_issue(p: Params) -> tuple[str, ...]:
    [req] = issue_requests(p)
    how = f"edit {req.path.removeprefix('issues/')}" if req.method == "PATCH" else "create"
    return (f"gh issue {how} --title '{p['title']}' --milestone {p['milestone']} --body-file body.md",)


def announce_requests(p: Params) -> tuple[ForgeRequest, ...]:
    return (ForgeRequest(p.get("repo", THE_PROJECT), "POST", "issues/<n>/comments", {"body": p["body"]}),)


def preview_announce(p: Params) -> tuple[str, ...]:
    [req] = announce_requests(p)
    return (f"gh issue comment <n> --body '{req.fields['body']}'",)


# --- the steps ------------------------------------------------------------------------------------------------------


def create_release(ctx: StepContext, p: dict[str, Any]) -> dict[str, Any]:
    forge = ctx.require_forge(NO_FORGE)
    existing = forge.release(p["tag"])
    if existing is not None:
        return {"release": existing.id, "url": existing.url, "already": True}
    f = release_requests(p)[0].fields
    made = forge.create_release(f["tag_name"], f["name"], f["body"], f["draft"], f["prerelease"],
                                f["make_latest"] == "true")
    return {"release": made.id, "url": made.url}


def open_or_update_issue(ctx: StepContext, p: dict[str, Any]) -> dict[str, Any]:
    """Open the tracking issue, or bring its body up to date (an issue with the same title in the milestone is the
    one opened before)."""
    forge = ctx.require_forge(NO_FORGE)
    found = next((i for i in forge.milestone_items(p["milestone"]) if i.kind == "issue" and i.title == p["title"]),
                 None)
    if found is None:
        f = issue_requests({**p, "issue": None})[0].fields
        made = forge.create_issue(f["title"], f["body"], f["milestone"], f["labels"])
        return {"issue": made.number, "url": made.url}
    if found.body.strip() == p["body"].strip():
        return {"issue": found.number, "url": found.url, "already": True}
    forge.edit_body(found.number, issue_requests({**p, "issue": found.number})[0].fields["body"])
    return {"issue": found.number, "url": found.url, "updated": True}


def announce(ctx: StepContext, p: dict[str, Any]) -> dict[str, Any]:
    forge = ctx.require_forge(NO_FORGE)
    issue = next((i for i in forge.milestone_items(p["milestone"]) if i.kind == "issue" and i.title == p["title"]),
                 None)
    if issue is None:
        raise StepError(f"no tracking issue {p['title']!r} in milestone {p['milestone']}: open it first")
    url = forge.comment(issue.number, announce_requests(p)[0].fields["body"])
    return {"issue": issue.number, "comment": url}


KINDS = (
    StepKind("forge.release", create_release, preview_release, requests=release_requests),
    StepKind("forge.issue", open_or_update_issue, preview_issue, requests=issue_requests),
    StepKind("forge.announce", announce, preview_announce, requests=announce_requests),
)
