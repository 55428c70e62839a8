"""How old the local view of the remote is, in words: every screen says when the repository last fetched, since a
stale view can hide a tag or a branch the remote already has."""

from __future__ import annotations

from datetime import UTC, datetime


def age_words(seconds: float) -> str:
    minutes = int(max(0.0, seconds) // 60)
    if minutes < 1:
        return "just now"
    if minutes < 120:
        return f"{minutes} min ago"
    if minutes < 48 * 60:
        return f"{minutes // 60} h ago"
    return f"{minutes // (24 * 60)} days ago"


def fetched_words(fetched_at: datetime | None, now: datetime | None = None) -> str:
    """`fetched 12 min ago`, or `never fetched` when the repository has no record of a fetch."""
    if fetched_at is None:
        return "never fetched"
    now = now or datetime.now(UTC)
    return f"fetched {age_words((now - fetched_at).total_seconds())}"
