"""GitHub releases and the tracking issue, end to end through the installed `cockpit` on the demo sandbox's local
forge, and on the loopback GitHub emulator."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from cockpit.core.lines import classify, marks_latest
from cockpit.demo import Sandbox, build_sandbox

from cli_helpers import cockpit
from ui_helpers import TODAY


def forge(sb: Sandbox) -> dict:
    return json.loads(sb.forge_file.read_text())


def test_marks_latest_only_the_highest_final_of_a_line() -> None:
    tags = [classify(n) for n in ("0.24.2", "0.25.1", "0.26.0-rc1", "9.0.1+driver", "8.1.1+driver")]
    assert marks_latest(classify("0.25.1"), tags)
    assert not marks_latest(classify("0.24.2"), tags)  # a patch of an older line
    assert not marks_latest(classify("0.26.0-rc1"), tags)  # a pre-release
    assert marks_latest(classify("9.0.1+driver"), tags) and not marks_latest(classify("8.1.1+driver"), tags)


def test_rc_release_is_a_draft_prerelease_with_notes_and_versions(sandbox: Sandbox) -> None:
    assert cockpit(sandbox, "branch", "cut", "--version", "0.26.0", "--yes").returncode == 0
    assert cockpit(sandbox, "tag", "--libs", "0.26.0-rc1", "--yes").returncode == 0
    before = sandbox.forge_file.read_bytes()
    assert cockpit(sandbox, "release", "--tag", "0.26.0-rc1", "--dry-run").returncode == 0
    assert sandbox.forge_file.read_bytes() == before
    done = cockpit(sandbox, "release", "--tag", "0.26.0-rc1", "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    release = forge(sandbox)["releases"][0]
    assert (release["tag"], release["draft"], release["prerelease"], release["make_latest"]) == \
        ("0.26.0-rc1", True, True, False)
    assert release["body"].startswith("## v0.26.0\n\nReleased on 2026-11-25\n\n### Major Changes")
    assert "- Minimum driver API version: 9.0.0" in release["body"]
    again = cockpit(sandbox, "release", "--tag", "0.26.0-rc1", "--yes")  # idempotent: nothing published twice
    assert again.returncode == 0 and "(already done)" in again.stdout and len(forge(sandbox)["releases"]) == 1


def test_release_of_an_unpushed_or_unknown_tag_is_refused(sandbox: Sandbox) -> None:
    subprocess.run(["git", "-C", str(sandbox.clone), "tag", "0.25.2", "origin/release/0.25.x"], check=True)
    done = cockpit(sandbox, "release", "--tag", "0.25.2", "--yes")
    assert done.returncode == 1 and "release.tag-pushed" in done.stdout
    done = cockpit(sandbox, "release", "--tag", "not-a-version", "--yes")
    assert done.returncode == 2 and "is not a release tag" in done.stderr


def test_tracking_issue_opened_announced_then_ticked(sandbox: Sandbox) -> None:
    done = cockpit(sandbox, "tracking-issue", "--milestone", "0.26.0", "--announce", "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    data = forge(sandbox)
    issue = next(i for i in data["items"] if i["title"] == "Release 0.26.0")
    assert issue["milestone"] == "0.26.0" and "Current phase: **Code freeze**" in issue["body"]
    assert "- [ ] Cut release/0.26.x from the default branch" in issue["body"]
    assert data["comments"][0]["item"] == issue["number"] and "Code freeze has started" in data["comments"][0]["body"]
    assert cockpit(sandbox, "branch", "cut", "--version", "0.26.0", "--yes").returncode == 0
    assert cockpit(sandbox, "tracking-issue", "--milestone", "0.26.0", "--yes").returncode == 0
    issue = next(i for i in forge(sandbox)["items"] if i["title"] == "Release 0.26.0")
    assert "- [x] Cut release/0.26.x" in issue["body"] and "Release branch / RCs**" in issue["body"]
    assert sum(i["title"] == "Release 0.26.0" for i in forge(sandbox)["items"]) == 1  # updated, not reopened


def test_release_on_github(sandbox: Sandbox) -> None:
    from github_emulator import serve_validated

    assert cockpit(sandbox, "branch", "cut", "--version", "0.26.0", "--yes").returncode == 0
    assert cockpit(sandbox, "tag", "--libs", "0.26.0-rc1", "--yes").returncode == 0
    assert cockpit(sandbox, "tag", "--libs", "0.26.0", "--yes").returncode == 0
    subprocess.run(["git", "-C", str(sandbox.clone), "config", "--unset", "cockpit.localForge"], check=True)
    for emu in serve_validated(token="ghp_CANARY_release_0123456789"):
        emu.add_milestone("0.26.0")
        emu.add_pull("fix: a", milestone="0.26.0", body="```release-note\nfix(libsinsp): a crash\n```")
        (sandbox.clone / ".git" / "info" / "exclude").write_text(".cockpit.toml\n")
        (sandbox.clone / ".cockpit.toml").write_text(
            '[forge]\nrepository = "falcosecurity/libs"\n')
        env = {"GH_TOKEN": emu.token, "COCKPIT_GITHUB_API_URL": emu.base_url}  # the API URL is the user's choice
        done = cockpit(sandbox, "release", "--tag", "0.26.0", "--publish", "--yes", env=env)
        assert done.returncode == 0, done.stdout + done.stderr
        posted = emu.find_requests("POST", "/repos/falcosecurity/libs/releases")[0].body
        assert posted["tag_name"] == "0.26.0" and posted["draft"] is False and posted["prerelease"] is False
        assert posted["make_latest"] == "true" and "* fix(libsinsp): a crash" in posted["body"]
        # the token reached GitHub and nothing else: not the journal, the cache, or the output
        state = Path(os.environ["XDG_STATE_HOME"])
        cache = Path(os.environ["XDG_CACHE_HOME"])
        written = [f.read_bytes() for root in (state, cache) if root.exists() for f in root.rglob("*") if f.is_file()]
        assert written and all(emu.token.encode() not in blob for blob in written)
        assert emu.token not in done.stdout + done.stderr


@pytest.mark.fault
@pytest.mark.parametrize("crash", ["release:started", "release:done", "issue:started", "issue:done",
                                   "announce:started"])
def test_publish_plans_crash_then_resume_publish_once(tmp_path: Path, crash: str) -> None:
    sb = build_sandbox(tmp_path / "sandbox", TODAY)
    assert cockpit(sb, "branch", "cut", "--version", "0.26.0", "--yes").returncode == 0
    assert cockpit(sb, "tag", "--libs", "0.26.0-rc1", "--yes").returncode == 0
    args = ["release", "--tag", "0.26.0-rc1"] if crash.startswith("release") else \
        ["tracking-issue", "--milestone", "0.26.0", "--announce"]
    killed = cockpit(sb, *args, "--yes", env={"COCKPIT_CRASH_AT": crash})
    assert killed.returncode == 75
    assert cockpit(sb, "resume", "--yes").returncode == 0
    data = forge(sb)
    if crash.startswith("release"):
        assert [r["tag"] for r in data["releases"]] == ["0.26.0-rc1"]  # published once
    else:
        assert sum(i["title"] == "Release 0.26.0" for i in data["items"]) == 1
        assert len(data["comments"]) == 1
