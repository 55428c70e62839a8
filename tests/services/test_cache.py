"""The sqlite forge cache: responses with ETags, snapshots with their age, safe permissions, corruption."""

from __future__ import annotations

import stat
from pathlib import Path

from cockpit.services.cache import ForgeCache, cache_file


def test_responses_and_snapshots_round_trip(tmp_path: Path) -> None:
    now = [1000.0]
    cache = ForgeCache(tmp_path / "c.sqlite3", clock=lambda: now[0])
    assert cache.response("/x") is None
    cache.store_response("/x?page=1", 'W/"abc"', '<...>; rel="next"', '[{"a": 1}]')
    got = cache.response("/x?page=1")
    assert got and got.etag == 'W/"abc"' and got.body == '[{"a": 1}]' and got.link.endswith('rel="next"')
    cache.store_snapshot("milestones", [{"title": "0.26.0"}])
    now[0] = 1090.0
    snap = cache.snapshot("milestones")
    assert snap and snap.value == [{"title": "0.26.0"}] and snap.age_seconds(now[0]) == 90.0


def test_cache_file_is_private_and_per_repository(tmp_path: Path) -> None:
    path = cache_file(tmp_path, "github.com", "falcosecurity", "libs")
    other = cache_file(tmp_path, "github.com", "falcosecurity", "plugins")
    assert path != other and path.parent == tmp_path / "forge"
    ForgeCache(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_corrupt_cache_starts_over(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    cache = ForgeCache(path)
    cache.store_snapshot("k", 1)
    assert cache.snapshot("k").value == 1
