"""The backport step kinds: check out the branch the picks go onto, pick one commit with `-x`, push, open the pull
request, return to the user's branch; and what `abort` does for a backport.

Each is idempotent. A pick is done when HEAD already carries a commit whose `(cherry picked from commit SHA)` line
names it (a crash after git committed it, or the user finishing the pick with plain git); when git's own pick of
that commit is in progress and resolved, it is concluded with `git cherry-pick --continue`. A cherry-pick of any
other commit is someone else's: it is reported and never touched."""

from __future__ import annotations

import shlex
from typing import Any

from cockpit.core.backport import Original, pull_body, pull_title
from cockpit.services.forge.base import Conflict, ForgeError
from cockpit.services.git import GitCommandFailed, GitError, GitService, cherry_pick
from cockpit.services.git.remote import push_atomic_argv
from cockpit.services.git.writes import (
    checkout_argv,
    checkout_detached_argv,
    checkout_new_argv,
    fast_forward_argv,
    set_upstream_argv,
)
from cockpit.services.steps.base import (
    THE_PROJECT,
    ForgeRequest,
    Params,
    StepContext,
    StepError,
    StepKind,
    local_ref,
    remote_refs,
    shown,
)


class ForeignCherryPick(GitError):
    """A cherry-pick the cockpit did not start is in progress: it is left alone."""


def foreign_message(sha: str) -> str:
    return (f"a cherry-pick of {sha[:10]} that this backport did not start is in progress: it is left alone "
            "(finish it with git cherry-pick --continue, or git cherry-pick --abort)")


def conflict_message(sha: str, subject: str, files: list[str]) -> str:
    return (f"conflict picking {sha[:10]} ({subject}) in {', '.join(files)}: resolve and `git add` them, then "
            "`cockpit backport --continue` (or --skip this commit, or --abort the backport)")


def start(ctx: StepContext, p: dict[str, Any]) -> dict[str, Any]:
    """Check out the branch the picks go onto: a new backport branch at the release head (--pr), or the local
    release branch, created from the remote one or fast-forwarded to it (--direct)."""
    git, work, base = ctx.git, p["work"], p["base"]
    busy = cherry_pick.in_progress(git)
    if busy and busy not in p["shas"]:
        raise StepError(foreign_message(busy))
    if cherry_pick.head_branch(git) == work:
        return {"checked_out": work, "already": True}
    if git.dirty_paths():
        raise StepError("the worktree has uncommitted changes: commit or stash them, then continue")
    have = local_ref(git, f"refs/heads/{work}")
    if have is None:
        git.checkout_new(work, base)
        if p["mode"] == "direct":
            git.set_upstream(work, p["remote"])
    elif have == base:
        git.checkout(work)
    elif p["mode"] == "direct" and git.is_ancestor(have, base):
        git.checkout(work)
        git.fast_forward(base)
    else:
        raise StepError(f"{work} exists at {have[:10]}, not at {base[:10]}: inspect it, then abort this backport")
    return {"checked_out": work, "created": have is None, "head": base}


def pick(ctx: StepContext, p: dict[str, Any]) -> dict[str, Any]:
    git, sha, work = ctx.git, p["sha"], p["work"]
    busy = cherry_pick.in_progress(git)
    if busy and busy != sha:
        raise StepError(foreign_message(busy))
    on = cherry_pick.head_branch(git)
    if on != work:
        raise StepError(f"HEAD is on {on or 'a detached commit'}, not on {work}: git checkout {work}, then "
                        "cockpit backport --continue")
    other = cherry_pick.other_operation(git)
    if other:
        raise StepError(f"{other} is in progress: finish or abort it with git first")
    done = cherry_pick.picked_since(git, p["base"])
    if sha in done and not busy:
        return {"picked": sha, "commit": done[sha], "already": True}
    if busy:  # our own pick, stopped on a conflict: conclude it once the user resolved it
        return _conclude(git, sha, p["subject"])
    if git.dirty_paths():
        raise StepError("the worktree has uncommitted changes: commit or stash them, then continue")
    try:
        cherry_pick.pick(git, sha, 1 if p.get("mainline") else None)
    except GitCommandFailed as exc:
        if cherry_pick.in_progress(git) == sha:
            return _conclude(git, sha, p["subject"])
        raise StepError(f"git cherry-pick -x {sha[:10]} failed: {exc}") from None
    return {"picked": sha, "commit": cherry_pick.head_commit(git)}


def _conclude(git: GitService, sha: str, subject: str) -> dict[str, Any]:
    """Finish git's own pick of `sha`: still conflicted -> stop; empty (already on the branch, or resolved to
    nothing) -> drop it; else commit it with the prepared `-x` message."""
    files = cherry_pick.conflicted(git)
    if files:
        raise StepError(conflict_message(sha, subject, files))
    if not cherry_pick.has_staged_changes(git):
        cherry_pick.skip(git)
        return {"picked": sha, "skipped": True, "empty": True}
    cherry_pick.resume(git)
    return {"picked": sha, "commit": cherry_pick.head_commit(git), "resolved": True}


def push(ctx: StepContext, p: dict[str, Any]) -> dict[str, Any]:
    """Push the branch the picks went onto, atomically and never forced (a moved remote refuses it)."""
    git, remote, work = ctx.git, p["remote"], p["work"]
    ref = f"refs/heads/{work}"
    head = local_ref(git, ref)
    if head is None:
        raise StepError(f"{work} does not exist locally any more: abort this backport")
    if p["mode"] == "pr" and head == p["base"]:
        return {"nothing": True}  # every pick was skipped: no branch to push, no PR to open
    if remote_refs(git, remote, [ref]).get(ref) == head:
        return {"remote": remote, "pushed": {ref: head}, "already": True}
    try:
        git.push_atomic([ref], remote)
    except GitCommandFailed as exc:
        detail = exc.stderr.strip().splitlines()[-1] if exc.stderr.strip() else str(exc)
        raise StepError(f"{remote} rejected the push of {work} ({detail}): nothing was pushed; if {remote} moved, "
                        "abort this backport, fetch, and start again") from None
    return {"remote": remote, "pushed": {ref: head}}


def open_pull(ctx: StepContext, p: dict[str, Any]) -> dict[str, Any]:
    """Open the PR against the release branch, listing only the commits actually picked (not the skipped)."""
    git, work, branch = ctx.git, p["work"], p["branch"]
    head = local_ref(git, f"refs/heads/{work}") or p["base"]
    picked = cherry_pick.picked_since(git, p["base"], head)
    picks = [o for o in map(Original.from_params, p["picks"]) if o.sha in picked]
    if not picks:
        return {"nothing": True}
    forge = ctx.require_forge(f"no forge to open the pull request: {work} is pushed, open it against {branch} by hand")
    f = pull_requests({**p, "picks": [o.as_params() for o in picks]})[0].fields
    title = f["title"]
    try:
        item = forge.create_pull(title, f["body"], f["head"], f["base"])
    except Conflict as exc:
        if "already exists" in str(exc):
            return {"head": work, "base": branch, "already": True}
        raise StepError(str(exc)) from None
    except ForgeError as exc:
        raise StepError(str(exc)) from None
    return {"pull": item.number, "url": item.url, "title": title, "head": work, "base": branch}


def finish(ctx: StepContext, p: dict[str, Any]) -> dict[str, Any]:
    """Return to the branch (or detached commit) the user was on before the backport."""
    git, target = ctx.git, p["original_branch"]
    if target is not None:
        if cherry_pick.head_branch(git) == target:
            return {"checked_out": target, "already": True}
        if local_ref(git, f"refs/heads/{target}") is None:
            return {"stayed": cherry_pick.head_branch(git), "reason": f"{target} no longer exists"}
        git.checkout(target)
        return {"checked_out": target}
    sha = p["original_sha"]
    if cherry_pick.head_branch(git) is None and cherry_pick.head_commit(git) == sha:
        return {"checked_out": sha, "already": True}
    git.checkout_detached(sha)
    return {"checked_out": sha}


UNDO_DESCRIBE = ("abort the cherry-pick in progress, return to the branch you were on and put the local branch back "
                 "where it was (nothing pushed is touched)")


def undo(ctx: StepContext, p: dict[str, Any], _changes: dict[str, Any] | None) -> list[str]:
    """Abort a backport: git's own pick aborted, the user's branch checked out again, the local backport branch
    removed (or the local release branch reset) when it holds nothing but this backport's unpushed picks."""
    git, work = ctx.git, p["work"]
    undone: list[str] = []
    busy = cherry_pick.in_progress(git)
    if busy and busy not in p["shas"]:
        raise ForeignCherryPick(foreign_message(busy))
    if busy:
        cherry_pick.abort(git)
        undone.append(f"the cherry-pick of {busy[:10]} in progress")
    other = cherry_pick.other_operation(git)
    if other:
        raise GitError(f"{other} is in progress: finish or abort it with git, then abort the backport again")
    if git.dirty_paths():
        raise GitError("the worktree has uncommitted changes: commit or stash them, then abort the backport again")
    head = local_ref(git, f"refs/heads/{work}")
    original = p["original_branch"]
    if original != work and cherry_pick.head_branch(git) != original:
        if original is None:
            git.checkout_detached(p["original_sha"])
        elif local_ref(git, f"refs/heads/{original}") is not None:
            git.checkout(original)
    before = p["local_before"]
    if head is None or head == before:
        return undone
    if head != p["base"] and local_ref(git, f"refs/remotes/{p['remote']}/{work}") == head:
        return undone  # pushed: what is on the remote stays, and the local branch with it
    made = cherry_pick.picked_since(git, p["base"], head).values()
    if not git.is_ancestor(p["base"], head) or set(cherry_pick.commits_since(git, p["base"], head)) - set(made):
        return undone  # it holds commits this backport did not make: kept
    if before is None:
        if cherry_pick.head_branch(git) != work:
            git.delete_branch(work)
            undone.append(f"{work} (local)")
    elif cherry_pick.head_branch(git) == work:
        git.reset_keep(before)
        undone.append(f"the picks on {work} (reset to {before[:10]})")
    else:
        git.move_ref(f"refs/heads/{work}", before, head, "cockpit backport --abort")
        undone.append(f"the picks on {work} (reset to {before[:10]})")
    return undone


# --- previews: what each step runs when the repository is as it was when the plan was made ----------------------

def preview_start(p: Params) -> tuple[str, ...]:
    work, base, have = p["work"], p["base"], p["local_before"]
    if have is None:
        return shown(checkout_new_argv(work, base), *([set_upstream_argv(work, p["remote"])]
                                                      if p["mode"] == "direct" else []))
    if have == base:
        return shown(checkout_argv(work))
    return shown(checkout_argv(work), fast_forward_argv(base))


def preview_pick(p: Params) -> tuple[str, ...]:
    return shown(cherry_pick.pick_argv(p["sha"], 1 if p.get("mainline") else None))


def preview_push(p: Params) -> tuple[str, ...]:
    return shown(push_atomic_argv([f"refs/heads/{p['work']}"], p["remote"]))


def pull_requests(p: Params) -> tuple[ForgeRequest, ...]:
    """The pull request of the picks in `picks` (the step sends those actually picked), on the project's own
    repository, whose name the forge knows."""
    picks = [Original.from_params(o) for o in p["picks"]]
    return (ForgeRequest(THE_PROJECT, "POST", "pulls", {"title": pull_title(p["branch"], picks),
                                                         "body": pull_body(p["branch"], picks), "head": p["work"],
                                                         "base": p["branch"]}),)


def preview_pull(p: Params) -> tuple[str, ...]:
    """The pull request as `gh` would open it (the forge is asked through its API, not through gh)."""
    f = pull_requests(p)[0].fields
    return (f"gh pr create --base {f['base']} --head {f['head']} --title {shlex.quote(f['title'])}",)


def preview_finish(p: Params) -> tuple[str, ...]:
    branch = p["original_branch"]
    return shown(checkout_argv(branch) if branch is not None else checkout_detached_argv(p["original_sha"]))


KINDS = (
    StepKind("backport.start", start, preview_start, undo=undo, undo_describe=UNDO_DESCRIBE),
    StepKind("backport.pick", pick, preview_pick),
    StepKind("backport.push", push, preview_push),
    StepKind("backport.pull", open_pull, preview_pull, requests=pull_requests),
    StepKind("backport.finish", finish, preview_finish),
)
