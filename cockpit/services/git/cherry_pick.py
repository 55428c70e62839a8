"""git's own cherry-pick, driven and read exactly as plain git leaves it: a conflict stays a normal cherry-pick in
progress (CHERRY_PICK_HEAD, conflicted index entries), so `git cherry-pick --continue | --skip | --abort` and the
cockpit can both carry on. Nothing here opens an editor (GIT_EDITOR=true): the `-x` message is taken as prepared."""

from __future__ import annotations

from cockpit.core.candidates import cherry_picked_from
from cockpit.services.git.errors import GitCommandFailed
from cockpit.services.git.service import GitService

NO_EDITOR = {"GIT_EDITOR": "true"}
OTHER_OPERATIONS = {"MERGE_HEAD": "a merge", "REVERT_HEAD": "a revert", "rebase-merge": "a rebase",
                    "rebase-apply": "a rebase or am"}


def in_progress(git: GitService) -> str | None:
    """The commit being cherry-picked (CHERRY_PICK_HEAD), None when no cherry-pick is in progress."""
    try:
        return git.text("rev-parse", "--verify", "--quiet", "CHERRY_PICK_HEAD").strip() or None
    except GitCommandFailed:
        return None


def other_operation(git: GitService) -> str | None:
    """A merge, revert or rebase in progress (the backport never runs through one of those)."""
    git_dir = git.git_dir()
    return next((what for marker, what in OTHER_OPERATIONS.items() if (git_dir / marker).exists()), None)


def conflicted(git: GitService) -> list[str]:
    """Paths still unmerged in the index (the user has not resolved and `git add`ed them yet)."""
    out = git.text("diff", "--name-only", "--diff-filter=U", "-z")
    return sorted({p for p in out.split("\0") if p})


def has_staged_changes(git: GitService) -> bool:
    try:
        git.run("diff", "--cached", "--quiet")
    except GitCommandFailed:
        return True
    return False


def head_branch(git: GitService) -> str | None:
    """The checked-out branch's short name; None when HEAD is detached."""
    try:
        return git.text("symbolic-ref", "--quiet", "--short", "HEAD").strip() or None
    except GitCommandFailed:
        return None


def head_commit(git: GitService) -> str:
    return git.text("rev-parse", "HEAD").strip()


def picked_since(git: GitService, base: str, head: str = "HEAD") -> dict[str, str]:
    """origin sha -> the commit in base..head whose `(cherry picked from commit ...)` line names it."""
    found: dict[str, str] = {}
    for commit in git.commits(f"{base}..{head}", body=True, topo=False):
        for origin in cherry_picked_from(commit.body):
            found.setdefault(origin, commit.sha)
    return found


def commits_since(git: GitService, base: str, head: str) -> list[str]:
    return git.commit_ids(f"{base}..{head}")


def pick_argv(sha: str, mainline: int | None = None) -> tuple[str, ...]:
    """The argv (without `git`) of `pick`, also rendered by a plan step's preview."""
    return ("cherry-pick", "-x", *(("-m", str(mainline)) if mainline else ()), "--end-of-options", sha)


def pick(git: GitService, sha: str, mainline: int | None = None) -> None:
    """`git cherry-pick -x [-m N] SHA`; GitCommandFailed on a conflict, leaving git's own pick in progress."""
    git.run(*pick_argv(sha, mainline), env=NO_EDITOR)


def resume(git: GitService) -> None:
    git.run("cherry-pick", "--continue", env=NO_EDITOR)


def skip(git: GitService) -> None:
    git.run("cherry-pick", "--skip", env=NO_EDITOR)


def abort(git: GitService) -> None:
    git.run("cherry-pick", "--abort", env=NO_EDITOR)
