"""The local forge's JSON file (demo sandbox, offline work): LocalForge on documents of the file's shape with up to
three values, at any level, of another type or content, or missing; on JSON of any shape; and on arbitrary bytes.

Reads give a clean value (every field of the type its dataclass declares) or a ForgeError. Writes give a value or
a ForgeError; a refused write leaves the file byte for byte as it was, a write that fails half-way through (the
disk fills up) too, and whatever happened the file still opens and reads."""

from __future__ import annotations

import errno
import json
import os
import types
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cockpit.core import forge_models
from cockpit.core.phases import derive_phase
from cockpit.services.forge.base import ForgeError
from cockpit.services.forge.local import LocalForge

from fuzzing import ANY_JSON, fuzz, mutated, one_line, optional_keys, tally

TITLES = st.one_of(st.sampled_from(["0.26.0", "0.27.0", "next-driver"]), st.text(max_size=6))
NUMBERS = st.one_of(st.integers(1, 5), st.integers(1, 5), st.integers(-(2**64), 2**64))
STATES = st.sampled_from(["open", "closed"])
TIME = st.one_of(  # GitHub's form, other offsets, no offset (UTC), a date alone, the calendar's ends
    st.sampled_from(["2026-01-05T00:00:00Z", "2026-01-05", "2026-01-05T10:00:00+02:00", "2026-01-05T10:00:00",
                     "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"]),
    st.datetimes(timezones=st.sampled_from([None, UTC, timezone(timedelta(hours=-7))])).map(datetime.isoformat),
)
TIMES = st.one_of(st.none(), st.just(""), TIME)
# Values of the right JSON type but wrong content, besides values of any type (ANY_JSON).
WRONG = st.one_of(ANY_JSON, st.sampled_from(["soon", "2026-13-45T00:00:00Z", "0001-01-01T00:00:00+02:00", "merged", "",
                                              "1", True, 1.5, [], {}, None, 2**64]))
OTHER_REPO = "falcosecurity/test-infra"
SHA = st.sampled_from(["a" * 40, "b" * 40])
TEXT = st.text(max_size=8)

REPOSITORY = st.fixed_dictionaries({"owner": TEXT, "name": TEXT}, optional={
    "default_branch": st.just("master"), "html_url": st.one_of(st.none(), st.just("https://github.com/o/r")),
    "user": TEXT})
MILESTONE = st.fixed_dictionaries({"number": NUMBERS, "title": TITLES}, optional={
    "state": STATES, "due_on": TIMES, "description": st.one_of(st.none(), TEXT), "created_at": TIMES,
    "closed_at": TIMES})
ITEM = st.fixed_dictionaries({"number": NUMBERS}, optional={
    "kind": st.sampled_from(["pr", "issue", "PR"]), "title": TEXT, "state": STATES, "author": TEXT,
    "labels": st.lists(TEXT, max_size=3), "body": st.one_of(st.none(), st.text(max_size=30)),
    "milestone": st.one_of(st.none(), TITLES), "merged_at": TIMES, "created_at": TIMES, "updated_at": TIMES,
    "merge_commit_sha": st.one_of(st.none(), SHA), "merged": st.booleans()})
RELEASE = st.fixed_dictionaries({"tag": TEXT, "name": TEXT, "body": TEXT, "draft": st.booleans(),
                                 "prerelease": st.booleans()}, optional={"url": TEXT, "id": NUMBERS})
COMMIT = st.fixed_dictionaries({"sha": SHA, "message": TEXT, "author": st.one_of(st.none(), TEXT)})
BRANCH = st.fixed_dictionaries({"commits": st.lists(COMMIT, min_size=1, max_size=2), "files": st.dictionaries(
    st.sampled_from(["config/config.yaml", "x"]), st.text(max_size=8))})
PULL = st.fixed_dictionaries({"number": NUMBERS, "title": TEXT, "head": st.sampled_from(["b", "m"]),
                              "base": st.sampled_from(["master", "b"]), "created_at": TIME},
                             optional={"state": STATES, "merged_at": TIMES, "author": TEXT, "body": TEXT})
OTHER = st.fixed_dictionaries({"branches": st.dictionaries(st.sampled_from(["master", "b"]), BRANCH, max_size=2)},
                              optional={"default_branch": st.sampled_from(["master", "b"]), "push": st.booleans(),
                                        "pulls": st.lists(PULL, max_size=2)})
WELL_FORMED = st.fixed_dictionaries(
    {"schema": st.just(1), "repository": REPOSITORY, "milestones": st.lists(MILESTONE, max_size=4),
     "items": st.lists(ITEM, max_size=5)},
    optional={"releases": st.lists(RELEASE, max_size=2), "comments": st.lists(ANY_JSON, max_size=2),
              "protected_branches": st.dictionaries(st.sampled_from(["master", "b"]), st.one_of(
                  st.none(), optional_keys(required_reviews=st.one_of(st.none(), NUMBERS)))),
              "statuses": st.dictionaries(st.sampled_from(["master", "b"]), st.fixed_dictionaries(
                  {"state": st.sampled_from(["success", "pending", "failure", "error", "unknown"])},
                  optional={"total": NUMBERS})),
              "repositories": st.dictionaries(st.sampled_from([OTHER_REPO, "x"]), OTHER, max_size=2)},
)
# The file's shape with up to three values of a wrong type or content, or missing.
FORGE_FILE = mutated(WELL_FORMED, WRONG)


# --- what a clean value is ------------------------------------------------------------------------------------

def conforms(value: Any, hint: Any) -> bool:
    """Whether a value has the type a forge_models field declares (an aware datetime; an int that is no bool)."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        return any(conforms(value, arg) for arg in get_args(hint))
    if origin is Literal:
        return value in get_args(hint)
    if origin is tuple:
        return isinstance(value, tuple) and all(conforms(v, get_args(hint)[0]) for v in value)
    if hint is type(None):
        return value is None
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is datetime:  # in UTC, as GitHub gives them: any two compare, and convert for display
        return isinstance(value, datetime) and value.utcoffset() == timedelta(0)
    if hint is date:
        return isinstance(value, date) and not isinstance(value, datetime)
    return isinstance(value, hint)


def assert_clean(value: Any) -> None:
    """A forge value, or a list of them, whose every field has its declared type."""
    for v in value if isinstance(value, list) else [value]:
        if v is None or isinstance(v, str):  # branch_head's sha, comment's URL
            continue
        assert isinstance(v, tuple) and hasattr(v, "_fields"), v  # a forge value
        hints = get_type_hints(type(v), vars(forge_models))
        for name in v._fields:
            assert conforms(getattr(v, name), hints[name]), f"{type(v).__name__}.{name} = {getattr(v, name)!r}"


def read_everything(forge: LocalForge) -> None:
    """Every read the cockpit makes: a clean value or a ForgeError with a one-line message."""
    reads = [lambda: forge.repository(), lambda: forge.repository(OTHER_REPO), lambda: forge.repository("x"),
             lambda: forge.milestones(), lambda: forge.milestones("all"), lambda: forge.merged_without_milestone(),
             lambda: forge.release("0.26.0"), lambda: forge.branch_protection("master"),
             lambda: forge.combined_status("master"), lambda: forge.read_file(OTHER_REPO, "config/config.yaml"),
             lambda: forge.branch_head(OTHER_REPO, "master"), lambda: forge.pulls_from(OTHER_REPO, "b")]
    reads += [lambda t=t: forge.milestone(t) for t in ("0.26.0", "next-driver")]
    reads += [lambda t=t: forge.milestone_items(t) for t in ("0.26.0", "next-driver")]
    reads += [lambda n=n: forge.item(n) for n in (1, 2, 3)]
    for read in reads:
        try:
            value = read()
        except ForgeError as exc:
            assert one_line(str(exc))
        else:
            assert_clean(value)
            tally("a read gave a value")
            for milestone in value if isinstance(value, list) else [value]:
                if isinstance(milestone, forge_models.Milestone):  # the phase views take any date it holds
                    derive_phase(milestone.due_on, date(2026, 1, 5))


def open_forge(path: Path) -> LocalForge | None:
    try:
        forge = LocalForge(path)
    except ForgeError as exc:
        assert one_line(str(exc))
        tally("file refused")
        return None
    tally("file opened")
    return forge


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("forge")


# --- reads ----------------------------------------------------------------------------------------------------

@fuzz(150)
@given(doc=st.one_of(FORGE_FILE, FORGE_FILE, ANY_JSON))
def test_reads_of_any_document(folder: Path, doc: Any) -> None:
    path = folder / "forge.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    forge = open_forge(path)
    if forge is not None:
        read_everything(forge)


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    """A forge file cut short, spliced with junk, or junk alone."""
    text = json.dumps(draw(FORGE_FILE)).encode()
    cut = draw(st.integers(0, len(text)))
    junk = draw(st.one_of(st.binary(max_size=6), st.sampled_from([b"\xff", b"[" * 5000, b"1" * 4400, b"NaN"])))
    return draw(st.sampled_from([text[:cut], text[:cut] + junk + text[cut:], junk]))


@fuzz(150)
@given(content=st.one_of(damaged(), st.binary(max_size=40)))
def test_any_bytes_open_or_explain(folder: Path, content: bytes) -> None:
    path = folder / "forge.json"
    path.write_bytes(content)
    forge = open_forge(path)
    if forge is not None:
        read_everything(forge)


# --- writes ---------------------------------------------------------------------------------------------------

ITEM_NUMBER = st.one_of(st.integers(1, 5), NUMBERS)
TAGS = st.text(alphabet="0123456789.-+rcdiveab", max_size=12)  # names git takes for a tag: no control characters
WRITES = st.one_of(
    st.tuples(st.just("create_milestone"), TITLES, st.one_of(st.none(), st.dates()), TEXT),
    st.tuples(st.just("rename_milestone"), TITLES, TITLES),
    st.tuples(st.just("close_milestone"), TITLES),
    st.tuples(st.just("move_items"), st.lists(ITEM_NUMBER, max_size=3), st.one_of(st.none(), TITLES)),
    st.tuples(st.just("create_issue"), TEXT, TEXT, st.one_of(st.none(), TITLES), st.lists(TEXT, max_size=2)),
    st.tuples(st.just("comment"), ITEM_NUMBER, TEXT),
    st.tuples(st.just("edit_body"), ITEM_NUMBER, TEXT),
    st.tuples(st.just("create_release"), TAGS, TEXT, TEXT, st.booleans(), st.booleans(), st.booleans()),
    st.tuples(st.just("create_pull"), TEXT, TEXT, st.sampled_from(["b", "m"]), st.sampled_from(["master", "b"]),
              st.sampled_from([None, OTHER_REPO, "x"])),
    st.tuples(st.just("create_branch"), st.sampled_from([OTHER_REPO, "x"]), st.sampled_from(["b", "c"]),
              st.sampled_from([None, "master", "a" * 40])),
    st.tuples(st.just("write_file"), st.sampled_from([OTHER_REPO, "x"]), st.sampled_from(["config/config.yaml", "y"]),
              TEXT, TEXT, st.sampled_from(["master", "b"]), st.one_of(st.none(), SHA)),
)


def write(forge: LocalForge, operation: tuple[Any, ...]) -> Any:
    name, *args = operation
    return getattr(forge, name)(*args)


@fuzz(150)
@given(doc=FORGE_FILE, operations=st.lists(WRITES, min_size=1, max_size=3))
def test_writes_never_corrupt_the_file(folder: Path, doc: dict[str, Any], operations: list[tuple[Any, ...]]) -> None:
    path = folder / "forge.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    forge = open_forge(path)
    if forge is None:
        return
    for operation in operations:
        before = path.read_bytes()
        try:
            result = write(forge, operation)
        except ForgeError as exc:
            assert one_line(str(exc))
            assert path.read_bytes() == before, f"{operation[0]} was refused but changed the file"
        else:
            tally(f"{operation[0]} done")
            assert_clean(result)
        reopened = open_forge(path)
        assert reopened is not None, f"{operation[0]} left a file that no longer opens"
        read_everything(reopened)
    assert {p.name for p in folder.iterdir()} - {".forge.json.lock"} == {"forge.json"}  # no temp file left


class FullDisk:
    """A file object that takes `room` bytes, then fails as a full disk does."""

    def __init__(self, inner: Any, room: int):
        self.inner, self.room = inner, room

    def write(self, text: str) -> int:
        if len(text) > self.room:
            self.inner.write(text[: self.room])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= len(text)
        return self.inner.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def __enter__(self) -> FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.inner.close()


@fuzz(150)
@given(doc=FORGE_FILE, operation=WRITES, room=st.integers(0, 4000))
def test_a_write_cut_by_a_full_disk_leaves_the_file_whole(folder: Path, doc: dict[str, Any],
                                                          operation: tuple[Any, ...], room: int) -> None:
    path = folder / "forge.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    forge = open_forge(path)
    if forge is None:
        return
    before = path.read_bytes()
    real_fdopen = os.fdopen
    with mock.patch.object(os, "fdopen", lambda *a, **k: FullDisk(real_fdopen(*a, **k), room)):
        try:
            write(forge, operation)
        except (ForgeError, OSError) as exc:
            assert path.read_bytes() == before
            tally(f"write failed: {type(exc).__name__}")
    assert open_forge(path) is not None
    assert {p.name for p in folder.iterdir()} - {".forge.json.lock"} == {"forge.json"}


def minimal(**extra: Any) -> dict[str, Any]:
    return {"schema": 1, "repository": {"owner": "o", "name": "r"}, "milestones": [], "items": [], **extra}


FOUND = [  # what the fuzzing found, each a traceback (or a wrongly typed value) before the file was checked on read
    json.dumps({"schema": 1, "repository": {}}),  # KeyError: 'owner'
    "[" * 5000,  # RecursionError from json
    '{"schema": 1, "n": ' + "1" * 4400 + "}",  # int()'s digit-limit ValueError from json
    json.dumps(minimal(milestones=[{"number": "1", "title": "0.26.0"}])),  # ValueError from int()
    json.dumps(minimal(items=[{"number": 1, "labels": "abc"}])),  # labels ('a', 'b', 'c')
    json.dumps(minimal(items=[{"number": 1, "merged_at": "soon"}])),  # ValueError from fromisoformat
    json.dumps(minimal(releases=[{"tag": "0.26.0"}])),  # KeyError: 'name'
    json.dumps(minimal(statuses={"master": "green"})),  # AttributeError: 'str' object has no attribute 'get'
    json.dumps(minimal(milestones=[{"number": 1, "title": "x", "due_on": "0001-01-01T00:00:00+02:00"}])),
]


@pytest.mark.parametrize("content", FOUND, ids=range(len(FOUND)))
def test_found_files_are_refused_in_one_line(folder: Path, content: str) -> None:
    path = folder / "forge.json"
    path.write_text(content, encoding="utf-8")
    assert open_forge(path) is None


def test_found_values_work_together(folder: Path) -> None:
    """Found: naive and aware times (TypeError sorting merged PRs), a due date in year 1 (OverflowError in the phase
    views), a milestone title with a line break (a two-line error), a milestone without a state (open to
    milestone(), missing from milestones()), a repository named without a slash (ValueError)."""
    path = folder / "forge.json"
    path.write_text(json.dumps(minimal(
        milestones=[{"number": 1, "title": "a\nb", "due_on": "0001-01-01T00:00:00Z"}],
        items=[{"number": 1, "kind": "pr", "merged_at": "2026-01-05T10:00:00"},
               {"number": 2, "kind": "pr", "merged_at": "2026-01-05T10:00:00+02:00"}],
        repositories={"x": {"branches": {}}})), encoding="utf-8")
    forge = LocalForge(path)
    assert [i.number for i in forge.merged_without_milestone()] == [1, 2]
    assert [m.title for m in forge.milestones()] == ["a\nb"] and forge.milestone("a\nb").state == "open"
    derive_phase(forge.milestones()[0].due_on, date(2026, 1, 5))
    with pytest.raises(ForgeError) as caught:
        forge.milestone("c")
    assert one_line(str(caught.value))
    with pytest.raises(ForgeError):
        forge.repository("x")
    read_everything(forge)
