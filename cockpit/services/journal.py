"""The journal: every plan and every step's state, appended to a per-repository JSONL file in the platformdirs state
dir and fsynced before the step it announces runs. An interrupted session (crash, kill, network loss) finds its
unfinished plan here and can continue or abort it. Tokens never reach it: records hold refs, shas and forge ids."""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cockpit.core.checks import CheckResult
from cockpit.core.plan import Plan, Step

FINAL_STATES = ("finished", "aborted")


def journal_file(state_root: Path, repo_root: Path) -> Path:
    """One journal per repository: its folder name plus a hash of its absolute path."""
    resolved = str(repo_root.resolve())
    digest = hashlib.sha256(resolved.encode()).hexdigest()[:12]
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", repo_root.name)[:40] or "repo"
    return state_root / "journal" / f"{name}-{digest}.jsonl"


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def plan_to_json(plan: Plan) -> dict[str, Any]:
    return {"id": plan.id, "title": plan.title,
            "steps": [{"id": s.id, "title": s.title, "kind": s.kind, "params": s.params,
                       "commands": list(s.commands), "recovery": s.recovery, "detail": s.detail} for s in plan.steps],
            "checks": [c.as_dict() for c in plan.checks], "note": plan.note}


def plan_from_json(data: dict[str, Any]) -> Plan:
    steps = tuple(Step(s["id"], s["title"], s["kind"], dict(s.get("params") or {}), tuple(s.get("commands") or ()),
                       s.get("recovery", ""), s.get("detail", "")) for s in data["steps"])
    checks = tuple(CheckResult(c["id"], c["severity"], c["ok"], c["message"], tuple(c.get("evidence") or ()),
                               c.get("fix_hint", "")) for c in data.get("checks", ()))
    return Plan(data["id"], data["title"], steps, checks, data.get("note", ""))


@dataclass
class PlanRecord:
    """A plan as the journal tells it: its steps' last states, what each changed, and how it ended."""

    plan: Plan
    started_at: str
    states: dict[str, str] = field(default_factory=dict)
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    final: str | None = None  # "finished" | "aborted" | None while unfinished
    ended_at: str | None = None

    @property
    def unfinished(self) -> bool:
        return self.final is None

    def state_of(self, step_id: str) -> str:
        return self.states.get(step_id, "planned")

    def as_json(self) -> dict[str, Any]:
        return {"id": self.plan.id, "title": self.plan.title, "started_at": self.started_at,
                "state": self.final or ("failed" if self.errors and any(
                    v == "failed" for v in self.states.values()) else "unfinished"),
                "ended_at": self.ended_at,
                "steps": [{"id": s.id, "title": s.title, "kind": s.kind, "state": self.state_of(s.id),
                           "changes": self.changes.get(s.id, {}), "error": self.errors.get(s.id)}
                          for s in self.plan.steps]}


class JournalError(Exception):
    """The journal could not be written (disk full, read-only, too large): said in one line, with what ran."""


class Journal:
    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()

    def append(self, record: dict[str, Any]) -> None:
        """One line, written and fsynced before returning: the record survives a crash right after it."""
        line = json.dumps({"ts": now_iso(), **record}, sort_keys=True) + "\n"
        try:
            self._append_line(line)
        except OSError as exc:
            raise JournalError(f"cannot write the journal {self.path}: {exc.strerror or exc}") from None

    def _append_line(self, line: str) -> None:
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                size = os.fstat(fd).st_size
                if size and os.pread(fd, 1, size - 1) != b"\n":
                    line = "\n" + line  # a line torn by a crash stays alone, unreadable, and is skipped
                os.write(fd, line.encode())
                os.fsync(fd)
            finally:
                os.close(fd)

    def records(self) -> list[dict[str, Any]]:
        """Every readable record; a line torn by a crash mid-write (or otherwise unreadable) is skipped."""
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return []
        found = []
        for line in text.splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict) and isinstance(record.get("plan"), str):
                found.append(record)
        return found

    def plans(self) -> list[PlanRecord]:
        """Every plan, newest first."""
        plans: dict[str, PlanRecord] = {}
        for r in self.records():
            pid, state = r["plan"], r.get("state")
            if state == "planned" and "data" in r:
                try:
                    plans[pid] = PlanRecord(plan_from_json(r["data"]), r.get("ts", ""))
                except (KeyError, TypeError, ValueError):
                    continue
                continue
            record = plans.get(pid)
            if record is None:
                continue
            step = r.get("step")
            if step is None and state in FINAL_STATES:
                record.final, record.ended_at = state, r.get("ts")
            elif isinstance(step, str) and state in ("started", "done", "failed"):
                record.states[step] = state
                if state == "done" and isinstance(r.get("changes"), dict):
                    record.changes[step] = r["changes"]
                if state == "failed":
                    record.errors[step] = str(r.get("error", ""))
        return sorted(plans.values(), key=lambda p: p.started_at, reverse=True)

    def unfinished(self) -> PlanRecord | None:
        return next((p for p in self.plans() if p.unfinished), None)

    def planned(self, plan: Plan) -> None:
        self.append({"plan": plan.id, "state": "planned", "data": plan_to_json(plan)})
