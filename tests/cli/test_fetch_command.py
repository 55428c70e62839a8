"""`cockpit fetch` and what status says after it (`fetched_at`, `irregular_branches`), through the installed command
on real clones of a bare origin."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from builders import FalcoRepo
from cli_helpers import cockpit


def status(repo: Path) -> dict:
    done = cockpit(repo, "status", "--json", check=True)
    return json.loads(done.stdout)


def test_fetch_then_status_carries_its_time_and_the_new_tag(falco: FalcoRepo, tmp_path: Path) -> None:
    assert status(falco.path)["fetched_at"] is None
    other = tmp_path / "other"
    subprocess.run(["git", "clone", "-q", str(falco.b.origin), str(other)], check=True)
    subprocess.run(["git", "-C", other, "tag", "0.2.1-rc1", "origin/release/0.2.x"], check=True)
    subprocess.run(["git", "-C", other, "push", "-q", "origin", "0.2.1-rc1"], check=True)
    done = cockpit(falco.path, "fetch", "--json", check=True)
    doc = json.loads(done.stdout)
    assert doc["remote"] == "origin" and doc["url"] == str(falco.b.origin)
    s = status(falco.path)
    assert s["fetched_at"] == doc["fetched_at"]
    assert abs(datetime.now(UTC) - datetime.fromisoformat(s["fetched_at"])) < timedelta(minutes=5)
    assert "0.2.1-rc1" in {t["name"] for t in s["tags"]}
    text = cockpit(falco.path, "status", check=True).stdout
    assert "remote      fetched just now" in text


@pytest.mark.fault
def test_fetch_offline_is_an_error_document_without_the_token(falco: FalcoRepo) -> None:
    subprocess.run(["git", "-C", falco.path, "remote", "set-url", "origin",
                    "https://bot:ghp_s3cret@127.0.0.1:9/falcosecurity/libs.git"], check=True)
    done = cockpit(falco.path, "fetch", "--json")
    assert done.returncode == 2
    error = json.loads(done.stdout)["error"]
    assert error["kind"] == "git" and "cannot fetch from origin" in error["message"]
    assert "ghp_s3cret" not in done.stdout + done.stderr
    assert len(done.stderr.strip().splitlines()) == 1  # git's own fatal line is not repeated as progress
    assert cockpit(falco.path, "status", "--json").returncode == 0  # local work goes on


def test_irregular_release_branches_are_listed_never_used(falco: FalcoRepo) -> None:
    # pushed by URL, as another clone would: this clone's view of origin does not know it until it fetches
    falco.b.git("push", "-q", str(falco.b.origin), f"{falco.shas['fix1_bp']}:refs/heads/release/0.9.0")
    falco.b.git("branch", "release/0.10.0", falco.shas["fork2"])
    assert status(falco.path)["irregular_branches"] == [  # local one at once; the remote one after a fetch
        {"name": "release/0.10.0", "reason": "names the release 0.10.0, not a series: a release branch is "
                                             "release/0.10.x"}]
    cockpit(falco.path, "fetch", check=True)
    s = status(falco.path)
    assert [b["name"] for b in s["irregular_branches"]] == ["release/0.10.0", "release/0.9.0"]
    assert [b["name"] for b in s["release_branches"]] == ["release/0.2.x", "release/0.1.x"]
    text = cockpit(falco.path, "status", check=True).stdout
    assert "irregular branches" in text and "  release/0.9.0: names the release 0.9.0" in text
