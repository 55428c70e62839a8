"""`cockpit bump` end to end through the installed `cockpit` on the demo sandbox: one commit on the checked-out
branch that changes the version digits and nothing else, never pushed; dry runs and refusals change nothing; a
crash at either journal boundary resumes to what a clean run gives; a moved branch is never overwritten."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from cockpit.demo import Sandbox, build_sandbox

from cli_helpers import cockpit
from ui_helpers import TODAY

FILES = {"api": "driver/API_VERSION", "schema": "driver/SCHEMA_VERSION", "plugin": "userspace/plugin/plugin_api.h"}


def git(sb: Sandbox | Path, *args: str) -> str:
    repo = sb.clone if isinstance(sb, Sandbox) else sb
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


def world(sb: Sandbox) -> tuple[str, ...]:
    """Everything a bump may change: both repositories' refs, the clone's worktree and the version files' bytes."""
    files = tuple((sb.clone / p).read_bytes().hex() for p in FILES.values())
    return (git(sb.origin, "for-each-ref"), git(sb, "for-each-ref"), git(sb, "status", "--porcelain"), *files)


def journal_bytes() -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in Path(os.environ["XDG_STATE_HOME"]).rglob("*.jsonl")}


def outcome(sb: Sandbox) -> tuple[str, ...]:
    """The result of a bump without its dates: parent, tree, subject, changed paths, and a clean worktree."""
    return (git(sb, "rev-parse", "HEAD^", "HEAD^{tree}"), git(sb, "log", "-1", "--format=%s"),
            git(sb, "diff", "--name-only", "HEAD^", "HEAD"), git(sb, "status", "--porcelain"),
            git(sb, "symbolic-ref", "HEAD"))


CASES = [
    ("api", "major", "9.0.1", "10.0.0", "chore(driver): bump API_VERSION to 10.0.0"),
    ("schema", "minor", "2.13.0", "2.14.0", "chore(driver): bump SCHEMA_VERSION to 2.14.0"),
    ("plugin", "patch", "PLUGIN_API_VERSION_PATCH 0", "PLUGIN_API_VERSION_PATCH 1",
     "chore(userspace/plugin): bump the plugin API version to 3.3.1"),
]


@pytest.mark.parametrize(("target", "part", "old", "new", "subject"), CASES)
def test_bump_commits_the_file_with_every_other_line_kept(sandbox: Sandbox, target: str, part: str, old: str,
                                                          new: str, subject: str) -> None:
    path = sandbox.clone / FILES[target]
    before, head, origin = path.read_text(), git(sandbox, "rev-parse", "HEAD"), git(sandbox.origin, "for-each-ref")
    done = cockpit(sandbox, "bump", target, "--part", part, "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    diff = [line.strip() for line in done.stdout.splitlines() if line.strip()[:1] in "+-"]
    assert any(old in line for line in diff if line[0] == "-") and any(new in line for line in diff if line[0] == "+")
    assert done.stdout.splitlines()[-3].startswith("Not pushed")  # the plan's last line, before the progress
    assert path.read_text() == before.replace(old, new, 1)
    assert git(sandbox, "log", "-1", "--format=%s") == subject + "\n"
    assert "Signed-off-by: Test Committer" in git(sandbox, "log", "-1", "--format=%b")
    assert git(sandbox, "rev-parse", "HEAD^") == head
    assert git(sandbox, "diff", "--name-only", "HEAD^", "HEAD") == FILES[target] + "\n"
    assert git(sandbox, "status", "--porcelain") == ""
    assert git(sandbox.origin, "for-each-ref") == origin  # nothing pushed
    changes = json.loads(cockpit(sandbox, "journal", "--json").stdout)[0]["steps"][0]["changes"]
    assert changes["refs/heads/master"] == git(sandbox, "rev-parse", "HEAD").strip()
    assert changes["path"] == FILES[target] and changes["blob_after"] == git(sandbox, "rev-parse",
                                                                             f"HEAD:{FILES[target]}").strip()


def test_dry_run_changes_nothing(sandbox: Sandbox) -> None:
    assert cockpit(sandbox, "bump", "schema", "--part", "patch", "--yes").returncode == 0  # a journal exists
    before, journal = world(sandbox), journal_bytes()
    for target in FILES:
        done = cockpit(sandbox, "bump", target, "--part", "major", "--dry-run")
        assert done.returncode == 0 and "dry run: nothing was changed" in done.stdout
        assert f"--- a/{FILES[target]}" in done.stdout
    assert world(sandbox) == before and journal_bytes() == journal


def test_refusals_exit_1_and_change_nothing(sandbox: Sandbox) -> None:
    api = sandbox.clone / FILES["api"]
    api.write_text("9.0.1\nlocal edit\n")
    before, journal = world(sandbox), journal_bytes()
    done = cockpit(sandbox, "bump", "api", "--part", "minor", "--yes")
    assert done.returncode == 1 and "worktree.clean" in done.stdout and "refused" in done.stdout
    assert world(sandbox) == before and journal_bytes() == journal == {}
    git(sandbox, "checkout", "-q", "--", FILES["api"])
    git(sandbox, "checkout", "-q", "--detach")
    done = cockpit(sandbox, "bump", "api", "--part", "minor", "--yes")
    assert done.returncode == 1 and "HEAD is detached" in done.stdout
    git(sandbox, "checkout", "-q", "master")
    api.write_text("v9.0.1\n")
    git(sandbox, "-c", "user.name=T", "-c", "user.email=t@x", "commit", "-q", "-am", "break it")
    done = cockpit(sandbox, "bump", "api", "--part", "minor", "--yes")
    assert done.returncode == 1 and "the first line 'v9.0.1' is not an X.Y.Z version" in done.stdout
    assert done.stderr == ""


def test_crlf_and_non_utf8_bytes_are_kept_byte_for_byte(sandbox: Sandbox) -> None:
    schema = sandbox.clone / FILES["schema"]
    schema.write_bytes(b"2.13.0\r\n# caf\xe9 \xff\r\nlast line without newline")
    git(sandbox, "commit", "-q", "-am", "chore: odd bytes")
    assert cockpit(sandbox, "bump", "schema", "--part", "major", "--yes").returncode == 0
    assert schema.read_bytes() == b"3.0.0\r\n# caf\xe9 \xff\r\nlast line without newline"
    assert git(sandbox, "status", "--porcelain") == ""


@pytest.mark.fault
@pytest.mark.parametrize("crash", ["commit:started", "commit:done"])
def test_crash_then_resume_gives_the_clean_result(sandbox: Sandbox, tmp_path: Path, crash: str) -> None:
    clean = build_sandbox(tmp_path / "clean", TODAY)
    assert cockpit(clean, "bump", "plugin", "--part", "minor", "--yes").returncode == 0
    killed = cockpit(sandbox, "bump", "plugin", "--part", "minor", "--yes", crash=crash)
    assert killed.returncode == 75
    resumed = cockpit(sandbox, "resume", "--yes")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert outcome(sandbox) == outcome(clean)
    assert json.loads(cockpit(sandbox, "journal", "--json").stdout)[0]["state"] == "finished"


@pytest.mark.fault
def test_a_moved_branch_is_never_overwritten(sandbox: Sandbox) -> None:
    assert cockpit(sandbox, "bump", "api", "--part", "minor", "--yes", crash="commit:started").returncode == 75
    git(sandbox, "-c", "user.name=O", "-c", "user.email=o@x", "commit", "-q", "--allow-empty", "-m", "someone's")
    head = git(sandbox, "rev-parse", "HEAD")
    done = cockpit(sandbox, "resume", "--yes")
    assert done.returncode == 1 and "master moved from" in done.stderr and "nothing was overwritten" in done.stderr
    assert git(sandbox, "rev-parse", "HEAD") == head and (sandbox.clone / FILES["api"]).read_text().startswith("9.0.1")


def test_next_shows_the_driver_bump_after_an_api_bump(sandbox: Sandbox) -> None:
    before = json.loads(cockpit(sandbox, "next", "--at", "HEAD", "--json").stdout)["driver"]
    assert before["bump"] == "minor" and before["next"] == "9.1.0+driver"
    assert cockpit(sandbox, "bump", "api", "--part", "major", "--yes").returncode == 0
    after = json.loads(cockpit(sandbox, "next", "--at", "HEAD", "--json").stdout)["driver"]
    assert after["api"]["to"] == "10.0.0" and after["api"]["change"] == "major"
    assert after["bump"] == "major" and after["next"] == "10.0.0+driver"


@pytest.mark.security
def test_a_version_file_swapped_for_a_link_is_never_written_through(sandbox: Sandbox, tmp_path: Path) -> None:
    """Killed before its commit, the bump resumes against the worktree as it is then: a version file replaced by a
    link to a file outside the repository (same bytes, so its blob still matches) is refused, the outside file and
    the branch untouched."""
    assert cockpit(sandbox, "bump", "api", "--part", "minor", "--yes", crash="commit:started").returncode == 75
    path = sandbox.clone / FILES["api"]
    outside = tmp_path / "outside"
    outside.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(outside)
    head = git(sandbox, "rev-parse", "HEAD")
    done = cockpit(sandbox, "resume", "--yes")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "driver/API_VERSION is a symbolic link in the worktree" in done.stderr
    assert outside.read_text().startswith("9.0.1") and git(sandbox, "rev-parse", "HEAD") == head
