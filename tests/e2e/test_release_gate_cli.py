"""The forge's checks of a tag through the installed `cockpit` on the demo sandbox: a red CI on the commit to tag
refuses `tag` (error severity) unless `--ci-override REASON` is given, and that reason is journaled with the plan;
a merged PR of the milestone without a release-note block is named by a warning of `check` and by `notes`."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

from cockpit.demo import Sandbox

from cli_helpers import cockpit


def set_ci(sb: Sandbox, ref: str, state: str, runs: list[dict] | None = None) -> None:
    data = json.loads(sb.forge_file.read_text())
    data.setdefault("statuses", {})[ref] = {"state": state, "total": 2, **({"runs": runs} if runs else {})}
    sb.forge_file.write_text(json.dumps(data))


def checks_of(done) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    return {c["id"]: c for c in json.loads(done.stdout)["checks"]}


def test_red_ci_refuses_the_tag_until_an_explicit_journaled_override(sandbox: Sandbox) -> None:
    cockpit(sandbox, "branch", "cut", "--version", "0.26.0", "--yes", check=True)
    set_ci(sandbox, "release/0.26.x", "failure", [
        {"name": "build-modern-bpf", "status": "completed", "conclusion": "failure"},
        {"name": "unit", "status": "completed", "conclusion": "success"}])
    checked = cockpit(sandbox, "check", "--libs", "0.26.0-rc1", "--json")
    ci = checks_of(checked)["ci.status"]
    assert checked.returncode == 1 and (ci["ok"], ci["severity"]) == (False, "error")
    assert "build-modern-bpf" in ci["message"] and "unit" not in ci["message"]

    refused = cockpit(sandbox, "tag", "--libs", "0.26.0-rc1", "--yes", "--json")
    assert refused.returncode == 1 and json.loads(refused.stdout)["state"] == "blocked"
    assert "--ci-override" in refused.stderr  # the refusal says how, since CI alone blocks
    assert cockpit(sandbox, "tag", "--libs", "0.26.0-rc1", "--yes", "--ci-override", " ").returncode == 2

    tagged = cockpit(sandbox, "tag", "--libs", "0.26.0-rc1", "--yes", "--json", "--ci-override",
                     "arm64 runner outage, built and tested locally")
    assert tagged.returncode == 0, tagged.stderr
    plan = json.loads(tagged.stdout)
    assert plan["state"] == "finished"
    records = [json.loads(line) for f in Path(os.environ["XDG_STATE_HOME"]).rglob("*.jsonl")
               for line in f.read_text().splitlines()]
    planned = next(r["data"] for r in records if r["plan"] == plan["plan"] and r["state"] == "planned")
    ci = next(c for c in planned["checks"] if c["id"] == "ci.status")
    assert (ci["ok"], ci["severity"]) == (False, "warning")  # journaled as overridden, with the reason
    assert "override: arm64 runner outage, built and tested locally" in ci["evidence"]
    assert planned["note"] == "CI override: arm64 runner outage, built and tested locally"


def test_pending_ci_warns_and_green_ci_passes(sandbox: Sandbox) -> None:
    cockpit(sandbox, "branch", "cut", "--version", "0.26.0", "--yes", check=True)
    set_ci(sandbox, "release/0.26.x", "pending")
    ci = checks_of(cockpit(sandbox, "check", "--libs", "0.26.0-rc1", "--json"))["ci.status"]
    assert (ci["ok"], ci["severity"]) == (False, "warning")
    assert cockpit(sandbox, "tag", "--libs", "0.26.0-rc1", "--dry-run").returncode == 0
    set_ci(sandbox, "release/0.26.x", "success")
    done = cockpit(sandbox, "check", "--libs", "0.26.0-rc1", "--json")
    assert done.returncode == 0 and checks_of(done)["ci.status"]["ok"]


def test_a_lost_release_note_block_is_named_by_check_and_notes(sandbox: Sandbox) -> None:
    data = json.loads(sandbox.forge_file.read_text())
    pr = next(i for i in data["items"] if i.get("milestone") == "0.26.0" and i.get("merged_at"))
    pr["body"] = re.sub(r"```release-note.*?```", "", pr["body"], flags=re.S)
    sandbox.forge_file.write_text(json.dumps(data))
    lint = checks_of(cockpit(sandbox, "check", "--libs", "0.26.0-rc1", "--json"))["notes.release-note"]
    assert (lint["ok"], lint["severity"]) == (False, "warning") and f"#{pr['number']}" in lint["message"]
    notes = json.loads(cockpit(sandbox, "notes", "0.26.0", "--json", check=True).stdout)
    assert [p["pr"] for p in notes["problems"]] == [pr["number"]]
    text = cockpit(sandbox, "notes", "0.26.0", check=True)
    assert f"#{pr['number']}" in text.stderr and f"#{pr['number']}" not in text.stdout.split("## ")[0]


def prs_of(notes: dict) -> set[int]:
    return {n["pr"] for section in notes["sections"].values() for n in section}


def test_notes_since_a_tag_lists_what_landed_after_it(sandbox: Sandbox) -> None:
    def notes(*args: str) -> dict:
        return json.loads(cockpit(sandbox, "notes", "0.25.0", "--json", *args, check=True).stdout)

    whole = notes()
    first = notes("--since", "0.25.0-rc1", "--until", "0.25.0-rc2")
    last = notes("--since", "0.25.0-rc2", "--until", "0.25.0")
    assert (first["since"], first["until"], first["version"]) == ("0.25.0-rc1", "0.25.0-rc2", "0.25.0-rc2")
    assert prs_of(first) and prs_of(last) and not prs_of(first) & prs_of(last)
    assert prs_of(first) | prs_of(last) < prs_of(whole)  # what rc1 already had is left out
    # the range's backports were rebase-merged: each is its master commit's twin by subject, and the forge file
    # lists which PR landed that master commit
    def subjects(rev: str) -> list[tuple[str, str]]:
        out = subprocess.run(["git", "-C", str(sandbox.clone), "log", "--format=%H%x00%s", rev],
                             capture_output=True, text=True, check=True).stdout
        return [tuple(line.split("\x00")) for line in out.splitlines()]

    picked = {subject for _, subject in subjects("0.25.0-rc1..0.25.0-rc2")}
    sources = {sha for sha, subject in subjects("origin/master") if subject in picked}
    data = json.loads(sandbox.forge_file.read_text())
    expected = {i["number"] for i in data["items"] if i.get("milestone") == "0.25.0" and i.get("merged_at")
                and sources & set(i.get("commits", ()))}
    assert prs_of(first) == expected and first["commits"] == len(picked)
    markdown = cockpit(sandbox, "notes", "0.25.0", "--since", "0.25.0-rc1", "--until", "0.25.0-rc2", check=True)
    assert markdown.stdout.startswith("## v0.25.0-rc2\n")


def test_notes_since_refuses_bad_input(sandbox: Sandbox) -> None:
    bad = cockpit(sandbox, "notes", "0.25.0", "--since=--upload-pack=evil")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert cockpit(sandbox, "notes", "0.25.0", "--since", "no-such-tag").returncode == 2
    alone = cockpit(sandbox, "notes", "0.25.0", "--until", "0.25.0", "--json")
    assert alone.returncode == 2 and json.loads(alone.stdout)["error"]["kind"] == "input"
