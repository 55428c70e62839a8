"""Which picks of a backport series would stop on a conflict, found before anything is touched.

The series is applied pick by pick to a private index (a temporary GIT_INDEX_FILE that starts as the release
branch's tree) with `git apply --cached --3way`: git's three-way merge of each file, as a cherry-pick does it, with
no worktree, no real index and no ref involved (merged blobs reach the object store, as with any merge). A pick
that conflicts is recorded and left out; the series goes on, so a follow-up picked with its fix is judged with it.
Where one side renamed a file the other changed, a cherry-pick follows the rename and this trial does not: such a
file is not reported."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from cockpit.services.git import GitCommandFailed, GitService


def trial_series(git: GitService, onto: str, commits: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """sha -> the files its cherry-pick would leave in conflict, for the picks of `commits` (oldest first) that
    would stop when picked in that order onto `onto`."""
    found: dict[str, tuple[str, ...]] = {}
    with tempfile.TemporaryDirectory(prefix="cockpit-trial-") as folder:
        index, saved = Path(folder) / "index", Path(folder) / "saved"
        env = {"GIT_INDEX_FILE": str(index)}
        git.run("read-tree", onto, env=env)
        for sha in commits:
            parents = git.text("rev-list", "--parents", "-n", "1", sha, "--").split()[1:]
            if not parents:
                continue  # a root commit is never a backport
            patch: bytes = git.run("diff", "--binary", "--full-index", "-M", parents[0], sha, "--",
                                   raw=True)  # type: ignore[assignment]
            if not patch.strip():
                continue  # nothing to apply: an empty pick is dropped, never a conflict
            shutil.copyfile(index, saved)
            try:
                git.run("apply", "--cached", "--3way", "--whitespace=nowarn", stdin=patch, env=env)
            except GitCommandFailed as exc:
                files = _unmerged(git, env) or _named(git, parents[0], sha, exc.stderr)
                renamed = git.renamed_paths(parents[0], onto) | git.renamed_paths(parents[0], sha)
                files = tuple(f for f in files if f not in renamed)
                if files:
                    found[sha] = files
                shutil.copyfile(saved, index)  # left out, as a user skipping it would
    return found


def _unmerged(git: GitService, env: dict[str, str]) -> tuple[str, ...]:
    """Paths with conflict stages in the private index (`ls-files -u`: `mode id stage<TAB>path`)."""
    out = git.text("ls-files", "-u", "-z", env=env)
    return tuple(dict.fromkeys(entry.split("\t", 1)[1] for entry in out.split("\0") if "\t" in entry))


def _named(git: GitService, parent: str, sha: str, stderr: str) -> tuple[str, ...]:
    """A patch git refused outright (a file missing from the index, a binary without its blobs): the pick's
    files its message names, or all of them."""
    paths = [p for p in git.text("diff", "--name-only", "-z", "--no-renames", parent, sha, "--").split("\0") if p]
    return tuple(p for p in paths if p in stderr) or tuple(paths)
