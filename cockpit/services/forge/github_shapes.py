"""The shape of GitHub's answers, as far as the cockpit reads them. An answer that does not fit (a null title, a
number that is text, two milestones numbered alike, a page that is not a list) is a ForgeError naming the object
and the field, never a TypeError further on: a forge, or whatever answers in its place, is not trusted."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from cockpit.services.forge.base import ForgeError
from cockpit.services.forge.local_repos import INT, STATES, TEXT, TEXT_OR_NULL, Shape, check_record, type_name

NULL = type(None)
FULL_SHA = re.compile(r"[0-9a-f]{40}")
OBJECT, OBJECT_OR_NULL, FLAG = (dict,), (dict, NULL), (bool,)
MILESTONE: Shape = {"number": (INT, True), "title": (TEXT, True), "state": (TEXT, True),
                    "due_on": (TEXT_OR_NULL, False), "description": (TEXT_OR_NULL, False),
                    "open_issues": (INT, False), "closed_issues": (INT, False), "html_url": (TEXT, False)}
ISSUE: Shape = {"number": (INT, True), "title": (TEXT, True), "state": (TEXT, True), "user": (OBJECT_OR_NULL, False),
                "labels": ((list,), False), "body": (TEXT_OR_NULL, False), "milestone": (OBJECT_OR_NULL, False),
                "pull_request": (OBJECT_OR_NULL, False), "created_at": (TEXT_OR_NULL, False),
                "updated_at": (TEXT_OR_NULL, False), "html_url": (TEXT, False),
                "merge_commit_sha": (TEXT_OR_NULL, False)}
_PARTS: dict[str, Shape] = {  # the objects inside an issue
    "user": {"login": (TEXT, True), "html_url": (TEXT, False)},
    "milestone": {"title": (TEXT, True)},
    "pull_request": {"merged_at": (TEXT_OR_NULL, False)},
}
RELEASE: Shape = {"tag_name": (TEXT, True), "name": (TEXT_OR_NULL, False), "body": (TEXT_OR_NULL, False),
                  "draft": (FLAG, True), "prerelease": (FLAG, True), "html_url": (TEXT, False), "id": (INT, True)}
REPOSITORY: Shape = {"owner": (OBJECT, True), "name": (TEXT, True), "default_branch": (TEXT, True),
                     "html_url": (TEXT, True), "permissions": (OBJECT_OR_NULL, False)}
STATUS: Shape = {"state": (TEXT, True), "total_count": (INT, False)}
STATUS_STATES = {"state": ("success", "pending", "failure", "error")}
CHECK_RUNS: Shape = {"total_count": (INT, True), "check_runs": ((list,), True)}
CHECK_RUN: Shape = {"name": (TEXT, True), "status": (TEXT, True), "conclusion": (TEXT_OR_NULL, False),
                    "html_url": (TEXT_OR_NULL, False)}
CHECK_RUN_STATES = {"status": ("queued", "in_progress", "completed", "waiting", "requested", "pending")}
PROTECTION: Shape = {"required_pull_request_reviews": (OBJECT_OR_NULL, False)}
REVIEWS: Shape = {"required_approving_review_count": ((int, NULL), False)}
RATE: Shape = {"limit": (INT, True), "remaining": (INT, True), "reset": (INT, True)}
CONTENT: Shape = {"type": (TEXT, True), "encoding": (TEXT_OR_NULL, False), "content": (TEXT_OR_NULL, False),
                  "sha": (TEXT, True)}
REF: Shape = {"ref": (TEXT, True), "object": (OBJECT, True)}
SHA: Shape = {"sha": (TEXT, True)}
WRITTEN: Shape = {"content": (OBJECT, True), "commit": (OBJECT, True)}
COMMENT: Shape = {"html_url": (TEXT, False)}


def malformed(what: str, problem: str) -> ForgeError:
    return ForgeError(f"GitHub's answer for {what} is malformed: {problem}")


def checked(data: Any, shape: Shape, what: str, where: str,
            choices: Mapping[str, tuple[str, ...]] = STATES) -> dict[str, Any]:
    """`data` when it fits `shape`; else the ForgeError naming `where` (e.g. "milestone #3") and the field."""
    try:
        check_record(data, shape, where, choices)
    except ValueError as exc:
        raise malformed(what, str(exc)) from None
    return data


def a_list(data: Any, what: str) -> list[Any]:
    if not isinstance(data, list):
        raise malformed(what, f"a list was expected, not {type_name(type(data))}")
    return data


def _name(record: Any, kind: str, n: int) -> str:
    """How a user finds the record: "issue #12", or its place in the list when its number is unusable."""
    number = record.get("number") if isinstance(record, dict) else None
    return f"{kind} #{number}" if type(number) is int else f"{kind} [{n}] of the list"


def milestone(m: Any, what: str, n: int = 0) -> dict[str, Any]:
    return checked(m, MILESTONE, what, _name(m, "milestone", n))


def issue(i: Any, what: str, n: int = 0) -> dict[str, Any]:
    where = _name(i, "issue", n)
    checked(i, ISSUE, what, where)
    for key, shape in _PARTS.items():
        if i.get(key) is not None:
            checked(i[key], shape, what, f"{where} {key!r}")
    for label in i.get("labels") or ():
        if not isinstance(label, str):
            checked(label, {"name": (TEXT, True)}, what, f"{where} label")
    return i


def commit_id(c: Any, what: str, n: int = 0) -> str:
    """A commit's full id (40 lower-case hex): anything else could become a git option or name no commit."""
    sha = checked(c, SHA, what, f"commit [{n}] of the list")["sha"]
    if not FULL_SHA.fullmatch(sha):
        raise malformed(what, f"commit [{n}] of the list: {sha[:60]!r} is not a full commit id")
    return sha


def milestones(data: Any, what: str) -> list[dict[str, Any]]:
    """A list of milestones, each of its shape, no number and no title twice (milestones are named by title)."""
    found = [milestone(m, what, n) for n, m in enumerate(a_list(data, what))]
    _unique(found, "number", "milestones numbered", what)
    _unique(found, "title", "milestones titled", what)
    return found


def issues(data: Any, what: str) -> list[dict[str, Any]]:
    found = [issue(i, what, n) for n, i in enumerate(a_list(data, what))]
    _unique(found, "number", "issues or pull requests numbered", what)
    return found


def _unique(records: list[dict[str, Any]], key: str, plural: str, what: str) -> None:
    seen: set[Any] = set()
    for record in records:
        if record[key] in seen:
            raise malformed(what, f"two {plural} {record[key]!r}")
        seen.add(record[key])
