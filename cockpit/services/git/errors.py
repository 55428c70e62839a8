"""The git service's errors: each explains itself in one line fit to show a user (credentials in URLs redacted)."""

from __future__ import annotations

from collections.abc import Sequence

from cockpit.core.redact import redact_url
from cockpit.core.refnames import RefNameError, check_ref_name, check_remote_name


class GitError(Exception):
    """A git problem explained in one line, fit to show a user."""


class NotARepository(GitError):
    pass


class GitNotInstalled(GitError):
    def __init__(self) -> None:
        super().__init__("git is not installed or not on PATH: install git (2.32 or newer)")


class UnknownRef(GitError):
    pass


class RemoteUnavailable(GitError):
    pass


class GitCommandFailed(GitError):
    """A git command exited non-zero; the message carries git's own first error line (a URL's credentials
    redacted: git quotes the URL it could not reach)."""

    def __init__(self, args: Sequence[str], stderr: str):
        self.stderr = redact_url(stderr)
        lines = [line.strip(" '") for line in self.stderr.strip().splitlines() if line.strip(" '")]
        fatal = [line for line in lines if line.startswith(("fatal:", "error:"))]
        reason = (fatal or lines or ["no message"])[0]
        words = [w for w in args if w != "--end-of-options"]
        while words[:1] == ["-c"] or words[:1] == ["--literal-pathspecs"]:  # `git -c k=v apply`: it is `apply`
            words = words[2:] if words[0] == "-c" else words[1:]
        super().__init__(f"git {words[0] if words else ''} failed: {reason}")


def valid_ref(name: str, what: str = "ref") -> str:
    """`name` when git takes it as a ref name and cannot read it as an option; GitError otherwise."""
    try:
        return check_ref_name(name, what)
    except RefNameError as exc:
        raise GitError(str(exc)) from None


def valid_remote(name: str) -> str:
    """`name` when it is a remote name git takes and cannot read as an option; GitError otherwise."""
    try:
        return check_remote_name(name)
    except RefNameError as exc:
        raise GitError(str(exc)) from None
