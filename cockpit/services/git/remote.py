"""Operations on the remote: its URL (credentials redacted for display), what it has (`ls-remote`, one parser),
atomic pushes that are never forced, and fetch. The remote's name is checked on every call, whatever its source
(the project config, a journaled step), and stands after `--end-of-options`."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

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


def fetch_argv(remote: str) -> tuple[str, ...]:
    """The argv (without `git`) of `cockpit fetch`: every branch and tag of the remote, stale remote-tracking refs
    pruned, progress reported on stderr even when it is not a terminal."""
    return ("fetch", "--prune", "--tags", "--progress", "--end-of-options", remote)


# a fetch never asks for a password on the terminal (the TUI owns it, a script has none): it fails and says so
_NO_PROMPT = {"GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "", "SSH_ASKPASS": "", "GCM_INTERACTIVE": "never"}


class RemoteRefs(NamedTuple):
    """What the remote has, from one `ls-remote` (tags peeled): read once per plan or check and kept for it."""

    remote: str
    heads: dict[str, str]  # branch name -> commit
    tags: dict[str, str]  # tag name -> commit

    @classmethod
    def parse(cls, remote: str, out: str) -> RemoteRefs:
        found = parse_ls_remote(out)
        return cls(remote, {r[11:]: sha for r, sha in found.items() if r.startswith("refs/heads/")},
                   {r[10:]: sha for r, sha in found.items() if r.startswith("refs/tags/")})


def _read_record(path: Path) -> tuple[bytes, float] | None:
    """FETCH_HEAD's content and time before a fetch (None when there is none), to put back if the fetch fails."""
    try:
        return path.read_bytes(), os.stat(path).st_mtime
    except OSError:
        return None


def _restore_record(path: Path, kept: tuple[bytes, float] | None) -> None:
    if kept is None:
        return
    try:
        path.write_bytes(kept[0])
        os.utime(path, (kept[1], kept[1]))
    except OSError:
        pass  # then the age is unknown: fetched_at says never, which is the safe side


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

    def remote_refs(self, remote: str | None = None) -> RemoteRefs:
        """Every branch and tag on the remote from one `ls-remote` (a network call): the remote's truth, which a
        stale fetch, a `--no-tags` or a shallow clone do not show. RemoteUnavailable when it cannot be read."""
        name = valid_remote(remote or self.remote_name)
        if self.remote_url(name) is None:
            raise RemoteUnavailable(f"no remote named {name!r}")
        try:
            out = self.text("ls-remote", "--heads", "--tags", "--end-of-options", name, env=_NO_PROMPT)
        except GitCommandFailed as exc:
            raise RemoteUnavailable(f"cannot read {name}: {exc}") from None
        return RemoteRefs.parse(name, out)

    def fetch(self, on_progress: Callable[[str], None] | None = None, remote: str | None = None) -> list[str]:
        """`git fetch --prune --tags` from the remote, each progress line (credentials redacted) to `on_progress`;
        returns git's lines for the refs it changed (`* [new tag] 0.26.0 -> 0.26.0`), empty when nothing changed.
        RemoteUnavailable, in one line fit to show, when the remote cannot be reached or refuses (offline, auth):
        nothing local is changed then, and local work goes on."""
        name = valid_remote(remote or self.remote_name)
        if self.remote_url(name) is None:
            raise RemoteUnavailable(f"no remote named {name!r}: nothing to fetch from")
        report = on_progress or (lambda _line: None)
        changed: list[str] = []

        def line(text: str) -> None:
            text = redact_url(text)
            if " -> " in text:
                changed.append(text)
            report(text)

        record = self._fetch_head()
        kept = _read_record(record)
        try:
            self.run_with_progress(*fetch_argv(name), on_line=line, env=_NO_PROMPT)
        except GitCommandFailed as exc:
            _restore_record(record, kept)  # git empties FETCH_HEAD before it connects: the last fetch still counts
            where = self.remote_url_display(name) or name
            raise RemoteUnavailable(f"cannot fetch from {name} ({where}): {exc}; local work is unaffected") from None
        return changed

    def _fetch_head(self) -> Path:
        return Path(self.text("rev-parse", "--path-format=absolute", "--git-path", "FETCH_HEAD").strip())

    def fetched_at(self) -> datetime | None:
        """When the repository last fetched (the time git wrote FETCH_HEAD), in UTC; None when it never did, or when
        FETCH_HEAD is empty (what a failed `git fetch` leaves: it proves no fetch)."""
        try:
            info = os.stat(self._fetch_head())
        except OSError:
            return None
        return datetime.fromtimestamp(info.st_mtime, UTC) if info.st_size else None

    def push_atomic(self, refs: Mapping[str, str] | Iterable[str], remote: str | None = None) -> None:
        """Push each local ref to the same name on the remote, all or none, never forced (no `+`, no --force)."""
        name = valid_remote(remote or self.remote_name)
        wanted = [valid_ref(ref) for ref in refs]
        odd = [r for r in wanted if not r.startswith(("refs/heads/", "refs/tags/"))]
        if odd:  # a refspec starting with `+` would force the push; only full branch and tag refs are pushed
            raise GitError(f"only branches and tags are pushed, by their full ref name: not {odd[0][:80]!r}")
        self.run(*push_atomic_argv(wanted, name))
