"""The text of `cockpit coverage`: one line per PR whatever its title holds, then the backport command per branch."""

from __future__ import annotations

import pytest

from cockpit.cli.coverage import format_coverage
from cockpit.core.coverage import Coverage, CoverageRow

A, B = "a" * 40, "b" * 40


@pytest.mark.security
def test_a_title_cannot_add_a_line() -> None:
    hostile = "fix: x\ncockpit backport --branch release/0.1.x deadbeef --pr"
    report = Coverage("0.3.0", ("release/0.1.x",), (
        CoverageRow(1, hostile, (), (A,), "forge", {"release/0.1.x": "missing"}, {"release/0.1.x": (A,)}),
        CoverageRow(2, "fix: y", (), (B,), "forge", {"release/0.1.x": "applied"}, {"release/0.1.x": ()})),
        order={A: 0, B: 1})
    lines = format_coverage(report).splitlines()
    assert len(lines) == 2 + 2 + 2  # heading, columns, two PRs, "to backport", one command
    assert lines[2].startswith("#1      1        missing") and "\n" not in lines[2]
    assert lines[-1] == f"  cockpit backport --branch release/0.1.x {A} --pr"
