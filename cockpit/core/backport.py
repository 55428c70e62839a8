"""The pure parts of a backport: the backport branch's name, which picks look like features or likely conflicts, and
the pull request's title and body.

A picked commit travels through the journal as `Original.as_params()`, so the PR step, run by another process after a
crash, still knows each original PR's title, milestone and release-note lines without asking the forge again."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import semver

from cockpit.core.versions import VersionError, parse_version

_TYPE = re.compile(r"^(?P<type>[A-Za-z]+)(?:\([^)]*\))?(?P<bang>!)?:")
FEATURE_TYPES = ("feat", "new")


@dataclass(frozen=True)
class Original:
    """A default-branch commit to pick, with what the forge knows of its PR (None / empty when it knows nothing)."""

    sha: str
    subject: str
    pr: int | None = None
    merge: bool = False  # picked with `-m 1`: the change its first parent (the mainline) did not have
    pr_title: str | None = None
    milestone: str | None = None
    labels: tuple[str, ...] = ()
    notes: tuple[str, ...] | None = None  # the lines of the PR's release-note block; None when there is none

    def as_params(self) -> dict[str, Any]:
        return {"sha": self.sha, "subject": self.subject, "pr": self.pr, "merge": self.merge,
                "pr_title": self.pr_title, "milestone": self.milestone, "labels": list(self.labels),
                "notes": list(self.notes) if self.notes is not None else None}

    @classmethod
    def from_params(cls, p: Mapping[str, Any]) -> Original:
        notes = p.get("notes")
        return cls(p["sha"], p["subject"], p.get("pr"), bool(p.get("merge")), p.get("pr_title"),
                   p.get("milestone"), tuple(p.get("labels") or ()), tuple(notes) if notes is not None else None)


def backport_branch_name(release_branch: str, first_sha: str) -> str:
    """`backport/<release branch>/<short id of the oldest pick>`: readable, and one per series."""
    return f"backport/{release_branch}/{first_sha[:8]}"


def conventional_type(text: str) -> tuple[str | None, bool]:
    """(type, breaking) of a conventional-commit line such as `new(driver)!: ...`; (None, False) otherwise."""
    m = _TYPE.match(text.strip())
    return (m.group("type").lower(), bool(m.group("bang"))) if m else (None, False)


def feature_reason(o: Original) -> str | None:
    """Why this pick looks like a feature rather than a fix (only fixes go to a released branch), or None."""
    kind, breaking = conventional_type(o.subject)
    if kind in FEATURE_TYPES or breaking:
        return f"its subject is a {kind}{'!' if breaking else ''} commit"
    if o.pr_title:
        kind, breaking = conventional_type(o.pr_title)
        if kind in FEATURE_TYPES or breaking:
            return f"PR #{o.pr} is titled {kind}{'!' if breaking else ''}"
    for line in o.notes or ():
        kind, breaking = conventional_type(line)
        if kind == "new" or breaking or "BREAKING CHANGE" in line:
            return f"PR #{o.pr}'s release note is `{line}`"
    return None


def likely_conflicts(history: Sequence[tuple[str, frozenset[str]]], picks: Iterable[str],
                     unported: set[str]) -> dict[str, list[tuple[str, list[str]]]]:
    """For each pick, the earlier unported commits (not picked with it) that changed the same files: their
    changes are missing on the release branch, so the pick likely conflicts. `history` is oldest first."""
    picked = set(picks)
    found: dict[str, list[tuple[str, list[str]]]] = {}
    earlier: list[tuple[str, frozenset[str]]] = []
    for sha, files in history:
        if sha in picked:
            hits = [(other, sorted(files & theirs)) for other, theirs in earlier if files & theirs]
            if hits:
                found[sha] = hits
        elif sha in unported:
            earlier.append((sha, files))
    return found


def pull_title(branch: str, picks: Sequence[Original]) -> str:
    if len(picks) == 1:
        return f"[{branch}] {picks[0].subject}"
    return f"[{branch}] Backport {len(picks)} fixes"


def pull_body(branch: str, picks: Sequence[Original]) -> str:
    """The original PRs (title, `#N` link, milestone), the `-x` list of commits, and one release-note block with
    every original PR's note lines (release notes read the first block of a PR body, so one block carries all)."""
    lines = [f"Backport to `{branch}` of:", ""]
    seen: set[int] = set()
    for o in picks:
        if o.pr is None:
            lines.append(f"- {o.sha[:10]} {o.subject}")
        elif o.pr not in seen:
            seen.add(o.pr)
            title = o.pr_title or o.subject
            lines.append(f"- #{o.pr} {title}" + (f" (milestone {o.milestone})" if o.milestone else ""))
    lines += ["", "Commits, picked in this order with `git cherry-pick -x`:", ""]
    lines += [f"- {o.sha} {o.subject}" for o in picks]
    notes: list[str] = []
    known = False
    seen_notes: set[int] = set()
    for o in picks:
        if o.notes is None or (o.pr is not None and o.pr in seen_notes):
            continue
        known = True
        if o.pr is not None:
            seen_notes.add(o.pr)
        notes += [n for n in o.notes if n.upper() != "NONE" and n not in notes]
    if known:
        lines += ["", "```release-note", *(notes or ["NONE"]), "```"]
    return "\n".join(lines) + "\n"


def line_milestone(titles: Iterable[str], line: tuple[int, int]) -> str | None:
    """The milestone a backport to the release branch of `line` (M, m) ships in: the lowest of `titles` that is a
    plain version M.m.p (no pre-release, no build: `9.0.1+driver` is the driver's), else None."""
    found = []
    for title in titles:
        try:
            v = parse_version(title)
        except VersionError:
            continue
        if (v.major, v.minor) == line and not v.prerelease and not v.build:
            found.append((v, title))
    return min(found)[1] if found else None


def next_patch(line: tuple[int, int], released: Iterable[semver.Version]) -> str:
    """The next release of a line: one patch above the highest final `released` of M.m, else M.m.0."""
    same = [v for v in released if (v.major, v.minor) == line and not v.prerelease]
    top = max(same, default=None)
    return f"{line[0]}.{line[1]}.{top.patch + 1 if top is not None else 0}"


def copied_labels(picks: Sequence[Original]) -> tuple[str, ...]:
    """The labels of the picked PRs (kind/bug, area/...), each once, in the order they first appear: the backport
    PR is triaged and listed in the notes as its originals were."""
    seen: dict[str, str] = {}
    for o in picks:
        for label in o.labels:
            seen.setdefault(label.lower(), label)
    return tuple(seen.values())
