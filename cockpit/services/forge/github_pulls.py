"""GitHubForge's commit -> PR association: which pull requests GitHub associates with each commit.

falcosecurity/libs merges by rebase, so neither a commit's subject nor a merge commit names its PR; GitHub's own
association does (every commit a rebase merge landed names its PR). One GraphQL request asks about up to 100 commits
(`Commit.associatedPullRequests`, one alias per commit); where GraphQL is not served (an endpoint answering 404),
`GET /repos/{o}/{r}/commits/{sha}/pulls` asks per commit. A commit whose PRs include a merged one is cached forever
in the forge cache (that answer never changes), so a second look at the same commits costs no request.

A mixin of GitHubForge: it sends through the forge's one `_send` path, so errors map to the same ForgeError
classes, and every answer is checked (github_shapes) before it is read."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from cockpit.core.forge_models import CommitPull
from cockpit.services.forge import github_shapes as shape
from cockpit.services.forge.base import Conflict, ForgeError, NotFound, RateLimited
from cockpit.services.forge.codec import decode, encode

if TYPE_CHECKING:
    from cockpit.services.auth import RepoSlug
    from cockpit.services.cache import ForgeCache

BATCH = 100  # GitHub's limit of nodes per connection page; and a query of 100 aliases stays far below its cost cap
_SHA = re.compile(r"[0-9a-f]{40}")
_PULL_FIELDS = ("number title body merged state baseRefName author { login } milestone { title } "
                "labels(first: 100) { nodes { name } }")


def association_query(count: int) -> str:
    """The GraphQL query of `count` commits: variables $c0..$cN (the commit ids), one alias per commit."""
    variables = "".join(f", $c{n}: GitObjectID!" for n in range(count))
    aliases = " ".join(f"c{n}: object(oid: $c{n}) {{ ...pulls }}" for n in range(count))
    return (f"query($owner: String!, $name: String!{variables}) {{ "
            f"repository(owner: $owner, name: $name) {{ {aliases} }} rateLimit {{ cost remaining resetAt }} }} "
            f"fragment pulls on GitObject {{ ... on Commit {{ associatedPullRequests(first: 10) {{ "
            f"nodes {{ {_PULL_FIELDS} }} }} }} }}")


class GitHubCommitPulls:
    if TYPE_CHECKING:  # provided by GitHubForge
        _repo: str
        slug: RepoSlug
        cache: ForgeCache | None
        graphql: bool

        def _send(self, verb: str, url: str, params: dict[str, Any] | None = None, body: Any = None,
                  headers: dict[str, str] | None = None, what: str = "") -> tuple[int, dict[str, Any], Any]: ...

        def _get_paged(self, url: str, params: dict[str, Any] | None = None, what: str = "",
                       paged: bool = True) -> Any: ...

        @property
        def _graphql_url(self) -> str: ...

    def commit_pulls(self, shas: Sequence[str]) -> dict[str, tuple[CommitPull, ...]]:
        wanted = list(dict.fromkeys(s for s in shas if _SHA.fullmatch(s)))
        found = self._cached_pulls(wanted)
        missing = [s for s in wanted if s not in found]
        fetched: dict[str, tuple[CommitPull, ...]] = {}
        for start in range(0, len(missing), BATCH):
            batch = missing[start:start + BATCH]
            if self.graphql:
                try:
                    fetched.update(self._graphql_pulls(batch))
                    continue
                except NotFound:  # no GraphQL endpoint here (an old or restricted GitHub Enterprise): use REST
                    self.graphql = False
            for sha in batch:
                fetched[sha] = self._rest_pulls(sha)
        if self.cache is not None:
            settled = {sha: encode(list(pulls)) for sha, pulls in fetched.items() if any(p.merged for p in pulls)}
            if settled:
                self.cache.store_commit_pulls(settled)
        found.update({sha: pulls for sha, pulls in fetched.items() if pulls})
        return found

    def _cached_pulls(self, shas: list[str]) -> dict[str, tuple[CommitPull, ...]]:
        if self.cache is None or not shas:
            return {}
        found = {}
        for sha, value in self.cache.commit_pulls(shas).items():
            try:
                found[sha] = tuple(decode(CommitPull, v) for v in value)
            except (TypeError, ValueError, KeyError, AttributeError):
                continue  # a damaged entry is asked again
        return found

    def _graphql_pulls(self, shas: list[str]) -> dict[str, tuple[CommitPull, ...]]:
        what = f"the PRs of {len(shas)} commit(s)"
        variables: dict[str, Any] = {"owner": self.slug.owner, "name": self.slug.name}
        variables.update({f"c{n}": sha for n, sha in enumerate(shas)})
        _, _, data = self._send("POST", self._graphql_url, body={"query": association_query(len(shas)),
                                                                 "variables": variables}, what=what)
        answer = shape.checked(data, {"data": (shape.OBJECT_OR_NULL, False), "errors": ((list,), False)}, what,
                               "the answer")
        if answer.get("errors"):
            raise _graphql_error(answer["errors"], what)
        repository = shape.checked(answer.get("data"), {"repository": (shape.OBJECT_OR_NULL, False)}, what,
                                   "data").get("repository")
        if repository is None:
            raise NotFound(f"{what}: repository {self.slug} not found on {self.slug.host}")
        found = {}
        for n, sha in enumerate(shas):
            commit = repository.get(f"c{n}")
            if commit is None:  # not a commit GitHub knows (not pushed yet): no PR
                found[sha] = ()
                continue
            where = f"commit {sha[:10]}"
            commit = shape.checked(commit, {"associatedPullRequests": (shape.OBJECT, True)}, what, where)
            nodes = shape.checked(commit["associatedPullRequests"], {"nodes": ((list,), True)}, what,
                                  f"{where} associatedPullRequests")["nodes"]
            found[sha] = tuple(_graphql_pull(node, what, f"{where} PR [{i}]") for i, node in enumerate(nodes))
        return found

    def _rest_pulls(self, sha: str) -> tuple[CommitPull, ...]:
        what = f"the PRs of commit {sha[:10]}"
        try:
            pulls = shape.a_list(self._get_paged(f"{self._repo}/commits/{sha}/pulls", {"per_page": 100}, what), what)
        except (NotFound, Conflict):  # 422 "No commit found for SHA" (not pushed yet), 409 an empty repository
            return ()
        return tuple(_rest_pull(p, what, f"PR [{i}]") for i, p in enumerate(pulls))


def _graphql_error(errors: list[Any], what: str) -> ForgeError:
    first = errors[0] if errors and isinstance(errors[0], dict) else {}
    message = first.get("message") if isinstance(first.get("message"), str) else "no message"
    if first.get("type") == "RATE_LIMITED":
        return RateLimited(f"GitHub's GraphQL rate limit is used up: {what} are left out until it resets "
                           f"({message[:120]})")
    return ForgeError(f"GitHub's GraphQL API refused {what}: {message[:200]}")


_GRAPHQL_PULL: shape.Shape = {"number": (shape.INT, True), "title": (shape.TEXT, True),
                              "body": (shape.TEXT_OR_NULL, False), "merged": (shape.FLAG, True),
                              "state": (shape.TEXT, True), "baseRefName": (shape.TEXT, True),
                              "author": (shape.OBJECT_OR_NULL, False), "milestone": (shape.OBJECT_OR_NULL, False),
                              "labels": (shape.OBJECT_OR_NULL, False)}
_PULL_STATES = {"state": ("OPEN", "CLOSED", "MERGED")}


def _graphql_pull(node: Any, what: str, where: str) -> CommitPull:
    p = shape.checked(node, _GRAPHQL_PULL, what, where, _PULL_STATES)
    author = shape.checked(p.get("author") or {}, {"login": (shape.TEXT, False)}, what, f"{where} author")
    milestone = shape.checked(p.get("milestone") or {}, {"title": (shape.TEXT, False)}, what, f"{where} milestone")
    labels = shape.checked(p.get("labels") or {"nodes": []}, {"nodes": ((list,), True)}, what, f"{where} labels")
    names = tuple(shape.checked(lb, {"name": (shape.TEXT, True)}, what, f"{where} label")["name"]
                  for lb in labels["nodes"])
    return CommitPull(p["number"], p["title"], author.get("login", ""), names, milestone.get("title"),
                      p.get("body") or "", p["merged"], p["baseRefName"],
                      "open" if p["state"] == "OPEN" else "closed")


_REST_PULL: shape.Shape = {"number": (shape.INT, True), "title": (shape.TEXT, True), "state": (shape.TEXT, True),
                           "body": (shape.TEXT_OR_NULL, False), "merged_at": (shape.TEXT_OR_NULL, False),
                           "base": (shape.OBJECT, True), "user": (shape.OBJECT_OR_NULL, False),
                           "labels": ((list,), False), "milestone": (shape.OBJECT_OR_NULL, False)}


def _rest_pull(p: Any, what: str, where: str) -> CommitPull:
    p = shape.checked(p, _REST_PULL, what, _where_of(p, where))
    where = _where_of(p, where)
    base = shape.checked(p["base"], {"ref": (shape.TEXT, True)}, what, f"{where} base")
    user = shape.checked(p.get("user") or {}, {"login": (shape.TEXT, False)}, what, f"{where} user")
    milestone = shape.checked(p.get("milestone") or {}, {"title": (shape.TEXT, False)}, what, f"{where} milestone")
    names = tuple(shape.checked(lb, {"name": (shape.TEXT, True)}, what, f"{where} label")["name"]
                  for lb in p.get("labels") or ())
    return CommitPull(p["number"], p["title"], user.get("login", ""), names, milestone.get("title"),
                      p.get("body") or "", bool(p.get("merged_at")), base["ref"], p["state"])


def _where_of(p: Any, fallback: str) -> str:
    number = p.get("number") if isinstance(p, dict) else None
    return f"PR #{number}" if type(number) is int else fallback

