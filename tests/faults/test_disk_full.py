"""Disk full while writing the journal or the forge file: the cockpit says so in one line, nothing is lost, and
every file still reads (the forge file is replaced atomically; a torn journal line is skipped).

The full disk is real to the process: RLIMIT_FSIZE makes any write past the limit fail with EFBIG, as a full disk
fails with ENOSPC, for the cockpit process and the git it runs."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
from pathlib import Path

import pytest

from cockpit.demo import Sandbox
from cockpit.services.journal import journal_file

from cli_helpers import cockpit


def run_with_file_limit(sb: Sandbox, limit: int, *args: str) -> subprocess.CompletedProcess[str]:
    def cap() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process (as with ENOSPC)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return cockpit(sb, *args, preexec=cap)


def refs(repo: Path) -> str:
    return subprocess.run(["git", "-C", str(repo), "for-each-ref"], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.fault
def test_disk_full_fault_journal_refuses_before_anything_is_done(sandbox: Sandbox) -> None:
    journal = journal_file(Path(os.environ["XDG_STATE_HOME"]) / "release-cockpit", sandbox.clone)
    journal.parent.mkdir(parents=True, exist_ok=True)
    journal.write_text("x" * 300_000 + "\n")  # the journal is already at the limit: the next line cannot be written
    before = refs(sandbox.origin), refs(sandbox.clone)
    done = run_with_file_limit(sandbox, 200_000, "branch", "cut", "--version", "0.26.0", "--yes")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "cannot write the journal" in done.stderr and "nothing was done" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert (refs(sandbox.origin), refs(sandbox.clone)) == before


@pytest.mark.fault
def test_disk_full_fault_forge_file_stays_whole(sandbox: Sandbox) -> None:
    original = sandbox.forge_file.read_bytes()
    done = run_with_file_limit(sandbox, len(original) // 2, "milestone", "move", "--from", "0.26.0", "--to", "0.27.0",
                               "--unmerged-only", "--yes")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert sandbox.forge_file.read_bytes() == original  # the atomic replace never happened
    assert json.loads(sandbox.forge_file.read_text())["schema"] == 1
    assert not list(sandbox.forge_file.parent.glob(".forge-*"))  # no temp file left behind
    resumed = cockpit(sandbox, "resume", "--yes")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr  # with space again, the plan completes
    moved = [i for i in json.loads(sandbox.forge_file.read_text())["items"]
             if i["milestone"] == "0.27.0" and i["state"] == "open"]
    assert moved
