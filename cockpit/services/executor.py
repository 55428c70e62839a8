"""The executor: runs a Plan step by step through the journal. Before a step runs, `started` is on disk; after,
`done` with what changed (or `failed` with why). The first failure stops the plan, which stays unfinished in the
journal: `resume` runs it again from there (steps are idempotent), `abort` closes it."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cockpit.core.plan import Plan, Step
from cockpit.services.git import GitError
from cockpit.services.journal import Journal, JournalError, PlanRecord
from cockpit.services.steps.base import StepContext, StepError, Undoer
from cockpit.services.steps.refs import undo_local
from cockpit.services.steps.registry import KINDS

CRASH_HOOK = "COCKPIT_CRASH_AT"  # fault injection for the tests: "<step id>:<started|done>" kills the process there


def _crash_point(step: Step, state: str) -> None:
    """Die like a killed process right after a journal record hit the disk, when the fault suite asks for it."""
    if os.environ.get(CRASH_HOOK) == f"{step.id}:{state}":
        os._exit(75)


class PlanBlocked(Exception):
    """An error-severity check failed: the plan can never run."""


class StepFailed(Exception):
    def __init__(self, plan: Plan, step: Step, reason: str):
        super().__init__(f"step {step.id} ({step.title}) failed: {reason}"
                         + (f" — {step.recovery}" if step.recovery else ""))
        self.plan, self.step, self.reason = plan, step, reason


@dataclass(frozen=True)
class Progress:
    step: Step
    state: str  # "started" | "done" | "skipped" | "failed"
    changes: dict[str, Any] | None = None


class Executor:
    def __init__(self, journal: Journal, context: StepContext):
        self.journal = journal
        self.context = context

    def execute(self, plan: Plan, on_progress: Callable[[Progress], None] | None = None,
                record: PlanRecord | None = None) -> PlanRecord:
        """Run `plan` (or continue the journaled `record` of it); return how it ended."""
        if plan.blocked:
            raise PlanBlocked("refused: " + "; ".join(c.message for c in plan.checks if c.blocks))
        report = on_progress or (lambda _: None)
        if record is None:
            try:
                self.journal.planned(plan)
            except JournalError as exc:
                raise JournalError(f"{exc}: nothing was done") from None
        for step in plan.steps:
            if record is not None and record.state_of(step.id) == "done":
                report(Progress(step, "skipped", record.changes.get(step.id)))
                continue
            kind = KINDS.get(step.kind)
            if kind is None:
                raise StepFailed(plan, step, f"unknown step kind {step.kind!r}")
            try:
                self.journal.append({"plan": plan.id, "step": step.id, "state": "started"})
            except JournalError as exc:
                raise JournalError(f"{exc}: step {step.id} was not run; free space, then `cockpit resume`") from None
            _crash_point(step, "started")
            report(Progress(step, "started"))
            try:
                changes = kind.run(self.context, step.params)
            except (StepError, OSError) as exc:
                self.journal.append({"plan": plan.id, "step": step.id, "state": "failed", "error": str(exc)})
                report(Progress(step, "failed"))
                raise StepFailed(plan, step, str(exc)) from None
            except Exception as exc:  # git failing in an unforeseen way: still journaled, still one line
                reason = " ".join(str(exc).split()) or type(exc).__name__
                self.journal.append({"plan": plan.id, "step": step.id, "state": "failed", "error": reason})
                report(Progress(step, "failed"))
                raise StepFailed(plan, step, reason) from None
            try:
                self.journal.append({"plan": plan.id, "step": step.id, "state": "done", "changes": changes})
            except JournalError as exc:
                raise JournalError(f"{exc}; step {step.id} ({step.title}) ran but is not recorded as done: free "
                                   "space, then `cockpit resume` (it finds the step done and goes on)") from None
            _crash_point(step, "done")
            report(Progress(step, "done", changes))
        self.journal.append({"plan": plan.id, "state": "finished"})
        return next(p for p in self.journal.plans() if p.plan.id == plan.id)

    def resume(self, on_progress: Callable[[Progress], None] | None = None) -> PlanRecord | None:
        record = self.journal.unfinished()
        if record is None:
            return None
        return self.execute(record.plan, on_progress, record)

    def abort(self, record: PlanRecord | None = None) -> AbortOutcome | None:
        """Close the unfinished plan (or `record`). Before a local ref it created is removed, the remote is asked
        whether a push already published it (the journal may not know: the session can die mid-push): a ref the
        remote has at the same commit is kept and reported; when the remote cannot be read nothing is removed.
        Remote refs are never touched. Step kinds with an undoer (`StepKind.undo`) undo themselves, newest first."""
        record = record or self.journal.unfinished()
        if record is None:
            return None
        local: dict[str, str] = {}
        remote = self.context.git.config.remote
        for step in record.plan.steps:
            changes = record.changes.get(step.id)
            if step.kind == "git.push":
                remote = step.params.get("remote", remote)
            if changes and step.kind in ("git.branch", "git.tag") and not changes.get("already"):
                local.update({k: v for k, v in changes.items() if k.startswith("refs/") and isinstance(v, str)})
        published, kept = self._published(local, remote)
        removed: list[str] = []
        for step in reversed(record.plan.steps):
            changes = record.changes.get(step.id)
            undo = _undoer(step.kind)
            if undo is not None and record.state_of(step.id) != "planned":
                removed += undo(self.context, step.params, changes)
            elif changes and step.kind in ("git.branch", "git.tag"):
                removed += undo_local(self.context.git, {k: v for k, v in changes.items() if k not in published})
        self.journal.append({"plan": record.plan.id, "state": "aborted", "removed": removed, "kept": kept})
        return AbortOutcome(record, removed, kept)

    def _published(self, local: dict[str, str], remote: str) -> tuple[set[str], list[str]]:
        """The refs of `local` that must stay (the remote has them, or cannot say) and why, one line each."""
        if not local:
            return set(), []
        try:
            there = self.context.git.ls_remote(list(local), remote)
        except GitError as exc:
            return set(local), [f"{short_ref(r)} kept: {exc}" for r in local]
        same = {ref for ref, sha in local.items() if there.get(ref) == sha}
        return same, [f"{short_ref(ref)} is on {remote} at {local[ref][:12]}: kept" for ref in local if ref in same]


def _undoer(kind: str) -> Undoer | None:
    found = KINDS.get(kind)
    return found.undo if found else None


def short_ref(ref: str) -> str:
    return ref.removeprefix("refs/heads/").removeprefix("refs/tags/")


@dataclass(frozen=True)
class AbortOutcome:
    """What `abort` did: the closed plan's record, the local refs removed, and what was kept (and why)."""

    record: PlanRecord
    removed: list[str]
    kept: list[str]


def describe_choices(record: PlanRecord) -> dict[str, str]:
    """What continue and abort would do, for the offer made on start."""
    todo = [s for s in record.plan.steps if record.state_of(s.id) != "done"]
    done = [s for s in record.plan.steps if record.state_of(s.id) == "done"]
    pushed = any(s.kind == "git.push" for s in done)
    local = [s.title for s in done if s.kind in ("git.branch", "git.tag")]
    undo = [KINDS[s.kind].undo_describe for s in record.plan.steps
            if _undoer(s.kind) is not None and record.state_of(s.id) != "planned"]
    if undo:
        return {"continue": "run " + ", then ".join(s.title for s in todo) if todo else "close the plan",
                "abort": "; ".join(undo) + "; the plan is closed"}
    return {
        "continue": "run " + ", then ".join(s.title for s in todo) if todo else "close the plan (all steps done)",
        "abort": ("remove " + ", ".join(local) + " unless the remote has it (asked first)" if local and not pushed
                  else "keep what is done")
                 + ("; what was pushed stays on the remote" if pushed else "") + "; the plan is closed",
    }
