"""GitHub's GraphQL endpoint (`POST /api/graphql` beside `/api/v3`, as GitHub Enterprise serves it), for the part of
the schema the cockpit queries: `repository { object(oid) { ... on Commit { associatedPullRequests } } }` and
`rateLimit`.

Every query is parsed and validated against GitHub's published schema (../shared/github/graphql/schema.graphql) with
graphql-core, then executed by graphql-core against that same schema over the emulator's state, so an answer has
exactly the shape GitHub's would (a field the emulator does not know is null, and a null in a non-null field is an
error, as on GitHub). A commit's PRs are the ones the REST `commits/{sha}/pulls` route answers: the merged PRs that
landed it on their base (each commit of a rebase merge), or the open PRs whose head it is.

As on GitHub: errors come back with HTTP 200 and an `errors` array; a used-up rate limit is a `RATE_LIMITED` error;
the endpoint wants a token (401 without one).
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

from graphql import GraphQLError, GraphQLSchema, build_schema, execute, parse, validate

from .schemas import SPEC_PATH
from .state import Issue, Repo, World

SCHEMA_PATH = SPEC_PATH.parent / "graphql" / "schema.graphql"  # beside GitHub's REST schemas
GRAPHQL_PATH = "/api/graphql"
DOCS = "https://docs.github.com/graphql"


_built: list[GraphQLSchema] = []
_building = threading.Lock()


def github_schema() -> GraphQLSchema:
    """GitHub's schema, built once per process (1.5 s, more on a busy machine). The published SDL repeats a few
    fields and has deprecation mismatches graphql-core would reject: built as valid, its validation errors cleared."""
    with _building:
        if not _built:
            schema = build_schema(SCHEMA_PATH.read_text(encoding="utf-8"), assume_valid_sdl=True)
            schema._validation_errors = []  # type: ignore[attr-defined]
            _built.append(schema)
        return _built[0]



def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _names(issue: Issue, oid: str) -> bool:
    pull = issue.pull
    return pull is not None and (oid in pull.landed or pull.merge_commit_sha == oid)


class _Resolver:
    """The emulator's state as graphql-core's default resolver reads it: dicts, with callables for fields that
    take arguments (graphql-core calls them with `info` and the arguments)."""

    def __init__(self, world: World, cost: dict[str, int]) -> None:
        self.world = world
        self.cost = cost

    def root(self, rate: dict[str, Any]) -> dict[str, Any]:
        return {"repository": self.repository, "rateLimit": lambda info, dryRun=False: rate}

    def repository(self, info: Any, owner: str, name: str, **_: Any) -> dict[str, Any] | None:
        repo = self.world.repo(f"{owner}/{name}")
        if repo is None:
            return None
        return {"__typename": "Repository", "name": repo.name, "nameWithOwner": repo.full_name,
                "object": lambda info, oid=None, expression=None: self.commit(repo, oid)}

    def commit(self, repo: Repo, oid: str | None) -> dict[str, Any] | None:
        if oid is None:
            return None
        pulls = [i for i in repo.issues.values() if i.merged and _names(i, oid)]
        known = oid in repo.commits or any(_names(i, oid) for i in repo.issues.values())
        if not known:
            return None  # GitHub answers null for an object the repository does not have
        if not pulls:
            pulls = [i for i in repo.issues.values() if i.pull and i.state == "open" and i.pull.head_sha == oid]
        pulls.sort(key=lambda i: i.created_at)  # GitHub's default order: CREATED_AT ascending

        def associated(info: Any, first: int | None = None, **_: Any) -> dict[str, Any]:
            shown = pulls[: first if first is not None else 100]
            self.cost["nodes"] += len(shown)
            return {"totalCount": len(pulls), "nodes": [self.pull(repo, i) for i in shown]}

        return {"__typename": "Commit", "oid": oid, "associatedPullRequests": associated}

    def pull(self, repo: Repo, issue: Issue) -> dict[str, Any]:
        pull = issue.pull
        assert pull is not None
        milestone = next((m for m in repo.milestones.values() if m.number == issue.milestone), None)
        labels = [{"__typename": "Label", "name": name} for name in issue.labels]
        state = "MERGED" if issue.merged else "OPEN" if issue.state == "open" else "CLOSED"
        return {
            "__typename": "PullRequest", "number": issue.number, "title": issue.title, "body": issue.body or "",
            "merged": issue.merged, "state": state, "baseRefName": pull.base_ref, "headRefName": pull.head_ref,
            "mergedAt": _iso(pull.merged_at) if pull.merged_at else None,
            "author": {"__typename": "User", "login": issue.user},
            "milestone": {"__typename": "Milestone", "title": milestone.title, "number": milestone.number}
            if milestone else None,
            "labels": lambda info, first=None, **_: {"totalCount": len(labels), "nodes": labels[: first or 100]},
        }


def answer(world: World, body: Any, rate: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The JSON answer to one GraphQL request, and the problems with the query (empty when GitHub would accept it).

    `rate` is the `rateLimit` object of the caller's graphql bucket, after this query's cost."""
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        return {"errors": [{"message": "A query attribute must be specified and must be a string."}]}, \
            ["no query string in the request body"]
    variables = body.get("variables")
    if variables is not None and not isinstance(variables, dict):
        return {"errors": [{"message": "Variables are invalid JSON."}]}, ["variables are not an object"]
    try:
        document = parse(body["query"])
    except GraphQLError as exc:
        return {"errors": [exc.formatted]}, [f"syntax: {exc.message}"]
    schema = github_schema()
    problems = validate(schema, document)
    if problems:
        return {"errors": [e.formatted for e in problems]}, [e.message for e in problems]
    cost = {"nodes": 0}
    result = execute(schema, document, _Resolver(world, cost).root(rate), variable_values=variables or {})
    out: dict[str, Any] = {"data": result.data}
    if result.errors:
        out["errors"] = [e.formatted for e in result.errors]
        return out, [e.message for e in result.errors]
    return out, []


def rate_object(limit: int, remaining: int, reset: int) -> dict[str, Any]:
    return {"__typename": "RateLimit", "cost": 1, "limit": limit, "remaining": remaining, "used": limit - remaining,
            "nodeCount": 0, "resetAt": _iso(datetime.fromtimestamp(reset, UTC))}
