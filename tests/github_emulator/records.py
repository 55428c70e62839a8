"""What the emulator saw: every request it received, and every way a body broke GitHub's schemas."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class RecordedRequest:
    """One request as received (Authorization removed) and the status answered (None: connection dropped)."""

    method: str
    path: str  # API path, without /api/v3
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: Any
    status: int | None = None
    fault: str | None = None
    template: str | None = None  # the endpoint it was routed to, in GitHub's OpenAPI spelling
    validated: bool = False  # the response was checked against the endpoint's schema

    def arg(self, name: str) -> str | None:
        values = [v for k, v in self.query if k == name]
        return values[-1] if values else None


@dataclass
class Violation:
    """A body that does not match what GitHub documents, or an endpoint outside the documented subset."""

    kind: str  # "response" | "request" | "url" | "endpoint" | "crash"
    method: str
    path: str
    status: int | None
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        details = "\n    ".join(self.errors[:10])
        return f"{self.kind}: {self.method} {self.path} -> {self.status}\n    {details}"
