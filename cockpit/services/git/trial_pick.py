"""Which picks of a backport series would stop on a conflict, found before anything is touched.

The series is applied pick by pick to a private index (a temporary GIT_INDEX_FILE that starts as the release
branch's tree) with `git apply --cached --3way` (git >= 2.32): git's three-way merge of each file, as a cherry-pick
does it, with no worktree, no real index and no ref involved; the blobs the merges write go to a private object
directory that is thrown away. The patches come from plumbing (`diff-tree`), which no diff setting of the user's
changes.

A file conflicts when the merge leaves conflict stages, or when git refuses it (added where the branch has another
file, changed where the branch deleted it). It does not when the branch already holds the pick's result (the same
file added or deleted on both sides) or when one side renamed it: a cherry-pick follows renames and this trial does
not. A conflicted file is then taken as the pick has it, as a user resolving in the pick's favour would, so the
rest of the series is judged on a faithful tree: a follow-up picked with its fix is judged with it."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

from cockpit.services.git.errors import GitCommandFailed, GitError
from cockpit.services.git.service import GitService

MINIMUM_GIT = (2, 32)  # `apply --cached --3way`
ZERO = "0" * 40
# the private index stays one file, and no hook of the repository runs for it (post-index-change would)
PRIVATE = ("-c", "core.splitIndex=false", "-c", f"core.hooksPath={os.devnull}")
_REFUSED = re.compile(r"^error: (?:patch failed: (.+):\d+|(.+): (?:already exists in index|does not exist in index"
                      r"|does not match index|patch does not apply))$", re.M)


class TrialUnavailable(GitError):
    """The series could not be tried (an old git, or git refusing the patch for no file's sake)."""


def trial_series(git: GitService, onto: str, commits: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """sha -> the files its cherry-pick would leave in conflict, for the picks of `commits` (oldest first) that
    would stop when picked in that order onto `onto`."""
    _require_git(git)
    found: dict[str, tuple[str, ...]] = {}
    with tempfile.TemporaryDirectory(prefix="cockpit-trial-") as folder:
        env = private_env(git, Path(folder))
        git.run(*PRIVATE, "read-tree", "--end-of-options", onto, env=env)
        for sha in commits:
            conflicts = _pick(git, env, onto, sha)
            if conflicts:
                found[sha] = conflicts
    return found


def private_env(git: GitService, folder: Path) -> dict[str, str]:
    """A private index and a private object store in `folder` (the repository's own objects readable as an
    alternate): the merged blobs a trial writes are thrown away with the folder, so a dry run writes nothing."""
    objects = folder / "objects"
    objects.mkdir()
    return {"GIT_INDEX_FILE": str(folder / "index"), "GIT_OBJECT_DIRECTORY": str(objects),
            "GIT_ALTERNATE_OBJECT_DIRECTORIES": str(git.objects_dir())}


def _require_git(git: GitService) -> None:
    words = git.text("version").split()
    numbers = re.match(r"(\d+)\.(\d+)", words[2] if len(words) > 2 else "")
    if not numbers or (int(numbers[1]), int(numbers[2])) < MINIMUM_GIT:
        raise TrialUnavailable(f"{' '.join(words)} cannot try a series (git 2.32 or newer can)")


def _pick(git: GitService, env: dict[str, str], onto: str, sha: str) -> tuple[str, ...]:
    parents = git.text("rev-list", "--parents", "-n", "1", "--end-of-options", sha, "--").split()[1:]
    if not parents:
        return ()  # a root commit is never a backport
    parent = parents[0]
    patch: bytes = git.run("diff-tree", "-p", "--binary", "--full-index", "-M", "--no-color", "--no-ext-diff",
                           "--no-textconv", "--end-of-options", parent, sha, "--", raw=True)  # type: ignore[assignment]
    if not patch.strip():
        return ()  # nothing to apply: an empty pick is dropped, never a conflict
    excluded: list[str] = []
    conflicted: list[str] = []
    while True:  # each round leaves out at least one more refused file, so it ends
        try:
            git.run(*PRIVATE, "apply", "--cached", "--3way", "--whitespace=nowarn",
                    *(f"--exclude={_literal(p)}" for p in excluded), stdin=patch, env=env)
            break
        except GitCommandFailed as exc:
            unmerged = _unmerged(git, env)
            if unmerged:  # merged with conflicts: everything else of the pick is applied
                conflicted += unmerged
                break
            refused = [p for p in dict.fromkeys(a or b for a, b in _REFUSED.findall(exc.stderr))
                       if p not in excluded]
            if not refused:
                raise TrialUnavailable(f"git apply refused {sha[:10]}: {exc}") from None
            excluded += refused  # the whole patch was refused: try again without them
            settled = _settled(git, env, onto, parent, sha, refused)
            conflicted += [p for p in refused if p not in settled]
    _take_the_picks(git, env, sha, conflicted)
    return tuple(dict.fromkeys(conflicted))


def _literal(path: str) -> str:
    """A path as an `apply --exclude` pattern that matches only itself (the pattern is a glob)."""
    return re.sub(r"([*?\[\\])", r"\\\1", path)


def _unmerged(git: GitService, env: dict[str, str]) -> list[str]:
    """Paths with conflict stages in the private index (`ls-files -u`: `mode id stage<TAB>path`)."""
    out = git.text("ls-files", "-u", "-z", env=env)
    return list(dict.fromkeys(entry.split("\t", 1)[1] for entry in out.split("\0") if "\t" in entry))


def _settled(git: GitService, env: dict[str, str], onto: str, parent: str, sha: str,
             paths: list[str]) -> set[str]:
    """Refused paths a cherry-pick takes without a conflict: the branch already holds the pick's result, or one
    side renamed the file."""
    ours, theirs = _blobs(git, env, None, paths), _blobs(git, env, sha, paths)
    same = {p for p in paths if ours.get(p) == theirs.get(p)}
    renamed = git.renamed_paths(parent, onto) | git.renamed_paths(parent, sha)
    return same | (set(paths) & renamed)


def _blobs(git: GitService, env: dict[str, str], commit: str | None, paths: list[str]) -> dict[str, str]:
    """path -> blob id, in the private index (commit None) or in a commit; absent paths are left out."""
    args, field = ((("ls-files", "-s", "-z"), 1) if commit is None
                   else (("ls-tree", "-z", "--end-of-options", commit), 2))
    out = git.text("--literal-pathspecs", *args, "--", *paths, env=env)  # `mode id stage` / `mode type id`
    return {entry.split("\t", 1)[1]: entry.split()[field] for entry in out.split("\0") if "\t" in entry}


def _take_the_picks(git: GitService, env: dict[str, str], sha: str, paths: list[str]) -> None:
    """Resolve the private index as the pick has these files (or without them, where the pick deletes them)."""
    if not paths:
        return
    tree = git.text("--literal-pathspecs", "ls-tree", "-z", "--end-of-options", sha, "--", *paths)
    theirs = {e.split("\t", 1)[1]: e.split("\t", 1)[0].split() for e in tree.split("\0") if "\t" in e}
    lines = [f"0 {ZERO}\t{p}" for p in paths]
    lines += [f"{mode} {blob}\t{p}" for p, (mode, _kind, blob) in theirs.items()]
    git.run(*PRIVATE, "update-index", "--index-info", stdin="".join(f"{line}\n" for line in lines).encode(),
            env=env)
