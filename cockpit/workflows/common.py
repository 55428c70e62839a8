"""What every mutating workflow shares: plan ids, and the repository-state checks that refuse to start on a dirty
worktree or in the middle of a merge, rebase or cherry-pick (plain git must stay able to finish those)."""

from __future__ import annotations

import secrets
import time

from cockpit.core.checks import CheckResult, fail, ok
from cockpit.services.git import GitService

IN_PROGRESS = {"CHERRY_PICK_HEAD": "a cherry-pick", "MERGE_HEAD": "a merge", "REVERT_HEAD": "a revert",
               "rebase-merge": "a rebase", "rebase-apply": "a rebase or am", "BISECT_LOG": "a bisect"}


def new_plan_id(kind: str) -> str:
    return f"{kind}-{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(2)}"


def repo_state_checks(git: GitService) -> list[CheckResult]:
    git_dir = git.git_dir()
    busy = [what for marker, what in IN_PROGRESS.items() if (git_dir / marker).exists()]
    results = [
        fail("repo.idle", "error", f"{busy[0]} is in progress", "finish it or abort it with git first",
             *busy) if busy else ok("repo.idle", "error", "no merge, rebase or cherry-pick in progress"),
    ]
    dirty = git.dirty_paths()
    results.append(fail("worktree.clean", "error", f"the worktree has {len(dirty)} uncommitted change(s)",
                        "commit or stash them first", *dirty[:10]) if dirty
                   else ok("worktree.clean", "error", "the worktree is clean"))
    return results
