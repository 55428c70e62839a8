"""Repository, the authenticated user, rate limit status and issue search."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..ratelimit import LIMITS
from ..routing import ApiError, Call, Reply, route
from ..state import Issue, Repo
from .issues import sort_issues


@route("GET", "/repos/{owner}/{repo}")
def get_repo(call: Call) -> Reply:
    return Reply(200, call.render.full_repo(call.repo(), call.token))


@route("GET", "/user")
def get_user(call: Call) -> Reply:
    if call.token is None:
        raise ApiError(401, "Requires authentication")
    return Reply(200, call.render.private_user(call.token.login))


@route("GET", "/rate_limit")
def rate_limit(call: Call) -> Reply:
    account = call.token.login if call.token else "anonymous"
    resources = {}
    for resource in LIMITS:
        b = call.rates.bucket(account, resource)
        resources[resource] = {"limit": b.limit, "used": b.used, "remaining": b.remaining, "reset": b.reset,
                               "resource": resource}
    return Reply(200, {"resources": resources, "rate": dict(resources["core"])})


# ---- search ----------------------------------------------------------------------------------------------------
TOKEN = re.compile(r'(-?)(?:([a-zA-Z_]+):(?:"([^"]*)"|(\S+))|"([^"]*)"|(\S+))')
Predicate = Callable[[Repo, Issue], bool]


def _qualifier(name: str, value: str) -> Predicate | None:
    """The predicate for one `name:value` qualifier, None for one the emulator ignores (e.g. `in:title`)."""
    v = value.lower()
    simple: dict[str, Predicate] = {
        "type": lambda r, i: i.is_pull == (v == "pr"),
        "state": lambda r, i: i.state == v,
        "author": lambda r, i: i.user.lower() == v,
        "assignee": lambda r, i: v in (a.lower() for a in i.assignees),
        "label": lambda r, i: v in (label.lower() for label in i.labels),
        "base": lambda r, i: i.pull is not None and i.pull.base_ref.lower() == v,
        "head": lambda r, i: i.pull is not None and i.pull.head_ref.lower() == v,
        "milestone": lambda r, i: i.milestone is not None and r.milestones[i.milestone].title.lower() == v,
    }
    if name in simple:
        return simple[name]
    if name == "is":
        states: dict[str, Predicate] = {
            "pr": lambda r, i: i.is_pull,
            "issue": lambda r, i: not i.is_pull,
            "open": lambda r, i: i.state == "open",
            "closed": lambda r, i: i.state == "closed",
            "merged": lambda r, i: i.merged,
            "unmerged": lambda r, i: i.is_pull and not i.merged,
            "draft": lambda r, i: i.pull is not None and i.pull.draft,
        }
        return states.get(v)
    if name == "no":
        missing: dict[str, Predicate] = {
            "milestone": lambda r, i: i.milestone is None,
            "label": lambda r, i: not i.labels,
            "assignee": lambda r, i: not i.assignees,
        }
        return missing.get(v)
    return None


def _text(text: str) -> Predicate:
    """Free text: found in the title or the body, case-insensitively."""
    return lambda r, i: text in i.title.lower() or text in (i.body or "").lower()


def parse_query(q: str, call: Call) -> tuple[list[Repo], list[Predicate]]:
    """The repositories a `q` names (all when none) and the predicates every result must satisfy."""
    repos: list[Repo] = []
    predicates: list[Predicate] = []
    for m in TOKEN.finditer(q):
        negate, name, quoted, bare, phrase, word = m.groups()
        if name and name.lower() == "repo":
            repo = call.world.repo(quoted if quoted is not None else bare)
            if repo is None:
                raise ApiError(422, "Validation Failed", errors=[{
                    "message": "The listed users and repositories cannot be searched either because the resources "
                               "do not exist or you do not have permission to view them.",
                    "resource": "Search", "field": "q", "code": "invalid"}])
            repos.append(repo)
            continue
        predicate: Predicate | None
        if name:
            predicate = _qualifier(name.lower(), quoted if quoted is not None else bare)
        else:
            predicate = _text((phrase if phrase is not None else word).lower())
        if predicate is not None:
            predicates.append((lambda r, i, p=predicate: not p(r, i)) if negate else predicate)
    return repos or list(call.world.repos.values()), predicates


@route("GET", "/search/issues")
def search_issues(call: Call) -> Reply:
    q = call.arg("q")
    if not q or not q.strip():
        raise ApiError(422, "Validation Failed", errors=[{"resource": "Search", "field": "q", "code": "missing"}])
    repos, predicates = parse_query(q, call)
    found = [(repo, issue) for repo in repos for issue in repo.issues.values()
             if all(p(repo, issue) for p in predicates)]
    order = call.arg("order", "desc")
    ordered = sort_issues([issue for _, issue in found], call.arg("sort"), order)
    owner = {id(issue): repo for repo, issue in found}
    page = call.paginate(ordered[:1000])
    items = [call.render.search_item(owner[id(issue)], issue) for issue in page]
    return Reply(200, {"total_count": len(found), "incomplete_results": False, "items": items,
                       "search_type": "lexical"}, call.headers)
