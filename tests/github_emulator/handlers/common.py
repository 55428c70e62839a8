"""Parsing helpers shared by handlers: GitHub's loose date and number inputs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from ..routing import ApiError


def parse_time(value: Any, *, resource: str, field: str) -> datetime | None:
    """An ISO 8601 timestamp or bare date (GitHub accepts both for `due_on` and `since`)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiError(422, "Validation Failed", errors=[{"resource": resource, "field": field, "code": "invalid"}])
    text = value.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ApiError(
            422, "Validation Failed", errors=[{"resource": resource, "field": field, "code": "invalid"}]
        ) from exc
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def as_number(value: Any) -> int | None:
    """An integer given as a JSON number or a numeric string; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None
