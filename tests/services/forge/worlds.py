"""One forge world, seeded identically into a LocalForge file and into the GitHub emulator, so the contract
suite can assert the same behaviour of both forges."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

NOTE = "Some context.\n\n```release-note\n{}\n```\n"


@dataclass
class PR:
    title: str
    user: str
    milestone: str | None
    labels: tuple[str, ...] = ()
    merged: bool = True
    note: str | None = None
    issue: bool = False
    commits: int = 1  # how many commits a merge landed on the base (a rebase merge: one per commit of the PR)

    @property
    def body(self) -> str:
        return NOTE.format(self.note) if self.note is not None else "no release-note block"

    def landed(self) -> list[str]:
        """The full ids of the commits the merge landed (none for an open PR or an issue)."""
        if not self.merged or self.issue:
            return []
        return [hashlib.sha1(f"{self.title}\0{n}".encode()).hexdigest() for n in range(self.commits)]


@dataclass
class World:
    milestones: list[tuple[str, date | None]] = field(default_factory=lambda: [
        ("0.26.0", date(2026, 11, 30)), ("0.27.0", date(2027, 1, 24)), ("next-driver", None)])
    items: list[PR] = field(default_factory=lambda: [
        PR("new(driver): clone3 support", "alice", "0.26.0", ("kind/feature",), note="new(driver): add clone3"),
        PR("fix(libsinsp): empty names", "bob", "0.26.0", ("kind/bug",), note="fix(libsinsp): handle empty names",
           commits=3),
        PR("ci: bump actions", "carol", "0.26.0", ("kind/cleanup",), note="NONE"),
        PR("update!: drop the old API", "alice", "0.26.0", note="update!: drop the old API"),
        PR("new: an open feature", "dave", "0.26.0", ("kind/feature",), merged=False, note="new: later"),
        PR("fix: an open fix", "bob", "0.26.0", ("kind/bug",), merged=False, note="fix: soon"),
        PR("Crash on startup", "erin", "0.26.0", ("kind/bug",), merged=False, issue=True),
        PR("new(driver): a driver feature", "alice", "next-driver", merged=False, note="new(driver): x"),
        PR("rule: new macro", "frank", "0.27.0", note="rule: add the container macro"),
    ])


def local_file(world: World, path: Path) -> Path:
    """The world as a LocalForge JSON file."""
    milestones = [{"number": n, "title": t, "state": "open", "description": "",
                   "due_on": f"{d.isoformat()}T00:00:00Z" if d else None}
                  for n, (t, d) in enumerate(world.milestones, 1)]
    items: list[dict[str, Any]] = []
    for n, pr in enumerate(world.items, 1):
        merged_at = datetime(2026, 11, 1, 10, n, tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if pr.merged else None
        items.append({"number": n, "kind": "issue" if pr.issue else "pr", "title": pr.title,
                      "state": "closed" if pr.merged and not pr.issue else "open", "merged": pr.merged,
                      "merged_at": None if pr.issue else merged_at, "milestone": pr.milestone,
                      "labels": list(pr.labels), "author": pr.user, "body": pr.body,
                      "created_at": "2026-10-01T10:00:00Z", "updated_at": "2026-10-02T10:00:00Z",
                      **({"commits": pr.landed(), "merge_commit_sha": pr.landed()[-1], "base": "master"}
                         if pr.landed() else {})})
    path.write_text(json.dumps({"schema": 1, "repository": {
        "owner": "falcosecurity", "name": "libs", "default_branch": "master",
        "html_url": "https://github.com/falcosecurity/libs"}, "milestones": milestones, "items": items,
        "releases": [], "protected_branches": {"master": {"required_reviews": 2}},
        "statuses": {"master": {"state": "success", "total": 3}}}))
    return path


def seed_emulator(world: World, emu: Any) -> None:
    """The same world in the GitHub emulator."""
    for title, due in world.milestones:
        emu.add_milestone(title, due_on=due)
    for n, pr in enumerate(world.items, 1):
        if pr.issue:
            emu.add_issue(pr.title, body=pr.body, milestone=pr.milestone, labels=pr.labels, user=pr.user)
        else:
            emu.add_pull(pr.title, merged=pr.merged, milestone=pr.milestone, labels=pr.labels, user=pr.user,
                         body=pr.body, merged_at=datetime(2026, 11, 1, 10, n, tzinfo=UTC) if pr.merged else None,
                         commits=pr.landed())
    emu.add_commit("initial import", files={"README.md": "libs\n"})
    emu.add_branch("release/0.25.x")
    emu.add_branch("backport/0.25.x-1")
    emu.add_commit("fix: a backport", branch="backport/0.25.x-1", files={"fix.c": "fixed\n"})
    emu.set_protection("master", required_approving_review_count=2)
    for n in range(3):
        emu.set_status("master", "success", context=f"ci-{n}")
