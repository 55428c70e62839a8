"""The last session's first screen on disk: kept whole, read back only when it is this folder's and of the right
shape; anything else (corrupt, foreign, oversized, not a file, another shape) is ignored, never trusted."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from cockpit.ui.branch_rows import BranchRow, BranchRows
from cockpit.ui.last_session import MAX_FILE, MAX_ROWS, LastSession, SessionFile

ROWS = BranchRows((BranchRow("default", "master", "81ba936375", state="default"),
                   BranchRow("release", "release/0.25.x", "b33d2cbd08", "↑10", "↓53", "0.25.1", "", True),
                   BranchRow("irregular", "release/0.9.0", latest="not M.m.x", state="irregular", synced=False)),
                  "1 release branches, 1 irregular")
LAST = LastSession("textual-light", "libs", ROWS)


def saved(tmp_path: Path) -> SessionFile:
    (tmp_path / "repo").mkdir(exist_ok=True)
    session = SessionFile(tmp_path / "repo", tmp_path / "cache")
    session.save(LAST)
    return session


def test_a_saved_screen_reads_back_as_it_was_written(tmp_path: Path) -> None:
    session = saved(tmp_path)
    assert session.load() == LAST
    assert stat.S_IMODE(session.path.parent.stat().st_mode) == 0o700  # nobody else's to read or plant
    assert [p.name for p in session.path.parent.iterdir()] == [session.path.name]  # no temporary left


def test_names_that_are_no_utf8_read_back_as_they_were(tmp_path: Path) -> None:
    """git's names and the folder's are decoded with surrogateescape: a branch `release/0.9<0xff>` is shown too."""
    folder = tmp_path / "repo\udcfe"
    folder.mkdir()
    odd = BranchRows((*ROWS.rows, BranchRow("irregular", "release/0.9\udcff", latest="not M.m.x", state="irregular",
                                            synced=False)), "1 release branches, 2 irregular")
    last = LastSession("textual-light", "repo\udcfe", odd)
    session = SessionFile(folder, tmp_path / "cache")
    session.save(last)
    assert session.load() == last


def test_each_folder_has_its_own_screen(tmp_path: Path) -> None:
    saved(tmp_path)
    (tmp_path / "other").mkdir()
    assert SessionFile(tmp_path / "other", tmp_path / "cache").load() is None


def test_another_folders_file_under_the_same_name_is_not_read(tmp_path: Path) -> None:
    session = saved(tmp_path)
    data = json.loads(session.path.read_text())
    data["folder"] = "/somewhere/else"
    session.path.write_text(json.dumps(data))
    assert session.load() is None


def rewritten(session: SessionFile, change: dict) -> dict:
    data = json.loads(session.path.read_text())
    data.update(change)
    return data


@pytest.mark.parametrize("change", [
    {"format": 2}, {"theme": 7}, {"title": None}, {"subtitle": "x" * 10_000}, {"rows": []}, {"rows": "master"},
    {"rows": [["default", "master"]]}, {"rows": [{"kind": "default"}]},
    {"rows": [{"kind": "evil", "name": "m", "head": "", "ahead": "", "behind": "", "latest": "", "state": "",
               "synced": True}]},
    {"rows": [{"kind": "default", "name": ["m"], "head": "", "ahead": "", "behind": "", "latest": "", "state": "",
               "synced": True}]},
    {"rows": [{"kind": "default", "name": "m", "head": "", "ahead": "", "behind": "", "latest": "", "state": "",
               "synced": "yes"}]},
    {"rows": [{"kind": "default", "name": "m", "head": "", "ahead": "", "behind": "", "latest": "", "state": "",
               "synced": True}] * (MAX_ROWS + 1)},
])
def test_a_file_of_another_shape_is_ignored(tmp_path: Path, change: dict) -> None:
    session = saved(tmp_path)
    session.path.write_text(json.dumps(rewritten(session, change)))
    assert session.load() is None


@pytest.mark.parametrize("content", [b"", b"{", b"\xff\xfe", b"[]", b"null", b"{}", b" " * (MAX_FILE + 1),
                                     b"[" * (MAX_FILE // 2), b'{"a":' * (MAX_FILE // 10)])
def test_a_corrupt_or_oversized_file_is_ignored(tmp_path: Path, content: bytes) -> None:
    session = saved(tmp_path)
    session.path.write_bytes(content)
    assert session.load() is None


def test_what_is_no_regular_file_is_never_opened_for_reading(tmp_path: Path) -> None:
    session = saved(tmp_path)
    session.path.unlink()
    os.mkfifo(session.path)  # a reader would wait on it for ever
    assert session.load() is None
    session.path.unlink()
    session.path.mkdir()
    assert session.load() is None


def test_a_cache_that_cannot_be_written_only_means_no_screen_next_time(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    (tmp_path / "cache").write_text("a file where the cache folder goes")
    session = SessionFile(tmp_path / "repo", tmp_path / "cache")
    session.save(LAST)  # no error
    assert session.load() is None
