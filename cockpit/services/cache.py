"""The forge read cache: stdlib sqlite3 under the platformdirs cache dir, one file per repository.

It keeps three things: raw GitHub responses with their ETag (so a refresh is a conditional request that GitHub
answers 304 without charging the rate limit), and decoded snapshots the cockpit paints at once, marked with their
age, and falls back on when the forge is offline; and each commit's associated PRs once one of them is merged
(a merged PR's commits never change, so that answer is kept forever and never asked again). It never stores a
token: only URLs, ETags and bodies."""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cockpit.services.dirs import make_private_dir

_SCHEMA = """
CREATE TABLE IF NOT EXISTS http (url TEXT PRIMARY KEY, etag TEXT NOT NULL, link TEXT, body TEXT NOT NULL,
                                 fetched_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS snapshot (key TEXT PRIMARY KEY, value TEXT NOT NULL, fetched_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS commit_pulls (sha TEXT PRIMARY KEY, value TEXT NOT NULL, fetched_at REAL NOT NULL);
"""


@dataclass(frozen=True)
class CachedResponse:
    etag: str
    link: str | None
    body: str
    fetched_at: float


@dataclass(frozen=True)
class Snapshot:
    value: Any
    fetched_at: float

    def age_seconds(self, now: float | None = None) -> float:
        return max(0.0, (now or time.time()) - self.fetched_at)


def cache_file(root: Path, host: str, owner: str, name: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", f"{host}__{owner}__{name}")
    return root / "forge" / f"{safe}.sqlite3"


class ForgeCache:
    def __init__(self, path: Path, clock: Callable[[], float] = time.time):
        self.path = path
        self._clock = clock
        self._lock = threading.Lock()
        make_private_dir(path.parent)
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(self.path, check_same_thread=False, timeout=5)
            db.executescript(_SCHEMA)
        except sqlite3.DatabaseError:
            # a corrupt cache is only a cache: start a new one
            self.path.unlink(missing_ok=True)
            db = sqlite3.connect(self.path, check_same_thread=False, timeout=5)
            db.executescript(_SCHEMA)
        self.path.chmod(0o600)
        return db

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # --- conditional requests ---------------------------------------------------------------------------------

    def response(self, url: str) -> CachedResponse | None:
        with self._lock:
            row = self._db.execute("SELECT etag, link, body, fetched_at FROM http WHERE url = ?", (url,)).fetchone()
        return CachedResponse(*row) if row else None

    def store_response(self, url: str, etag: str, link: str | None, body: str) -> None:
        with self._lock, self._db:
            self._db.execute("INSERT OR REPLACE INTO http VALUES (?, ?, ?, ?, ?)",
                             (url, etag, link, body, self._clock()))

    # --- snapshots ----------------------------------------------------------------------------------------------

    def snapshot(self, key: str) -> Snapshot | None:
        with self._lock:
            row = self._db.execute("SELECT value, fetched_at FROM snapshot WHERE key = ?", (key,)).fetchone()
        if not row:
            return None
        try:
            return Snapshot(json.loads(row[0]), row[1])
        except json.JSONDecodeError:
            return None

    def store_snapshot(self, key: str, value: Any) -> None:
        with self._lock, self._db:
            self._db.execute("INSERT OR REPLACE INTO snapshot VALUES (?, ?, ?)",
                             (key, json.dumps(value), self._clock()))

    # --- commit -> PR association ---------------------------------------------------------------------------------

    def commit_pulls(self, shas: list[str]) -> dict[str, Any]:
        """The stored association of each of `shas` that has one (decoded JSON, as stored)."""
        found: dict[str, Any] = {}
        with self._lock:
            for start in range(0, len(shas), 500):  # SQLite's limit on bound parameters
                chunk = shas[start:start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(f"SELECT sha, value FROM commit_pulls WHERE sha IN ({marks})",
                                        chunk).fetchall()
                for sha, value in rows:
                    try:
                        found[sha] = json.loads(value)
                    except json.JSONDecodeError:
                        continue  # a damaged row is only a cache miss
        return found

    def store_commit_pulls(self, pulls: dict[str, Any]) -> None:
        now = self._clock()
        with self._lock, self._db:
            self._db.executemany("INSERT OR REPLACE INTO commit_pulls VALUES (?, ?, ?)",
                                 [(sha, json.dumps(value), now) for sha, value in pulls.items()])
