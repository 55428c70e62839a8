"""The release cycle in the middle of a release, through the installed `cockpit` on the demo sandbox (0.25.1 and
9.0.1+driver released, 0.26.0 planned with its items) and on small falco-shaped repositories: the previous release
`next` finds without --since-*, the plan after the branch cut, the branch-cut rules, the tracking issue that stays,
closing a milestone, and versions files that go down."""

from __future__ import annotations

import json
from typing import Any

from cockpit.demo import Sandbox
from cockpit.services.git import GitService
from cockpit.workflows.reports.next_versions import next_versions
from cockpit.workflows.reports.status import status

from builders import FalcoRepo, api_file, plugin_header
from cli_helpers import cockpit


def doc(done: Any) -> dict:
    return json.loads(done.stdout)


def forge(sb: Sandbox) -> dict[str, Any]:
    return json.loads(sb.forge_file.read_text())


def failing(d: dict) -> set[str]:
    return {c["id"] for c in d["checks"] if not c["ok"]}


# --- next --at, no --since-* -------------------------------------------------------------------------------------

def test_next_at_an_older_release_follows_its_own_line(sandbox: Sandbox) -> None:
    git = GitService(sandbox.clone)
    at_patch = next_versions(git, at="0.24.1")  # on release/0.24.x: 0.25.x and 9.0.x are not behind it
    assert (at_patch.libs.previous, at_patch.driver.previous) == ("0.24.0", "8.1.0+driver")
    first = next_versions(git, at="0.25.0")  # a branch's first release: its previous is on the line before
    assert (first.libs.previous, first.driver.previous) == ("0.24.1", "8.1.0+driver")
    assert first.libs.next_minor == "0.25.0" and first.driver.next == "9.0.0+driver"
    head = next_versions(git)  # master: every release branch forked before its head
    assert (head.libs.previous, head.driver.previous) == ("0.25.1", "9.0.1+driver")


def test_the_plugin_api_version_before_0_9_is_read_from_plugin_info_h(falco: FalcoRepo) -> None:
    b = falco.b
    b.git("mv", "userspace/plugin/plugin_api.h", "userspace/libscap/plugin_info.h")
    b.git("commit", "-q", "-m", "the plugin header where libs kept it before 0.9.0")
    git = GitService(falco.path)
    assert str(git.version_files("HEAD").plugin_api) == "3.1.0"
    text = cockpit(falco.path, "next", "--at", "HEAD")
    assert text.returncode == 0 and "plugin API 3.0.0 -> 3.1.0" in text.stdout and "None" not in text.stdout


def test_a_version_file_going_down_fails_next_and_check(falco: FalcoRepo) -> None:
    falco.b.commit("revert(driver): API back to 1.0.0", {"driver/API_VERSION": api_file("1.0.0"),
                                                        "userspace/plugin/plugin_api.h": plugin_header(2, 9, 0)})
    falco.b.push("master")
    done = cockpit(falco.path, "next", "--json")
    assert done.returncode == 1
    assert failing(doc(done)) == {"files.not-down.api", "files.not-down.plugin"}
    check = cockpit(falco.path, "check", "--libs", "0.3.0-rc1", "--json")
    assert check.returncode == 1 and "files.not-down.plugin" in failing(doc(check))


# --- branch cut, plan-release mid-cycle ----------------------------------------------------------------------------

def test_branch_cut_rules(sandbox: Sandbox) -> None:
    major = cockpit(sandbox, "branch", "cut", "--version", "1.0.0", "--dry-run", "--json")
    assert major.returncode == 1 and "libs.major-zero" in failing(doc(major))
    plain = cockpit(sandbox, "branch", "cut", "--version", "0.26.0", "--dry-run", "--json")
    skipped = cockpit(sandbox, "branch", "cut", "--version", "0.27.0", "--dry-run", "--json")
    assert plain.returncode == 0 and skipped.returncode == 0
    assert failing(doc(skipped)) - failing(doc(plain)) == {"version.new-minor"}
    open_prs = next(c for c in doc(plain)["checks"] if c["id"] == "branch.milestone-open-prs")
    numbers = sorted(i["number"] for i in forge(sandbox)["items"]
                     if i["milestone"] == "0.26.0" and i["kind"] == "pr" and i["state"] == "open")
    assert not open_prs["ok"] and [int(e.split()[0][1:]) for e in open_prs["evidence"]] == numbers


def test_plan_release_after_the_cut_plans_the_release_after_it(sandbox: Sandbox) -> None:
    data = forge(sandbox)  # the driver release in progress has its milestone; 0.27.0 has none yet
    for m in data["milestones"]:
        if m["title"] == "next-driver":
            m["title"] = "9.1.0+driver"
    data["milestones"] = [m for m in data["milestones"] if m["title"] != "0.27.0"]
    for i in data["items"]:
        i["milestone"] = {"next-driver": "9.1.0+driver", "0.27.0": None}.get(i["milestone"], i["milestone"])
    sandbox.forge_file.write_text(json.dumps(data))
    cockpit(sandbox, "branch", "cut", "--version", "0.26.0", "--yes", check=True)
    dry = doc(cockpit(sandbox, "plan-release", "--due", "2027-02-02", "--dry-run", "--json", check=True))
    texts = " ".join(s["title"] + " " + " ".join(s["commands"]) for s in dry["steps"])
    assert "0.27.0" in texts and "0.26.0" not in texts and "9.1.0+driver" not in texts
    cockpit(sandbox, "plan-release", "--due", "2027-02-02", "--yes", check=True)
    titles = [m["title"] for m in forge(sandbox)["milestones"]]
    assert len(titles) == len(set(titles)) and {"0.27.0", "next-driver", "9.1.0+driver"} <= set(titles)
    made = next(m for m in forge(sandbox)["milestones"] if m["title"] == "0.27.0")
    assert made["due_on"].startswith("2027-02-02")


def test_an_existing_milestones_due_date_is_kept_and_journaled(sandbox: Sandbox) -> None:
    due = next(m for m in forge(sandbox)["milestones"] if m["title"] == "0.27.0")["due_on"]
    done = doc(cockpit(sandbox, "plan-release", "--libs", "0.27.0", "--no-driver", "--due", "2027-03-03", "--yes",
                       "--json", check=True))
    assert "plan.milestone-due" in failing(done)
    assert done["steps"][0]["changes"]["due_not_changed"] == "2027-03-03"
    kept = next(m for m in forge(sandbox)["milestones"] if m["title"] == "0.27.0")
    assert kept["due_on"] == due and not due.startswith("2027-03-03")


# --- milestones: the tracking issue stays, close --------------------------------------------------------------------

def test_the_tracking_issue_never_moves(sandbox: Sandbox) -> None:
    cockpit(sandbox, "tracking-issue", "--milestone", "0.26.0", "--yes", check=True)
    tracking = next(i for i in forge(sandbox)["items"] if i["title"] == "Release 0.26.0")
    moved = doc(cockpit(sandbox, "milestone", "move", "--from", "0.26.0", "--to", "0.27.0", "--unmerged-only",
                        "--yes", "--json", check=True))
    assert tracking["number"] not in {s["changes"]["item"] for s in moved["steps"]}
    items = {i["number"]: i for i in forge(sandbox)["items"]}
    assert items[tracking["number"]]["milestone"] == "0.26.0" and items[1630]["milestone"] == "0.27.0"
    named = cockpit(sandbox, "milestone", "move", "--from", "0.26.0", "--to", "0.27.0", "--items",
                    str(tracking["number"]), "--yes", "--json")
    assert named.returncode == 0 and not doc(named)["steps"] and "milestone.tracking-stays" in failing(doc(named))
    assert forge(sandbox)["items"] == list(items.values())


def test_milestone_close(sandbox: Sandbox) -> None:
    busy = cockpit(sandbox, "milestone", "close", "0.26.0", "--dry-run", "--json")
    assert busy.returncode == 0
    assert {"milestone.no-open-items", "milestone.released"} <= failing(doc(busy))
    data = forge(sandbox)
    for m in data["milestones"]:
        if m["title"] == "0.25.1":
            m["state"], m["closed_at"] = "open", None
    sandbox.forge_file.write_text(json.dumps(data))
    raw = sandbox.forge_file.read_bytes()
    dry = cockpit(sandbox, "milestone", "close", "0.25.1", "--dry-run", "--json")
    assert dry.returncode == 0 and not failing(doc(dry)) and sandbox.forge_file.read_bytes() == raw
    closed = doc(cockpit(sandbox, "milestone", "close", "0.25.1", "--yes", "--json", check=True))
    assert closed["state"] == "finished" and closed["steps"][0]["changes"]["state"] == "closed"
    assert next(m for m in forge(sandbox)["milestones"] if m["title"] == "0.25.1")["state"] == "closed"
    again = cockpit(sandbox, "milestone", "close", "0.25.1", "--json")
    assert again.returncode == 0 and doc(again)["state"] == "nothing-to-do"


def test_check_reports_the_branch_it_was_asked_about(sandbox: Sandbox) -> None:
    cockpit(sandbox, "branch", "cut", "--version", "0.26.0", "--yes", check=True)  # at master's head
    at_master = doc(cockpit(sandbox, "check", "--libs", "0.26.0-rc1", "--at", "master", "--json"))
    assert at_master["branch"] is None and "branch.placement" in failing(at_master)
    default = doc(cockpit(sandbox, "check", "--libs", "0.26.0-rc1", "--json"))
    assert default["branch"] == "release/0.26.x" and "branch.placement" not in failing(default)


def test_a_final_and_an_rc_on_one_commit_the_final_is_the_latest(sandbox: Sandbox) -> None:
    git = GitService(sandbox.clone)
    head = git.resolve("origin/release/0.25.x")
    git.run("tag", "0.25.2-rc1", head)
    git.run("tag", "0.25.2", head)
    branch = next(b for b in git.release_branches() if b.name == "release/0.25.x")
    assert branch.tags[0] == "0.25.2"
    lines = status(git).as_json()["lines"]["libs"]
    assert lines["latest"] == "0.25.2"
