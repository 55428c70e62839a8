"""Files the cockpit writes have safe permissions, whatever the umask:

- the journal and the forge cache (sqlite) are 0600, and every folder the cockpit creates for them is 0700 (as the
  XDG base directory spec asks), even under umask 000: a journal another user can plant is a plan `resume` would run;
- the local forge file keeps the mode it had (a shared forge.json stays as shared as its owner made it, a private one
  private) across the atomic rewrites, no temporary file is left beside it, and a symlinked one stays a link;
- the demo sandbox (its files, the bare origin and the clone) is not group- or world-writable."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.demo import Sandbox

from cli_helpers import COCKPIT
from cli_helpers import cockpit as run_cockpit
from github_emulator import serve_validated
from ui_helpers import TODAY

TOKEN = "ghp_PERMISSIONS_0123456789abcdef"


def cockpit(repo: Path, *args: str, umask: int = 0o022, env: dict[str, str] | None = None) -> str:
    """The command's output, after it succeeded."""
    done = run_cockpit(repo, *args, umask=umask, env=env)
    assert done.returncode == 0, f"cockpit {' '.join(args)}: {done.returncode}\n{done.stdout}{done.stderr}"
    return done.stdout


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def tree(root: Path) -> Iterator[Path]:
    yield root
    yield from root.rglob("*")


def xdg(var: str) -> Path:
    return Path(os.environ[var])


@pytest.mark.security
@pytest.mark.parametrize("umask", [0o022, 0o000], ids=["umask-022", "umask-000"])
def test_journal_and_cache_are_private(sandbox: Sandbox, umask: int) -> None:
    clone = sandbox.clone
    subprocess.run(["git", "-C", str(clone), "config", "--unset", "cockpit.localForge"], check=True)
    (clone / ".git" / "info" / "exclude").write_text(".cockpit.toml\n")
    for emu in serve_validated(token=TOKEN):
        emu.add_milestone("0.26.0", due_on="2026-11-30")
        emu.add_pull("fix: a", milestone="0.26.0", body="```release-note\nfix: a\n```\n")
        (clone / ".cockpit.toml").write_text(
            '[forge]\nrepository = "falcosecurity/libs"\n')
        env = {"GH_TOKEN": TOKEN, "COCKPIT_GITHUB_API_URL": emu.base_url}
        cockpit(clone, "status", umask=umask, env=env)  # fills the forge cache
        cockpit(clone, "branch", "cut", "--version", "0.26.0", "--yes", umask=umask, env=env)  # writes the journal
        cockpit(clone, "notes", "0.26.0", umask=umask, env=env)
    journals = list(xdg("XDG_STATE_HOME").rglob("*.jsonl"))
    caches = list(xdg("XDG_CACHE_HOME").rglob("*.sqlite3"))
    assert journals and caches
    wrong = {}
    for root in (xdg("XDG_STATE_HOME"), xdg("XDG_CACHE_HOME")):
        for path in tree(root):  # the XDG dir itself too: the cockpit created it
            want = 0o700 if path.is_dir() else 0o600
            if mode(path) != want:
                wrong[str(path.relative_to(root.parent))] = oct(mode(path))
    assert wrong == {}


@pytest.mark.security
@pytest.mark.parametrize("original", [0o644, 0o640, 0o600, 0o664], ids=oct)
def test_the_local_forge_file_keeps_its_mode(sandbox: Sandbox, original: int) -> None:
    forge = sandbox.forge_file
    forge.chmod(original)
    before = forge.read_bytes()
    cockpit(sandbox.clone, "tracking-issue", "--milestone", "0.26.0", "--announce", "--yes", umask=0o077)
    cockpit(sandbox.clone, "milestone", "move", "--from", "0.26.0", "--to", "0.27.0", "--unmerged-only",
            "--create", "--yes", umask=0o000)
    assert forge.read_bytes() != before  # rewritten (twice), not edited in place
    assert oct(mode(forge)) == oct(original)
    assert sorted(p.name for p in forge.parent.iterdir() if p.name.startswith(".forge-")) == []  # no temp file left


@pytest.mark.security
def test_a_symlinked_forge_file_stays_a_link(sandbox: Sandbox, tmp_path: Path) -> None:
    """A forge file shared by several clones through a link: the write goes to the shared file, the link stays."""
    shared = tmp_path / "shared" / "forge.json"
    shared.parent.mkdir()
    shutil.move(sandbox.forge_file, shared)
    sandbox.forge_file.symlink_to(shared)
    before = shared.read_bytes()
    cockpit(sandbox.clone, "tracking-issue", "--milestone", "0.26.0", "--yes")
    assert sandbox.forge_file.is_symlink() and sandbox.forge_file.resolve() == shared
    assert shared.read_bytes() != before  # the tracking issue is in the shared file
    assert sorted(p.name for p in shared.parent.iterdir()) == [".forge.json.lock", "forge.json"]  # beside the data


@pytest.mark.security
def test_the_sandbox_is_not_group_or_world_writable(sandbox: Sandbox, tmp_path: Path) -> None:
    cockpit(sandbox.clone, "branch", "cut", "--version", "0.26.0", "--yes")
    cockpit(sandbox.clone, "tag", "--libs", "0.26.0-rc1", "--yes")
    cockpit(sandbox.clone, "protect", "--branch", "release/0.26.x", "--yes")
    demo = tmp_path / "demo"
    subprocess.run([COCKPIT, "demo", "--no-tui", "--path", str(demo)], check=True, capture_output=True,
                   env={**os.environ, "COCKPIT_TODAY": TODAY.isoformat()}, timeout=120, umask=0o022)
    writable = [str(p) for root in (sandbox.root, demo) for p in tree(root)
                if not p.is_symlink() and mode(p) & (stat.S_IWGRP | stat.S_IWOTH)]
    assert writable == []
    assert mode(sandbox.forge_file) == 0o644  # written by the sandbox, then by the local forge: its mode kept
