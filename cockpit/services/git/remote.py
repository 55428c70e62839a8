"""Operations on the remote: its URL (credentials redacted for display), what it has (`ls-remote`, one parser),
atomic pushes that are never forced, and fetch. The remote's name is checked on every call, whatever its source
(the project config, a journaled step), and stands after `--end-of-options`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from cockpit.core.redact import redact_url
from cockpit.services.git.errors import GitCommandFailed, GitError, RemoteUnavailable, valid_ref, valid_remote
from cockpit.services.git.process import GitProcess


def parse_ls_remote(out: str) -> dict[str, str]:
    """`sha<TAB>ref` lines -> {ref: commit}; an annotated tag's peeled line (`ref^{}`) wins over the tag object."""
    found: dict[str, str] = {}
    for line in out.splitlines():
        sha, _, ref = line.partition("\t")
        if ref.endswith("^{}"):
            found[ref[:-3]] = sha
        elif ref:
            found.setdefault(ref, sha)
    return found


def push_atomic_argv(refs: Iterable[str], remote: str) -> tuple[str, ...]:
    """The argv (without `git`) of an atomic push of each ref to the same name on `remote`, never forced: used by
    `push_atomic` and by a plan step's preview."""
    return ("push", "--atomic", "--porcelain", "--end-of-options", remote, *(f"{ref}:{ref}" for ref in refs))


class RemoteOps(GitProcess):
    """What a remote has and how it is changed; every name validated, never an option."""

    remote_name: str

    def remote_url(self, remote: str | None = None) -> str | None:
        """The remote's URL as configured (may hold credentials: for parsing, never for display)."""
        name = valid_remote(remote or self.remote_name)
        try:
            return self.text("remote", "get-url", "--end-of-options", name).strip() or None
        except GitCommandFailed:
            return None

    def remote_url_display(self, remote: str | None = None) -> str | None:
        """The remote's URL fit to show: any user name, password or token in it replaced by ***."""
        url = self.remote_url(remote)
        return redact_url(url) if url else None

    def ls_remote(self, refs: Iterable[str], remote: str | None = None) -> dict[str, str]:
        """{ref: commit} on the remote for the given full ref names (tags peeled); a network call.
        RemoteUnavailable when the remote cannot be read."""
        name = valid_remote(remote or self.remote_name)
        wanted = [valid_ref(ref) for ref in refs]
        patterns = [*wanted, *(f"{r}^{{}}" for r in wanted if r.startswith("refs/tags/"))]
        try:
            out = self.text("ls-remote", "--end-of-options", name, *patterns)
        except GitCommandFailed as exc:
            raise RemoteUnavailable(f"cannot read {name}: {exc}") from None
        found = parse_ls_remote(out)
        return {ref: sha for ref, sha in found.items() if ref in wanted}

    def remote_tags(self, remote: str | None = None) -> frozenset[str]:
        """Tag names on the remote (a network call); RemoteUnavailable when it cannot be read."""
        name = valid_remote(remote or self.remote_name)
        if self.remote_url(name) is None:
            raise RemoteUnavailable(f"no remote named {name!r}")
        try:
            out = self.text("ls-remote", "--tags", "--refs", "--end-of-options", name)
        except GitCommandFailed as exc:
            raise RemoteUnavailable(f"cannot read {name}: {exc}") from None
        return frozenset(ref[10:] for ref in parse_ls_remote(out) if ref.startswith("refs/tags/"))

    def push_atomic(self, refs: Mapping[str, str] | Iterable[str], remote: str | None = None) -> None:
        """Push each local ref to the same name on the remote, all or none, never forced (no `+`, no --force)."""
        name = valid_remote(remote or self.remote_name)
        wanted = [valid_ref(ref) for ref in refs]
        odd = [r for r in wanted if not r.startswith(("refs/heads/", "refs/tags/"))]
        if odd:  # a refspec starting with `+` would force the push; only full branch and tag refs are pushed
            raise GitError(f"only branches and tags are pushed, by their full ref name: not {odd[0][:80]!r}")
        self.run(*push_atomic_argv(wanted, name))
