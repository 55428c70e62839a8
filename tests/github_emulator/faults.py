"""Switchable failures, so clients can be tested against everything GitHub (or the network) does to them.

A fault is armed for the next N matching requests (`fail_next`) or until cleared (`fail_always`), optionally only
for one method or API path prefix. It is taken before authentication, as a proxy or GitHub's front end would fail.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

PRIMARY_MESSAGE = "API rate limit exceeded for {who}."  # "user ID 1", or the client address when anonymous
SECONDARY_MESSAGE = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
RATE_DOCS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"


class Fault(StrEnum):
    BAD_CREDENTIALS = "bad_credentials"  # 401 "Bad credentials"
    RATE_LIMIT = "rate_limit"  # 403 primary: X-RateLimit-Remaining: 0
    SECONDARY_RATE_LIMIT = "secondary_rate_limit"  # 403 with Retry-After
    TOO_MANY_REQUESTS = "too_many_requests"  # 429 with Retry-After
    TOO_MANY_REQUESTS_BARE = "too_many_requests_bare"  # 429 without Retry-After
    SERVER_ERROR = "server_error"  # 500 JSON
    BAD_GATEWAY = "bad_gateway"  # 502 HTML, as GitHub's front end sends it
    DROP = "drop"  # the connection is closed without a response; the request is not processed
    SLOW = "slow"  # the answer comes after `delay` seconds (the request IS processed)


@dataclass
class FaultRule:
    kind: Fault
    remaining: int | None  # None: until cleared
    path_prefix: str | None = None  # API path, without /api/v3 (e.g. "/repos/o/r/issues")
    method: str | None = None
    delay: float | None = None  # SLOW only; default Faults.slow_seconds
    retry_after: int = 60  # seconds, for the faults that send Retry-After

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self.path_prefix is None or path.startswith(self.path_prefix)


@dataclass
class FaultReply:
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str]


class Faults:
    """The armed faults; thread-safe, first matching rule wins."""

    def __init__(self, slow_seconds: float = 2.0) -> None:
        self.slow_seconds = slow_seconds
        self._rules: list[FaultRule] = []
        self._lock = threading.Lock()

    def fail_next(
        self, kind: Fault | str, count: int = 1, path_prefix: str | None = None, method: str | None = None, *,
        delay: float | None = None, retry_after: int = 60,
    ) -> FaultRule:
        """Fail the next `count` requests matching `method` / `path_prefix` with `kind`."""
        rule = FaultRule(Fault(kind), count, path_prefix, method, delay, retry_after)
        with self._lock:
            self._rules.append(rule)
        return rule

    def fail_always(
        self, kind: Fault | str, path_prefix: str | None = None, method: str | None = None, *,
        delay: float | None = None, retry_after: int = 60,
    ) -> FaultRule:
        """Fail every matching request with `kind` until `clear()`."""
        rule = FaultRule(Fault(kind), None, path_prefix, method, delay, retry_after)
        with self._lock:
            self._rules.append(rule)
        return rule

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    @property
    def pending(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    def take(self, method: str, path: str) -> FaultRule | None:
        with self._lock:
            for rule in self._rules:
                if rule.matches(method, path):
                    if rule.remaining is not None:
                        rule.remaining -= 1
                        if rule.remaining <= 0:
                            self._rules.remove(rule)
                    return rule
        return None


def fault_reply(rule: FaultRule, *, who: str, limit: int, reset: int) -> FaultReply:
    """The response GitHub sends for an HTTP-level fault (not DROP or SLOW)."""
    def json_reply(status: int, message: str, docs: str, headers: dict[str, str] | None = None) -> FaultReply:
        body: dict[str, Any] = {"message": message, "documentation_url": docs, "status": str(status)}
        return FaultReply(status, json.dumps(body).encode(), "application/json; charset=utf-8", headers or {})

    retry = {"Retry-After": str(rule.retry_after)}
    match rule.kind:
        case Fault.BAD_CREDENTIALS:
            return json_reply(401, "Bad credentials", "https://docs.github.com/rest")
        case Fault.RATE_LIMIT:
            headers = {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": "0", "X-RateLimit-Used": str(limit),
                       "X-RateLimit-Reset": str(reset)}
            return json_reply(403, PRIMARY_MESSAGE.format(who=who), RATE_DOCS, headers)
        case Fault.SECONDARY_RATE_LIMIT:
            return json_reply(403, SECONDARY_MESSAGE, RATE_DOCS, retry)
        case Fault.TOO_MANY_REQUESTS:
            return json_reply(429, SECONDARY_MESSAGE, RATE_DOCS, retry)
        case Fault.TOO_MANY_REQUESTS_BARE:
            return json_reply(429, SECONDARY_MESSAGE, RATE_DOCS)
        case Fault.SERVER_ERROR:
            return json_reply(500, "Server Error", "https://docs.github.com/rest")
        case Fault.BAD_GATEWAY:
            html = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>\n"
            return FaultReply(502, html, "text/html", {})
    raise ValueError(f"{rule.kind} has no HTTP reply")
