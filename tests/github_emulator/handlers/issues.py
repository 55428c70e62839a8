"""Issues (and pull requests seen as issues): list with GitHub's filters, create, get, update, comment, label.

GitHub quirk reproduced: a token without push access may edit an issue, but its `milestone`, `labels` and
`assignees` changes are silently dropped (200 with the unchanged values). Clients must re-read to know.
"""

from __future__ import annotations

from typing import Any

from ..routing import Call, Reply, invalid, not_found, route
from ..state import Comment, Issue, Repo
from .common import as_number, parse_time


def get_issue(repo: Repo, number: str) -> Issue:
    n = as_number(number)
    if n is None or n not in repo.issues:
        raise not_found()
    return repo.issues[n]


def _label_names(value: Any) -> list[str]:
    names = []
    for item in value or []:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name and name not in names:
            names.append(name)
    return names


def _milestone_number(repo: Repo, value: Any) -> int | None:
    if value in (None, ""):  # PyGithub's Issue.edit(milestone=None) sends ""; GitHub clears the milestone
        return None
    number = as_number(value)
    if number is None or number not in repo.milestones:
        raise invalid("Issue", "milestone", value=value if isinstance(value, int | str) else str(value))
    return number


def matches_filters(call: Call, issue: Issue) -> bool:
    """GitHub's `GET /repos/{o}/{r}/issues` filters: milestone, state, labels, creator, assignee, since."""
    state = call.arg("state", "open")
    if state != "all" and issue.state != state:
        return False
    milestone = call.arg("milestone")
    if milestone == "*" and issue.milestone is None:
        return False
    if milestone == "none" and issue.milestone is not None:
        return False
    if milestone not in (None, "", "*", "none") and issue.milestone != as_number(milestone):
        return False
    labels = [name.strip().lower() for name in (call.arg("labels") or "").split(",") if name.strip()]
    if any(name not in (label.lower() for label in issue.labels) for name in labels):
        return False
    creator = call.arg("creator")
    if creator and issue.user.lower() != creator.lower():
        return False
    assignee = call.arg("assignee")
    if assignee == "none" and issue.assignees:
        return False
    if assignee == "*" and not issue.assignees:
        return False
    if assignee not in (None, "", "*", "none") and assignee.lower() not in (a.lower() for a in issue.assignees):
        return False
    since = parse_time(call.arg("since"), resource="Issue", field="since")
    return since is None or issue.updated_at >= since


def sort_issues(items: list[Issue], sort: str | None, direction: str | None) -> list[Issue]:
    keys = {
        "updated": lambda i: (i.updated_at, i.number),
        "comments": lambda i: (len(i.comments), i.number),
    }
    key = keys.get(sort or "created", lambda i: (i.created_at, i.number))
    return sorted(items, key=key, reverse=(direction or "desc") != "asc")


@route("GET", "/repos/{owner}/{repo}/issues")
def list_issues(call: Call) -> Reply:
    repo = call.repo()
    items = [i for i in repo.issues.values() if matches_filters(call, i)]
    items = sort_issues(items, call.arg("sort"), call.arg("direction"))
    page = call.paginate(items)
    return Reply(200, [call.render.issue(repo, i) for i in page], call.headers)


@route("POST", "/repos/{owner}/{repo}/issues")
def create_issue(call: Call) -> Reply:
    repo = call.repo()
    title = call.field("title")
    if isinstance(title, int) and not isinstance(title, bool):
        title = str(title)
    if not isinstance(title, str) or not title.strip():
        raise invalid("Issue", "title", "missing_field")
    now = call.now()
    issue = Issue(id=call.world.next_id(), number=repo.take_number(), title=title, user=call.login,
                  body=call.field("body"), created_at=now, updated_at=now)
    if call.can_push(repo):  # GitHub drops these silently for others
        issue.milestone = _milestone_number(repo, call.field("milestone"))
        issue.labels = _label_names(call.field("labels"))
        for name in issue.labels:
            call.world.label(repo, name)
        assignees = call.field("assignees") or ([call.field("assignee")] if call.field("assignee") else [])
        issue.assignees = [a for a in assignees if isinstance(a, str)]
    repo.issues[issue.number] = issue
    body = call.render.issue(repo, issue, single=True)
    return Reply(201, body, {"Location": body["url"]})


@route("GET", "/repos/{owner}/{repo}/issues/{issue_number}")
def read_issue(call: Call) -> Reply:
    repo = call.repo()
    return Reply(200, call.render.issue(repo, get_issue(repo, call.params["issue_number"]), single=True))


@route("PATCH", "/repos/{owner}/{repo}/issues/{issue_number}")
def update_issue(call: Call) -> Reply:
    repo = call.repo()
    issue = get_issue(repo, call.params["issue_number"])
    body = call.body if isinstance(call.body, dict) else {}
    changed = False
    if body.get("title") is not None:
        issue.title, changed = str(body["title"]), True
    if "body" in body:
        issue.body, changed = body["body"], True
    if "state" in body:
        if body["state"] not in ("open", "closed"):
            raise invalid("Issue", "state")
        changed = set_issue_state(call, issue, body["state"], body.get("state_reason")) or changed
    if call.can_push(repo):
        if "milestone" in body:
            issue.milestone, changed = _milestone_number(repo, body["milestone"]), True
        if "labels" in body:
            issue.labels, changed = _label_names(body["labels"]), True
            for name in issue.labels:
                call.world.label(repo, name)
        if "assignees" in body:
            issue.assignees = [a if isinstance(a, str) else a.get("login", "") for a in body["assignees"] or []]
            changed = True
    if changed:
        issue.updated_at = call.now()
    return Reply(200, call.render.issue(repo, issue, single=True))


def set_issue_state(call: Call, issue: Issue, state: str, reason: str | None = None) -> bool:
    if state == issue.state:
        return False
    issue.state = state
    if state == "closed":
        issue.closed_at, issue.closed_by = call.now(), call.login
        issue.state_reason = None if issue.is_pull else (reason or "completed")
    else:
        issue.closed_at, issue.closed_by = None, None
        issue.state_reason = None if issue.is_pull else "reopened"
    return True


@route("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments")
def create_comment(call: Call) -> Reply:
    repo = call.repo()
    issue = get_issue(repo, call.params["issue_number"])
    text = call.field("body")
    if not isinstance(text, str) or not text:
        raise invalid("IssueComment", "body", "missing_field")
    now = call.now()
    comment = Comment(call.world.next_id(), issue.number, call.login, text, now, now)
    issue.comments.append(comment)
    issue.updated_at = now
    body = call.render.comment(repo, issue, comment)
    return Reply(201, body, {"Location": body["url"]})


@route("POST", "/repos/{owner}/{repo}/issues/{issue_number}/labels")
def add_labels(call: Call) -> Reply:
    repo = call.repo()
    issue = get_issue(repo, call.params["issue_number"])
    raw = call.body.get("labels") if isinstance(call.body, dict) else call.body
    if not isinstance(raw, list):
        raise invalid("Label", "labels", "missing_field")
    if call.can_push(repo):
        added = [name for name in _label_names(raw) if name.lower() not in (x.lower() for x in issue.labels)]
        for name in added:
            issue.labels.append(call.world.label(repo, name).name)
        if added:
            issue.updated_at = call.now()
    return Reply(200, call.render.labels(repo, issue.labels))
