"""Small named reads of objects and settings: a blob, a commit's patch, commit ids of a range, the tags merged into
a commit, the committer identity, one config value. Each value from outside stands after `--end-of-options`."""

from __future__ import annotations

import re
from collections.abc import Iterable

from cockpit.services.git.errors import GitCommandFailed, GitError
from cockpit.services.git.process import GitProcess

FULL_ID = re.compile(r"[0-9a-f]{40}")
MAX_READ_FILE = 1024 * 1024  # a version file is a few lines, never megabytes


class ObjectReads(GitProcess):
    def blob_at(self, commit: str, path: str) -> str | None:
        """The id of the blob at `path` in `commit`, None when there is none."""
        try:
            return self.text("rev-parse", "--verify", "--quiet", "--end-of-options", f"{commit}:{path}").strip() \
                or None
        except GitCommandFailed:
            return None

    def blob_bytes(self, blob: str, limit: int = MAX_READ_FILE) -> bytes:
        """A blob's bytes when it is at most `limit` bytes (a version file is a few lines): GitError otherwise,
        before anything is read."""
        size = int(self.text("cat-file", "-s", "--end-of-options", blob).strip())
        if size > limit:
            raise GitError(f"blob {blob[:12]} is {size} bytes, larger than {limit // 1024} KiB: not a version file")
        return self.data("cat-file", "blob", "--end-of-options", blob)

    def commit_ids(self, revs: str, *, reverse: bool = False) -> list[str]:
        """The commits of a range in topological order (oldest first with `reverse`)."""
        order = ["--topo-order", *(["--reverse"] if reverse else [])]
        return self.text("rev-list", *order, "--end-of-options", revs, "--").split()

    def commits_present(self, shas: Iterable[str]) -> set[str]:
        """The full ids among `shas` that name commits in this repository, from one `cat-file --batch-check`: a
        forge may name commits this clone never fetched (a PR's own commits after a rebase merge)."""
        wanted = [s for s in dict.fromkeys(shas) if FULL_ID.fullmatch(s)]  # stdin lines, never options
        if not wanted:
            return set()
        out = self.text("cat-file", "--batch-check=%(objectname) %(objecttype)",
                        stdin=("\n".join(wanted) + "\n").encode())
        return {parts[0] for parts in (line.split() for line in out.splitlines())
                if len(parts) == 2 and parts[1] == "commit"}

    def tags_merged_into(self, commit: str) -> list[str]:
        """Names of the tags whose commit is an ancestor of `commit` (or is it)."""
        return self.text("tag", "--list", f"--merged={commit}").split()

    def show_commit(self, sha: str) -> str:
        """A commit for a person to read: id, author, date, message, stat and patch."""
        return self.text("show", "--stat", "--patch", "--format=%H%n%an <%ae>%n%ad%n%n%B", "--end-of-options", sha,
                         "--")

    def committer_ident(self) -> str | None:
        """`Name <email> time zone`, as `git commit -s` signs off with; None when git has no identity."""
        try:
            return self.text("var", "GIT_COMMITTER_IDENT").strip() or None
        except GitCommandFailed:
            return None

    def config_value(self, key: str) -> str | None:
        """One value of the repository's git config (`key` is ours, never the repository's), None when unset."""
        try:
            return self.text("config", "--get", key).strip() or None
        except GitCommandFailed:
            return None
