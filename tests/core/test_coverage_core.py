"""The pure rules of coverage: a PR's status from its commits' flags and the trial, which branches are maintained,
and the backport command quoted for a shell."""

from __future__ import annotations

import shlex

import pytest

from cockpit.core.coverage import backport_command, maintained, status_of


@pytest.mark.parametrize("applied, conflicts, status", [
    ([True, True], False, "applied"),
    ([True, True], True, "applied"),  # nothing left to pick: no conflict to predict
    ([True, False], False, "partial"),
    ([True, False], True, "conflict"),
    ([False, False], False, "missing"),
    ([False], True, "conflict"),
    ([], False, "missing"),  # no known commit: nothing shows it reached the branch
])
def test_status_of(applied: list[bool], conflicts: bool, status: str) -> None:
    assert status_of(applied, conflicts) == status


def test_maintained_are_the_two_newest_lines_by_version_not_by_name() -> None:
    branches = [("release/0.9.x", (0, 9)), ("release/0.10.x", (0, 10)), ("release/0.11.x", (0, 11)),
                ("release/0.8.x", (0, 8))]
    assert maintained(branches) == ["release/0.11.x", "release/0.10.x"]
    assert maintained(branches, keep=1) == ["release/0.11.x"]
    assert maintained([]) == []


def test_backport_command_is_shell_safe() -> None:
    odd = "release/0.1.x;touch x"  # a branch name the command line must keep as one word
    command = backport_command(odd, ["a" * 40])
    assert shlex.split(command) == ["cockpit", "backport", "--branch", odd, "a" * 40, "--pr"]
