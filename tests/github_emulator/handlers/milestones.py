"""Milestones: list, create, get, update. Counts of open/closed items are derived from the issues."""

from __future__ import annotations

from datetime import datetime

from ..routing import Call, Reply, invalid, not_found, route
from ..state import Milestone, Repo
from .common import as_number, parse_time


def _get(repo: Repo, number: str) -> Milestone:
    n = as_number(number)
    if n is None or n not in repo.milestones:
        raise not_found()
    return repo.milestones[n]


@route("GET", "/repos/{owner}/{repo}/milestones")
def list_milestones(call: Call) -> Reply:
    repo = call.repo()
    state = call.arg("state", "open")
    items = [m for m in repo.milestones.values() if state == "all" or m.state == state]
    descending = call.arg("direction", "asc") == "desc"
    if call.arg("sort", "due_on") == "completeness":
        def completeness(m: Milestone) -> float:
            o, c = repo.milestone_counts(m.number)
            return c / (o + c) if o + c else 0.0

        items.sort(key=lambda m: (completeness(m), m.number), reverse=descending)
    else:
        # Milestones without a due date come last, whatever the direction.
        dated = sorted((m for m in items if m.due_on), key=lambda m: (m.due_on, m.number), reverse=descending)
        items = dated + sorted((m for m in items if not m.due_on), key=lambda m: m.number)
    page = call.paginate(items)
    return Reply(200, [call.render.milestone(repo, m) for m in page], call.headers)


@route("POST", "/repos/{owner}/{repo}/milestones")
def create_milestone(call: Call) -> Reply:
    repo = call.repo()
    call.require_push(repo)
    title = call.field("title")
    if not isinstance(title, str) or not title.strip():
        raise invalid("Milestone", "title", "missing_field")
    if repo.milestone_by_title(title):
        raise invalid("Milestone", "title", "already_exists")
    state = call.field("state", "open")
    if state not in ("open", "closed"):
        raise invalid("Milestone", "state")
    now = call.now()
    milestone = Milestone(
        id=call.world.next_id(),
        number=repo.next_milestone_number,
        title=title,
        creator=call.login,
        description=call.field("description"),
        state=state,
        due_on=parse_time(call.field("due_on"), resource="Milestone", field="due_on"),
        created_at=now,
        updated_at=now,
        closed_at=now if state == "closed" else None,
    )
    repo.next_milestone_number += 1
    repo.milestones[milestone.number] = milestone
    body = call.render.milestone(repo, milestone)
    return Reply(201, body, {"Location": body["url"]})


@route("GET", "/repos/{owner}/{repo}/milestones/{milestone_number}")
def get_milestone(call: Call) -> Reply:
    repo = call.repo()
    return Reply(200, call.render.milestone(repo, _get(repo, call.params["milestone_number"])))


@route("PATCH", "/repos/{owner}/{repo}/milestones/{milestone_number}")
def update_milestone(call: Call) -> Reply:
    repo = call.repo()
    milestone = _get(repo, call.params["milestone_number"])
    call.require_push(repo)
    body = call.body if isinstance(call.body, dict) else {}
    if "title" in body:
        title = body["title"]
        if not isinstance(title, str) or not title.strip():
            raise invalid("Milestone", "title", "missing_field")
        other = repo.milestone_by_title(title)
        if other is not None and other.number != milestone.number:
            raise invalid("Milestone", "title", "already_exists")
        milestone.title = title
    if "state" in body:
        if body["state"] not in ("open", "closed"):
            raise invalid("Milestone", "state")
        _set_state(milestone, body["state"], call.now())
    if "description" in body:
        milestone.description = body["description"]
    if "due_on" in body:
        milestone.due_on = parse_time(body["due_on"], resource="Milestone", field="due_on")
    milestone.updated_at = call.now()
    return Reply(200, call.render.milestone(repo, milestone))


def _set_state(milestone: Milestone, state: str, now: datetime) -> None:
    if state == milestone.state:
        return
    milestone.state = state
    milestone.closed_at = now if state == "closed" else None

