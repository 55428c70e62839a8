"""The journal file: records survive as lines, torn lines are skipped, plans are rebuilt newest first."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from cockpit.core.plan import Plan, Step
from cockpit.services.journal import Journal, journal_file

PLAN = Plan("tag-1", "Tag 0.26.0-rc1", (Step("tag", "Tag it", "git.tag", {"name": "0.26.0-rc1", "sha": "a" * 40}),
                                         Step("push", "Push it", "git.push", {"remote": "origin", "refs": {}})))


def test_plan_states_and_changes(tmp_path: Path) -> None:
    j = Journal(tmp_path / "j.jsonl")
    j.planned(PLAN)
    j.append({"plan": "tag-1", "step": "tag", "state": "started"})
    j.append({"plan": "tag-1", "step": "tag", "state": "done", "changes": {"refs/tags/0.26.0-rc1": "a" * 40}})
    j.append({"plan": "tag-1", "step": "push", "state": "started"})
    record = j.unfinished()
    assert record is not None and record.plan == PLAN
    assert record.state_of("tag") == "done" and record.state_of("push") == "started"
    assert record.changes["tag"] == {"refs/tags/0.26.0-rc1": "a" * 40}
    j.append({"plan": "tag-1", "state": "finished"})
    assert j.unfinished() is None and j.plans()[0].final == "finished"
    assert stat.S_IMODE((tmp_path / "j.jsonl").stat().st_mode) == 0o600


def test_a_torn_last_line_is_skipped(tmp_path: Path) -> None:
    j = Journal(tmp_path / "j.jsonl")
    j.planned(PLAN)
    j.append({"plan": "tag-1", "step": "tag", "state": "started"})
    with (tmp_path / "j.jsonl").open("a") as fh:
        fh.write('{"plan": "tag-1", "step": "tag", "state": "do')  # the machine died mid-write
    record = j.unfinished()
    assert record is not None and record.state_of("tag") == "started"


@given(st.binary(max_size=400))
def test_any_garbage_reads_as_no_plans_or_some_plans(tmp_path_factory, garbage: bytes) -> None:
    path = tmp_path_factory.mktemp("j") / "j.jsonl"
    path.write_bytes(garbage)
    j = Journal(path)
    assert isinstance(j.plans(), list)
    j.planned(PLAN)  # still appendable after garbage
    assert any(p.plan.id == "tag-1" for p in j.plans())


def test_one_journal_per_repository(tmp_path: Path) -> None:
    a = journal_file(tmp_path, Path("/srv/a/libs"))
    b = journal_file(tmp_path, Path("/srv/b/libs"))
    assert a != b and a.parent == b.parent == tmp_path / "journal" and a.name.startswith("libs-")


def test_a_repository_path_that_is_no_utf8_has_its_journal_too(tmp_path: Path) -> None:
    odd = Path(os.fsdecode(b"/srv/caf\xe9/libs"))  # a Latin-1 folder name, as the file system holds it
    assert journal_file(tmp_path, odd) != journal_file(tmp_path, Path("/srv/caf/libs"))
    assert journal_file(tmp_path, odd) == journal_file(tmp_path, odd)
