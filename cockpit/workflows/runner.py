"""The one plan runner of both front ends: refuse a blocked plan, stop at a dry run, ask for confirmation, then run
the plan through the executor and the journal, and say how it went as a value (`RunOutcome`), never as an exit code
or an exception. The CLI prints around it; the TUI shows the plan dialog first (that is its confirmation) and
notifies from the outcome. Nothing here prints or knows a terminal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from cockpit.core.ci_gate import refusal
from cockpit.core.plan import Plan, Step
from cockpit.services.executor import Executor, PlanBlocked, Progress, StepFailed
from cockpit.services.journal import PlanRecord

RunState = Literal["blocked", "dry-run", "cancelled", "finished", "stopped"]
OpenExecutor = Callable[[], Executor]  # opened only when the plan really runs: a dry run opens no journal, no forge
Confirm = Callable[[Plan], bool]
OnProgress = Callable[[Progress], None]


def confirmed_already(_plan: Plan) -> bool:
    """The confirmation of a front end that asked before it called the runner (the TUI's plan dialog)."""
    return True


@dataclass(frozen=True)
class RunOutcome:
    """How a plan's run ended. `record` is the journal's record of it after the run (None when it never reached
    the journal: blocked, dry run, cancelled); `stopped_at` and `reason` name the step that failed and why;
    `error` is the one line a front end shows for a refusal or a failure (with the step's recovery hint)."""

    plan: Plan
    state: RunState
    record: PlanRecord | None = None
    stopped_at: Step | None = None
    reason: str | None = None
    error: str | None = None

    @property
    def plan_id(self) -> str:
        """The id the journal knows the plan by."""
        return self.plan.id

    @property
    def journaled(self) -> bool:
        return self.record is not None

    @property
    def done(self) -> tuple[str, ...]:
        """The ids of the steps that are done (ran now, or before a resume)."""
        record = self.record
        return tuple(s.id for s in self.plan.steps if record is not None and record.state_of(s.id) == "done")

    @property
    def left(self) -> tuple[str, ...]:
        """The ids of the steps not done: all of them unless the plan ran."""
        done = set(self.done)
        return tuple(s.id for s in self.plan.steps if s.id not in done)

    @property
    def failed(self) -> bool:
        """Refused or stopped: the CLI's exit 1."""
        return self.state in ("blocked", "stopped")


def run_plan(plan: Plan, open_executor: OpenExecutor, *, confirm: Confirm, on_progress: OnProgress | None = None,
             dry_run: bool = False) -> RunOutcome:
    """Refuse (an error-severity check failed: no override), stop (dry run: nothing opened, nothing changed), ask
    (`confirm`; False cancels), or run `plan` step by step through the journal."""
    if plan.blocked:
        return RunOutcome(plan, "blocked", error=refusal(plan.checks))
    if dry_run:
        return RunOutcome(plan, "dry-run")
    if not confirm(plan):
        return RunOutcome(plan, "cancelled")
    executor = open_executor()
    return outcome_of(plan, executor, lambda: executor.execute(plan, on_progress))


def continue_plan(record: PlanRecord, open_executor: OpenExecutor,
                  on_progress: OnProgress | None = None) -> RunOutcome:
    """Run an unfinished plan of the journal again from its first step not done (the steps are idempotent)."""
    executor = open_executor()
    return outcome_of(record.plan, executor, lambda: executor.execute(record.plan, on_progress, record))


def outcome_of(plan: Plan, executor: Executor, run: Callable[[], PlanRecord]) -> RunOutcome:
    """Call `run` (the executor running `plan`, or a continuation of it that does its own journal work first, such
    as a backport's skip) and turn how it ended into an outcome; the journal is read once, here, after a failure."""
    try:
        record = run()
    except PlanBlocked as exc:
        return RunOutcome(plan, "blocked", error=str(exc))
    except StepFailed as exc:
        after = next((p for p in executor.journal.plans() if p.plan.id == exc.plan.id), None)
        return RunOutcome(exc.plan, "stopped", after, exc.step, exc.reason, str(exc))
    return RunOutcome(record.plan, "finished", record)
