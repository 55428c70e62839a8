"""`cockpit coverage` run as a user runs it, on the demo sandbox: the contract's JSON agrees with `candidates` on
every branch, the text ends with the backport command (which the backport itself accepts), and bad input is one
line (or one JSON error) with exit 2."""

from __future__ import annotations

import json
import shlex

from cockpit.demo import CLEAN_FIXES, CONFLICTING_FIX, NEWEST_RELEASE_BRANCH, Sandbox

from cli_helpers import cockpit


def test_coverage_agrees_with_candidates(sandbox: Sandbox) -> None:
    done = cockpit(sandbox, "coverage", "--milestone", "0.26.0", "--json", check=True)
    doc = json.loads(done.stdout)
    assert set(doc) == {"milestone", "branches", "prs"} and doc["milestone"] == "0.26.0"
    assert doc["branches"] == [NEWEST_RELEASE_BRANCH, "release/0.24.x"]  # the two newest lines
    forge = json.loads(sandbox.forge_file.read_text())
    merged = {i["number"]: i for i in forge["items"] if i.get("kind") == "pr" and i.get("merged_at")
              and i.get("milestone") == "0.26.0"}
    assert {p["number"] for p in doc["prs"]} == set(merged)
    for p in doc["prs"]:
        assert set(p) == {"number", "title", "labels", "commits", "branches"}
        assert (p["title"], p["labels"]) == (merged[p["number"]]["title"], merged[p["number"]]["labels"])
        assert p["commits"] == (merged[p["number"]].get("commits") or [merged[p["number"]]["merge_commit_sha"]])
    for branch in doc["branches"]:
        cands = json.loads(cockpit(sandbox, "candidates", "--branch", branch, "--json", check=True).stdout)
        applied = {c["sha"]: c["applied"] for c in cands["commits"]}
        for p in doc["prs"]:
            flags = [applied.get(sha, True) for sha in p["commits"]]  # not a candidate: older than the fork point
            status = p["branches"][branch]
            assert (status == "applied") == all(flags), (p["number"], branch, status)
            if status == "partial":
                assert any(flags)
    by_title = {p["title"]: p for p in doc["prs"]}
    assert by_title[CONFLICTING_FIX]["branches"][NEWEST_RELEASE_BRANCH] == "conflict"
    assert by_title[CLEAN_FIXES[0]]["branches"][NEWEST_RELEASE_BRANCH] == "missing"


def test_text_ends_with_the_backport_command_the_backport_accepts(sandbox: Sandbox) -> None:
    done = cockpit(sandbox, "coverage", "--milestone", "0.26.0", "--branch", NEWEST_RELEASE_BRANCH, check=True)
    lines = done.stdout.splitlines()
    assert lines[0].startswith("milestone 0.26.0: 40 merged PR(s) x 1 branch(es)")
    assert any(line.split()[2] == "CONFLICT" and line.endswith(CONFLICTING_FIX) for line in lines[2:-2])
    command = shlex.split(lines[-1])
    assert command[:4] == ["cockpit", "backport", "--branch", NEWEST_RELEASE_BRANCH] and command[-1] == "--pr"
    doc = json.loads(cockpit(sandbox, "coverage", "--milestone", "0.26.0", "--branch", NEWEST_RELEASE_BRANCH,
                             "--json", check=True).stdout)
    missing = {sha for p in doc["prs"] if p["branches"][NEWEST_RELEASE_BRANCH] != "applied" for sha in p["commits"]}
    assert set(command[4:-1]) == missing
    planned = cockpit(sandbox, *command[1:], "--dry-run", "--json", timeout=300)
    assert planned.returncode == 0, planned.stderr
    plan = json.loads(planned.stdout)
    assert plan["state"] == "dry-run" and sum(s["kind"] == "backport.pick" for s in plan["steps"]) == len(missing)


def test_bad_input_is_one_line_and_exit_2(sandbox: Sandbox) -> None:
    done = cockpit(sandbox, "coverage", "--milestone", "9.9.9", "--json")
    assert done.returncode == 2 and set(json.loads(done.stdout)) == {"error"}
    assert "unknown milestone '9.9.9'" in json.loads(done.stdout)["error"]["message"]
    done = cockpit(sandbox, "coverage", "--milestone", "0.26.0", "--branch", "master")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "not a release branch" in done.stderr
    done = cockpit(sandbox, "coverage", "--milestone", "0.26.0", "--branch", "--upload-pack=x")
    assert done.returncode == 2 and "Traceback" not in done.stderr
