"""Forge step kinds for a change proposed on another repository (the branch-protection request on the infra repo):
create a branch there, add the protection entry to the YAML file on it, open the PR. Each is idempotent, so a
resumed plan finishes the job: a branch that exists is done, a file that already has the entry is done, an open
(or merged) PR from the head is done. Journal records carry forge ids only: branch, head commit, file sha, PR."""

from __future__ import annotations

import shlex
from typing import Any

from cockpit.core.infra_yaml import InfraYamlError, add_protected_branch
from cockpit.services.forge.base import Conflict, ForgeError, PermissionDenied
from cockpit.services.steps.base import THE_PROJECT, ForgeRequest, Params, StepContext, StepError, StepKind

NO_PUSH = "no push access"  # how a refused write starts its StepError: the CLI then prints the change to make by hand


NO_FORGE = "no forge is configured: set GH_TOKEN (or run `gh auth login`), then resume"


# --- the writes, described once: `run` sends them, `preview` shows them as `gh` commands --------------------------

def branch_requests(p: Params) -> tuple[ForgeRequest, ...]:
    source = p.get("from") or "its default branch"
    return (ForgeRequest(p["repo"], "POST", "git/refs", {"ref": f"refs/heads/{p['name']}",
                                                         "sha": f"<the head of {source}>"}),)


def preview_branch(p: Params) -> tuple[str, ...]:
    [req] = branch_requests(p)
    api = f"repos/{req.repo}"
    return (f"gh api -X POST {api}/{req.path} -f ref={req.fields['ref']} "
            f"-f sha=$(gh api {api}/git/ref/heads/{p.get('from')} -q .object.sha)",)


def entry_requests(p: Params) -> tuple[ForgeRequest, ...]:
    return (ForgeRequest(p["repo"], "PUT", f"contents/{p['path']}", {
        "branch": p["branch"], "sha": "<its blob sha>", "message": p["message"],
        "content": "<the edited file, base64>"}),)


def preview_entry(p: Params) -> tuple[str, ...]:
    """The commit message's subject (its sign-off trailer is sent too)."""
    [req] = entry_requests(p)
    f = req.fields
    return (f"gh api -X PUT repos/{req.repo}/{req.path} -f branch={f['branch']} -f sha={f['sha']} "
            f"-f message={shlex.quote(f['message'].split(chr(10), 1)[0])} -f content={f['content']}",)


def pull_requests(p: Params) -> tuple[ForgeRequest, ...]:
    return (ForgeRequest(p["repo"], "POST", "pulls", {"title": p["title"], "body": p["body"], "head": p["head"],
                                                      "base": p["base"]}),)


def preview_pull(p: Params) -> tuple[str, ...]:
    [req] = pull_requests(p)
    f = req.fields
    return (f"gh pr create --repo {req.repo} --head {f['head']} --base {f['base']} --title {shlex.quote(f['title'])} "
            "--body-file <the body>",)


def details_requests(p: Params) -> tuple[ForgeRequest, ...]:
    """The milestone set and the labels added on the PR from `head` (its number is found when the step runs)."""
    found: list[ForgeRequest] = []
    if p.get("milestone"):
        found.append(ForgeRequest(THE_PROJECT, "PATCH", "issues/<n>", {"milestone": p["milestone"]}))
    if p.get("labels"):
        found.append(ForgeRequest(THE_PROJECT, "POST", "issues/<n>/labels", {"labels": list(p["labels"])}))
    return tuple(found)


# --- the steps ------------------------------------------------------------------------------------------------------


def _refused(repo: str, exc: ForgeError) -> StepError:
    if isinstance(exc, PermissionDenied):
        return StepError(f"{NO_PUSH} to {repo}: {exc}")
    return StepError(str(exc))


def create_branch(ctx: StepContext, p: dict[str, Any]) -> dict[str, Any]:
    """Create `name` on `repo` from `from` (default: its default branch head); an existing branch is done (the
    file step then checks what it holds)."""
    forge, repo, name = ctx.require_forge(NO_FORGE), p["repo"], p["name"]
    try:
        head = forge.branch_head(repo, name)
        if head is not None:
            return {"repo": repo, "branch": name, "head": head, "already": True}
        try:
            head = forge.create_branch(repo, branch_requests(p)[0].fields["ref"].removeprefix("refs/heads/"),
                                       p.get("from"))
        except Conflict:  # created meanwhile (a crash after the request reached the forge)
            head = forge.branch_head(repo, name)
            if head is None:
                raise
            return {"repo": repo, "branch": name, "head": head, "already": True}
    except ForgeError as exc:
        raise _refused(repo, exc) from None
    return {"repo": repo, "branch": name, "head": head}


def add_protection_entry(ctx: StepContext, p: dict[str, Any]) -> dict[str, Any]:
    """Add `release_branch` to the branch protection of org/project in `path` on `branch`, editing the file as it
    is on that branch (with its sha, so a concurrent edit is refused, never overwritten); present -> done."""
    forge, repo, path, branch = ctx.require_forge(NO_FORGE), p["repo"], p["path"], p["branch"]
    try:
        current = forge.read_file(repo, path, branch)
        try:
            edit = add_protected_branch(current.text, p["org"], p["project"], p["release_branch"])
        except InfraYamlError as exc:
            raise StepError(f"{path} on {branch} of {repo}: {exc}") from None
        if not edit.changed:
            return {"repo": repo, "branch": branch, "path": path, "file_sha": current.sha, "already": True}
        name_email = p.get("author")  # [name, email] of the sign-off, so the DCO check finds them equal
        author = (str(name_email[0]), str(name_email[1])) if name_email else None
        f = entry_requests(p)[0].fields
        written = forge.write_file(repo, path, edit.text, f["message"], f["branch"], current.sha, author)
    except ForgeError as exc:
        raise _refused(repo, exc) from None
    return {"repo": repo, "branch": branch, "path": path, "file_sha": written.sha, "commit": written.commit}


def open_pull(ctx: StepContext, p: dict[str, Any]) -> dict[str, Any]:
    """Open the PR head -> base on `repo`, unless one from that head is open or merged already (then it is done)."""
    forge, repo, head = ctx.require_forge(NO_FORGE), p["repo"], p["head"]
    try:
        for pr in forge.pulls_from(repo, head):
            if pr.state == "open" or pr.merged:
                return {"repo": repo, "pull": pr.number, "url": pr.url, "already": True}
        f = pull_requests(p)[0].fields
        pr = forge.create_pull(f["title"], f["body"], f["head"], f["base"], repo=repo)
    except ForgeError as exc:
        raise _refused(repo, exc) from None
    return {"repo": repo, "pull": pr.number, "url": pr.url}


def pull_details(ctx: StepContext, p: dict[str, Any]) -> dict[str, Any]:
    """Set the milestone and add the labels of the project's PR from `head` (opened by an earlier step, found again
    by its head so a resumed plan needs no number); what it has already is done, a label is never removed."""
    forge, head = ctx.require_forge(NO_FORGE), p["head"]
    sends = {req.method: req.fields for req in details_requests(p)}
    milestone, labels = sends.get("PATCH", {}).get("milestone"), list(sends.get("POST", {}).get("labels", ()))
    try:
        slug = forge.repository().slug
    except ForgeError as exc:
        raise StepError(str(exc)) from None
    try:
        pulls = [pr for pr in forge.pulls_from(slug, head) if pr.state == "open" or pr.merged]
        if not pulls:
            raise StepError(f"no open pull request from {head}: open it first (cockpit backport --continue)")
        number = pulls[0].number
        item = forge.item(number)
        changes: dict[str, Any] = {"pull": number}
        if milestone and item.milestone != milestone:
            moved = forge.move_items([number], milestone)
            if not moved or not moved[0].moved:
                raise StepError(f"#{number}: the milestone was not set: "
                                f"{moved[0].reason if moved else 'no answer'}")
            changes["milestone"] = milestone
        have = {label.lower() for label in item.labels}
        missing = [label for label in labels if label.lower() not in have]
        if missing:
            changes["labels"] = list(forge.add_labels(number, missing))
        if len(changes) == 1:
            changes["already"] = True
    except ForgeError as exc:
        raise _refused(slug, exc) from None
    return changes


def preview_pull_details(p: dict[str, Any]) -> tuple[str, ...]:
    """The change as `gh` would make it (the forge is asked through its API, not through gh)."""
    argv = ["gh", "pr", "edit", p["head"]]
    for req in details_requests(p):
        if "milestone" in req.fields:
            argv += ["--milestone", req.fields["milestone"]]
        if "labels" in req.fields:
            argv += ["--add-label", ",".join(req.fields["labels"])]
    return (shlex.join(argv),)


KINDS = (
    StepKind("forge.branch", create_branch, preview_branch, requests=branch_requests),
    StepKind("forge.protect-entry", add_protection_entry, preview_entry, requests=entry_requests),
    StepKind("forge.pull", open_pull, preview_pull, requests=pull_requests),
    StepKind("forge.pull-details", pull_details, preview_pull_details, requests=details_requests),
)
