"""Carry on with a backport that stopped (a conflict, a crash, a quit): continue, skip the current commit, or abort,
from the journal's unfinished backport plan and git's own cherry-pick state. The TUI and the CLI both call these.

A cherry-pick in progress that is not the backport's own (no unfinished backport plan, or a commit the plan does not
pick) is somebody else's work: every function here refuses to touch it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cockpit.core.plan import Step
from cockpit.errors import InputError
from cockpit.services.executor import AbortOutcome, Executor, Progress
from cockpit.services.git import cherry_pick
from cockpit.services.journal import PlanRecord
from cockpit.services.steps.backport import ForeignCherryPick, foreign_message
from cockpit.workflows.backport import unfinished_backport


class NoBackport(InputError):
    """Nothing to continue, skip or abort."""


@dataclass(frozen=True)
class BackportState:
    """Where an unfinished backport stands: its plan, the step it stopped at, git's cherry-pick in progress."""

    record: PlanRecord | None
    cherry_pick: str | None  # CHERRY_PICK_HEAD
    step: Step | None  # the first step not done
    conflicted: tuple[str, ...] = ()

    @property
    def shas(self) -> tuple[str, ...]:
        if self.record is None:
            return ()
        return tuple(s.params["sha"] for s in self.record.plan.steps if s.kind == "backport.pick")

    @property
    def foreign(self) -> bool:
        """A cherry-pick is in progress that this backport did not start."""
        return self.cherry_pick is not None and self.cherry_pick not in self.shas

    @property
    def current_sha(self) -> str | None:
        return self.step.params["sha"] if self.step is not None and self.step.kind == "backport.pick" else None

    def describe(self) -> str:
        if self.record is None:
            return "no backport in progress"
        where = self.step.title if self.step else "every step done"
        files = f"; conflicted: {', '.join(self.conflicted)}" if self.conflicted else ""
        return f"{self.record.plan.title}: stopped at {where}{files}"


def backport_state(executor: Executor) -> BackportState:
    git = executor.context.git
    record = unfinished_backport(executor.journal)
    busy = cherry_pick.in_progress(git)
    step = None
    if record is not None:
        step = next((s for s in record.plan.steps if record.state_of(s.id) != "done"), None)
    return BackportState(record, busy, step, tuple(cherry_pick.conflicted(git)) if busy else ())


def require_backport(executor: Executor, action: str) -> BackportState:
    """The unfinished backport `action` (continue, skip, abort) applies to; NoBackport or ForeignCherryPick else."""
    state = backport_state(executor)
    if state.record is None:
        if state.cherry_pick:
            raise ForeignCherryPick(f"nothing to {action}: no unfinished backport in the journal, and "
                                    + foreign_message(state.cherry_pick))
        raise NoBackport(f"nothing to {action}: no unfinished backport in the journal")
    if state.foreign or (action != "abort" and state.cherry_pick and state.cherry_pick != state.current_sha):
        raise ForeignCherryPick(foreign_message(state.cherry_pick or ""))
    return state


def continue_backport(executor: Executor, on_progress: Callable[[Progress], None] | None = None) -> PlanRecord:
    """Conclude the resolved pick (`git cherry-pick --continue`), then the remaining picks, push, PR."""
    state = require_backport(executor, "continue")
    assert state.record is not None
    return executor.execute(state.record.plan, on_progress, state.record)


def skip_current(executor: Executor, on_progress: Callable[[Progress], None] | None = None) -> PlanRecord:
    """Drop the commit the backport stopped at (`git cherry-pick --skip`), record it skipped, go on."""
    state = require_backport(executor, "skip")
    assert state.record is not None
    step = state.step
    if step is None or step.kind != "backport.pick":
        raise NoBackport("nothing to skip: every pick is done (--continue finishes the backport)")
    if state.cherry_pick:
        cherry_pick.skip(executor.context.git)
    plan = state.record.plan
    executor.journal.append({"plan": plan.id, "step": step.id, "state": "done",
                             "changes": {"picked": step.params["sha"], "skipped": True}})
    record = next(p for p in executor.journal.plans() if p.plan.id == plan.id)
    return executor.execute(plan, on_progress, record)


def abort_backport(executor: Executor) -> AbortOutcome:
    """`git cherry-pick --abort`, back to the user's branch, the local backport branch removed; nothing pushed."""
    state = require_backport(executor, "abort")
    assert state.record is not None
    outcome = executor.abort(state.record)
    assert outcome is not None
    return outcome
