"""The headless CLI contract (DESIGN.md), exercised through the installed `cockpit` command on real repos."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from builders import FalcoRepo
from cli_helpers import COCKPIT


def cockpit(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    assert COCKPIT, "the cockpit command is not installed (pip install -e '.[test]')"
    return subprocess.run([COCKPIT, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def as_json(*args: str) -> dict:
    done = cockpit(*args, "--json")
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def test_status_json_contract(falco: FalcoRepo) -> None:
    s = as_json("status", "--repo", str(falco.path))
    assert s["default_branch"] == "master"
    assert s["versions"] == {"api_version": "1.1.0", "schema_version": "1.1.0", "plugin_api_version": "3.1.0"}
    tags = {t["name"]: t for t in s["tags"]}
    assert tags["0.2.0-rc2"] == {"name": "0.2.0-rc2", "line": "libs", "version": "0.2.0-rc2", "prerelease": True,
                                 "commit": falco.shas["fix6_bp"], "irregular": None}
    assert tags["1.1.0+driver"]["line"] == "driver" and not tags["1.1.0+driver"]["prerelease"]
    assert tags["0.2.0"]["commit"] == falco.shas["fix6_bp"]  # annotated: the peeled commit
    branches = {b["name"]: b for b in s["release_branches"]}
    assert [b["name"] for b in s["release_branches"]] == ["release/0.2.x", "release/0.1.x"]
    assert branches["release/0.2.x"]["fork_point"] == falco.shas["fork2"]
    assert (branches["release/0.2.x"]["ahead"], branches["release/0.2.x"]["behind"]) == (3, 6)
    assert s["lines"] == {"libs": {"latest": "0.2.0", "latest_prerelease": "0.2.0-rc2"},
                          "driver": {"latest": "1.1.0+driver", "latest_prerelease": "1.1.0-rc1+driver"}}


def test_status_flags_irregular_tags(falco: FalcoRepo) -> None:
    falco.b.tag("1.1.0+driver-rc1", at="release/0.2.x")
    tags = {t["name"]: t for t in as_json("status", "--repo", str(falco.path))["tags"]}
    assert "not exactly 'driver'" in tags["1.1.0+driver-rc1"]["irregular"]
    falco.b.tag("foo")
    tags = {t["name"]: t for t in as_json("status", "--repo", str(falco.path))["tags"]}
    assert tags["foo"]["line"] is None and tags["foo"]["irregular"] is None


def test_next_computes_driver_and_libs(falco: FalcoRepo) -> None:
    n = as_json("next", "--repo", str(falco.path))
    assert n["driver"] == {"previous": "1.1.0+driver", "api": {"from": "1.1.0", "to": "1.1.0", "change": "none"},
                           "schema": {"from": "1.0.0", "to": "1.1.0", "change": "minor"}, "bump": "minor",
                           "next": "1.2.0+driver"}
    assert n["libs"] == {"previous": "0.2.0",
                         "plugin_api": {"from": "3.0.0", "to": "3.1.0", "change": "minor", "header_changed": True},
                         "next_minor": "0.3.0", "next_patch": "0.2.1"}


def test_next_since_and_at(falco: FalcoRepo) -> None:
    n = as_json("next", "--repo", str(falco.path), "--since-driver", "1.0.0+driver", "--at", "release/0.2.x")
    assert n["driver"]["api"] == {"from": "1.0.0", "to": "1.1.0", "change": "minor"}
    assert n["driver"]["next"] == "1.1.0+driver"
    # at the 0.2.0 release commit itself, the previous libs release is the one before it
    n = as_json("next", "--repo", str(falco.path), "--at", "0.2.0")
    assert n["libs"]["previous"] == "0.1.1"


def test_check_refuses_rc_before_the_branch_is_cut(falco: FalcoRepo) -> None:
    done = cockpit("check", "--repo", str(falco.path), "--libs", "0.3.0-rc1", "--json")
    assert done.returncode == 1
    checks = {c["id"]: c for c in json.loads(done.stdout)["checks"]}
    assert not checks["branch.placement"]["ok"]
    hint = checks["branch.placement"]["fix_hint"]
    assert hint == "cut it first: git branch release/0.3.x origin/master && git push origin release/0.3.x"


def test_check_passes_on_a_fresh_pushed_release_branch(falco: FalcoRepo) -> None:
    falco.b.git("branch", "release/0.3.x", "master")
    falco.b.push("release/0.3.x")
    done = cockpit("check", "--repo", str(falco.path), "--libs", "0.3.0-rc1", "--driver", "1.2.0-rc1+driver",
                   "--json")
    report = json.loads(done.stdout)
    assert done.returncode == 0, [c for c in report["checks"] if not c["ok"]]
    assert report["ok"] and report["branch"] == "release/0.3.x"
    ids = {c["id"] for c in report["checks"]}
    assert {"semver.valid", "libs.major-zero", "driver.build-metadata", "tag.absent", "version.increases",
            "rc.sequence", "branch.name-matches", "branch.placement", "tag.target-is-head", "branch.pushed",
            "worktree.clean", "driver.computed", "driver.api-bumped", "driver.schema-bumped",
            "libs.plugin-api-bumped", "libs.min-driver-api", "libs.min-driver-schema"} <= ids


def test_check_blocks_a_wrong_driver_version_and_warns_on_missing_bump(falco: FalcoRepo) -> None:
    falco.b.commit("fix(kmod): touch the kmod engine (#14)", {"userspace/libscap/engine/kmod/scap_kmod.c": "v2\n"})
    falco.b.push("master")
    falco.b.git("branch", "release/0.3.x", "master")
    falco.b.push("release/0.3.x")
    done = cockpit("check", "--repo", str(falco.path), "--driver", "2.0.0+driver", "--at", "release/0.3.x", "--json")
    assert done.returncode == 1
    checks = {c["id"]: c for c in json.loads(done.stdout)["checks"]}
    assert not checks["driver.computed"]["ok"] and "1.2.0" in checks["driver.computed"]["message"]
    assert not checks["driver.api-bumped"]["ok"] and checks["driver.api-bumped"]["severity"] == "warning"
    assert "userspace/libscap/engine/kmod/scap_kmod.c" in checks["driver.api-bumped"]["evidence"]


@pytest.mark.parametrize(("line", "version"), [("--libs", "1.0.0"), ("--driver", "99.0.0"),
                                                ("--libs", "not-a-version")])
def test_check_rule_violations_exit_1(falco: FalcoRepo, line: str, version: str) -> None:
    done = cockpit("check", "--repo", str(falco.path), line, version, "--json")
    assert done.returncode == 1
    assert not json.loads(done.stdout)["ok"]


def test_candidates_json_contract(falco: FalcoRepo) -> None:
    c = as_json("candidates", "--repo", str(falco.path), "--branch", "release/0.2.x")
    assert c["branch"] == "release/0.2.x" and c["fork_point"] == falco.shas["fork2"]
    by_sha = {x["sha"]: x for x in c["commits"]}
    fix4 = by_sha[falco.shas["fix4"]]
    assert fix4["applied"] and fix4["evidence"] == "patch-id" and fix4["applied_as"] == falco.shas["fix4_bp"]
    assert len(fix4["applied_as"]) == 40 and fix4["pr"] == 8
    fix7 = by_sha[falco.shas["fix7"]]
    assert not fix7["applied"] and fix7["evidence"] is None and fix7["applied_as"] is None


@pytest.mark.parametrize("args", [
    ("status", "--repo", "/nonexistent/dir"),
    ("candidates", "--branch", "release/9.9.x"),
    ("next", "--at", "no-such-ref"),
    ("next", "--since-driver", "0.2.0"),
    ("check",),
])
def test_bad_input_is_one_line_exit_2(falco: FalcoRepo, args: tuple[str, ...]) -> None:
    if "--repo" not in args:
        args = (*args, "--repo", str(falco.path))
    done = cockpit(*args, "--json")
    assert done.returncode == 2, done.stdout
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and done.stderr.startswith("cockpit: ")
    error = json.loads(done.stdout)["error"]  # the same line, as the --json error document
    assert error["message"] == done.stderr.strip().removeprefix("cockpit: ") and error["kind"] in ("input", "git")


def test_outside_a_repository(tmp_path: Path) -> None:
    done = cockpit("status", cwd=tmp_path)
    assert done.returncode == 2 and "not inside a git repository" in done.stderr


def test_human_output(falco: FalcoRepo) -> None:
    out = cockpit("status", "--repo", str(falco.path)).stdout
    assert "release/0.2.x" in out and "latest 0.2.0" in out
    out = cockpit("next", "--repo", str(falco.path)).stdout
    assert "1.1.0+driver -> 1.2.0+driver" in out and "next minor 0.3.0" in out
    done = cockpit("check", "--repo", str(falco.path), "--libs", "0.3.0-rc1")
    assert done.returncode == 1 and "BLOCKED" in done.stdout and "fix: cut it first" in done.stdout
    out = cockpit("candidates", "--repo", str(falco.path), "--branch", "release/0.2.x").stdout
    assert "applied (trailer)" in out and "missing" in out


# --- the forge through the CLI: the loopback GitHub emulator configured in .cockpit.toml ---------------------------

CANARY = "ghp_CLI_CANARY_0123456789abcdef"


def github_env(token: str | None = CANARY) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("GH_TOKEN", "GITHUB_TOKEN")}
    if token:
        env["GH_TOKEN"] = token
    return env


def with_emulator(falco: FalcoRepo, emu, monkeypatch: pytest.MonkeyPatch) -> None:
    """The emulator as the repository's forge; the user names its URL too (a committed api_url alone never
    receives the token)."""
    (falco.path / ".cockpit.toml").write_text(
        f'[forge]\nrepository = "falcosecurity/libs"\napi_url = "{emu.base_url}"\n')
    monkeypatch.setenv("COCKPIT_GITHUB_API_URL", emu.base_url)


def test_notes_and_status_from_github(falco: FalcoRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    from github_emulator import serve_validated

    for emu in serve_validated(token=CANARY):
        emu.add_milestone("0.3.0", due_on="2026-11-30")
        emu.add_pull("fix: a", milestone="0.3.0", user="alice", body="```release-note\nfix(libsinsp): a crash\n```")
        emu.add_pull("new: b", milestone="0.3.0", user="bob", body="```release-note\nnew(driver): clone3\n```")
        emu.add_pull("open", milestone="0.3.0", merged=False)
        with_emulator(falco, emu, monkeypatch)
        done = subprocess.run([COCKPIT, "notes", "0.3.0", "--repo", str(falco.path), "--date", "2026-11-30"],
                              capture_output=True, text=True, env=github_env(), timeout=60)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("## v0.3.0\n\nReleased on 2026-11-30\n\n### Major Changes\n\n"
                                      "* new(driver): clone3")
        assert "### Bug Fixes\n\n* fix(libsinsp): a crash [[#1](" in done.stdout and "- [@alice](" in done.stdout
        env = {**github_env(), "COCKPIT_TODAY": "2026-11-25"}
        status = json.loads(subprocess.run([COCKPIT, "status", "--repo", str(falco.path), "--json"],
                                           capture_output=True, text=True, env=env, timeout=60).stdout)
        assert status["milestones"][0] | {"number": 0} == {
            "number": 0, "title": "0.3.0", "state": "open", "due_on": "2026-11-30", "days_left": 5,
            "phase": "code-freeze", "overdue": False, "open": 1, "closed": 2, "release_branch": False,
            "rc_tags": [], "final_tag": None}
        assert status["forge"]["description"] == "GitHub falcosecurity/libs (token from GH_TOKEN)"
        cache_files = list(Path(os.environ["XDG_CACHE_HOME"]).rglob("*.sqlite3"))
        assert cache_files and all(CANARY.encode() not in f.read_bytes() for f in cache_files)
        assert CANARY not in done.stdout + done.stderr + json.dumps(status)


def test_forge_errors_through_the_cli(falco: FalcoRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    from github_emulator import Fault, serve_validated

    for emu in serve_validated(token=CANARY):
        emu.add_milestone("0.3.0")
        with_emulator(falco, emu, monkeypatch)
        done = subprocess.run([COCKPIT, "notes", "9.9.9", "--repo", str(falco.path)], capture_output=True,
                              text=True, env=github_env(), timeout=60)
        assert done.returncode == 2 and done.stderr.strip() == "cockpit: unknown milestone '9.9.9' (known: 0.3.0)"
        emu.fail_always(Fault.BAD_CREDENTIALS)
        done = subprocess.run([COCKPIT, "notes", "0.3.0", "--repo", str(falco.path)], capture_output=True,
                              text=True, env=github_env("ghp_wrong_token_value"), timeout=60)
        assert done.returncode == 2 and "rejected the token from GH_TOKEN (bad credentials)" in done.stderr
        assert "ghp_wrong_token_value" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
        # status keeps the git data and says what is wrong with the forge
        status = json.loads(subprocess.run([COCKPIT, "status", "--repo", str(falco.path), "--json"],
                                           capture_output=True, text=True, env=github_env(), timeout=60).stdout)
        assert status["release_branches"] and "bad credentials" in status["forge"]["problem"]
        emu.faults.clear()
    done = subprocess.run([COCKPIT, "notes", "0.3.0", "--repo", str(falco.path)], capture_output=True, text=True,
                          env=github_env(None), timeout=60)
    assert done.returncode == 2 and "no GitHub token for github.com: set GH_TOKEN" in done.stderr


def test_candidates_of_a_milestone_on_the_demo_sandbox(tmp_path: Path) -> None:
    env = {**os.environ, "COCKPIT_TODAY": "2026-11-25"}
    out = subprocess.run([COCKPIT, "demo", "--no-tui", "--path", str(tmp_path / "sb")], capture_output=True,
                         text=True, env=env, check=True).stdout
    clone = out.strip().splitlines()[-1].split()[-1]
    every = json.loads(subprocess.run([COCKPIT, "candidates", "--repo", clone, "--branch", "release/0.25.x",
                                       "--json"], capture_output=True, text=True, env=env, check=True).stdout)
    only = json.loads(subprocess.run([COCKPIT, "candidates", "--repo", clone, "--branch", "release/0.25.x",
                                      "--milestone", "0.26.0", "--json"], capture_output=True, text=True, env=env,
                                     check=True).stdout)
    forge = json.loads((tmp_path / "sb" / "forge.json").read_text())
    in_milestone = {i["number"] for i in forge["items"] if i["milestone"] == "0.26.0" and i["kind"] == "pr"}
    assert only["commits"] and {c["pr"] for c in only["commits"]} <= in_milestone
    assert len(only["commits"]) < len(every["commits"])
    assert [c for c in every["commits"] if c["pr"] in in_milestone] == only["commits"]
    missing = [c["subject"] for c in every["commits"] if not c["applied"] and c["subject"].startswith("fix")]
    assert "fix(libsinsp): also skip thread infos with a negative tid in the sweep" in missing
    # rebase-merged: every commit's PR comes from the forge's association, with its details
    assert every["forge"] == {"ok": True, "problem": None}
    assert {c["pr_source"] for c in every["commits"]} == {"forge"}
    items = {i["number"]: i for i in forge["items"]}
    assert all((c["pr_title"], c["milestone"], c["labels"]) == (items[c["pr"]]["title"], items[c["pr"]]["milestone"],
                                                                items[c["pr"]]["labels"]) for c in every["commits"])
    done = subprocess.run([COCKPIT, "candidates", "--repo", clone, "--branch", "release/0.25.x", "--milestone",
                           "9.9.9"], capture_output=True, text=True, env=env)
    assert done.returncode == 2 and "unknown milestone '9.9.9'" in done.stderr


def test_tui_outside_a_repository_is_a_clear_message(tmp_path: Path) -> None:
    done = subprocess.run([COCKPIT, "--repo", str(tmp_path)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and "not inside a git repository" in done.stderr and "Traceback" not in done.stderr
    done = subprocess.run([COCKPIT, "tui"], capture_output=True, text=True, timeout=30, cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.count("\n") == 1


def test_candidates_link_rebase_merged_commits_through_github(falco: FalcoRepo,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Commits whose subject names no PR are linked through GitHub's association (one GraphQL request, none the
    second time); subject-linked ones keep their subject's PR."""
    from github_emulator import serve_validated

    part1 = falco.b.commit("fix(libsinsp): rebase-merged, part one", {"userspace/libsinsp/r.cpp": "1\n"}, "bob")
    part2 = falco.b.commit("fix(libsinsp): rebase-merged, part two", {"userspace/libsinsp/r.cpp": "2\n"}, "bob")
    falco.b.push("master")
    for emu in serve_validated(token=CANARY):
        emu.add_milestone("0.3.0")
        pr = emu.add_pull("fix(libsinsp): rebase-merged", milestone="0.3.0", labels=("kind/bug",), user="bob",
                          commits=[part1, part2])
        with_emulator(falco, emu, monkeypatch)
        args = [COCKPIT, "candidates", "--repo", str(falco.path), "--branch", "release/0.2.x", "--json"]
        first = json.loads(subprocess.run(args, capture_output=True, text=True, env=github_env(), timeout=60).stdout)
        by_sha = {c["sha"]: c for c in first["commits"]}
        assert first["forge"] == {"ok": True, "problem": None}
        for sha in (part1, part2):
            assert {k: by_sha[sha][k] for k in ("pr", "pr_source", "pr_title", "milestone", "labels")} == {
                "pr": pr.number, "pr_source": "forge", "pr_title": "fix(libsinsp): rebase-merged",
                "milestone": "0.3.0", "labels": ["kind/bug"]}
        assert (by_sha[falco.shas["fix7"]]["pr"], by_sha[falco.shas["fix7"]]["pr_source"]) == (13, "subject")
        assert emu.requests_count("POST", "/api/graphql") == 1
        again = subprocess.run(args, capture_output=True, text=True, env=github_env(), timeout=60)
        assert json.loads(again.stdout)["commits"] == first["commits"]
        # the commits no PR landed are asked again (one request); the merged ones come from the cache
        assert emu.requests_count("POST", "/api/graphql") == 2
        milestone = json.loads(subprocess.run([*args, "--milestone", "0.3.0"], capture_output=True, text=True,
                                              env=github_env(), timeout=60).stdout)
        assert [c["sha"] for c in milestone["commits"]] == [part1, part2]


@pytest.mark.fault
def test_candidates_keep_the_git_answer_when_github_cannot_add_to_it(falco: FalcoRepo,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from github_emulator import Fault, serve_validated

    lone = falco.b.commit("fix(libsinsp): rebase-merged alone", {"userspace/libsinsp/r.cpp": "1\n"}, "bob")
    falco.b.push("master")
    args = [COCKPIT, "candidates", "--repo", str(falco.path), "--branch", "release/0.2.x", "--json"]
    for emu in serve_validated(token=CANARY):
        emu.add_pull("fix(libsinsp): rebase-merged alone", commits=[lone])
        with_emulator(falco, emu, monkeypatch)
        problems = []
        for fault in ("rate", Fault.DROP, "token"):
            if fault == "rate":
                emu.set_rate_limit(0, resource="graphql")
            elif fault == Fault.DROP:
                emu.set_rate_limit(5000, resource="graphql")
                emu.fail_always(Fault.DROP, path_prefix="/api/graphql")
            done = subprocess.run(args, capture_output=True, text=True, timeout=60,
                                  env=github_env(None if fault == "token" else CANARY))
            assert done.returncode == 0, done.stderr
            doc = json.loads(done.stdout)
            by_sha = {c["sha"]: c for c in doc["commits"]}
            assert set(by_sha) >= {lone, falco.shas["fix7"]} and by_sha[falco.shas["fix7"]]["pr"] == 13
            assert (by_sha[lone]["pr"], by_sha[lone]["pr_source"]) == (None, None) and not doc["forge"]["ok"]
            problems.append(doc["forge"]["problem"])
        assert "rate limit" in problems[0] and "cannot reach" in problems[1] and "no GitHub token" in problems[2]
        assert all(CANARY not in p for p in problems)
        emu.faults.clear()
