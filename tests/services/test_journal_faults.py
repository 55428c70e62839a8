"""The journal under a full disk and after a torn write: a record is on disk whole or the step never runs, and a
torn last record is reported, never a reason to lose the plan before it.

The full disk is real to the process: RLIMIT_FSIZE makes a write cross the limit short (the bytes up to the limit
are written, as on a disk that fills up mid-record) and the next one fail with EFBIG, as a full disk fails with
ENOSPC."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cockpit.core.plan import Plan, Step
from cockpit.demo import Sandbox
from cockpit.services.journal import Journal, JournalError, journal_file

from cli_helpers import cockpit

PLAN = Plan("tag-1", "Tag 0.26.0-rc1", (Step("tag", "Tag it", "git.tag", {"name": "0.26.0-rc1", "sha": "a" * 40}),
                                         Step("push", "Push it", "git.push", {"remote": "origin", "refs": {}})))

APPEND_UNDER_LIMIT = """
import json, resource, signal, sys
from cockpit.services.journal import Journal, JournalError
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
try:
    Journal(__import__("pathlib").Path(sys.argv[1])).append({"plan": "p", "state": "planned", "pad": "x" * 400})
except JournalError as exc:
    print(exc)
    sys.exit(3)
"""


def file_limit(limit: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process (as with ENOSPC)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def refs(repo: Path) -> str:
    return subprocess.run(["git", "-C", str(repo), "for-each-ref"], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.fault
def test_a_short_write_is_undone_and_said_in_one_line(tmp_path: Path) -> None:
    """The disk fills up 100 bytes into a 450-byte record: os.write takes those 100 and returns; the journal writes
    on, gets the error, cuts the partial record off and says the disk is full."""
    path = tmp_path / "j.jsonl"
    path.write_text(json.dumps({"plan": "old", "state": "finished"}) + "\n")
    before = path.read_bytes()
    done = subprocess.run([sys.executable, "-c", APPEND_UNDER_LIMIT, str(path), str(len(before) + 100)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 3, done.stdout + done.stderr
    assert "cannot write the journal" in done.stdout and "disk full" in done.stdout
    assert len(done.stdout.strip().splitlines()) == 1
    assert path.read_bytes() == before  # no partial record left behind
    assert Journal(path).torn_tail() is None


@pytest.mark.fault
def test_disk_full_mid_record_refuses_the_plan_before_any_change(sandbox: Sandbox) -> None:
    """The plan's first record crosses the limit: nothing runs, the journal is as it was, the message is one line."""
    journal = journal_file(Path(os.environ["XDG_STATE_HOME"]) / "release-cockpit", sandbox.clone)
    journal.parent.mkdir(parents=True, exist_ok=True)
    journal.write_text(json.dumps({"plan": "old", "state": "finished", "pad": "x" * 199_700}) + "\n")
    before = journal.read_bytes(), refs(sandbox.origin), refs(sandbox.clone)
    limit = len(before[0]) + 200  # git's own files (the index) stay below it
    done = cockpit(sandbox, "branch", "cut", "--version", "0.26.0", "--yes", preexec=lambda: file_limit(limit))
    assert done.returncode == 2, done.stdout + done.stderr
    assert "cannot write the journal" in done.stderr and "disk full" in done.stderr
    assert "nothing was done" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert (journal.read_bytes(), refs(sandbox.origin), refs(sandbox.clone)) == before
    assert cockpit(sandbox, "journal", "--json").returncode == 0


@pytest.mark.fault
def test_a_torn_tail_is_reported_and_the_plan_still_found(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    j = Journal(path)
    j.planned(PLAN)
    j.append({"plan": "tag-1", "step": "tag", "state": "started"})
    assert j.torn_tail() is None
    with path.open("a") as fh:
        fh.write('{"plan": "tag-1", "step": "tag", "state": "do')  # the machine died mid-write
    problem = j.torn_tail()
    assert problem is not None and problem.startswith("the journal's last record is incomplete: ")
    assert str(path) in problem and "\n" not in problem
    record = j.unfinished()
    assert record is not None and record.plan == PLAN and record.state_of("tag") == "started"
    j.append({"plan": "tag-1", "step": "tag", "state": "done", "changes": {}})  # the next record starts a line
    assert j.torn_tail() is None and j.unfinished().state_of("tag") == "done"  # type: ignore[union-attr]


@pytest.mark.fault
def test_a_whole_but_unreadable_last_line_is_reported_too(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    Journal(path).planned(PLAN)
    with path.open("ab") as fh:
        fh.write(b'{"plan": "tag-1", "st\x00\n')
    assert Journal(path).torn_tail() is not None and Journal(path).unfinished() is not None


@pytest.mark.fault
def test_resume_after_a_crash_and_a_torn_tail_finishes_the_plan(sandbox: Sandbox) -> None:
    """A real session killed at a step boundary, its journal's last record then cut in half (the write the kill
    interrupted): resume finds the plan from the complete records and finishes it."""
    assert cockpit(sandbox, "branch", "cut", "--version", "0.26.0", "--yes").returncode == 0
    killed = cockpit(sandbox, "tag", "--libs", "0.26.0-rc1", "--yes", crash="push:started")
    assert killed.returncode == 75, killed.stdout + killed.stderr
    journal = journal_file(Path(os.environ["XDG_STATE_HOME"]) / "release-cockpit", sandbox.clone)
    data = journal.read_bytes()
    journal.write_bytes(data[:-(len(data.rstrip(b"\n").rsplit(b"\n", 1)[-1]) // 2) - 1])  # the last record torn
    assert Journal(journal).torn_tail() is not None
    resumed = cockpit(sandbox, "resume", "--yes")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "unfinished: " in resumed.stdout and "refs/tags/0.26.0-rc1" in refs(sandbox.origin)
    assert "the journal's last record is incomplete" in resumed.stderr  # said, not hidden
    assert Journal(journal).unfinished() is None


@pytest.mark.fault
@pytest.mark.parametrize("kind", ["directory", "fifo", "device"])
def test_a_journal_that_is_no_regular_file_is_one_clear_error(tmp_path: Path, kind: str) -> None:
    """A directory, a fifo or a link to /dev/zero where the journal belongs: reading it says so (JournalError, one
    line), never waits on a writer, reads without end, or escapes as IsADirectoryError."""
    path = tmp_path / "journal.jsonl"
    if kind == "directory":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    journal = Journal(path)
    for read in (journal.records, journal.plans, journal.unfinished, journal.torn_tail):
        with pytest.raises(JournalError, match="cannot read the journal") as failed:
            read()
        assert "\n" not in str(failed.value) and str(path) in str(failed.value)
