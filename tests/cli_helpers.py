"""The installed `cockpit` command run as a user runs it, for the tests that check the CLI from the outside."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from cockpit.demo import Sandbox

from ui_helpers import TODAY

COCKPIT = shutil.which("cockpit", path=str(Path(sys.executable).parent)) or shutil.which("cockpit")


def cockpit(target: Sandbox | Path, *args: str, crash: str | None = None, token: str | None = None,
            env: dict[str, str] | None = None, umask: int = -1, preexec: Callable[[], None] | None = None,
            check: bool = False, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`cockpit ARGS --repo CLONE` with today pinned and no terminal on stdin (so nothing waits for an answer).

    `crash` arms the crash hook (`<step>:<started|done>`); `token` is the GitHub token it finds in GH_TOKEN; `env`
    adds variables to the test's (hermetic) environment; `preexec` runs in the child before the command (limits);
    `check` asserts that it succeeded."""
    assert COCKPIT, "the cockpit command is not installed (pip install -e '.[test]')"
    run_env = {**os.environ, "COCKPIT_TODAY": TODAY.isoformat(), **(env or {})}
    if crash:
        run_env["COCKPIT_CRASH_AT"] = crash
    if token:
        run_env["GH_TOKEN"] = token
    repo = target.clone if isinstance(target, Sandbox) else target
    done = subprocess.run([COCKPIT, *args, "--repo", str(repo)], capture_output=True, text=True, env=run_env,
                          stdin=subprocess.DEVNULL, umask=umask, preexec_fn=preexec, timeout=timeout)
    assert not check or done.returncode == 0, f"cockpit {' '.join(args)}: exit {done.returncode}\n{done.stderr}"
    return done
