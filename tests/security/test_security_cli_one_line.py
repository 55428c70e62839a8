"""Each line of the CLI's text reports is one line: a line break in a forge title, a commit subject or a branch name
is shown (␤), never printed, so a hostile title cannot add a line that looks like the cockpit's own output (a forged
"ok" or a fake milestone), through a pipe as on a terminal (where the other controls are shown too)."""

from __future__ import annotations

import json
import subprocess

import pytest

from cockpit.demo import NEWEST_RELEASE_BRANCH, Sandbox

from cli_helpers import cockpit

FORGED = "FORGED-LINE"


def forged_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip().startswith(FORGED)]


@pytest.mark.security
def test_line_breaks_in_titles_subjects_and_names_stay_inside_their_line(sandbox: Sandbox) -> None:
    forge = json.loads(sandbox.forge_file.read_text(encoding="utf-8"))
    forge["milestones"].append({"number": 990, "title": f"0.28.0\n{FORGED} milestone\x1b[2J", "state": "open",
                                "description": "", "due_on": "2027-06-01T00:00:00Z",
                                "created_at": "2026-01-01T00:00:00Z", "closed_at": None})
    sandbox.forge_file.write_text(json.dumps(forge), encoding="utf-8")
    clone = str(sandbox.clone)
    (sandbox.clone / "README.md").write_text("one more line\n")
    subprocess.run(["git", "-C", clone, "commit", "-qam", f"fix: a subject\r{FORGED} subject\twith a tab"], check=True)
    subprocess.run(["git", "-C", clone, "push", "-q", "origin", "HEAD:refs/heads/master"], check=True)
    done = cockpit(sandbox, "status", check=True)
    assert "0.28.0␤FORGED-LINE milestone\x1b[2J" in done.stdout and not forged_lines(done.stdout)  # a pipe: ESC kept
    done = cockpit(sandbox, "candidates", "--branch", NEWEST_RELEASE_BRANCH, check=True)
    assert "fix: a subject␍FORGED-LINE subject\twith a tab" in done.stdout and not forged_lines(done.stdout)
    # the JSON keeps the data as it is
    status = json.loads(cockpit(sandbox, "status", "--json", check=True).stdout)
    assert any(m["title"] == f"0.28.0\n{FORGED} milestone\x1b[2J" for m in status["milestones"])
