"""Pull requests: list (no milestone filter, as on GitHub), get, create; a commit's PRs and a PR's commits.

A commit's PRs answer GitHub's association: a merged PR for each commit it landed on its base (after a rebase merge
every landed commit names its PR, not only `merge_commit_sha`), or the open PRs whose head is that commit.
"""

from __future__ import annotations

import re

from ..routing import ApiError, Call, Reply, custom_invalid, invalid, not_found, route
from ..state import Commit, Issue, PullInfo, Repo
from .common import as_number


def _pull_numbered(call: Call, repo: Repo) -> Issue:
    """The pull request `{pull_number}` names; GitHub's 404 for a number that is no PR (or an issue)."""
    number = as_number(call.params["pull_number"])
    issue = repo.issues.get(number) if number is not None else None
    if issue is None or not issue.is_pull:
        raise not_found()
    return issue


def _pulls(call: Call) -> list[Issue]:
    return [i for i in call.repo().issues.values() if i.is_pull]


@route("GET", "/repos/{owner}/{repo}/pulls")
def list_pulls(call: Call) -> Reply:
    repo = call.repo()
    state = call.arg("state", "open")
    head, base = call.arg("head"), call.arg("base")
    items = []
    for issue in _pulls(call):
        pull = issue.pull
        assert pull is not None
        if state != "all" and issue.state != state:
            continue
        if base and pull.base_ref != base:
            continue
        if head and f"{repo.owner}:{pull.head_ref}".lower() != head.lower() and pull.head_ref != head:
            continue
        items.append(issue)
    sort = call.arg("sort", "created")
    direction = call.arg("direction") or ("desc" if sort == "created" else "asc")
    key = {"updated": lambda i: (i.updated_at, i.number)}.get(sort or "", lambda i: (i.created_at, i.number))
    items.sort(key=key, reverse=direction == "desc")
    page = call.paginate(items)
    return Reply(200, [call.render.pull(repo, i, full=False) for i in page], call.headers)


@route("GET", "/repos/{owner}/{repo}/pulls/{pull_number}")
def get_pull(call: Call) -> Reply:
    repo = call.repo()
    return Reply(200, call.render.pull(repo, _pull_numbered(call, repo)))


@route("POST", "/repos/{owner}/{repo}/pulls")
def create_pull(call: Call) -> Reply:
    repo = call.repo()
    head, base = call.field("head"), call.field("base")
    if not isinstance(base, str) or not base:
        raise invalid("PullRequest", "base", "missing_field")
    if not isinstance(head, str) or not head:
        raise invalid("PullRequest", "head", "missing_field")
    title = call.field("title")
    if not isinstance(title, str) or not title.strip():
        raise invalid("PullRequest", "title", "missing_field")
    head_ref = head.split(":", 1)[1] if ":" in head else head
    branches = repo.branches()
    if base not in branches:
        raise invalid("PullRequest", "base")
    if head_ref not in branches:
        raise invalid("PullRequest", "head")
    head_sha, base_sha = branches[head_ref], branches[base]
    ahead = [c for c in repo.ancestors(head_sha) if c not in set(repo.ancestors(base_sha))]
    if not ahead:
        raise custom_invalid("PullRequest", f"No commits between {base} and {head_ref}")
    for other in _pulls(call):
        assert other.pull is not None
        if other.state == "open" and other.pull.head_ref == head_ref and other.pull.base_ref == base:
            raise custom_invalid("PullRequest", f"A pull request already exists for {repo.owner}:{head_ref}.")
    now = call.now()
    issue = Issue(
        id=call.world.next_id(),
        number=repo.take_number(),
        title=title,
        user=call.login,
        body=call.field("body"),
        created_at=now,
        updated_at=now,
        pull=PullInfo(
            id=call.world.next_id(),
            head_ref=head_ref,
            head_sha=head_sha,
            base_ref=base,
            base_sha=base_sha,
            draft=bool(call.field("draft", False)),
            maintainer_can_modify=bool(call.field("maintainer_can_modify", False)),
            commits=len(ahead),
        ),
    )
    repo.issues[issue.number] = issue
    body = call.render.pull(repo, issue)
    return Reply(201, body, {"Location": body["url"]})


SHA = re.compile(r"[0-9a-f]{7,40}")


def _names(pull: PullInfo, sha: str) -> bool:
    return any(landed.startswith(sha) for landed in pull.landed) or (pull.merge_commit_sha or "").startswith(sha)


@route("GET", "/repos/{owner}/{repo}/commits/{commit_sha}/pulls")
def commit_pulls(call: Call) -> Reply:
    repo = call.repo()
    sha = call.params["commit_sha"].lower()
    if not SHA.fullmatch(sha):
        raise ApiError(422, f"No commit found for SHA: {call.params['commit_sha']}")
    merged = [i for i in _pulls(call) if i.merged and i.pull is not None and _names(i.pull, sha)]
    found = merged or [i for i in _pulls(call) if i.state == "open" and i.pull and i.pull.head_sha.startswith(sha)]
    found.sort(key=lambda i: i.number)
    page = call.paginate(found)
    return Reply(200, [call.render.pull(repo, i, full=False) for i in page], call.headers)


@route("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/commits")
def pull_commits(call: Call) -> Reply:
    """The PR's commits, oldest first: its head's own commits when the world holds them, else the ones it landed."""
    repo = call.repo()
    issue = _pull_numbered(call, repo)
    pull = issue.pull
    assert pull is not None
    if pull.head_sha in repo.commits:
        base = set(repo.ancestors(pull.base_sha))
        shas = [c for c in repo.ancestors(pull.head_sha) if c not in base][::-1]
        commits = [repo.commits[c] for c in shas]
    else:
        commits = [repo.commits.get(sha) or Commit(sha, issue.title, [], {}) for sha in pull.landed]
    page = call.paginate(commits[:250], default_per_page=30)
    return Reply(200, [call.render.commit(repo, c) for c in page], call.headers)
