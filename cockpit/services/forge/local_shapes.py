"""The shape of a local forge file: every record the LocalForge readers take, checked when the file is read, so a
hand-edited or hostile file is one clear error naming the record, never a KeyError deep in a reader."""

from __future__ import annotations

import re
from typing import Any

from cockpit.services.forge.local_repos import INT, TEXT, TEXT_OR_NULL, Shape, check_record, unique_numbers

FULL_SHA = re.compile(r"[0-9a-f]{40}")
_RECORDS: dict[str, Shape] = {  # what the readers below take from each record (see check_record)
    "milestones": {"number": (INT, True), "title": (TEXT, True), "state": (TEXT, False),
                   "due_on": (TEXT_OR_NULL, False), "description": (TEXT_OR_NULL, False)},
    "items": {"number": (INT, True), "title": (TEXT, False), "state": (TEXT, False), "author": (TEXT, False),
              "labels": ((list,), False), "body": (TEXT_OR_NULL, False), "milestone": (TEXT_OR_NULL, False),
              "merged_at": (TEXT_OR_NULL, False), "created_at": (TEXT_OR_NULL, False),
              "updated_at": (TEXT_OR_NULL, False), "merge_commit_sha": (TEXT_OR_NULL, False),
              "commits": ((list,), False), "base": (TEXT_OR_NULL, False)},
    "releases": {"tag": (TEXT, True), "name": (TEXT, True), "body": (TEXT, True), "draft": ((bool,), True),
                 "prerelease": ((bool,), True), "url": (TEXT, False), "id": (INT, False)},
}
_REPOSITORY: Shape = {"owner": (TEXT, True), "name": (TEXT, True), "default_branch": (TEXT, False),
                      "html_url": (TEXT_OR_NULL, False), "user": (TEXT, False)}
_TABLES: dict[str, tuple[Shape, dict[str, tuple[str, ...]]]] = {  # branch or ref -> null or an object
    "protected_branches": ({"required_reviews": ((int, type(None)), False)}, {}),
    "statuses": ({"state": (TEXT, True), "total": (INT, False), "runs": ((list,), False)},
                 {"state": ("success", "pending", "failure", "error", "unknown")}),
}
_RUN: Shape = {"name": (TEXT, True), "status": (TEXT, True), "conclusion": (TEXT_OR_NULL, False),
              "url": (TEXT, False)}
_RUN_STATES = {"status": ("queued", "in_progress", "completed", "waiting", "requested", "pending")}


def check_forge_file(data: dict[str, Any]) -> None:
    """Every record the readers take fits its shape (ValueError naming the first that does not)."""
    check_record(data["repository"], _REPOSITORY, "'repository'")
    for key, shape in _RECORDS.items():
        for n, record in enumerate(data[key]):
            check_record(record, shape, f"{key}[{n}]")
            if key == "items" and not all(isinstance(label, str) for label in record.get("labels", ())):
                raise ValueError(f"items[{n}]: 'labels' must be a list of strings")
            if key == "items" and not all(isinstance(sha, str) and FULL_SHA.fullmatch(sha)
                                          for sha in record.get("commits", ())):
                raise ValueError(f"items[{n}]: 'commits' must be a list of full commit ids (40 hex digits)")
    unique_numbers(data["milestones"], "milestones")
    unique_numbers(data["items"], "issues or pull requests")
    titles: set[str] = set()
    for m in data["milestones"]:  # milestones are named by their title
        if m["title"] in titles:
            raise ValueError(f"two milestones are titled {m['title']!r}")
        titles.add(m["title"])
    for key, (shape, choices) in _TABLES.items():
        table = data.get(key, {})
        if not isinstance(table, dict):
            raise ValueError(f"{key!r} must be an object")
        for name, value in table.items():
            if value is not None:
                check_record(value, shape, f"{key}[{name!r}]", choices)
                for n, run in enumerate(value.get("runs", ()) if key == "statuses" else ()):
                    check_record(run, _RUN, f"{key}[{name!r}].runs[{n}]", _RUN_STATES)
