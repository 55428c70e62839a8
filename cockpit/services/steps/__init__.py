"""Plan step kinds, one module per group (git refs and pushes, file commits, forge changes, milestones, publishing,
backports), gathered in one explicit registry (`registry.KINDS`) that the executor looks kinds up in."""

from cockpit.services.steps.base import StepContext, StepError, StepKind

__all__ = ["StepContext", "StepError", "StepKind"]
