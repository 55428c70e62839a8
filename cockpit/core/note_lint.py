"""Release-note lint: every merged PR of a milestone carries a well-formed ```release-note``` block.

Well-formed: a non-empty block whose lines are conventional-commit lines (`type(scope)!: description`), or the
single line `NONE` for a change that is not user-facing. The notes are built from these blocks (core/notes.py), so
a PR that fails here is one whose note would be its bare title, or missing, in the published release notes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from cockpit.core.checks import CheckResult, fail, ok
from cockpit.core.display import one_line
from cockpit.core.forge_models import Item
from cockpit.core.notes import release_note_lines

NOTES_CHECK = "notes.release-note"
MAX_NAMED = 12  # PRs named in the message; every one is in the evidence
_CONVENTIONAL = re.compile(r"^(?:[A-Za-z]+(?:\([^()\s][^()]*\))?!?|BREAKING CHANGE): \S")


@dataclass(frozen=True)
class NoteProblem:
    """One merged PR whose release-note block is missing or malformed."""

    number: int
    title: str
    url: str
    reason: str

    def as_json(self) -> dict:
        return {"pr": self.number, "title": self.title, "url": self.url, "reason": self.reason}

    def line(self) -> str:
        """`#N title: reason <url>`: the TUI opens the PR from this evidence line (see pr_links)."""
        url = f" <{one_line(self.url)}>" if self.url else ""
        return f"#{self.number} {one_line(self.title)}: {self.reason}{url}"


_LINK = re.compile(r"^#(\d+) .*<(https?://[^\s<>]+)>$")


def pr_links(evidence: Iterable[str]) -> list[tuple[int, str]]:
    """The (PR number, web address) of each evidence line of the lint that names a PR with its address."""
    found = []
    for line in evidence:
        m = _LINK.match(line)
        if m:
            found.append((int(m.group(1)), m.group(2)))
    return found


def block_problem(body: str | None) -> str | None:
    """Why a PR body's release-note block is not well-formed, or None when it is."""
    lines = release_note_lines(body)
    if lines is None:
        return "no ```release-note``` block"
    if not lines:
        return "empty release-note block (write NONE for a change that is not user-facing)"
    if any(line.upper() == "NONE" for line in lines):
        return None if len(lines) == 1 else "NONE together with other lines"
    bad = [line for line in lines if not _CONVENTIONAL.match(line)]
    if bad:
        return f"not a conventional-commit line: {one_line(bad[0])[:80]!r}"
    return None


def lint_notes(items: Iterable[Item]) -> list[NoteProblem]:
    """The merged PRs among `items` whose release-note block is missing or malformed, by number."""
    found = []
    for item in items:
        if item.kind != "pr" or not item.merged:
            continue
        reason = block_problem(item.body)
        if reason is not None:
            found.append(NoteProblem(item.number, item.title, item.url, reason))
    return sorted(found, key=lambda p: p.number)


def check_notes(milestone: str, problems: list[NoteProblem] | None, merged: int,
                why_not: str | None = None) -> CheckResult:
    """The lint as a warning check; `problems` None when the milestone's items could not be read (`why_not`)."""
    if problems is None:
        return ok(NOTES_CHECK, "info", f"not applicable: the PRs of milestone {one_line(milestone)} could not be "
                  "read", *((one_line(why_not),) if why_not else ()))
    if not problems:
        return ok(NOTES_CHECK, "warning", f"all {merged} merged PR(s) of {one_line(milestone)} carry a well-formed "
                  "release-note block")
    named = ", ".join(f"#{p.number}" for p in problems[:MAX_NAMED]) + (" ..." if len(problems) > MAX_NAMED else "")
    return fail(NOTES_CHECK, "warning", f"{len(problems)} merged PR(s) of {one_line(milestone)} lack a well-formed "
                "release-note block: " + named,
                "add a ```release-note``` block to each PR body (conventional-commit lines, or NONE)",
                *(p.line() for p in problems))
