"""CachedForge: paints from the snapshot, refreshes, and falls back on it (with its age) when the forge fails."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cockpit.core.forge_models import Item, Milestone
from cockpit.services.cache import ForgeCache
from cockpit.services.forge.base import ForgeError
from cockpit.services.forge.cached import CachedForge
from cockpit.services.forge.codec import decode, encode
from cockpit.services.forge.local import LocalForge


def forge_file(path: Path) -> Path:
    path.write_text(json.dumps({
        "schema": 1,
        "repository": {"owner": "falcosecurity", "name": "libs", "default_branch": "master",
                       "html_url": "https://github.com/falcosecurity/libs"},
        "milestones": [{"number": 1, "title": "0.26.0", "state": "open", "due_on": "2026-11-30T00:00:00Z"}],
        "items": [{"number": 5, "kind": "pr", "title": "fix: a", "state": "closed", "merged": True,
                   "merged_at": "2026-11-01T10:00:00Z", "milestone": "0.26.0", "labels": ["kind/bug"],
                   "author": "alice", "body": "```release-note\nfix: a\n```"}],
    }))
    return path


@pytest.mark.fault
def test_online_then_offline_falls_back_with_age(tmp_path: Path) -> None:
    now = [1000.0]
    path = forge_file(tmp_path / "forge.json")
    cached = CachedForge(LocalForge(path), ForgeCache(tmp_path / "c.sqlite3", clock=lambda: now[0]),
                         clock=lambda: now[0])
    assert cached.cached_milestones() is None  # nothing to paint before the first read
    first = cached.milestones()
    assert first.source == "online" and [m.title for m in first.value] == ["0.26.0"]
    assert cached.milestone_items("0.26.0").value[0].labels == ("kind/bug",)
    path.write_text("{ broken")  # the forge becomes unreadable
    now[0] = 1600.0
    again = cached.milestones()
    assert again.source == "cached" and again.age_seconds == 600.0 and "unreadable" in again.problem
    assert again.value == first.value
    items = cached.milestone_items("0.26.0")
    assert items.source == "cached" and items.value[0].merged
    with pytest.raises(ForgeError):
        cached.milestone_items("0.27.0")  # never read: nothing to fall back on


def test_cached_paint_needs_no_forge(tmp_path: Path) -> None:
    path = forge_file(tmp_path / "forge.json")
    cached = CachedForge(LocalForge(path), ForgeCache(tmp_path / "c.sqlite3"))
    cached.milestones()
    path.unlink()  # painting from the snapshot never touches the forge
    paint = cached.cached_milestones()
    assert paint and paint.value[0].due_on == date(2026, 11, 30)


TEXT = st.text(max_size=20)
MOMENT = st.datetimes(timezones=st.just(UTC)).map(lambda d: d.replace(microsecond=0))


@given(st.builds(Item, number=st.integers(1, 10**6), kind=st.sampled_from(["pr", "issue"]), title=TEXT,
                 state=st.sampled_from(["open", "closed"]), author=TEXT, labels=st.lists(TEXT).map(tuple),
                 body=TEXT, milestone=st.one_of(st.none(), TEXT), merged_at=st.one_of(st.none(), MOMENT),
                 created_at=st.one_of(st.none(), MOMENT)))
def test_item_codec_round_trips(item: Item) -> None:
    assert decode(Item, json.loads(json.dumps(encode(item)))) == item


@given(st.builds(Milestone, number=st.integers(1, 10**6), title=TEXT, state=st.sampled_from(["open", "closed"]),
                 due_on=st.one_of(st.none(), st.dates())))
def test_milestone_codec_round_trips(milestone: Milestone) -> None:
    assert decode(Milestone, json.loads(json.dumps(encode(milestone)))) == milestone


def test_codec_keeps_timezones() -> None:
    item = Item(1, "pr", "t", "closed", "a", merged_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert decode(Item, encode(item)).merged_at.tzinfo is not None
