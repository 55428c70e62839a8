"""The remote's truth: `fetch` (progress, the refs it changed, FETCH_HEAD's time), `remote_refs` (one `ls-remote`),
and what a fetch that cannot reach the remote says: one line, the URL's credentials redacted, nothing changed."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cockpit.services.git import GitService, RemoteUnavailable

from builders import FalcoRepo


def other_clone(falco: FalcoRepo, tmp_path: Path) -> Path:
    """A second clone of the same origin: what another release manager pushes from."""
    other = tmp_path / "other"
    subprocess.run(["git", "clone", "-q", str(falco.b.origin), str(other)], check=True)
    return other


def test_fetch_brings_what_another_clone_pushed_and_records_when(falco: FalcoRepo, tmp_path: Path) -> None:
    git = GitService(falco.path)
    assert git.fetched_at() is None  # a clone made by `git clone` never wrote FETCH_HEAD
    other = other_clone(falco, tmp_path)
    subprocess.run(["git", "-C", other, "tag", "0.2.1-rc1", "origin/release/0.2.x"], check=True)
    subprocess.run(["git", "-C", other, "push", "-q", "origin", "0.2.1-rc1"], check=True)
    subprocess.run(["git", "-C", other, "push", "-q", "origin", "--delete", "release/0.1.x"], check=True)
    subprocess.run(["git", "-C", falco.path, "tag", "0.3.0-rc1", "master"], check=True)  # made here, not pushed yet
    lines: list[str] = []
    changed = git.fetch(lines.append)
    assert git.ref_commit("refs/tags/0.3.0-rc1") == falco.shas["fix7"]  # --prune never takes a local tag
    assert git.ref_commit("refs/tags/0.2.1-rc1") == falco.shas["fix6_bp"]
    assert git.ref_commit("refs/remotes/origin/release/0.1.x") is None  # pruned
    assert any("0.2.1-rc1" in line for line in changed) and any("release/0.1.x" in line for line in changed)
    assert set(changed) <= set(lines)
    when = git.fetched_at()
    assert when is not None and abs(datetime.now(UTC) - when) < timedelta(minutes=5)
    assert git.fetch() == []  # nothing new: nothing changed, and the caller need not reload


def test_remote_refs_are_the_remotes_own_not_the_fetched_view(falco: FalcoRepo, tmp_path: Path) -> None:
    git = GitService(falco.path)
    other = other_clone(falco, tmp_path)
    subprocess.run(["git", "-C", other, "tag", "-a", "-m", "rc", "0.3.0-rc1", "origin/master"], check=True)
    subprocess.run(["git", "-C", other, "push", "-q", "origin", "0.3.0-rc1", "origin/master:refs/heads/release/0.3.x"],
                   check=True)
    there = git.remote_refs()
    assert there.tags["0.3.0-rc1"] == falco.shas["fix7"]  # an annotated tag, peeled to its commit
    assert there.tags["0.2.0"] == falco.shas["fix6_bp"]
    assert there.heads["release/0.3.x"] == falco.shas["fix7"]
    assert "release/0.3.x" not in git.refs().remote_branches  # not fetched: only ls-remote knows it


@pytest.mark.fault
def test_fetch_offline_is_one_line_with_the_credentials_redacted(falco: FalcoRepo) -> None:
    git = GitService(falco.path)
    before = git.text("for-each-ref")
    subprocess.run(["git", "-C", falco.path, "remote", "set-url", "origin",
                    "https://release-bot:ghp_s3cretT0ken@127.0.0.1:9/falcosecurity/libs.git"], check=True)
    seen: list[str] = []
    with pytest.raises(RemoteUnavailable) as caught:
        git.fetch(seen.append)
    message = str(caught.value)
    assert "\n" not in message and "local work is unaffected" in message
    assert "127.0.0.1:9" in message
    assert "ghp_s3cretT0ken" not in message + "".join(seen) and "release-bot" not in message
    assert git.text("for-each-ref") == before and git.fetched_at() is None
    subprocess.run(["git", "-C", falco.path, "remote", "set-url", "origin", str(falco.b.origin)], check=True)
    git.fetch()
    last = git.fetched_at()
    subprocess.run(["git", "-C", falco.path, "remote", "set-url", "origin", "https://127.0.0.1:9/x.git"], check=True)
    with pytest.raises(RemoteUnavailable):
        git.fetch()
    assert git.fetched_at() == last  # a failed fetch does not make the last good one look new, nor forget it
    with pytest.raises(RemoteUnavailable):
        git.remote_refs()


@pytest.mark.fault
def test_fetch_never_waits_for_a_password(falco: FalcoRepo, tmp_path: Path) -> None:
    """A remote that asks for credentials fails at once (no terminal prompt, no askpass program)."""
    askpass = tmp_path / "askpass.sh"
    marker = tmp_path / "asked"
    askpass.write_text(f"#!/bin/sh\ntouch {marker}\necho secret\n")
    askpass.chmod(0o755)
    subprocess.run(["git", "-C", falco.path, "config", "core.askPass", str(askpass)], check=True)
    subprocess.run(["git", "-C", falco.path, "remote", "set-url", "origin", "https://127.0.0.1:9/x.git"], check=True)
    with pytest.raises(RemoteUnavailable):
        GitService(falco.path).fetch()
    assert not marker.exists()


def test_fetch_without_the_remote(falco: FalcoRepo) -> None:
    subprocess.run(["git", "-C", falco.path, "remote", "remove", "origin"], check=True)
    with pytest.raises(RemoteUnavailable, match="no remote named 'origin'"):
        GitService(falco.path).fetch()
