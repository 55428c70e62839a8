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

from cockpit.core.checks import SEVERITIES, CheckResult
from cockpit.core.plan import Plan, Step
from cockpit.services.settings import make_private_dir

FINAL_STATES = ("finished", "aborted")


def journal_file(state_root: Path, repo_root: Path) -> Path:
    """One journal per repository: its folder name plus a hash of its absolute path."""
    resolved = str(repo_root.resolve())
    digest = hashlib.sha256(resolved.encode()).hexdigest()[:12]
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", repo_root.name)[:40] or "repo"
    return state_root / "journal" / f"{name}-{digest}.jsonl"


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _stamp(record: dict[str, Any]) -> str | None:
    """A record's time (now_iso's text); None when it has none, or a damaged one (plans sort by it)."""
    ts = record.get("ts")
    return ts if isinstance(ts, str) else None


def plan_to_json(plan: Plan) -> dict[str, Any]:
    return {"id": plan.id, "title": plan.title,
            "steps": [{"id": s.id, "title": s.title, "kind": s.kind, "params": s.params,
                       "commands": list(s.commands), "recovery": s.recovery, "detail": s.detail} for s in plan.steps],
            "checks": [c.as_dict() for c in plan.checks], "note": plan.note}


def _typed(value: Any, kind: type) -> Any:
    """`value` if it is a `kind`, else TypeError: a record the journal did not write this way is skipped whole."""
    if not isinstance(value, kind):
        raise TypeError(f"{type(value).__name__} where the journal writes {kind.__name__}")
    return value


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(_typed(v, str) for v in _typed(value, list))


def plan_from_json(data: dict[str, Any]) -> Plan:
    """The plan of a `planned` record; KeyError, TypeError or ValueError when any field is missing or of another
    type than plan_to_json writes (so a damaged record is never half-used)."""
    steps = tuple(Step(_typed(s["id"], str), _typed(s["title"], str), _typed(s["kind"], str),
                       dict(_typed(s.get("params") or {}, dict)), _texts(s.get("commands") or []),
                       _typed(s.get("recovery", ""), str), _typed(s.get("detail", ""), str))
                  for s in _typed(data["steps"], list))
    checks = tuple(CheckResult(_typed(c["id"], str), c["severity"], _typed(c["ok"], bool), _typed(c["message"], str),
                               _texts(c.get("evidence") or []), _typed(c.get("fix_hint", ""), str))
                   for c in _typed(data.get("checks", []), list))
    if any(c.severity not in SEVERITIES for c in checks):
        raise ValueError("unknown check severity")
    return Plan(_typed(data["id"], str), _typed(data["title"], str), steps, checks, _typed(data.get("note", ""), str))


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
            make_private_dir(self.path.parent)
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
            except (ValueError, RecursionError):  # not JSON, an int past int()'s digit limit, nested too deep
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
                    plans[pid] = PlanRecord(plan_from_json(_typed(r["data"], dict)), _stamp(r) or "")
                except (KeyError, TypeError, ValueError):
                    continue
                continue
            record = plans.get(pid)
            if record is None:
                continue
            step = r.get("step")
            if step is None and state in FINAL_STATES:
                record.final, record.ended_at = state, _stamp(r)
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
