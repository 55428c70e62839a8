"""GitHub's own OpenAPI schemas for the 27 endpoints the cockpit uses, as a validator for the emulator.

The emulator is only worth something if what it sends is what GitHub sends: every response body it writes (and every
request body a client sends it) is checked here against the description GitHub publishes, kept in
`../shared/github/openapi-subset.json` next to the project.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from openapi_schema_validator import OAS30Validator, oas30_format_checker


def _find_spec() -> Path:
    """GitHub's schemas live in the shared folder beside the project (`../shared/github/`); COCKPIT_GITHUB_SPEC
    points elsewhere. A missing file fails loudly: schema validation is never silently skipped."""
    override = os.environ.get("COCKPIT_GITHUB_SPEC")
    if override:
        return Path(override)
    project = Path(__file__).resolve().parents[2]
    for folder in (project, *project.parents):
        candidate = folder / "shared" / "github" / "openapi-subset.json"
        if candidate.is_file():
            return candidate
    return project.parent / "shared" / "github" / "openapi-subset.json"


SPEC_PATH = _find_spec()

# Path parameters whose values GitHub lets span several segments (`release/0.26.x`, `driver/API_VERSION`).
MULTI_SEGMENT = frozenset({"path", "ref", "branch", "basehead", "tag"})

# What GitHub accepts beyond its published request schema. PyGithub's Issue.add_to_labels posts a bare JSON array of
# names, which GitHub has always accepted (older descriptions listed it) but the current schema no longer documents.
REQUEST_ALLOWANCES: dict[str, dict[str, Any]] = {
    "POST /repos/{owner}/{repo}/issues/{issue_number}/labels": {"type": "array", "items": {"type": "string"}},
}


# Where GitHub's published schema can never be met, and how it is read instead. The 409 of a contents PUT is a
# `oneOf` of "Basic Error" and "Repository rule violation", and any error body is valid under both: read it as anyOf.
AMBIGUOUS_ONE_OF = {("PUT /repos/{owner}/{repo}/contents/{path}", "409")}


@dataclass(frozen=True)
class Endpoint:
    """One documented operation: its method, path template and the raw OpenAPI operation."""

    method: str
    template: str
    operation: dict[str, Any] = field(repr=False, compare=False)

    @property
    def key(self) -> str:
        return f"{self.method} {self.template}"

    @property
    def docs_url(self) -> str:
        return str(self.operation.get("docs_url") or "https://docs.github.com/rest")

    def response_schema(self, status: int, content_type: str = "application/json") -> dict[str, Any] | None:
        response = self.operation["responses"].get(str(status))
        if response is None:
            return None
        content = response.get("content") or {}
        media = content.get(content_type) or {}
        return media.get("schema")

    def request_schema(self) -> dict[str, Any] | None:
        body = self.operation.get("requestBody")
        if not body:
            return None
        return body["content"]["application/json"]["schema"]

    def documents(self, status: int) -> bool:
        return str(status) in self.operation["responses"]


def template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    pattern = ""
    for part in parts:
        if part.startswith("{"):
            name = part[1:-1]
            if name == "path":  # contents: "" is the repository root
                pattern += f"(?P<{name}>.*)"
            else:
                pattern += f"(?P<{name}>.+)" if name in MULTI_SEGMENT else f"(?P<{name}>[^/]+)"
        else:
            pattern += re.escape(part)
    return re.compile(f"^{pattern}$")


class SchemaBook:
    """The endpoints of the subset, with path matching and response/request validation."""

    def __init__(self, spec_path: Path = SPEC_PATH) -> None:
        spec = _without_discriminators(json.loads(spec_path.read_text(encoding="utf-8")))
        self.endpoints: dict[str, Endpoint] = {}
        for key, operation in spec["endpoints"].items():
            method, template = key.split(" ", 1)
            for status, response in operation["responses"].items():
                schema = ((response.get("content") or {}).get("application/json") or {}).get("schema") or {}
                if (key, status) in AMBIGUOUS_ONE_OF and "oneOf" in schema:
                    schema["anyOf"] = schema.pop("oneOf")
            self.endpoints[key] = Endpoint(method, template, operation)
        self._regexes = {key: template_regex(ep.template) for key, ep in self.endpoints.items()}
        self._validators: dict[tuple[str, str], OAS30Validator] = {}

    def endpoint(self, method: str, template: str) -> Endpoint:
        return self.endpoints[f"{method.upper()} {template}"]

    def match(self, method: str, path: str) -> tuple[Endpoint, dict[str, str]] | None:
        """The endpoint a concrete API path (without the `/api/v3` prefix) belongs to, and its path parameters.

        Where several templates match (`/branches/{branch}` also matches `.../protection`), the one with the most
        literal text wins.
        """
        found: list[tuple[int, Endpoint, dict[str, str]]] = []
        for key, regex in self._regexes.items():
            endpoint = self.endpoints[key]
            if endpoint.method != method.upper():
                continue
            m = regex.match(path)
            if m:
                literal = len(re.sub(r"\{[^}]+\}", "", endpoint.template))
                found.append((literal, endpoint, m.groupdict()))
        if not found:
            return None
        found.sort(key=lambda item: item[0], reverse=True)
        return found[0][1], found[0][2]

    def _validator(self, cache_key: tuple[str, str], schema: dict[str, Any], formats: bool) -> OAS30Validator:
        validator = self._validators.get(cache_key)
        if validator is None:
            checker = oas30_format_checker if formats else None
            validator = OAS30Validator(schema, format_checker=checker)
            self._validators[cache_key] = validator
        return validator

    def validate_response(
        self, method: str, template: str, status: int, body: Any, content_type: str = "application/json"
    ) -> list[str]:
        """Problems with a response body, [] when it matches the schema GitHub documents for that status.

        A success status the endpoint does not document is itself a problem; an undocumented error status (401, 403
        rate limits, 5xx: GitHub sends those on any endpoint) must at least carry GitHub's `message`.
        """
        endpoint = self.endpoint(method, template)
        if status == 304:
            return [] if body is None else ["304 must have no body"]
        schema = endpoint.response_schema(status, content_type)
        if schema is None:
            if endpoint.documents(status):
                return []  # documented without a JSON body (e.g. 409 on contents)
            if status < 400:
                return [f"status {status} is not documented for {endpoint.key}"]
            if not isinstance(body, dict) or not isinstance(body.get("message"), str):
                return [f"error body without a message: {body!r}"[:300]]
            return []
        validator = self._validator((endpoint.key, f"{status} {content_type}"), schema, formats=True)
        return _messages(validator.iter_errors(body))

    def validate_request(self, method: str, template: str, body: Any) -> list[str]:
        """Problems with a request body, [] when GitHub would accept its shape.

        Formats are not checked: GitHub accepts a bare date for `due_on`, and PyGithub's Milestone.edit sends one.
        """
        endpoint = self.endpoint(method, template)
        schema = endpoint.request_schema()
        if schema is None:
            return []
        if body is None:
            required = bool(endpoint.operation.get("requestBody", {}).get("required"))
            return ["request body required"] if required else []
        errors = _messages(self._validator((endpoint.key, "request"), schema, formats=False).iter_errors(body))
        allowance = REQUEST_ALLOWANCES.get(endpoint.key)
        if errors and allowance is not None:
            extra = self._validator((endpoint.key, "request-allowance"), allowance, formats=False)
            if not _messages(extra.iter_errors(body)):
                return []
        return errors


def _without_discriminators(node: Any) -> Any:
    """Drop `discriminator`s: their mappings point at `#/components/...`, which the resolved subset no longer has.

    The `oneOf` they annotate still validates, and exactly one alternative must match.
    """
    if isinstance(node, dict):
        return {k: _without_discriminators(v) for k, v in node.items() if k != "discriminator"}
    if isinstance(node, list):
        return [_without_discriminators(v) for v in node]
    return node


def _messages(errors: Iterable[Any]) -> list[str]:
    """One line per error, naming where it is; oneOf/anyOf failures also say why each alternative failed."""
    out = []
    for error in sorted(errors, key=lambda e: list(map(str, e.absolute_path))):
        where = "/" + "/".join(str(p) for p in error.absolute_path)
        if error.context:
            reasons = sorted({f"[{'/'.join(map(str, sub.schema_path))}] {sub.message[:120]}" for sub in error.context})
            out.append(f"{where}: matches no alternative: " + "; ".join(reasons[:6]))
        else:
            out.append(f"{where}: {error.message}"[:400])
    return out


@cache
def schema_book() -> SchemaBook:
    """The shared, parsed subset (loading and compiling it takes a moment; every emulator reuses it)."""
    return SchemaBook()
