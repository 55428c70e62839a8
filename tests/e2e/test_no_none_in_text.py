"""No Python None and no JSON null in what a person reads: every command's text output on the demo sandbox (the
read commands at several refs, every mutating command as a dry run), with and without the forge. A commit subject
or a forge title may say "null" by right: text that is data is left out of the sweep."""

from __future__ import annotations

import json
import re
import subprocess

from cockpit.demo import Sandbox

from cli_helpers import cockpit

WORD = re.compile(r"\b(None|null)\b")


def git(sb: Sandbox, *args: str) -> str:
    return subprocess.run(["git", "-C", str(sb.clone), *args], capture_output=True, text=True,
                          check=True).stdout.strip()


def data_texts(sb: Sandbox) -> list[str]:
    """Commit subjects and forge titles and descriptions: the words they hold are theirs, not the cockpit's."""
    forge = json.loads(sb.forge_file.read_text())
    texts = git(sb, "log", "--all", "--format=%s").splitlines()
    texts += [x.get("title") or "" for x in forge["items"] + forge["milestones"]]
    texts += [m.get("description") or "" for m in forge["milestones"]]
    return [t for t in texts if WORD.search(t)]


def bad_words(text: str, known: list[str]) -> list[str]:
    hits = []
    for line in text.splitlines():
        for m in WORD.finditer(line):
            around = line[max(0, m.start() - 12):m.end() + 12]
            if not any(around in k for k in known):
                hits.append(line.strip())
    return hits


def commands(sb: Sandbox) -> list[list[str]]:
    head = git(sb, "rev-parse", "origin/master")
    tags = git(sb, "tag", "--list", "0.*.0").split()
    return [
        ["status"], ["next"], *(["next", "--at", t] for t in tags),
        ["check", "--libs", "0.26.0-rc1"], ["check", "--libs", "0.25.2"], ["check", "--libs", "0.25.1"],
        ["check", "--driver", "9.1.0-rc1+driver"], ["check", "--libs", "0.23.0", "--at", tags[0]],
        ["candidates", "--branch", "release/0.25.x"], ["notes", "0.26.0"], ["journal"], ["milestone", "orphans"],
        ["milestone", "move", "--from", "0.26.0", "--to", "0.27.0", "--unmerged-only", "--dry-run"],
        ["milestone", "close", "0.26.0", "--dry-run"], ["milestone", "close", "0.25.1", "--dry-run"],
        ["branch", "cut", "--version", "0.26.0", "--dry-run"], ["branch", "cut", "--version", "1.0.0", "--dry-run"],
        ["branch", "hotfix", "--tag", "0.23.1", "--dry-run"],
        ["tag", "--libs", "0.25.2", "--driver", "9.0.2+driver", "--dry-run"],
        ["plan-release", "--due", "2027-03-01", "--dry-run"],
        ["tracking-issue", "--milestone", "0.26.0", "--dry-run"], ["release", "--tag", "0.25.1", "--dry-run"],
        ["protect", "--branch", "release/0.25.x", "--dry-run"], ["bump", "api", "--part", "minor", "--dry-run"],
        ["backport", "--branch", "release/0.25.x", head, "--dry-run"], ["resume", "--dry-run"],
        ["abort", "--dry-run"],
    ]


def test_no_none_or_null_in_any_commands_text(sandbox: Sandbox) -> None:
    known = data_texts(sandbox)
    found = {}
    for args in commands(sandbox):
        done = cockpit(sandbox, *args)
        assert done.returncode in (0, 1), f"cockpit {' '.join(args)}: exit {done.returncode}\n{done.stderr}"
        assert done.stdout.strip(), f"cockpit {' '.join(args)} printed nothing"
        hits = bad_words(done.stdout + done.stderr, known)
        if hits:
            found[" ".join(args)] = hits[:3]
    git(sandbox, "config", "--unset", "cockpit.localForge")  # without a forge: what the reports say instead
    for args in (["status"], ["next"], ["check", "--libs", "0.26.0-rc1"], ["plan-release", "--due", "2027-03-01",
                                                                           "--dry-run"]):
        done = cockpit(sandbox, *args)
        hits = bad_words(done.stdout + done.stderr, known)
        if hits:
            found["(no forge) " + " ".join(args)] = hits[:3]
    assert found == {}
