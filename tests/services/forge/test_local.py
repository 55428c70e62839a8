"""The local forge file under several writers at once: processes sharing one file lose no update."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cockpit.services.forge.base import ForgeError
from cockpit.services.forge.local import LocalForge

WRITER = """
import sys
from cockpit.services.forge.base import ForgeError
from cockpit.services.forge.local import LocalForge
forge = LocalForge(sys.argv[1])
for n in range(int(sys.argv[3])):
    forge.comment(1, f"{sys.argv[2]}-{n}")
"""


def test_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "shared" / "forge.json"
    path.parent.mkdir()
    path.write_text(json.dumps({
        "schema": 1, "repository": {"owner": "falcosecurity", "name": "libs"}, "milestones": [],
        "items": [{"number": 1, "kind": "issue", "title": "tracking", "state": "open"}]}))
    writers, each = 4, 30
    running = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), f"w{w}", str(each)])
               for w in range(writers)]
    assert [p.wait(timeout=120) for p in running] == [0] * writers
    bodies = [c["body"] for c in json.loads(path.read_text())["comments"]]
    assert sorted(bodies) == sorted(f"w{w}-{n}" for w in range(writers) for n in range(each))
    assert LocalForge(path).item(1).number == 1  # and the file still opens


def test_a_lock_that_cannot_be_taken_is_a_forge_error(tmp_path: Path) -> None:
    path = tmp_path / "forge.json"
    path.write_text(json.dumps({"schema": 1, "repository": {"owner": "o", "name": "r"}, "milestones": [],
                                "items": [{"number": 1, "kind": "issue", "title": "t", "state": "open"}]}))
    (tmp_path / ".forge.json.lock").mkdir()  # in the way: no lock file can be opened there
    before = path.read_bytes()
    with pytest.raises(ForgeError, match=r"cannot lock the local forge file: .*\.forge\.json\.lock"):
        LocalForge(path).comment(1, "hello")
    assert path.read_bytes() == before


def test_a_file_broken_after_it_was_opened_is_refused_at_the_next_read(tmp_path: Path) -> None:
    """Records are checked again whenever the content changed since they were last found sound (the same bytes
    are not checked twice): another writer cannot slip a record of the wrong shape past a forge already open."""
    path = tmp_path / "forge.json"
    sound = {"schema": 1, "repository": {"owner": "falcosecurity", "name": "libs"},
             "milestones": [{"number": 1, "title": "0.20.0", "state": "open"}], "items": []}
    path.write_text(json.dumps(sound))
    forge = LocalForge(path)
    assert [m.title for m in forge.milestones()] == ["0.20.0"]
    path.write_text(json.dumps(sound | {"milestones": [{"number": 1, "title": ["0.20.0"], "state": "open"}]}))
    with pytest.raises(ForgeError, match=r"milestones\[0\]"):
        forge.milestones()
    path.write_text(json.dumps(sound))
    assert [m.title for m in forge.milestones()] == ["0.20.0"]  # sound again: read again
