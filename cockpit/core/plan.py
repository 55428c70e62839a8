"""Plans: the ordered steps of a guided operation, as data. The executor (services) runs them and journals each.

A step names its operation (`kind` + `params`) rather than holding code, so a plan can be previewed, written to
the journal and resumed by another process."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cockpit.core.checks import CheckResult
from cockpit.core.display import one_line


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    kind: str  # the operation the executor performs, e.g. "git.tag", "git.push"
    params: dict[str, Any] = field(default_factory=dict)
    commands: tuple[str, ...] = ()  # the equivalent git / gh commands, for the preview
    recovery: str = ""  # what the user can do when this step fails
    detail: str = ""  # shown under the commands in the preview, e.g. the unified diff of a file edit


@dataclass(frozen=True)
class Plan:
    id: str
    title: str
    steps: tuple[Step, ...]
    checks: tuple[CheckResult, ...] = ()
    note: str = ""  # the preview's last line: what the plan deliberately leaves to the user (e.g. no push)

    @property
    def blocked(self) -> bool:
        """An error-severity check failed: the plan can never run (no override)."""
        return any(c.blocks for c in self.checks)

    @property
    def warnings(self) -> tuple[CheckResult, ...]:
        return tuple(c for c in self.checks if not c.ok and c.severity == "warning")

    def preview(self) -> str:
        """The plan as text; titles and commands are one line each (a PR title holding a line break cannot print a
        line that looks like another step)."""
        lines = [f"Plan: {one_line(self.title)}"]
        for n, step in enumerate(self.steps, 1):
            lines.append(f"  {n}. {one_line(step.title)}")
            lines.extend(f"       $ {one_line(cmd)}" for cmd in step.commands)
            lines.extend(f"       {line}".rstrip() for line in step.detail.splitlines())
        if self.note:
            lines.append(self.note)
        return "\n".join(lines)
