"""Release-note lint: a merged PR without a well-formed release-note block is named; others pass."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cockpit.core.forge_models import Item
from cockpit.core.note_lint import NOTES_CHECK, block_problem, check_notes, lint_notes

MERGED = datetime(2026, 11, 1, tzinfo=UTC)


def pr(number: int, body: str, merged: bool = True, kind: str = "pr") -> Item:
    return Item(number, kind, f"change {number}", "closed" if merged else "open", "ann", body=body,  # type: ignore[arg-type]
                merged_at=MERGED if merged else None, url=f"https://github.com/o/r/pull/{number}")


def block(*lines: str) -> str:
    return "text\n\n```release-note\n" + "\n".join(lines) + "\n```\n"


@pytest.mark.parametrize("body", [block("fix(libsinsp): handle empty names"), block("NONE"), block("none"),
                                  block("new!: drop the old probe", "update(driver): bump the API"),
                                  block("BREAKING CHANGE: the plugin API moves to 4.0.0")])
def test_well_formed_blocks(body: str) -> None:
    assert block_problem(body) is None


@pytest.mark.parametrize(("body", "why"), [
    ("no block at all", "no ```release-note``` block"),
    (block(), "empty"),
    (block("NONE", "fix: something"), "NONE together"),
    (block("Fixed a crash"), "not a conventional-commit line"),
    (block("fix(libsinsp) missing colon"), "not a conventional-commit line"),
])
def test_malformed_blocks(body: str, why: str) -> None:
    problem = block_problem(body)
    assert problem is not None and why in problem


def test_only_merged_prs_are_linted_and_each_offender_is_named() -> None:
    items = [pr(7, "no block"), pr(3, block("fix: ok")), pr(9, "no block", merged=False),
             pr(11, "no block", kind="issue", merged=False), pr(5, block("Fixed stuff"))]
    problems = lint_notes(items)
    assert [p.number for p in problems] == [5, 7]
    result = check_notes("0.26.0", problems, merged=3)
    assert (result.id, result.severity, result.ok) == (NOTES_CHECK, "warning", False)
    assert "#5" in result.message and "#7" in result.message
    assert any(e.startswith("#7 change 7: no ```release-note```") for e in result.evidence)
    assert problems[0].as_json()["url"].endswith("/pull/5")


def test_a_clean_milestone_passes_and_an_unreadable_one_is_info() -> None:
    assert check_notes("0.26.0", [], merged=4).ok
    unread = check_notes("0.26.0", None, 0, "unknown milestone")
    assert (unread.ok, unread.severity) == (True, "info")
