"""The git service's errors: each explains itself in one line fit to show a user (credentials in URLs redacted)."""

from __future__ import annotations

from collections.abc import Sequence

from cockpit.core.redact import redact_url


class GitError(Exception):
    """A git problem explained in one line, fit to show a user."""


class NotARepository(GitError):
    pass


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
