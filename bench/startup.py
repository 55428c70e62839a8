"""The start-up measurements of bench.py: `cockpit --version` against a bare interpreter, `status` on the demo
sandbox against its floor, and the TUI's first rows on a real terminal against a minimal Textual app measured the
same way. Each is a ratio of medians of interleaved runs, never an absolute time: on a shared machine only ratios
measured in one run hold."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from measuring import measure, run_ms

VERSION_TARGET = 6.0  # x a bare `python -c pass`
DEMO_STATUS_TARGET = 1.3  # x its floor
PAINT_TARGETS = {"demo": 1.3, "falco": 1.3, "kubernetes": 1.6}  # x a minimal Textual app's first paint
PAINT_SIZE = (160, 45)
PAINT_TIMEOUT_S = 15.0
SESSION_FILE = "import pathlib, sys; from cockpit.ui.last_session import SessionFile; " \
               "print(SessionFile(pathlib.Path(sys.argv[1])).path)"
MINIMAL_APP = '''from textual.app import App
from textual.widgets import Footer, Header, Static


class Minimal(App):
    def compose(self):
        yield Header()
        yield Static("release/0.1.x")
        yield Footer()


Minimal().run()
'''


def version(cockpit: Path, python: str, runs: int) -> dict:
    """`cockpit --version` against `python -c pass`: what the lazy parser leaves of start-up."""
    return measure(lambda: run_ms([str(cockpit), "--version"]), lambda: run_ms([python, "-c", "pass"]),
                   max(runs, 7)).summary(VERSION_TARGET)


def demo(cockpit: Path, python: str, runs: int, env: dict[str, str]) -> dict:
    """On the demo sandbox: `status --json` (cache warm, as a user's second look) against the interpreter importing
    git, semver and platformdirs plus one for-each-ref and one rev-list of the whole graph; and the TUI's first
    rows against a minimal Textual app's."""
    root = Path(tempfile.mkdtemp(prefix="cockpit-bench-demo-"))
    try:
        subprocess.run([str(cockpit), "demo", "--path", str(root), "--no-tui"], env=env, capture_output=True,
                       check=True)
        clone = root / "libs"
        floor = [[python, "-c", "import git, semver, platformdirs"],
                 ["git", "for-each-ref", "--format=%(refname) %(objectname) %(*objectname)"],
                 ["git", "rev-list", "--parents", "--branches", "--remotes", "--tags"]]
        status = measure(lambda: run_ms([str(cockpit), "status", "--json", "--repo", str(clone)], clone, env),
                         lambda: sum(run_ms(c, clone, env) for c in floor), max(runs, 7)).summary(DEMO_STATUS_TARGET)
        return {"status": status, "tui": tui_paint(cockpit, python, clone, runs, env, PAINT_TARGETS["demo"])}
    finally:
        shutil.rmtree(root, ignore_errors=True)


def first_rows_ms(cmd: Sequence[str], cwd: Path, env: dict[str, str]) -> float:
    """Milliseconds from starting `cmd` in a fresh tmux session until a release branch is on its screen."""
    sock = f"cockpit-bench-{uuid.uuid4().hex[:8]}"
    shell = " ".join(_quoted(c) for c in cmd)
    start = time.perf_counter()
    subprocess.run(["tmux", "-L", sock, "new-session", "-d", "-s", "s", "-x", str(PAINT_SIZE[0]), "-y",
                    str(PAINT_SIZE[1]), "-c", str(cwd), f"{shell}; sleep 30"], env=env, check=True)
    try:
        while time.perf_counter() - start < PAINT_TIMEOUT_S:
            screen = subprocess.run(["tmux", "-L", sock, "capture-pane", "-p", "-t", "s"], capture_output=True,
                                    text=True, env=env).stdout
            if "release/0." in screen:
                return (time.perf_counter() - start) * 1000
            time.sleep(0.02)
        raise RuntimeError(f"no release branch on screen after {PAINT_TIMEOUT_S:.0f} s: {' '.join(cmd)}")
    finally:
        subprocess.run(["tmux", "-L", sock, "kill-server"], capture_output=True, env=env)


def tui_paint(cockpit: Path, python: str, repo: Path, runs: int, env: dict[str, str], target: float) -> dict:
    """The TUI's first rows in a real terminal (tmux) against a minimal Textual app (Header, one Static, Footer)
    measured the same way, the graph cache warm: on a first start in the folder with no screen kept (git read while
    Textual loads) and on the next (the screen the last session or `status` kept, drawn before the cockpit loads)."""
    if shutil.which("tmux") is None:
        return {"skipped": "tmux is not installed"}
    app = Path(tempfile.mkdtemp(prefix="cockpit-bench-tui-")) / "minimal_app.py"
    app.write_text(MINIMAL_APP)
    term = {k: v for k, v in {**env, "TERM": "xterm-256color"}.items() if k not in ("COLUMNS", "LINES")}
    screen = Path(subprocess.run([python, "-c", SESSION_FILE, str(repo)], env=env, capture_output=True, text=True,
                                 check=True).stdout.strip())

    def first_start() -> float:
        screen.unlink(missing_ok=True)
        return first_rows_ms([str(cockpit), "--repo", str(repo)], repo, term)

    def minimal() -> float:
        return first_rows_ms([python, str(app)], repo, term)

    try:
        subprocess.run([str(cockpit), "status", "--json", "--repo", str(repo)], env=env, capture_output=True)
        first = measure(first_start, minimal, max(runs, 3)).summary(target)
        following = measure(lambda: first_rows_ms([str(cockpit), "--repo", str(repo)], repo, term), minimal,
                            max(runs, 3)).summary(target)  # the warm-up run leaves the screen
        return {"first_start": first, "next_start": following}
    finally:
        shutil.rmtree(app.parent, ignore_errors=True)


def _quoted(word: str) -> str:
    return "'" + word.replace("'", "'\\''") + "'"
