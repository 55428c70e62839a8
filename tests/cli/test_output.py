"""How the installed `cockpit` answers (DESIGN.md, "Headless CLI contract"): a mutating command's --json document is
its plan and outcome, every failure is one line and, with --json, an error document with the same exit code; the
input a user cannot foresee (an impossible date, Ctrl-D or a closed stdin at a prompt, a state dir that is a file,
an ASCII-only output encoding) is a clear answer, never a traceback. Real commands on a real demo sandbox."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import time
from pathlib import Path

import pytest

from cockpit.demo import NEWEST_RELEASE_BRANCH, Sandbox

from cli_helpers import COCKPIT, cockpit
from ui_helpers import TODAY

NEXT_BRANCH = "release/0.26.x"  # what `branch cut --version 0.26.0` makes on the demo sandbox


def document(done: subprocess.CompletedProcess[str]) -> dict:
    """The one JSON document on stdout (json.loads refuses a second one)."""
    assert "Traceback" not in done.stderr, done.stderr
    return json.loads(done.stdout)


def one_clear_line(done: subprocess.CompletedProcess[str]) -> str:
    """The failure was one line on stderr that names no Python exception; returns it."""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cockpit: "), done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert "Error" not in lines[0] and "Exception" not in lines[0], lines[0]
    return lines[0]


def has_branch(sb: Sandbox, branch: str) -> bool:
    return subprocess.run(["git", "-C", str(sb.clone), "rev-parse", "-q", "--verify", f"refs/heads/{branch}"],
                          capture_output=True).returncode == 0


def test_a_dry_run_answers_its_plan(sandbox: Sandbox) -> None:
    done = cockpit(sandbox, "branch", "cut", "--version", "0.26.0", "--dry-run", "--json")
    assert done.returncode == 0, done.stderr
    doc = document(done)
    assert doc["dry_run"] is True and doc["state"] == "dry-run" and not doc["journaled"]
    assert doc["ran"] == [] and doc["left"] == [s["id"] for s in doc["steps"]] and doc["left"]
    assert any(NEXT_BRANCH in cmd for s in doc["steps"] for cmd in s["commands"])
    assert any(c["id"] == "branch.version" and c["ok"] for c in doc["checks"])
    assert "Plan: " in done.stderr and "dry run: nothing was changed" in done.stderr  # the human text: stderr
    assert not has_branch(sandbox, NEXT_BRANCH)


def test_a_run_answers_what_ran_under_the_journals_id(sandbox: Sandbox) -> None:
    done = cockpit(sandbox, "branch", "cut", "--version", "0.26.0", "--yes", "--json")
    assert done.returncode == 0, done.stderr
    doc = document(done)
    assert doc["state"] == "finished" and doc["dry_run"] is False and doc["journaled"]
    assert doc["ran"] == [s["id"] for s in doc["steps"]] and doc["left"] == []
    assert all(s["state"] == "done" for s in doc["steps"]) and has_branch(sandbox, NEXT_BRANCH)
    assert document(cockpit(sandbox, "journal", "--json"))[0]["id"] == doc["plan"]
    # nothing left to resume or abort: still one document each
    for command in ("resume", "abort"):
        done = cockpit(sandbox, command, "--json")
        assert done.returncode == 0 and document(done)["state"] == "none", done.stderr


def test_a_refused_plan_is_exit_1_with_an_error_document(sandbox: Sandbox) -> None:
    done = cockpit(sandbox, "branch", "cut", "--version", "0.25.0", "--dry-run", "--json")  # the branch exists
    assert done.returncode == 1
    doc = document(done)
    assert doc["state"] == "blocked" and doc["error"]["kind"] == "refused" and doc["error"]["message"]
    assert doc["dry_run"] is True  # asked for a dry run: said so, refused or not
    assert any(not c["ok"] and c["severity"] == "error" for c in doc["checks"])
    human = cockpit(sandbox, "branch", "cut", "--version", "0.25.0", "--dry-run")
    assert human.returncode == 1 and "refused" in human.stdout


def test_bad_command_lines_answer_in_json_too(sandbox: Sandbox) -> None:
    done = cockpit(sandbox, "tag", "--no-such-option", "--json")
    assert done.returncode == 2 and "usage: cockpit" in done.stderr and "unrecognized arguments" in done.stderr
    assert document(done)["error"] == {"kind": "usage", "message": "unrecognized arguments: --no-such-option"}
    done = cockpit(sandbox, "branch", "cut", "--json")
    assert done.returncode == 2 and "usage: cockpit branch cut" in done.stderr
    assert "--version" in document(done)["error"]["message"]
    done = cockpit(sandbox, "release", "--tag", "0.25.1", "--date", "2025-13-01", "--dry-run", "--json")
    assert done.returncode == 2 and "'2025-13-01' is not a YYYY-MM-DD date" in document(done)["error"]["message"]
    assert "--date" in done.stderr and "Traceback" not in done.stderr
    done = cockpit(sandbox, "tui", "--json")  # the app has no JSON to give: said so, as JSON
    assert done.returncode == 2 and document(done)["error"]["kind"] == "input"


def test_every_date_argument_takes_the_same_type(sandbox: Sandbox) -> None:
    """One parser for --date, --due and --since: each bad date is a usage error naming its argument (exit 2)."""
    for args in (("release", "--tag", "0.25.1", "--date"), ("notes", "0.26.0", "--date"),
                 ("plan-release", "--due"), ("milestone", "orphans", "--since"),
                 ("milestone", "move", "--from", "0.26.0", "--to", "0.27.0", "--create", "--due")):
        done = cockpit(sandbox, *args, "2025-02-30")
        assert done.returncode == 2, (args, done.stderr)
        assert f"{args[-1]}: '2025-02-30' is not a YYYY-MM-DD date" in done.stderr, done.stderr


def test_a_repo_path_too_long_for_the_system_names_repo(tmp_path: Path) -> None:
    done = subprocess.run([COCKPIT, "status", "--repo", "r" * 100_000, "--json"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2
    line = one_clear_line(done)
    assert line.startswith("cockpit: --repo 'rrrr") and "100,000 characters" in line and len(line) < 200
    assert document(done)["error"]["kind"] == "input"


def test_a_closed_stdin_at_the_prompt_is_a_clear_answer(sandbox: Sandbox) -> None:
    done = cockpit(sandbox, "branch", "cut", "--version", "0.26.0", preexec=lambda: os.close(0))
    assert done.returncode == 2
    assert one_clear_line(done) == "cockpit: no answer (stdin closed): pass --yes to confirm"
    assert not has_branch(sandbox, NEXT_BRANCH)


def test_ctrl_d_at_the_prompt_is_a_clear_answer(sandbox: Sandbox) -> None:
    """On a terminal, Ctrl-D (end of input) at `Proceed? [y/N]` cancels with one line: nothing runs."""
    main, secondary = pty.openpty()
    env = {**os.environ, "COCKPIT_TODAY": TODAY.isoformat()}
    proc = subprocess.Popen([COCKPIT, "branch", "cut", "--version", "0.26.0", "--repo", str(sandbox.clone)],
                            stdin=secondary, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    os.close(secondary)
    try:
        time.sleep(0.2)
        os.write(main, b"\x04")  # the terminal's EOF character: read() returns nothing
        out, err = proc.communicate(timeout=60)
    finally:
        os.close(main)
    assert proc.returncode == 2, err
    assert err.strip().splitlines()[-1] == "cockpit: no answer (stdin closed): pass --yes to confirm"
    assert "Traceback" not in err and "Plan: " in out
    assert not has_branch(sandbox, NEXT_BRANCH)


def test_a_state_dir_that_is_a_file_is_named_and_nothing_runs(sandbox: Sandbox, tmp_path: Path) -> None:
    state = tmp_path / "state-file"
    state.write_text("")
    for args in (("journal",), ("resume",), ("branch", "cut", "--version", "0.26.0", "--yes")):
        done = cockpit(sandbox, *args, env={"XDG_STATE_HOME": str(state)})
        assert done.returncode == 2, done.stderr
        assert f"{state} is not a directory (XDG_STATE_HOME must name a directory)" in one_clear_line(done)
    assert not has_branch(sandbox, NEXT_BRANCH)


def test_an_ascii_only_output_encoding_writes_escapes(sandbox: Sandbox) -> None:
    """A branch name that is not ASCII (from git) and a PR author that is not (from the forge), printed through
    PYTHONIOENCODING=ascii or a C locale: escapes (or git's own bytes as they came), never an encoding error."""
    subprocess.run(["git", "-C", str(sandbox.clone), "checkout", "-q", "-b", "wörk-ü"], check=True)
    forge = json.loads(sandbox.forge_file.read_text(encoding="utf-8"))
    merged = [i for i in forge["items"] if i.get("milestone") == "0.26.0" and i["kind"] == "pr" and i.get("merged")]
    merged[0]["author"] = "zoë"
    sandbox.forge_file.write_text(json.dumps(forge), encoding="utf-8")
    c_locale = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    for env in ({"PYTHONIOENCODING": "ascii"}, c_locale):
        done = cockpit(sandbox, "status", env=env)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        assert "w\\xf6rk-\\xfc" in done.stdout or "wörk-ü" in done.stdout  # C locale: git's bytes passed on
        done = cockpit(sandbox, "notes", "0.26.0", env=env)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        assert "[@zo\\xeb](" in done.stdout
        done = cockpit(sandbox, "candidates", "--branch", NEWEST_RELEASE_BRANCH, "--json", env=env)
        assert done.returncode == 0 and document(done)["commits"], done.stderr


def test_common_options_before_the_subcommand_count(sandbox: Sandbox, tmp_path: Path) -> None:
    """`cockpit --json --repo X status` is `cockpit status --repo X --json`: the subcommand does not reset them."""
    done = subprocess.run([COCKPIT, "--json", "--repo", str(sandbox.clone), "status"], capture_output=True, text=True,
                          cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    assert document(done)["repo"]["path"] == str(sandbox.clone)


@pytest.mark.fault
@pytest.mark.parametrize("as_json", [False, True])
def test_an_output_that_takes_no_more_is_one_clear_line(sandbox: Sandbox, as_json: bool) -> None:
    """stdout on a full disk (/dev/full): the answer cannot be written, and that is said in one line on stderr with
    exit 2, never a traceback (the --json document was written last, outside the command's own guard)."""
    args = [COCKPIT, "candidates", "--branch", NEWEST_RELEASE_BRANCH, *(["--json"] if as_json else []),
            "--repo", str(sandbox.clone)]
    with open("/dev/full", "w") as full:
        done = subprocess.run(args, stdout=full, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
                              env={**os.environ, "COCKPIT_TODAY": TODAY.isoformat()}, timeout=120)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == "cockpit: cannot write the output: No space left on device"
