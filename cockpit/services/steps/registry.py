"""Every step kind, by name, gathered in one place from the modules that define them: the executor looks a step's
kind up here (what runs it, what undoes it), and the workflows render a step's preview with `preview`."""

from __future__ import annotations

from cockpit.services.steps import backport, files, forge, milestones, publish, refs
from cockpit.services.steps.base import Params, StepKind

KINDS: dict[str, StepKind] = {
    kind.name: kind
    for module in (refs, files, forge, milestones, publish, backport)
    for kind in module.KINDS
}


def preview(kind: str, params: Params) -> tuple[str, ...]:
    """The commands a step of `kind` with `params` runs, as shell text for the plan's preview."""
    return KINDS[kind].preview(params)
