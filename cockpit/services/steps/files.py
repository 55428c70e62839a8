"""The `git.commit_file` step: write one file and commit it on the checked-out branch, idempotently.

Re-running it after a crash finishes the job or notices it is done (HEAD is the planned commit: same parent, same
subject, the file already holds the new content); if the branch moved anywhere else, or the file holds someone
else's edit, it stops rather than overwrite their work. `git commit --only -- PATH` commits that file alone, so
changes staged in the index meanwhile stay where they are."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cockpit.services.files import UnfitFile, read_regular_file
from cockpit.services.git import GitService
from cockpit.services.git.objects import MAX_READ_FILE
from cockpit.services.git.writes import commit_only_argv
from cockpit.services.steps.base import Params, StepContext, StepError, StepKind, local_ref, shown


def file_bytes(content: str) -> bytes:
    """The planned content as bytes: the text was decoded with surrogateescape, so any byte survives the trip."""
    return content.encode("utf-8", "surrogateescape")


def blob_id(git: GitService, path: str, data: bytes) -> str:
    """The blob git would store for `data` at `path` (filters applied), without writing any object."""
    return git.hash_blob(path, data)


def blob_at(git: GitService, commit: str, path: str) -> str | None:
    return git.blob_at(commit, path)


def worktree_file(git: GitService, path: str) -> Path:
    """The file at `path` in the worktree, refused when any step of it is a symbolic link: written through one, a
    version-file bump would change a file outside the repository (a link committed as `driver` or checked out
    meanwhile)."""
    target = git.root
    for part in path.split("/"):
        target = target / part
        if target.is_symlink():
            raise StepError(f"{path}: {target.relative_to(git.root)} is a symbolic link in the worktree; a version "
                            "file is written only as a regular file of the repository")
    return target


def _current(git: GitService, path: str, target: Path) -> str | None:
    """The blob id of what the worktree holds at `path` (None: no file there); only a regular file of a version
    file's size is read."""
    try:
        return blob_id(git, path, read_regular_file(target, MAX_READ_FILE))
    except FileNotFoundError:
        return None
    except UnfitFile as exc:
        raise StepError(f"{exc}: a version file must be a regular file") from None
    except OSError as exc:
        raise StepError(f"cannot read {path}: {exc.strerror or exc}") from None


def _head(git: GitService) -> tuple[str | None, str | None]:
    """(the checked-out branch's ref or None when detached, HEAD's commit)."""
    return git.symbolic_head(), local_ref(git, "HEAD")


def commit_file(ctx: StepContext, p: dict[str, Any]) -> dict[str, Any]:
    """params: branch, parent (HEAD when planned), path, content, blob_before, blob_after, message."""
    git = ctx.git
    branch, parent, path, message = p["branch"], p["parent"], p["path"], p["message"]
    ref = f"refs/heads/{branch}"
    data = file_bytes(p["content"])
    if blob_id(git, path, data) != p["blob_after"]:
        raise StepError(f"the planned content of {path} does not hash to {p['blob_after'][:12]}: abort this plan")
    on, head = _head(git)
    if on != ref:
        raise StepError(f"HEAD is {'on ' + on[11:] if on else 'detached'}, not on {branch}: "
                        f"check out {branch}, then resume (or abort)")
    changes = {ref: head, "path": path, "blob_before": p["blob_before"], "blob_after": p["blob_after"]}
    if head != parent:
        parents, subject = git.parents_and_subject(head)
        if parents == parent and subject == message and blob_at(git, head, path) == p["blob_after"]:
            return {**changes, "already": True}
        raise StepError(f"{branch} moved from {parent[:12]} to {head[:12]} since the plan was made: "
                        "nothing was overwritten; abort this plan and bump again from the new head")
    target = worktree_file(git, path)
    current = _current(git, path, target)
    if current not in (p["blob_before"], p["blob_after"]):
        raise StepError(f"{path} has uncommitted edits that are not this bump: commit or stash them, then resume")
    if current != p["blob_after"]:
        target.write_bytes(data)
    git.commit_only(path, message)
    new = local_ref(git, ref)
    if new is None or blob_at(git, new, path) != p["blob_after"]:
        raise StepError(f"the commit {str(new)[:12]} does not hold the planned {path}: inspect it before going on")
    return {**changes, ref: new}


def preview_commit_file(p: Params) -> tuple[str, ...]:
    """The commit (the file itself is written first, as the plan's diff shows)."""
    return shown(commit_only_argv(p["path"], p["message"]))


KINDS = (
    StepKind("git.commit_file", commit_file, preview_commit_file),
)
