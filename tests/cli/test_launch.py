"""`cockpit` opening the TUI in a real terminal (a pty): the first start reads the repository, the next one opens on
the last session's screen, and a failure while the cockpit loads behind that screen is the command's one-line
error, said once the terminal is the shell's again."""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import json
import os
import pty
import select
import signal
import struct
import subprocess
import termios
import time
from pathlib import Path

import pytest
from textual.worker import WorkerFailed

from cockpit.demo import Sandbox
from cockpit.ui.last_session import SessionFile

from cli_helpers import COCKPIT
from ui_helpers import TODAY

QUIT = b"\x11"  # ctrl+q


def run_cockpit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([COCKPIT, *args], capture_output=True, text=True, timeout=120)


def run_git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout.strip()


class Terminal:
    """`cockpit ARGS` on a 160x45 pty: what it drew, what it was sent, how it ended."""

    def __init__(self, *args: str) -> None:
        assert COCKPIT
        env = {**os.environ, "COCKPIT_TODAY": TODAY.isoformat(), "TERM": "xterm-256color"}
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the command on the pty
            os.execve(COCKPIT, [COCKPIT, *args], env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 45, 160, 0, 0))
        self.output = b""
        self.code: int | None = None

    def read_until(self, wanted: bytes, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while wanted not in self.output and self.code is None:
            assert time.monotonic() < deadline, f"{wanted!r} never came: {self.output[-2000:]!r}"
            self._read(0.1)

    def send(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def wait(self, timeout: float = 60) -> int:
        deadline = time.monotonic() + timeout
        while self.code is None:
            assert time.monotonic() < deadline, f"still running: {self.output[-2000:]!r}"
            self._read(0.1)
        return self.code

    def _read(self, seconds: float) -> None:
        if select.select([self.fd], [], [], seconds)[0]:
            with contextlib.suppress(OSError):  # the child closed the pty
                self.output += os.read(self.fd, 65536)
        done, status = os.waitpid(self.pid, os.WNOHANG)
        if done:
            self.code = os.waitstatus_to_exitcode(status)
            os.close(self.fd)


def session_of(sandbox: Sandbox) -> SessionFile:
    return SessionFile(sandbox.clone, Path(os.environ["XDG_CACHE_HOME"]) / "release-cockpit")


def test_the_next_start_opens_on_the_last_sessions_rows(sandbox: Sandbox) -> None:
    first = Terminal("--repo", str(sandbox.clone))
    first.read_until(b"2 Milestones")
    first.read_until(b"release/0.23.x")
    first.send(QUIT)
    assert first.wait() == 0
    kept = session_of(sandbox).load()
    assert kept is not None and [row.name for row in kept.branches.rows] == [
        "master", "release/0.25.x", "release/0.24.x", "release/0.23.x"]
    second = Terminal("--repo", str(sandbox.clone))
    second.read_until(b"as last shown, reading")
    second.read_until(b"2 Milestones")  # then the dashboard
    second.send(QUIT)
    assert second.wait() == 0


def test_a_failure_behind_the_last_sessions_screen_is_the_commands_error(sandbox: Sandbox) -> None:
    first = Terminal("--repo", str(sandbox.clone))
    first.read_until(b"2 Milestones")
    first.send(QUIT)
    assert first.wait() == 0
    (sandbox.clone / ".cockpit.toml").write_text("release_branch_prefix = [\n")  # broken since
    second = Terminal("--repo", str(sandbox.clone))
    assert second.wait() == 2
    said = second.output.decode(errors="replace")
    drawn, after = said.rsplit("\x1b[?1049l", 1)  # the app's screen, then the shell's once it left
    assert "as last shown" in drawn  # it did open on the last session's screen first
    assert ".cockpit.toml: not valid TOML" in after and "Traceback" not in said


async def test_a_crash_of_the_app_exits_as_an_internal_error_and_a_quit_as_success(sandbox: Sandbox) -> None:
    from cockpit.cli.launch import ended, load_cockpit
    from cockpit.ui.app import CockpitApp
    from cockpit.ui.branch_rows import BranchRow, BranchRows
    from cockpit.ui.last_session import LastSession
    from cockpit.ui.loading import Loaded, Loading

    last = LastSession("textual-dark", "libs", BranchRows((BranchRow("default", "master"),), ""))

    def broken() -> Loaded:  # loads, but what it hands the dashboard breaks it on the UI thread
        loaded = load_cockpit(str(sandbox.clone))
        return Loaded(dataclasses.replace(loaded.services, user=None), loaded.cached, loaded.early)

    crashed = CockpitApp(loading=Loading(last, broken))
    with pytest.raises(WorkerFailed):  # the crash, as Textual reports it (its traceback, in a terminal)
        async with crashed.run_test(size=(120, 40)) as pilot:
            await pilot.pause(1)
    assert crashed.return_code == 1 and ended(crashed) == 2
    quit = CockpitApp(loading=Loading(last, lambda: load_cockpit(str(sandbox.clone))))
    async with quit.run_test(size=(120, 40)) as pilot:
        await quit.workers.wait_for_complete()
        await pilot.press("ctrl+q")
    assert ended(quit) == 0


def test_the_rows_are_kept_before_the_first_frame_of_a_first_start(sandbox: Sandbox) -> None:
    first = Terminal("--repo", str(sandbox.clone))
    first.read_until(b"release/0.25.x")
    os.kill(first.pid, signal.SIGKILL)  # killed the moment its rows are on the terminal
    first.wait()
    kept = session_of(sandbox).load()
    assert kept is not None and [row.name for row in kept.branches.rows][:2] == ["master", "release/0.25.x"]


def test_a_status_read_in_the_folder_is_the_first_starts_screen(sandbox: Sandbox) -> None:
    """`cockpit status` reads the rows the dashboard draws first (with the graph's answers): the TUI's first start
    in the folder opens on them at once, then reads the repository itself."""
    done = run_cockpit("status", "--repo", str(sandbox.clone))
    assert done.returncode == 0, done.stderr
    kept = session_of(sandbox).load()
    assert kept is not None and kept.title == sandbox.clone.name and kept.theme == "textual-dark"
    rows = {row.name: row for row in kept.branches.rows}
    assert list(rows) == ["master", "release/0.25.x", "release/0.24.x", "release/0.23.x"]
    assert rows["release/0.25.x"].ahead.startswith("↑") and rows["release/0.25.x"].behind.startswith("↓")
    assert rows["master"].head == run_git(sandbox.clone, "rev-parse", "origin/master")[:10]
    first = Terminal("--repo", str(sandbox.clone))
    first.read_until(b"as last shown, reading")
    first.read_until(b"2 Milestones")
    first.send(QUIT)
    assert first.wait() == 0


def test_a_user_config_the_tui_refuses_keeps_nothing_and_status_still_answers(sandbox: Sandbox) -> None:
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "release-cockpit" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("theme = [\n")
    done = run_cockpit("status", "--repo", str(sandbox.clone), "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["default_branch"] == "master"
    assert session_of(sandbox).load() is None  # the TUI says what is wrong with the config; status does not guess
