"""Milestone triage end to end through the installed `cockpit`: on the demo sandbox (local forge file) a move of the
unmerged items is undone exactly, a dry run touches nothing, and a crash at any step boundary resumes to what a
clean run gives; against the loopback GitHub emulator the same move sends GitHub's request bodies, and a token
without push access (GitHub silently ignores its milestone changes) stops the plan with that reason."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cockpit.core.plan import Plan
from cockpit.demo import Sandbox, build_sandbox
from cockpit.services.dirs import state_dir
from cockpit.services.executor import Executor
from cockpit.services.forge.local import LocalForge
from cockpit.services.git import GitService
from cockpit.services.journal import Journal, PlanRecord, journal_file
from cockpit.services.steps import StepContext
from cockpit.workflows import milestones
from cockpit.workflows.proposal import Refusal

from builders import FalcoRepo, planned
from cli_helpers import COCKPIT, cockpit
from github_emulator import GitHubEmulator, serve_validated
from ui_helpers import TODAY

TOKEN = "ghp_MILESTONE_CANARY_0123456789"


def forge(sb: Sandbox) -> dict[str, Any]:
    """The forge file without the change timestamps (a move stamps `updated_at`, a creation `created_at`)."""
    data = json.loads(sb.forge_file.read_text())
    data.setdefault("comments", [])  # the local forge adds it on its first write
    for obj in data["items"] + data["milestones"]:
        obj.pop("updated_at", None)
        obj.pop("created_at", None)
    return data


def placement(sb: Sandbox) -> dict[int, str | None]:
    return {i["number"]: i["milestone"] for i in forge(sb)["items"]}


def journal(repo: Path) -> list[dict]:
    """What `cockpit journal --json` prints (read in process: a subprocess per look would slow the suite)."""
    return [p.as_json() for p in Journal(journal_file(state_dir(), repo)).plans()]


def journal_bytes() -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in Path(os.environ["XDG_STATE_HOME"]).rglob("*.jsonl")}


# --- the demo sandbox: a local forge file ------------------------------------------------------------------------

def test_move_unmerged_then_undo_restores_exactly(sandbox: Sandbox) -> None:
    before = forge(sandbox)
    items = [i for i in before["items"] if i["milestone"] == "0.26.0"]
    unmerged = sorted(i["number"] for i in items if i["state"] == "open")
    assert len(unmerged) == 11 and any(i["kind"] == "issue" for i in items if i["number"] in unmerged)
    moved = cockpit(sandbox.clone, "milestone", "move", "--from", "0.26.0", "--to", "0.27.0", "--unmerged-only",
                    "--yes")
    assert moved.returncode == 0, moved.stdout + moved.stderr
    assert f"#{unmerged[0]} moved 0.26.0 -> 0.27.0" in moved.stdout
    after = placement(sandbox)
    assert all(after[n] == "0.27.0" for n in unmerged)
    assert {n: m for n, m in after.items() if n not in unmerged} == {
        i["number"]: i["milestone"] for i in before["items"] if i["number"] not in unmerged}  # merged PRs stay
    plan = journal(sandbox.clone)[0]
    assert plan["state"] == "finished" and len(plan["steps"]) == 11
    assert all(s["changes"] | {"item": 0} == {"item": 0, "from": "0.26.0", "to": "0.27.0", "outcome": "moved"}
               for s in plan["steps"])

    undone = cockpit(sandbox.clone, "milestone", "undo", "--yes")
    assert undone.returncode == 0, undone.stdout + undone.stderr
    assert forge(sandbox) == before  # exactly where each item came from
    assert journal(sandbox.clone)[0]["title"].startswith(f"Undo {plan['id']}: move 11 item(s) back to 0.26.0")
    redone = cockpit(sandbox.clone, "milestone", "undo", "--yes")  # the undo of an undo is the move again
    assert redone.returncode == 0 and placement(sandbox) == after
    again = cockpit(sandbox.clone, "milestone", "undo", "--plan", plan["id"], "--yes")  # a given plan
    assert again.returncode == 0 and forge(sandbox) == before


def test_dry_run_changes_nothing(sandbox: Sandbox) -> None:
    raw = sandbox.forge_file.read_bytes()
    for args in (("--unmerged-only",), ("--items", "1646,1654"), ()):
        done = cockpit(sandbox.clone, "milestone", "move", "--from", "0.26.0", "--to", "0.28.0", "--create",
                       *args, "--dry-run")
        assert done.returncode == 0 and "Create milestone 0.28.0" in done.stdout and "dry run" in done.stdout
    assert sandbox.forge_file.read_bytes() == raw and journal_bytes() == {}
    assert cockpit(sandbox.clone, "milestone", "move", "--from", "0.26.0", "--to", "0.27.0", "--items", "1646",
                   "--yes").returncode == 0
    raw, lines = sandbox.forge_file.read_bytes(), journal_bytes()
    done = cockpit(sandbox.clone, "milestone", "undo", "--dry-run")
    assert done.returncode == 0 and "0.27.0 -> 0.26.0" in done.stdout
    assert sandbox.forge_file.read_bytes() == raw and journal_bytes() == lines


def test_bad_input_and_checks(sandbox: Sandbox) -> None:
    for args, message in ((("--from", "0.26.0", "--to", "0.26.0"), "nothing would move"),
                          (("--from", "9.9.9", "--to", "0.27.0"), "unknown milestone '9.9.9'"),
                          (("--from", "0.26.0", "--to", "0.27.0", "--items", "1"), "not in milestone 0.26.0: #1"),
                          (("--from", "0.26.0", "--to", "0.27.0", "--items", "x"), "not a list of item numbers")):
        done = cockpit(sandbox.clone, "milestone", "move", *args, "--yes")
        assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr
    assert "nothing to undo" in cockpit(sandbox.clone, "milestone", "undo", "--yes").stderr
    # moving merged PRs and creating an unasked-for milestone are warnings: shown, acknowledged by --yes
    done = cockpit(sandbox.clone, "milestone", "move", "--from", "0.26.0", "--to", "0.29.0", "--due", "2027-04-01",
                   "--dry-run")
    assert "WARN  milestone.target" in done.stdout and "0.29.0 does not exist: the plan creates it, due 2027-04-01" \
        in done.stdout and "WARN  milestone.merged-stay" in done.stdout


def crash_points(numbers: list[int]) -> list[str]:
    return [f"{step}:{state}" for step in ("create-milestone", *(f"move-{n}" for n in numbers))
            for state in ("started", "done")]


CRASH_MOVE = ("milestone", "move", "--from", "0.26.0", "--to", "0.28.0", "--create", "--due", "2027-03-01",
              "--items", "1646,1654", "--yes")
_clean: dict[str, Any] = {}


def clean_run(tmp_path: Path) -> dict[str, Any]:
    """The forge after the move ran without a crash (once per worker: the sandbox is deterministic)."""
    if not _clean:
        clean = build_sandbox(tmp_path / "clean", TODAY)
        assert cockpit(clean.clone, *CRASH_MOVE).returncode == 0
        _clean.update(forge(clean))
    return _clean


@pytest.mark.fault
@pytest.mark.parametrize("point", range(6))
def test_crash_at_every_step_boundary_then_resume(sandbox: Sandbox, tmp_path: Path, point: int) -> None:
    move, expected = CRASH_MOVE, clean_run(tmp_path)
    original = placement(sandbox)
    crash = crash_points([1646, 1654])[point]
    killed = cockpit(sandbox.clone, *move, crash=crash)
    assert killed.returncode == 75, killed.stdout + killed.stderr
    assert journal(sandbox.clone)[0]["state"] == "unfinished"
    resumed = cockpit(sandbox.clone, "resume", "--yes")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert forge(sandbox) == expected
    plan = journal(sandbox.clone)[0]
    assert plan["state"] == "finished" and all(s["state"] == "done" for s in plan["steps"])
    assert [s["changes"]["from"] for s in plan["steps"][1:]] == ["0.26.0", "0.26.0"]
    if point == 3:  # crashed right after the first item moved: the record is still good enough to undo
        undone = cockpit(sandbox.clone, "milestone", "undo", "--yes")
        assert undone.returncode == 0 and "0.28.0 (created by that plan) stays" in undone.stdout
        assert placement(sandbox) == original


MOVER = "milestone", "move", "--from", "0.26.0", "--to", "0.27.0", "--unmerged-only", "--yes"


@pytest.mark.parametrize("command", ["move", "undo"])
def test_concurrent_moves_move_each_item_once_and_journal_both(sandbox: Sandbox, command: str) -> None:
    """Two sessions (separate processes, one forge file, one journal) move the same items at the same time: each
    item is moved by exactly one of them, the other finds it already moved, and both plans are journaled whole.
    The same for two undos of one move. 30 more open issues make the runs overlap item by item."""
    data = json.loads(sandbox.forge_file.read_text())
    template = next(i for i in data["items"] if i["kind"] == "issue" and i["milestone"] == "0.26.0")
    data["items"] += [template | {"number": 5000 + n, "title": f"issue {n}", "state": "open"} for n in range(30)]
    sandbox.forge_file.write_text(json.dumps(data))
    unmerged = sorted(i["number"] for i in data["items"] if i["milestone"] == "0.26.0" and i["state"] == "open")
    args = MOVER
    if command == "undo":
        assert cockpit(sandbox.clone, *MOVER).returncode == 0
        args = ("milestone", "undo", "--yes")
    env = {**os.environ, "COCKPIT_TODAY": TODAY.isoformat()}
    running = [subprocess.Popen([COCKPIT, *args, "--repo", str(sandbox.clone)], env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in running]
    assert [p.returncode for p in running] == [0, 0], outputs
    plans = [p for p in journal(sandbox.clone) if p["id"].startswith(f"milestone-{command}")][:2]
    assert len(plans) == 2 and all(p["state"] == "finished" for p in plans)
    moved = sorted(s["changes"]["item"] for p in plans for s in p["steps"] if s["changes"].get("outcome") == "moved")
    assert moved == unmerged  # each item moved once, by one session or the other
    where = "0.27.0" if command == "move" else "0.26.0"
    assert {placement(sandbox)[n] for n in unmerged} == {where}


def test_orphans_on_the_local_forge(sandbox: Sandbox) -> None:
    data = json.loads(cockpit(sandbox.clone, "milestone", "orphans", "--json").stdout)
    expected = [i for i in forge(sandbox)["items"] if i["kind"] == "pr" and i["milestone"] is None and i["merged_at"]]
    assert len(data["orphans"]) == len(expected) == 2
    assert {o["number"] for o in data["orphans"]} == {i["number"] for i in expected}
    assert set(data["orphans"][0]) == {"number", "title", "author", "merged_at", "url"}
    assert data["orphans"][0]["merged_at"] >= data["orphans"][1]["merged_at"]  # newest first
    text = cockpit(sandbox.clone, "milestone", "orphans").stdout
    assert text.startswith("2 merged PR(s) without a milestone") and f"@{expected[0]['author']}" in text


# --- in process: the step outcomes and the undo's checks -----------------------------------------------------------

def run(sb: Sandbox, journal_path: Path, plan: Plan) -> PlanRecord:
    executor = Executor(Journal(journal_path), StepContext(GitService(sb.clone), LocalForge(sb.forge_file)))
    return executor.execute(plan)


@pytest.mark.fault
def test_items_moved_meanwhile_are_journaled_and_undone_precisely(sandbox: Sandbox, tmp_path: Path) -> None:
    local = LocalForge(sandbox.forge_file)
    plan = planned(milestones.propose_move(local, "0.26.0", "0.27.0", items=[1646, 1654, 1664]))
    local.move_items([1654], "0.27.0")  # someone did it already
    local.move_items([1664], "0.25.1")  # someone decided otherwise: the plan leaves it alone
    record = run(sandbox, tmp_path / "j.jsonl", plan)
    assert milestones.outcomes(record) == ["#1646 moved 0.26.0 -> 0.27.0", "#1654 already in 0.27.0",
                                           "#1664 left alone: now in 0.25.1 (moved since the plan)"]
    undo = planned(milestones.propose_undo(local, Journal(tmp_path / "j.jsonl").plans()))
    assert [(s.params["item"], s.params["from"], s.params["to"]) for s in undo.steps] == [
        (1646, "0.27.0", "0.26.0"), (1654, "0.27.0", "0.26.0")]
    run(sandbox, tmp_path / "j.jsonl", undo)
    assert [local.item(n).milestone for n in (1646, 1654, 1664)] == ["0.26.0", "0.26.0", "0.25.1"]


def test_undo_checks(sandbox: Sandbox, tmp_path: Path) -> None:
    local = LocalForge(sandbox.forge_file)
    run(sandbox, tmp_path / "j.jsonl", planned(milestones.propose_move(local, "0.26.0", "0.27.0", items=[1646])))
    local.rename_milestone("0.26.0", "0.26.1")
    undo = planned(milestones.propose_undo(local, Journal(tmp_path / "j.jsonl").plans()))
    assert undo.blocked and "no longer exists: 0.26.0" in undo.checks[0].message
    nope = milestones.propose_undo(local, Journal(tmp_path / "j.jsonl").plans(), "nope")
    assert isinstance(nope, Refusal) and nope.exit_kind == "bad-input"
    assert nope.why.startswith("no milestone move plan 'nope' in the journal")


# --- the GitHub emulator -----------------------------------------------------------------------------------------

def seed(emu: GitHubEmulator) -> None:
    emu.add_milestone("0.26.0", due_on="2026-11-30")  # number 1
    emu.add_milestone("0.27.0", due_on="2027-01-24")  # number 2
    emu.add_pull("fix: merged", milestone="0.26.0", user="alice")  # 1
    emu.add_pull("new: open feature", milestone="0.26.0", merged=False, user="bob")  # 2
    emu.add_issue("Crash on startup", milestone="0.26.0", user="erin")  # 3
    emu.add_pull("ci: merged without milestone", user="carol")  # 4
    emu.add_pull("wip: open without milestone", merged=False, user="dave")  # 5


@pytest.fixture
def github(falco: FalcoRepo, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[GitHubEmulator, Path]]:
    for emu in serve_validated(token=TOKEN):
        seed(emu)
        (falco.path / ".cockpit.toml").write_text('[forge]\nrepository = "falcosecurity/libs"\n')
        monkeypatch.setenv("COCKPIT_GITHUB_API_URL", emu.base_url)  # the user's choice: .cockpit.toml cannot name it
        yield emu, falco.path


def test_github_move_and_undo_send_githubs_request_bodies(github: tuple[GitHubEmulator, Path]) -> None:
    emu, repo = github
    done = cockpit(repo, "milestone", "move", "--from", "0.26.0", "--to", "0.27.0", "--unmerged-only", "--yes",
                   token=TOKEN)
    assert done.returncode == 0, done.stdout + done.stderr
    patches = emu.find_requests("PATCH", prefix="/repos/falcosecurity/libs/issues/")
    assert [(r.path.rsplit("/", 1)[1], r.body) for r in patches] == [("2", {"milestone": 2}), ("3", {"milestone": 2})]
    assert [emu.issue(n).milestone for n in (1, 2, 3)] == [1, 2, 2]  # the merged PR stays
    emu.clear_requests()
    undone = cockpit(repo, "milestone", "undo", "--yes", token=TOKEN)
    assert undone.returncode == 0, undone.stdout + undone.stderr
    assert [r.body for r in emu.find_requests("PATCH")] == [{"milestone": 1}, {"milestone": 1}]
    assert [emu.issue(n).milestone for n in (1, 2, 3)] == [1, 1, 1]
    created = cockpit(repo, "milestone", "move", "--from", "0.26.0", "--to", "0.28.0", "--items", "2", "--create",
                      "--due", "2027-03-01", "--yes", token=TOKEN)
    assert created.returncode == 0, created.stdout + created.stderr
    [post] = emu.find_requests("POST", "/repos/falcosecurity/libs/milestones")
    assert post.body == {"title": "0.28.0", "description": "", "due_on": "2027-03-01T00:00:00Z"}
    assert emu.issue(2).milestone == emu.milestone("0.28.0").number
    assert TOKEN not in done.stdout + done.stderr + "".join(p.read_text() for p in journal_bytes())


@pytest.mark.fault
def test_github_ignores_a_token_without_push_access(falco: FalcoRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    for emu in serve_validated(token=TOKEN, push=False):
        seed(emu)
        (falco.path / ".cockpit.toml").write_text('[forge]\nrepository = "falcosecurity/libs"\n')
        monkeypatch.setenv("COCKPIT_GITHUB_API_URL", emu.base_url)  # the user's choice: .cockpit.toml cannot name it
        done = cockpit(falco.path, "milestone", "move", "--from", "0.26.0", "--to", "0.27.0", "--unmerged-only",
                       "--yes", token=TOKEN)
        assert done.returncode == 1, done.stdout + done.stderr
        assert "WARN  forge.push" in done.stdout
        assert "#2 did not move, it is still in 0.26.0: GitHub ignored the change: the token from GH_TOKEN has no " \
               "push access to falcosecurity/libs" in done.stderr
        assert "#2 NOT moved" in done.stdout and "#3 not attempted" in done.stdout
        assert [emu.issue(n).milestone for n in (2, 3)] == [1, 1]
        plan = json.loads(cockpit(falco.path, "journal", "--json").stdout)[0]  # as the user sees it
        assert plan["state"] == "failed" and plan["ended_at"] is None  # unfinished: resume or abort
        assert [s["state"] for s in plan["steps"]] == ["failed", "planned"]
        assert "GitHub ignored the change" in plan["steps"][0]["error"]


def test_orphans_on_github(github: tuple[GitHubEmulator, Path]) -> None:
    emu, repo = github
    done = cockpit(repo, "milestone", "orphans", "--json", token=TOKEN)
    assert done.returncode == 0, done.stderr
    assert [(o["number"], o["author"]) for o in json.loads(done.stdout)["orphans"]] == [(4, "carol")]
    [listing] = emu.find_requests("GET", "/repos/falcosecurity/libs/issues")
    assert (listing.arg("milestone"), listing.arg("state"), listing.arg("per_page")) == ("none", "closed", "100")
