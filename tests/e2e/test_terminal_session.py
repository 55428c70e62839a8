"""End to end in a real terminal: the installed `cockpit demo` under tmux shows the three panes with the sandbox's
branches, milestones and RC tags, then quits cleanly on ctrl+q."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from cli_helpers import COCKPIT

TMUX = shutil.which("tmux")


def capture(socket: str) -> str:
    return subprocess.run([TMUX, "-L", socket, "capture-pane", "-p", "-t", "e2e"], capture_output=True,
                          text=True).stdout


def wait_for(socket: str, ready, timeout: float = 60.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = capture(socket)
        if ready(screen):
            return screen
        time.sleep(0.2)
    raise AssertionError(f"the screen never got ready:\n{screen}")


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed (.ci/run installs it where it can)")
def test_demo_in_a_real_terminal(tmp_path: Path) -> None:
    socket = f"cockpit-e2e-{uuid.uuid4().hex[:8]}"
    command = f"COCKPIT_TODAY=2026-11-25 '{COCKPIT}' demo --path '{tmp_path / 'sb'}'; echo COCKPIT-EXITED $?; sleep 30"
    # COLUMNS/LINES, set in this process by the Textual test machinery, would win over the terminal's own size
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    subprocess.run([TMUX, "-L", socket, "new-session", "-d", "-s", "e2e", "-x", "140", "-y", "45", command],
                   check=True, env=env)
    try:
        wanted = ("Branches", "Milestones", "Tags", "Release 0.26.0", "Code freeze",  # the forge's data, painted last
                  "release/0.25.x", "release/0.23.x", "0.25.0-rc3")
        screen = wait_for(socket, lambda s: all(text in s for text in wanted))
        assert "Traceback" not in screen
        subprocess.run([TMUX, "-L", socket, "send-keys", "-t", "e2e", "C-q"], check=True)
        screen = wait_for(socket, lambda s: "COCKPIT-EXITED" in s, timeout=10)
        assert "COCKPIT-EXITED 0" in screen and "Traceback" not in screen
    finally:
        subprocess.run([TMUX, "-L", socket, "kill-server"], capture_output=True)
