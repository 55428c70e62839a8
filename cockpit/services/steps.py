"""What each kind of plan step does. Every step is idempotent: re-running a finished step changes nothing (a tag
that exists at the intended commit counts as done; at another commit it is an error), so a resumed plan simply
runs again from its first unfinished step. Nothing here ever force-pushes or deletes a remote ref."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cockpit.services.forge.base import Forge
from cockpit.services.git import GitCommandFailed, GitError, GitService


class StepError(Exception):
    """A step that cannot be done, in one line that says why and what to do."""


@dataclass
class StepContext:
    git: GitService
    forge: Forge | None = None

    def require_forge(self, without: str) -> Forge:
        """The forge, or a StepError saying what it is needed for and what to do (`without`)."""
        if self.forge is None:
            raise StepError(without)
        return self.forge


Runner = Callable[[StepContext, dict[str, Any]], dict[str, Any]]
RUNNERS: dict[str, Runner] = {}


def step_kind(kind: str) -> Callable[[Runner], Runner]:
    def register(fn: Runner) -> Runner:
        RUNNERS[kind] = fn
        return fn
    return register


# What `abort` does for a step kind that needs more than removing refs (e.g. a backport: git's own cherry-pick
# aborted, the user's branch checked out again): called for each started step, newest first, with the step's
# params and its journaled changes (None when it never finished); returns what it undid, for the user.
Undoer = Callable[[StepContext, dict[str, Any], dict[str, Any] | None], list[str]]
UNDOERS: dict[str, tuple[Undoer, str]] = {}  # kind -> (undo, what abort will do, for the offer on start)


def undo_kind(kind: str, describe: str) -> Callable[[Undoer], Undoer]:
    def register(fn: Undoer) -> Undoer:
        UNDOERS[kind] = (fn, describe)
        return fn
    return register


def local_ref(git: GitService, ref: str) -> str | None:
    return git.ref_commit(ref)


@step_kind("git.branch")
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


@step_kind("git.tag")
def create_tag(ctx: StepContext, p: dict[str, Any]) -> dict[str, Any]:
    name, sha, message = p["name"], p["sha"], p.get("message") or f"Release {p['name']}"
    existing = local_ref(ctx.git, f"refs/tags/{name}")
    if existing == sha:
        return {f"refs/tags/{name}": sha, "already": True}
    if existing:
        raise StepError(f"tag {name} already exists at {existing[:12]}, not at {sha[:12]}: it is never moved")
    ctx.git.create_tag(name, sha, message)
    return {f"refs/tags/{name}": sha}


def remote_refs(git: GitService, remote: str, refs: list[str]) -> dict[str, str]:
    """ref -> commit on the remote (tags peeled), for the given refs only; a StepError when it cannot be read."""
    try:
        return git.ls_remote(refs, remote)
    except GitError as exc:
        raise StepError(str(exc)) from None


@step_kind("git.push")
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


from cockpit.services import (  # noqa: F401,E402 - registers their step kinds
    steps_files,
    steps_forge,
    steps_milestones,
    steps_publish,
)

from cockpit.services import steps_backport  # noqa: F401,E402  # isort: skip
