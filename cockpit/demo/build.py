"""Build, reuse or rebuild a sandbox directory: its state, the markers, atomic writes."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import date
from pathlib import Path

from cockpit.demo.errors import SandboxError
from cockpit.demo.fastimport import _write_git
from cockpit.demo.forge_data import _Forge
from cockpit.demo.history import _History
from cockpit.demo.layout import (
    _MARKER_HEAD,
    _OWNED,
    _TMP_PREFIX,
    BUILDING,
    FORMAT_VERSION,
    MARKER,
    Sandbox,
)


def build_sandbox(root: Path, today: date, fresh: bool = False) -> Sandbox:
    """Build the sandbox under `root` for `today`, or reuse a complete one (rebuild it with `fresh=True`).

    A directory that holds anything but a sandbox is never touched: SandboxError instead."""
    root = Path(root).expanduser().absolute()
    box = Sandbox(root, root / "origin.git", root / "libs", root / "forge.json")
    state = _inspect(root)
    if state == "foreign":
        raise SandboxError(f"{root} is not empty and is not a cockpit sandbox; pick an empty or new directory")
    if state == "complete" and not fresh:
        return box
    if state in ("complete", "ours"):
        try:
            _clear(root)
        except OSError as exc:
            raise SandboxError(f"cannot remove the old sandbox in {root}: {exc.strerror or exc}") from exc
    history = _History(today)
    history.replay()
    try:
        root.mkdir(parents=True, exist_ok=True)
        (root / BUILDING).write_text(f"{_MARKER_HEAD} {FORMAT_VERSION} building\n")  # a crash leaves it: rebuilt
        _write_git(box, history)
        _write_json(box.forge_file, _Forge(history).build())
        _write_atomic(root / MARKER, f"{_MARKER_HEAD} {FORMAT_VERSION}\nbuilt-for {today.isoformat()}\n")
        (root / BUILDING).unlink()
    except OSError as exc:
        raise SandboxError(f"cannot build the sandbox in {root}: {exc.strerror or exc}") from exc
    return box


def _inspect(root: Path) -> str:
    """missing | empty | complete | ours (partial or outdated) | foreign."""
    if not root.exists():
        return "missing"
    if not root.is_dir():
        return "foreign"
    if not any(root.iterdir()):
        return "empty"
    marker = root / MARKER
    if marker.is_file() and not marker.is_symlink():
        head = marker.read_text(errors="replace").split("\n", 1)[0]
        complete = all((root / name).is_dir() for name in ("origin.git", "libs")) and (root / "forge.json").is_file()
        if head == f"{_MARKER_HEAD} {FORMAT_VERSION}" and complete and not (root / BUILDING).exists():
            return "complete"
        return "ours"
    if (root / BUILDING).is_file():
        return "ours"
    return "foreign"


def _clear(root: Path) -> None:
    """Remove what the sandbox owns, nothing else (files the user added beside it stay)."""
    for entry in root.iterdir():
        if entry.name not in _OWNED and not entry.name.startswith(_TMP_PREFIX):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def _write_atomic(path: Path, text: str) -> None:
    """Temp file + os.replace: a reader never sees half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_TMP_PREFIX)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; these are ordinary project files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_json(path: Path, data: dict) -> None:
    _write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
