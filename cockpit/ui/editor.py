"""Opening the user's editor on files: the one place the TUI hands the terminal to another program.

The app suspends (the editor gets the real terminal) and resumes when it exits; without a terminal to hand over
(headless, tests) the editor runs on its own with its output captured. It starts the editor and nothing else."""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.app import App, SuspendNotSupported


@dataclass(frozen=True)
class EditorRun:
    """How an editor run ended: `returncode` is None when the program was not found."""

    program: str
    returncode: int | None


def editor_command(configured: str | None) -> list[str]:
    """`editor` from config.toml, else $VISUAL, else $EDITOR, else vi; split as a shell would split it."""
    return shlex.split(configured or os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi")


def open_editor(app: App[Any], configured: str | None, paths: Sequence[Path], cwd: Path | None = None) -> EditorRun:
    """Run the editor on `paths` with the app suspended, and wait for it."""
    command = [*editor_command(configured), *(str(p) for p in paths)]
    try:
        try:
            with app.suspend():
                done = subprocess.run(command, check=False, cwd=cwd)
        except SuspendNotSupported:  # no terminal to hand over (headless): the editor runs on its own
            done = subprocess.run(command, check=False, cwd=cwd, capture_output=True)
    except FileNotFoundError:
        return EditorRun(command[0], None)
    return EditorRun(command[0], done.returncode)
