"""The CLI's plain-text output to a terminal shows control characters instead of sending them: a commit subject,
a PR title or a milestone carrying ANSI/OSC escapes cannot clear the screen or retitle the window of the user who
runs `cockpit candidates`, `status`, `notes` or `milestone orphans`. The commands run as a user runs them, with
stdout and stderr on a pseudo-terminal. In a pipe the data is passed on unchanged: a script reading it wants the
text as git and the forge hold it."""

from __future__ import annotations

import os
import pty
import subprocess

import pytest

from cockpit.demo import NEWEST_RELEASE_BRANCH, Sandbox

from cli_helpers import COCKPIT
from hostile import COMMIT_AUTHOR, CONTROL, ESCAPES, hostile_sandbox
from ui_helpers import TODAY

ENV = {**os.environ, "COCKPIT_TODAY": TODAY.isoformat(), "NO_COLOR": "1"}
COMMANDS = {  # a command, and the hostile text it shows made visible
    "candidates": (["candidates", "--branch", NEWEST_RELEASE_BRANCH], "<Mal[bold]lory␛[31m>"),  # a commit's author
    "status": (["status"], "0.99.0[/]␛[2J"),  # the hostile milestone
    "notes": (["notes", "0.26.0"], "notes [@click=app.quit]quit[/] [bold red]red[/]"),  # release-note blocks
    "orphans": (["milestone", "orphans"], "orphan [@click=app.quit]quit[/]"),  # a merged PR without a milestone
    "error": (["notes", f"0.99.0{ESCAPES}"], "unknown milestone '0.99.0\\x1b[2J"),  # quoted in the error line
}


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Sandbox:
    return hostile_sandbox(tmp_path_factory.mktemp("hostile"))


def on_terminal(sb: Sandbox, args: list[str]) -> str:
    """What the terminal receives, stdout and stderr both on one pseudo-terminal."""
    main, secondary = pty.openpty()
    process = subprocess.Popen([COCKPIT, *args, "--repo", str(sb.clone)], stdin=subprocess.DEVNULL,
                               stdout=secondary, stderr=secondary, env=ENV)
    os.close(secondary)
    received = bytearray()
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: the command closed the terminal
            break
        if not chunk:
            break
        received += chunk
    os.close(main)
    process.wait(timeout=120)
    return received.decode("utf-8", errors="replace")


@pytest.mark.security
@pytest.mark.parametrize("name", COMMANDS)
def test_terminal_receives_no_control_sequence_from_the_data(sandbox: Sandbox, name: str) -> None:
    args, visible = COMMANDS[name]
    shown = on_terminal(sandbox, args).replace("\r\n", "\n")  # the terminal's own line ends
    assert visible in shown, shown[:2000]
    assert not CONTROL.search(shown), repr(CONTROL.search(shown))


@pytest.mark.security
def test_a_pipe_gets_the_data_unchanged(sandbox: Sandbox) -> None:
    piped = subprocess.run([COCKPIT, *COMMANDS["candidates"][0], "--repo", str(sandbox.clone)],
                           capture_output=True, text=True, env=ENV, timeout=120, check=True)
    assert f"<{COMMIT_AUTHOR}>" in piped.stdout


@pytest.mark.security
def test_argument_errors_quote_arguments_visibly(sandbox: Sandbox) -> None:
    """argparse names an unexpected argument as typed: on a terminal its escapes are shown, not obeyed."""
    shown = on_terminal(sandbox, ["status", f"stray{ESCAPES}"])
    assert "unrecognized arguments: stray␛[2J" in shown, shown
    assert not CONTROL.search(shown.replace("\r\n", "\n"))
