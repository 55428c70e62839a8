"""The vocabulary handlers speak: a parsed call, a reply, GitHub-shaped errors, and the route table.

Route templates are written exactly as GitHub's OpenAPI description spells them, so each reply can be validated
against the schema of the endpoint that produced it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from .ratelimit import RateLimits
from .render import Renderer
from .schemas import template_regex
from .state import Repo, Token, World

DOCS = "https://docs.github.com/rest"
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 30


class ApiError(Exception):
    """An error reply with GitHub's body: `message`, `documentation_url`, `status` and, for 422, `errors`."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        documentation_url: str | None = None,
    ) -> None:
        super().__init__(f"{status} {message}")
        self.status = status
        self.message = message
        self.errors = errors
        self.headers = headers or {}
        self.documentation_url = documentation_url

    def body(self, docs_url: str = DOCS) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message}
        if self.errors is not None:
            body["errors"] = self.errors
        body["documentation_url"] = self.documentation_url or docs_url
        body["status"] = str(self.status)
        return body


def not_found(message: str = "Not Found") -> ApiError:
    return ApiError(404, message)


def invalid(resource: str, field: str, code: str = "invalid", **extra: Any) -> ApiError:
    return ApiError(422, "Validation Failed", errors=[{"resource": resource, "field": field, "code": code, **extra}])


def custom_invalid(resource: str, message: str) -> ApiError:
    return ApiError(422, "Validation Failed", errors=[{"resource": resource, "code": "custom", "message": message}])


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Call:
    """One request as a handler sees it (the world lock is held while the handler runs)."""

    world: World
    render: Renderer
    method: str
    path: str  # API path, without the /api/v3 prefix
    params: dict[str, str]
    query: list[tuple[str, str]]
    body: Any
    token: Token | None
    rates: RateLimits
    headers: dict[str, str] = field(default_factory=dict)  # filled by paginate(): Link

    def arg(self, name: str, default: str | None = None) -> str | None:
        """The last value of a query parameter (GitHub's own rule for repeated parameters)."""
        values = [v for k, v in self.query if k == name]
        return values[-1] if values else default

    def int_arg(self, name: str, default: int) -> int:
        value = self.arg(name)
        try:
            return int(value) if value not in (None, "") else default
        except ValueError:
            return default

    def repo(self) -> Repo:
        repo = self.world.repo(f"{self.params['owner']}/{self.params['repo']}")
        if repo is None or (repo.private and self.token is None):
            raise not_found()
        return repo

    @property
    def login(self) -> str:
        return self.token.login if self.token else "ghost"

    def can_push(self, repo: Repo) -> bool:
        return self.token is not None and self.token.can_push(repo.full_name)

    def require_push(self, repo: Repo) -> None:
        if not self.can_push(repo):
            raise ApiError(403, "Must have push access to repository")

    def now(self) -> datetime:
        return self.world.now()

    def field(self, name: str, default: Any = None) -> Any:
        return self.body.get(name, default) if isinstance(self.body, dict) else default

    def paginate(self, items: list[Any], *, default_per_page: int = DEFAULT_PER_PAGE) -> list[Any]:
        """The requested page of `items`, setting a `Link` header whose URLs repeat every query parameter."""
        per_page = min(max(self.int_arg("per_page", default_per_page), 1), MAX_PER_PAGE)
        page = max(self.int_arg("page", 1), 1)
        last = max((len(items) + per_page - 1) // per_page, 1)
        links = []
        if page > 1:
            links.append(("prev", min(page - 1, last)))
        if page < last:
            links.extend([("next", page + 1), ("last", last)])
        if page > 1:
            links.append(("first", 1))
        if links:
            self.headers["Link"] = ", ".join(f'<{self.page_url(n)}>; rel="{rel}"' for rel, n in links)
        return items[(page - 1) * per_page : page * per_page]

    def page_url(self, page: int) -> str:
        query = [(k, v) for k, v in self.query if k != "page"] + [("page", str(page))]
        return f"{self.render.api}{self.path}?{urlencode(query)}"


Handler = Callable[[Call], Reply]


class Router:
    """Maps (method, API path) to a handler; with overlapping templates the one with the most literal text wins."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[re.Pattern[str], Handler]] = {}

    def route(self, method: str, template: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.routes[f"{method} {template}"] = (template_regex(template), handler)
            return handler

        return register

    def match(self, method: str, path: str) -> tuple[str, Handler, dict[str, str]] | None:
        best: tuple[int, str, Handler, dict[str, str]] | None = None
        for key, (regex, handler) in self.routes.items():
            route_method, template = key.split(" ", 1)
            if route_method != method:
                continue
            m = regex.match(path)
            if m is None:
                continue
            literal = len(re.sub(r"\{[^}]+\}", "", template))
            if best is None or literal > best[0]:
                best = (literal, template, handler, m.groupdict())
        return None if best is None else best[1:]


ROUTER = Router()
route = ROUTER.route
