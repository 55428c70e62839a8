"""The journal: every plan and every step's state, appended to a per-repository JSONL file in the platformdirs state
dir and fsynced before the step it announces runs. An interrupted session (crash, kill, network loss) finds its
unfinished plan here and can continue or abort it. Tokens never reach it: records hold refs, shas and forge ids."""

from __future__ import annotations

import contextlib
import errno
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
from cockpit.services.dirs import make_private_dir
from cockpit.services.files import UnfitFile, read_regular_file

FINAL_STATES = ("finished", "aborted")
MAX_JOURNAL_BYTES = 256 * 1024 * 1024  # years of plans are a few MB; a file past this is not a journal


def journal_file(state_root: Path, repo_root: Path) -> Path:
    """One journal per repository: its folder name plus a hash of its absolute path."""
    resolved = str(repo_root.resolve())
    digest = hashlib.sha256(os.fsencode(resolved)).hexdigest()[:12]  # a path that is no UTF-8 too
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


_DISK_FULL = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}


def _why(exc: OSError) -> str:
    """One line saying why a record could not be written; a full disk (or a file size limit) said as such."""
    reason = exc.strerror or str(exc)
    if exc.errno in _DISK_FULL:
        return f"disk full ({reason}); the record was not written"
    return reason


def _write_all(fd: int, data: bytes) -> None:
    """os.write until every byte is out: a short write (the disk filling up mid-record) is retried, and the next
    write then says why (ENOSPC); a write that takes nothing is a full disk too."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[written:]


def _cut_back(fd: int, size: int) -> None:
    """Remove the part of a record a failed write left behind, so no torn record follows the complete ones; if
    even that fails, readers find the torn tail and say so (Journal.torn_tail)."""
    with contextlib.suppress(OSError):
        os.ftruncate(fd, size)


def _record(line: str) -> dict[str, Any] | None:
    """A line as the journal wrote it, or None (torn, not JSON, an int past int()'s digit limit, nested too deep)."""
    try:
        record = json.loads(line)
    except (ValueError, RecursionError):
        return None
    return record if isinstance(record, dict) and isinstance(record.get("plan"), str) else None


class JournalError(Exception):
    """The journal could not be written (disk full, read-only, too large): said in one line, with what ran."""


class Journal:
    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()

    def append(self, record: dict[str, Any]) -> None:
        """One line, written whole and fsynced before returning: the record survives a crash right after it. A
        write cut short (disk full) is undone and raised, so the caller stops before the step it announces runs."""
        line = json.dumps({"ts": now_iso(), **record}, sort_keys=True) + "\n"
        try:
            self._append_line(line)
        except OSError as exc:
            raise JournalError(f"cannot write the journal {self.path}: {_why(exc)}") from None

    def _append_line(self, line: str) -> None:
        with self._lock:
            make_private_dir(self.path.parent)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                size = os.fstat(fd).st_size
                if size and os.pread(fd, 1, size - 1) != b"\n":
                    line = "\n" + line  # a line torn by a crash stays alone, unreadable, and is skipped
                try:
                    _write_all(fd, line.encode())
                    os.fsync(fd)
                except OSError:
                    _cut_back(fd, size)
                    raise
            finally:
                os.close(fd)

    def records(self) -> list[dict[str, Any]]:
        """Every readable record; a line torn by a crash mid-write (or otherwise unreadable) is skipped (the
        last one is reported by `torn_tail`)."""
        return self._read()[0]

    def torn_tail(self) -> str | None:
        """What is wrong with the journal's last record when it is incomplete (a write cut short by a crash or a
        full disk), for the user: the plans are still read from the complete records before it."""
        return self._read()[1]

    def _read(self) -> tuple[list[dict[str, Any]], str | None]:
        try:
            raw = read_regular_file(self.path, MAX_JOURNAL_BYTES)
        except FileNotFoundError:
            return [], None
        except UnfitFile as exc:  # a directory, a fifo or a link to /dev/zero in its place: never waited on
            raise JournalError(f"cannot read the journal: {exc}") from None
        except OSError as exc:
            raise JournalError(f"cannot read the journal {self.path}: {exc.strerror or exc}") from None
        found = []
        lines = raw.decode("utf-8", errors="replace").splitlines()
        for line in lines:
            record = _record(line)
            if record is not None:
                found.append(record)
        torn = None
        if raw.strip() and (not raw.endswith(b"\n") or _record(lines[-1]) is None):
            tail = raw.rstrip(b"\n").rsplit(b"\n", 1)[-1]
            torn = (f"the journal's last record is incomplete: {self.path} ends in {len(tail)} byte(s) that are not "
                    "a whole record (a write cut short by a crash or a full disk); the plans are read from the "
                    "complete records before it")
        return found, torn

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
