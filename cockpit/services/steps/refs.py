"""The git step kinds: create a local branch, create an annotated tag, push refs atomically (never forced), and what
`abort` does with the local refs they created (removed while the remote lacks them)."""

from __future__ import annotations

from typing import Any

from cockpit.services.git import GitCommandFailed, GitService
from cockpit.services.git.remote import push_atomic_argv
from cockpit.services.git.writes import create_branch_argv, create_tag_argv, set_upstream_argv
from cockpit.services.steps.base import Params, StepContext, StepError, StepKind, local_ref, remote_refs, shown


def create_branch(ctx: StepContext, p: dict[str, Any]) -> dict[str, Any]:
    name, sha = p["name"], p["sha"]
    existing = local_ref(ctx.git, f"refs/heads/{name}")
    if existing == sha:
        return {f"refs/heads/{name}": sha, "already": True}
    if existing:
        raise StepError(f"branch {name} already exists at {existing[:12]}, not at {sha[:12]}: "
                        "inspect it, then abort this plan")
    ctx.git.create_branch(name, sha)
    return {f"refs/heads/{name}": sha}


def create_tag(ctx: StepContext, p: dict[str, Any]) -> dict[str, Any]:
    name, sha, message = p["name"], p["sha"], tag_message(p)
    existing = local_ref(ctx.git, f"refs/tags/{name}")
    if existing == sha:
        return {f"refs/tags/{name}": sha, "already": True}
    if existing:
        raise StepError(f"tag {name} already exists at {existing[:12]}, not at {sha[:12]}: it is never moved")
    ctx.git.create_tag(name, sha, message)
    return {f"refs/tags/{name}": sha}


def push(ctx: StepContext, p: dict[str, Any]) -> dict[str, Any]:
    """Push refs atomically (all or none), never forced. `refs` maps each ref to the commit it must carry."""
    remote, refs = p["remote"], dict(p["refs"])
    there = remote_refs(ctx.git, remote, list(refs))
    if all(there.get(ref) == sha for ref, sha in refs.items()):
        return {"remote": remote, "pushed": refs, "already": True}
    for ref, sha in refs.items():
        if ref.startswith("refs/tags/") and ref in there and there[ref] != sha:
            raise StepError(f"{remote} already has {ref[10:]} at {there[ref][:12]}: a tag is never moved")
    try:
        ctx.git.push_atomic(refs, remote)
    except GitCommandFailed as exc:
        detail = exc.stderr.strip().splitlines()[-1] if exc.stderr.strip() else str(exc)
        raise StepError(f"{remote} rejected the push ({detail}): nothing was pushed (atomic); if the remote "
                        "moved, fetch and re-check before retrying") from None
    return {"remote": remote, "pushed": refs}


def track_upstream(ctx: StepContext, p: dict[str, Any]) -> dict[str, Any]:
    """The pushed branch follows the remote's (`branch.<name>.remote`/`.merge`), so `git pull` and `git status`
    work on it as on any branch the remote has."""
    name, remote = p["name"], p["remote"]
    wanted = f"refs/remotes/{remote}/{name}"
    if ctx.git.upstream_of(name) == wanted:
        return {"upstream": wanted, "already": True}
    try:
        ctx.git.set_upstream(name, remote)
    except GitCommandFailed as exc:
        raise StepError(f"{name} could not follow {remote}/{name} ({exc}): git fetch {remote}, then resume") from None
    return {"upstream": wanted}


def undo_local(git: GitService, changes: dict[str, Any]) -> list[str]:
    """Remove the local refs a step created, when they still point where it put them and the remote lacks them:
    what `abort` does. Remote refs are never touched."""
    removed = []
    for ref, sha in changes.items():
        if not isinstance(sha, str) or not ref.startswith(("refs/heads/", "refs/tags/")) or changes.get("already"):
            continue
        if local_ref(git, ref) == sha:
            git.delete_ref(ref)
            removed.append(ref)
    return removed



def tag_message(p: Params) -> str:
    return str(p.get("message") or f"Release {p['name']}")


def preview_branch(p: Params) -> tuple[str, ...]:
    return shown(create_branch_argv(p["name"], p["sha"]))


def preview_tag(p: Params) -> tuple[str, ...]:
    return shown(create_tag_argv(p["name"], p["sha"], tag_message(p)))


def preview_push(p: Params) -> tuple[str, ...]:
    return shown(push_atomic_argv(list(p["refs"]), p["remote"]))


def preview_upstream(p: Params) -> tuple[str, ...]:
    return shown(set_upstream_argv(p["name"], p["remote"]))


KINDS = (
    StepKind("git.branch", create_branch, preview_branch),
    StepKind("git.upstream", track_upstream, preview_upstream),
    StepKind("git.tag", create_tag, preview_tag),
    StepKind("git.push", push, preview_push),
)
