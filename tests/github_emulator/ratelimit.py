"""GitHub's primary rate limits: a budget per account and resource (`core`, `search`), reset once an hour.

Every counted request spends one unit; a conditional GET answered 304 and `GET /rate_limit` spend nothing, as on
GitHub. Tests set budgets directly to reach the limit without sending thousands of requests.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

LIMITS = {"core": 5000, "search": 30, "graphql": 5000, "integration_manifest": 5000, "code_search": 10}
ANONYMOUS_LIMITS = {"core": 60, "search": 10, "graphql": 0, "integration_manifest": 5000, "code_search": 0}
WINDOW = {"search": 60, "code_search": 60}  # seconds; everything else resets hourly


@dataclass
class Bucket:
    limit: int
    remaining: int
    reset: int  # epoch seconds

    @property
    def used(self) -> int:
        return self.limit - self.remaining


class RateLimits:
    """Buckets keyed by account ("anonymous" for unauthenticated calls) and resource."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._buckets: dict[tuple[str, str], Bucket] = {}

    def bucket(self, account: str, resource: str = "core") -> Bucket:
        with self._lock:
            key = (account.lower(), resource)
            now = int(time.time())
            bucket = self._buckets.get(key)
            if bucket is None or bucket.reset <= now:
                limits = ANONYMOUS_LIMITS if account == "anonymous" else LIMITS
                limit = limits.get(resource, 5000)
                bucket = Bucket(limit, limit, now + WINDOW.get(resource, 3600))
                self._buckets[key] = bucket
            return bucket

    def spend(self, account: str, resource: str) -> Bucket:
        bucket = self.bucket(account, resource)
        with self._lock:
            bucket.remaining = max(bucket.remaining - 1, 0)
        return bucket

    def set(
        self, account: str, resource: str = "core", *, remaining: int | None = None, limit: int | None = None,
        reset: int | None = None,
    ) -> Bucket:
        bucket = self.bucket(account, resource)
        with self._lock:
            if limit is not None:
                bucket.limit = limit
            if remaining is not None:
                bucket.remaining = remaining
            if reset is not None:
                bucket.reset = reset
        return bucket
