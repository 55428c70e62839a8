"""Named changes to the local repository, for the step kinds: refs created, moved and deleted only when they still
point where the caller expects, checkouts, and the one-file commit of a bump. Names from outside are validated and
stand after `--end-of-options` or `--`."""

from __future__ import annotations

import re

from cockpit.services.git.errors import GitCommandFailed, GitError, valid_ref, valid_remote
from cockpit.services.git.process import GitProcess

_OBJECT_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


# The argv of each named change (without the leading `git`), built by one pure function that both the change and a
# plan step's preview use, so what a plan shows is what runs. Names are validated by the change before it runs.

def create_branch_argv(name: str, commit: str) -> tuple[str, ...]:
    return ("branch", "--no-track", "--end-of-options", name, commit)


def create_tag_argv(name: str, commit: str, message: str) -> tuple[str, ...]:
    return ("tag", "--annotate", "--message", message, "--end-of-options", name, commit)


def checkout_argv(branch: str) -> tuple[str, ...]:
    return ("switch", "-q", "--end-of-options", branch)


def checkout_new_argv(name: str, at: str) -> tuple[str, ...]:
    return ("switch", "-q", "--no-track", "-c", name, "--end-of-options", at)


def checkout_detached_argv(commit: str) -> tuple[str, ...]:
    return ("switch", "-q", "--detach", "--end-of-options", commit)


def set_upstream_argv(branch: str, remote: str) -> tuple[str, ...]:
    return ("branch", f"--set-upstream-to={remote}/{branch}", "--end-of-options", branch)


def fast_forward_argv(to: str) -> tuple[str, ...]:
    return ("merge", "-q", "--ff-only", "--end-of-options", to)


def commit_only_argv(path: str, message: str) -> tuple[str, ...]:
    return ("commit", "--only", "--signoff", "--message", message, "--", path)


class RefWrites(GitProcess):
    def ref_commit(self, ref: str) -> str | None:
        """The commit a ref points at (a tag peeled), None when there is no such ref."""
        try:
            return self.text("rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}").strip() \
                or None
        except GitCommandFailed:
            return None

    def symbolic_head(self) -> str | None:
        """The full ref HEAD is on (`refs/heads/...`), None when detached."""
        try:
            return self.text("symbolic-ref", "--quiet", "HEAD").strip() or None
        except GitCommandFailed:  # detached: symbolic-ref exits 1
            return None

    def create_branch(self, name: str, commit: str) -> None:
        self.run(*create_branch_argv(valid_ref(name, "branch"), commit))

    def create_tag(self, name: str, commit: str, message: str) -> None:
        """An annotated tag (the message is passed as a value, never parsed as an option)."""
        self.run(*create_tag_argv(valid_ref(name, "tag"), commit, message))

    def delete_ref(self, ref: str) -> None:
        """Delete a local ref only while it still holds the object it holds now (an annotated tag's own object)."""
        current = self.text("rev-parse", "--verify", "--quiet", "--end-of-options", ref).strip()
        self.run("update-ref", "-d", "--end-of-options", valid_ref(ref, "ref"), current)

    def move_ref(self, ref: str, new: str, old: str, reason: str) -> None:
        """Point `ref` at `new` only if it still points at `old` (git checks it under its own lock)."""
        self.run("update-ref", "-m", reason, "--end-of-options", valid_ref(ref, "ref"), new, old)

    def delete_branch(self, name: str) -> None:
        self.run("branch", "-D", "--end-of-options", valid_ref(name, "branch"))

    # `switch`, not `checkout`: it takes no paths, so a name can never be read as one
    def checkout(self, branch: str) -> None:
        self.run(*checkout_argv(valid_ref(branch, "branch")))

    def checkout_new(self, name: str, at: str) -> None:
        """Create branch `name` at `at` (no upstream) and check it out."""
        self.run(*checkout_new_argv(valid_ref(name, "branch"), at))

    def checkout_detached(self, commit: str) -> None:
        self.run(*checkout_detached_argv(commit))

    def set_upstream(self, branch: str, remote: str) -> None:
        """`branch` tracks the remote's branch of the same name."""
        self.run(*set_upstream_argv(valid_ref(branch, "branch"), valid_remote(remote)))

    def upstream_of(self, branch: str) -> str | None:
        """The full remote-tracking ref a local branch follows (`refs/remotes/origin/...`), None when it has none."""
        out = self.text("for-each-ref", "--format=%(upstream)", "--end-of-options",
                        f"refs/heads/{valid_ref(branch, 'branch')}")
        return out.strip() or None

    def fast_forward(self, to: str) -> None:
        """Move the checked-out branch forward to `to`; refused by git unless it is a fast-forward."""
        self.run(*fast_forward_argv(to))

    def reset_keep(self, commit: str) -> None:
        """Move the checked-out branch to `commit` (a full id: `reset` takes no --end-of-options), keeping local
        changes (git refuses if they would be lost)."""
        if not _OBJECT_ID.fullmatch(commit):
            raise GitError(f"{commit[:80]!r} is not a commit id")
        self.run("reset", "-q", "--keep", commit, "--")

    def hash_blob(self, path: str, data: bytes) -> str:
        """The blob id git would store for `data` at `path` (its filters applied), without writing it."""
        return self.text("hash-object", "--stdin", f"--path={path}", stdin=data).strip()

    def commit_only(self, path: str, message: str) -> None:
        """Commit `path` alone (signed off), whatever else is staged: `git commit --only -- PATH`."""
        self.run(*commit_only_argv(path, message))

    def parents_and_subject(self, commit: str) -> tuple[str, str]:
        """(space-separated parent ids, subject) of one commit."""
        fields = self.text("log", "-1", "-z", "--format=%P%x00%s", "--end-of-options", commit, "--").split("\0")
        return fields[0], fields[1] if len(fields) > 1 else ""
