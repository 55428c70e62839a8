"""The journal (JSONL, one record a line): Journal on files of real records mixed with records of the wrong shape,
lines torn at any byte, junk bytes, lost line breaks and a file cut at any point, as a crash, a full disk or a
hand edit leaves it.

plans() and unfinished() never raise and give clean records (every field of its declared type, so the journal
command, resume and abort can use them); and a plan appended after the damage is read back whole."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cockpit.core.checks import CheckResult
from cockpit.core.plan import Plan, Step
from cockpit.services.executor import describe_choices
from cockpit.services.journal import FINAL_STATES, Journal, PlanRecord, plan_to_json

from fuzzing import ANY_JSON, fuzz, mutated, tally

TEXT = st.text(max_size=10)
PLAN_IDS = st.sampled_from(["cut-1", "tag-2", "move-3"])
STEP_IDS = st.sampled_from(["branch", "tag", "push", "move"])
STEP = st.builds(Step, STEP_IDS, TEXT, st.sampled_from(["git.branch", "git.tag", "git.push", "forge.move"]),
                 st.dictionaries(st.sampled_from(["name", "sha", "refs"]), ANY_JSON, max_size=3),
                 st.lists(TEXT, max_size=2).map(tuple), TEXT, TEXT)
CHECK = st.builds(CheckResult, TEXT, st.sampled_from(["error", "warning", "info"]), st.booleans(), TEXT,
                  st.lists(TEXT, max_size=2).map(tuple), TEXT)
PLAN = st.builds(Plan, PLAN_IDS, TEXT, st.lists(STEP, max_size=3).map(tuple), st.lists(CHECK, max_size=2).map(tuple),
                 TEXT)
TS = st.sampled_from(["2026-01-05T10:00:00.000000Z", "2026-01-05T10:00:01.000000Z", "2026-01-06T09:00:00.000000Z"])


PLANNED = st.builds(lambda plan, ts: {"ts": ts, "plan": plan.id, "state": "planned", "data": plan_to_json(plan)},
                    PLAN, TS)


def record_strategies() -> st.SearchStrategy[dict[str, Any]]:
    """The records the executor writes: a plan, its steps' states, how it ended."""
    planned = PLANNED
    step = st.builds(lambda plan, step, state, changes, ts: {"ts": ts, "plan": plan, "step": step, "state": state,
                                                             "changes": changes, "error": "boom"},
                     PLAN_IDS, STEP_IDS, st.sampled_from(["started", "done", "failed"]),
                     st.dictionaries(TEXT, TEXT, max_size=2), TS)
    final = st.builds(lambda plan, state, ts: {"ts": ts, "plan": plan, "state": state}, PLAN_IDS,
                      st.sampled_from(FINAL_STATES), TS)
    return st.one_of(planned, step, final)


RECORD = record_strategies()


@st.composite
def line(draw: st.DrawFn) -> bytes:
    """One line of the file: a record as written, one of the wrong shape, torn, or junk; ended or not."""
    record = json.dumps(draw(RECORD), sort_keys=True).encode()
    body = draw(st.one_of(
        st.just(record), st.just(record),
        mutated(RECORD, ANY_JSON).map(lambda r: json.dumps(r).encode()),
        st.integers(0, len(record)).map(lambda cut: record[:cut]),
        st.binary(max_size=12),
        ANY_JSON.map(lambda v: json.dumps(v).encode()),
        st.sampled_from([b"[" * 3000, b"1" * 4400, b"NaN", b"\xff\xfe", b"\x00" * 4]),
    ))
    return body + draw(st.sampled_from([b"\n", b"\n", b"\r\n", b"", b"\n\n"]))


@st.composite
def damaged_journal(draw: st.DrawFn) -> bytes:
    """Lines of any kind, with a plan or two written intact among them (so their steps have a plan to go to), and
    half of the time the whole cut at any byte."""
    lines = draw(st.lists(line(), max_size=8))
    for plan in draw(st.lists(PLANNED, max_size=2)):
        lines.insert(draw(st.integers(0, len(lines))), json.dumps(plan, sort_keys=True).encode() + b"\n")
    content = b"".join(lines)
    return content[: draw(st.integers(0, len(content)))] if draw(st.booleans()) else content


def assert_clean(record: PlanRecord) -> None:
    """Every field of the record of the type the journal command, resume and abort read."""
    plan = record.plan
    assert isinstance(plan, Plan) and isinstance(plan.id, str) and isinstance(plan.title, str)
    assert isinstance(plan.note, str) and isinstance(plan.steps, tuple) and isinstance(plan.checks, tuple)
    for s in plan.steps:
        assert all(isinstance(v, str) for v in (s.id, s.title, s.kind, s.recovery, s.detail)), s
        assert isinstance(s.params, dict) and all(isinstance(c, str) for c in s.commands), s
    for c in plan.checks:
        assert isinstance(c.id, str) and c.severity in ("error", "warning", "info") and isinstance(c.ok, bool), c
        assert isinstance(c.message, str) and isinstance(c.fix_hint, str), c
        assert all(isinstance(e, str) for e in c.evidence), c
    assert isinstance(record.started_at, str) and record.final in (None, *FINAL_STATES)
    assert record.ended_at is None or isinstance(record.ended_at, str)
    assert all(isinstance(v, dict) for v in record.changes.values())
    json.dumps(record.as_json())
    plan.preview()
    describe_choices(record)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("journal")


@fuzz(150)
@given(content=st.one_of(damaged_journal(), st.binary(max_size=200)))
def test_damaged_journal_reads_and_appends(folder: Path, content: bytes) -> None:
    path = folder / "journal.jsonl"
    path.write_bytes(content)
    journal = Journal(path)
    plans = journal.plans()
    tally(f"{min(len(plans), 3)}{'+' if len(plans) >= 3 else ''} plans read")
    for record in plans:
        assert_clean(record)
    unfinished = journal.unfinished()
    assert unfinished is None or unfinished.unfinished

    fresh = Plan("fresh-plan", "After the damage", (Step("tag", "Tag it", "git.tag", {"name": "0.26.0"}),))
    journal.planned(fresh)
    journal.append({"plan": fresh.id, "step": "tag", "state": "done", "changes": {"refs/tags/0.26.0": "a" * 40}})
    found = [p for p in journal.plans() if p.plan.id == fresh.id]
    assert len(found) == 1 and found[0].plan == fresh and found[0].state_of("tag") == "done"
    assert found[0].changes["tag"] == {"refs/tags/0.26.0": "a" * 40}
    assert journal.unfinished() is not None


def test_found_records_are_skipped(folder: Path) -> None:
    """Found: a line nested past the recursion limit (RecursionError), a plan whose step id is null (a Step the
    journal command could not print), and a plan whose time is a number (TypeError sorting the plans)."""
    good = json.loads(json.dumps({"ts": "2026-01-05T10:00:00.000000Z", "plan": "cut-1", "state": "planned",
                                  "data": plan_to_json(Plan("cut-1", "Cut", (Step("b", "Branch", "git.branch"),)))}))
    null_step = json.loads(json.dumps(good))
    null_step["plan"] = null_step["data"]["id"] = "tag-2"
    null_step["data"]["steps"][0]["id"] = None
    number_ts = {**json.loads(json.dumps(good)), "plan": "move-3", "ts": 5}
    number_ts["data"]["id"] = "move-3"
    path = folder / "found.jsonl"
    path.write_bytes(b"[" * 3000 + b"\n" + b"\n".join(json.dumps(r).encode() for r in (good, null_step, number_ts)))
    plans = Journal(path).plans()
    assert [p.plan.id for p in plans] == ["cut-1", "move-3"]
    for record in plans:
        assert_clean(record)
