"""Branch cut and tagging end to end through the installed `cockpit` on the demo sandbox: dry runs change nothing,
plans run through the journal, a remote that moved since the last fetch refuses a tag before any step, and a crash
at any step boundary is resumed or aborted to the state a clean run gives."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from cockpit.demo import Sandbox, build_sandbox

from cli_helpers import cockpit
from ui_helpers import TODAY


def refs(repo: Path) -> str:
    """Every ref and the commit it names (annotated tags peeled: their own ids carry the tagging time)."""
    fmt = "%(refname) %(if)%(*objectname)%(then)%(*objectname)%(else)%(objectname)%(end)"
    return subprocess.run(["git", "-C", str(repo), "for-each-ref", f"--format={fmt}"], capture_output=True,
                          text=True, check=True).stdout


def rev_parse(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "rev-parse", *args], capture_output=True, text=True,
                          check=True).stdout.strip()


def world(sb: Sandbox) -> tuple[str, str, str]:
    """Everything a plan may change: both repositories' refs and the clone's worktree."""
    status = subprocess.run(["git", "-C", str(sb.clone), "status", "--porcelain"], capture_output=True, text=True,
                            check=True).stdout
    return refs(sb.origin), refs(sb.clone), status


def journal(sb: Sandbox) -> list[dict]:
    done = cockpit(sb, "journal", "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def journal_files() -> list[Path]:
    return list(Path(os.environ["XDG_STATE_HOME"]).rglob("*.jsonl"))


def test_dry_runs_change_nothing(sandbox: Sandbox) -> None:
    before = world(sandbox)
    assert cockpit(sandbox, "branch", "cut", "--version", "0.26.0", "--dry-run").returncode == 0
    assert cockpit(sandbox, "tag", "--libs", "0.25.2", "--branch", "release/0.25.x", "--dry-run").returncode == 0
    assert world(sandbox) == before
    assert journal_files() == []  # not even a journal line


def test_cut_then_tag_rc1_and_refuse_a_rule_breaking_tag(sandbox: Sandbox) -> None:
    cut = cockpit(sandbox, "branch", "cut", "--version", "0.26.0", "--yes")
    assert cut.returncode == 0, cut.stdout + cut.stderr
    head = rev_parse(sandbox.origin, "refs/heads/release/0.26.x")
    master = rev_parse(sandbox.origin, "master")
    assert head == master
    tag = cockpit(sandbox, "tag", "--libs", "0.26.0-rc1", "--driver", "9.1.0-rc1+driver", "--branch",
                  "release/0.26.x", "--yes")
    assert tag.returncode == 0, tag.stdout + tag.stderr
    for name in ("0.26.0-rc1", "9.1.0-rc1+driver"):
        peeled = rev_parse(sandbox.origin, f"refs/tags/{name}^{{commit}}")
        assert peeled == head
        kind = subprocess.run(["git", "-C", str(sandbox.origin), "cat-file", "-t", f"refs/tags/{name}"],
                              capture_output=True, text=True, check=True).stdout.strip()
        assert kind == "tag"  # annotated, with a message
    before = world(sandbox)
    refused = cockpit(sandbox, "tag", "--libs", "1.0.0", "--branch", "release/0.26.x", "--yes")
    assert refused.returncode == 1 and "refused" in refused.stdout
    assert world(sandbox) == before
    # the next RC is computed by the checks: rc3 out of sequence is refused, rc2 is fine
    assert cockpit(sandbox, "tag", "--libs", "0.26.0-rc3", "--yes").returncode == 1
    plans = journal(sandbox)
    assert [p["state"] for p in plans] == ["finished", "finished"]
    assert plans[0]["steps"][-1]["changes"]["pushed"]["refs/tags/0.26.0-rc1"] == head


@pytest.mark.fault
def test_a_moved_remote_refuses_the_tag_before_any_step(sandbox: Sandbox, tmp_path: Path) -> None:
    assert cockpit(sandbox, "branch", "cut", "--version", "0.26.0", "--yes").returncode == 0
    other = tmp_path / "other"
    subprocess.run(["git", "clone", "-q", str(sandbox.origin), str(other)], check=True)
    subprocess.run(["git", "-C", str(other), "checkout", "-q", "release/0.26.x"], check=True)
    subprocess.run(["git", "-C", str(other), "-c", "user.name=O", "-c", "user.email=o@x", "commit", "-q",
                    "--allow-empty", "-m", "fix: someone else's backport"], check=True)
    subprocess.run(["git", "-C", str(other), "push", "-q", "origin", "release/0.26.x"], check=True)
    # the clone has not fetched: its idea of the branch head is stale; the remote is asked, so the plan is refused
    # before its first step (a remote that moves after the check rejects the atomic push: test_remote_truth.py)
    before = world(sandbox)
    done = cockpit(sandbox, "tag", "--libs", "0.26.0-rc1", "--branch", "release/0.26.x", "--yes")
    assert done.returncode == 1 and "FAIL  remote.fetched" in done.stdout and "refused" in done.stdout
    assert world(sandbox) == before
    assert len(journal(sandbox)) == 1  # the cut; the refused tag never reached the journal


STEPS = [f"{step}:{state}" for step in ("tag-libs", "tag-driver", "push") for state in ("started", "done")]


def clean_run(tmp_path: Path) -> tuple[str, str]:
    sb = build_sandbox(tmp_path / "clean", TODAY)
    assert cockpit(sb, "branch", "cut", "--version", "0.26.0", "--yes").returncode == 0
    assert cockpit(sb, "tag", "--libs", "0.26.0-rc1", "--driver", "9.1.0-rc1+driver", "--yes").returncode == 0
    return refs(sb.origin), refs(sb.clone)


@pytest.mark.fault
@pytest.mark.parametrize("crash", STEPS)
def test_crash_at_every_step_boundary_then_resume(sandbox: Sandbox, tmp_path: Path, crash: str) -> None:
    expected = clean_run(tmp_path)
    assert cockpit(sandbox, "branch", "cut", "--version", "0.26.0", "--yes").returncode == 0
    killed = cockpit(sandbox, "tag", "--libs", "0.26.0-rc1", "--driver", "9.1.0-rc1+driver", "--yes", crash=crash)
    assert killed.returncode == 75  # died like a killed process
    assert journal(sandbox)[0]["state"] == "unfinished"
    status = subprocess.run(["git", "-C", str(sandbox.clone), "status", "--porcelain"], capture_output=True,
                            text=True, check=True)
    assert status.returncode == 0 and status.stdout == ""  # git itself is fine
    resumed = cockpit(sandbox, "resume", "--yes")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert (refs(sandbox.origin), refs(sandbox.clone)) == expected
    plans = journal(sandbox)
    assert plans[0]["state"] == "finished" and all(s["state"] == "done" for s in plans[0]["steps"])


@pytest.mark.fault
@pytest.mark.parametrize("crash", STEPS)
def test_crash_at_every_step_boundary_then_abort(sandbox: Sandbox, crash: str) -> None:
    assert cockpit(sandbox, "branch", "cut", "--version", "0.26.0", "--yes").returncode == 0
    before = refs(sandbox.origin)
    killed = cockpit(sandbox, "tag", "--libs", "0.26.0-rc1", "--driver", "9.1.0-rc1+driver", "--yes", crash=crash)
    assert killed.returncode == 75
    pushed = crash == "push:done"
    assert cockpit(sandbox, "abort", "--yes").returncode == 0
    local = refs(sandbox.clone)
    if pushed:  # what reached the remote stays: a remote ref is never deleted
        assert "refs/tags/0.26.0-rc1" in refs(sandbox.origin) and "refs/tags/0.26.0-rc1" in local
    else:
        assert refs(sandbox.origin) == before
        assert "refs/tags/0.26.0-rc1" not in local and "refs/tags/9.1.0-rc1+driver" not in local
    assert journal(sandbox)[0]["state"] == "aborted"
    assert cockpit(sandbox, "resume", "--yes").stdout.startswith("nothing to resume")


def test_confirmation_is_required_without_yes(sandbox: Sandbox) -> None:
    done = cockpit(sandbox, "branch", "cut", "--version", "0.26.0")  # stdin is no terminal
    assert done.returncode == 2 and "confirmation needed" in done.stderr
    assert "refs/heads/release/0.26.x" not in refs(sandbox.origin)


def test_refuses_on_a_dirty_worktree_and_a_cherry_pick_in_progress(sandbox: Sandbox) -> None:
    readme = sandbox.clone / "README.md"
    readme.write_text(readme.read_text() + "local edit\n")
    done = cockpit(sandbox, "branch", "cut", "--version", "0.26.0", "--yes")
    assert done.returncode == 1 and "worktree.clean" in done.stdout
    subprocess.run(["git", "-C", str(sandbox.clone), "checkout", "-q", "--", "README.md"], check=True)
    (Path(rev_parse(sandbox.clone, "--absolute-git-dir")) / "CHERRY_PICK_HEAD").write_text("0" * 40 + "\n")
    done = cockpit(sandbox, "branch", "cut", "--version", "0.26.0", "--yes")
    assert done.returncode == 1 and "a cherry-pick is in progress" in done.stdout


def test_hotfix_on_a_line_without_a_branch(sandbox: Sandbox, tmp_path: Path) -> None:
    """The branch of an old line is gone: re-create it from its last release tag, pick a fix, tag the patch."""
    subprocess.run(["git", "-C", str(sandbox.origin), "update-ref", "-d", "refs/heads/release/0.23.x"], check=True)
    subprocess.run(["git", "-C", str(sandbox.clone), "fetch", "-q", "--prune", "origin"], check=True)
    done = cockpit(sandbox, "branch", "hotfix", "--tag", "0.23.1", "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    head = rev_parse(sandbox.origin, "refs/heads/release/0.23.x")
    tagged = rev_parse(sandbox.origin, "0.23.1^{commit}")
    assert head == tagged
    assert cockpit(sandbox, "branch", "hotfix", "--tag", "0.23.1", "--yes").returncode == 1  # exists now
    assert cockpit(sandbox, "branch", "hotfix", "--tag", "0.23.0-rc1", "--yes").returncode == 2  # not a final
    assert cockpit(sandbox, "tag", "--libs", "0.23.2", "--branch", "release/0.23.x", "--yes").returncode == 0


@pytest.mark.fault(faults=2)  # a crash then resume, a crash then abort
@pytest.mark.parametrize("crash", [f"{s}:{t}" for s in ("branch", "push", "upstream") for t in ("started", "done")])
def test_branch_cut_crash_at_every_boundary_then_resume_or_abort(tmp_path: Path, crash: str) -> None:
    clean = build_sandbox(tmp_path / "clean", TODAY)
    assert cockpit(clean, "branch", "cut", "--version", "0.26.0", "--yes").returncode == 0
    for ending in ("resume", "abort"):
        sb = build_sandbox(tmp_path / ending, TODAY)
        before = (refs(sb.origin), refs(sb.clone))
        assert cockpit(sb, "branch", "cut", "--version", "0.26.0", "--yes", crash=crash).returncode == 75
        assert cockpit(sb, ending, "--yes").returncode == 0
        if ending == "resume":
            assert (refs(sb.origin), refs(sb.clone)) == (refs(clean.origin), refs(clean.clone))
        elif crash in ("branch:started", "branch:done", "push:started"):  # nothing reached the remote: as before
            assert (refs(sb.origin), refs(sb.clone)) == before
        else:  # pushed: it stays (a remote ref is never deleted), and so does the local branch
            assert "refs/heads/release/0.26.x" in refs(sb.origin)
        assert journal(sb)[0]["state"] == ("finished" if ending == "resume" else "aborted")


@pytest.mark.fault
@pytest.mark.security
def test_abort_after_a_push_that_reached_the_remote_keeps_what_it_has(sandbox: Sandbox) -> None:
    """Killed mid-push: the refs reached origin, the journal never heard. Abort asks origin before undoing."""
    killed = cockpit(sandbox, "branch", "cut", "--version", "0.26.0", "--yes", crash="push:started")
    assert killed.returncode == 75
    subprocess.run(["git", "-C", str(sandbox.clone), "push", "-q", "origin", "release/0.26.x"], check=True)
    head = rev_parse(sandbox.clone, "refs/heads/release/0.26.x")
    offer = cockpit(sandbox, "abort")  # no --yes, stdin closed: the offer is shown, nothing is done
    assert "never pushed" not in offer.stdout + offer.stderr
    aborted = cockpit(sandbox, "abort", "--yes", "--json")
    assert aborted.returncode == 0, aborted.stdout + aborted.stderr
    document = json.loads(aborted.stdout)
    assert document["removed"] == [] and document["kept"] == [f"release/0.26.x is on origin at {head[:12]}: kept"]
    assert rev_parse(sandbox.clone, "refs/heads/release/0.26.x") == head  # the local branch stays with it
    assert journal(sandbox)[0]["state"] == "aborted"


@pytest.mark.fault
def test_abort_keeps_local_refs_when_the_remote_cannot_be_asked(sandbox: Sandbox) -> None:
    killed = cockpit(sandbox, "branch", "cut", "--version", "0.26.0", "--yes", crash="push:started")
    assert killed.returncode == 75
    subprocess.run(["git", "-C", str(sandbox.clone), "remote", "set-url", "origin", str(sandbox.clone / "gone.git")],
                   check=True)
    aborted = cockpit(sandbox, "abort", "--yes")
    assert aborted.returncode == 0, aborted.stdout + aborted.stderr
    assert "release/0.26.x kept: cannot read origin" in aborted.stdout
    assert "refs/heads/release/0.26.x" in refs(sandbox.clone)


@pytest.mark.security
def test_hotfix_refuses_a_tag_that_is_no_release_on_a_commit(sandbox: Sandbox) -> None:
    """A tag of a tag is irregular in status; the hotfix must not count it a release either."""
    git = ["git", "-C", str(sandbox.clone)]
    subprocess.run([*git, "tag", "-a", "-m", "inner", "inner", "HEAD"], check=True)
    subprocess.run([*git, "tag", "-a", "-m", "outer", "0.95.0", "inner"], check=True)
    done = cockpit(sandbox, "branch", "hotfix", "--tag", "0.95.0", "--dry-run")
    assert done.returncode == 2 and "not a release tag on a commit" in done.stderr
    assert cockpit(sandbox, "branch", "hotfix", "--tag", "0.99.9", "--dry-run").returncode == 2  # unknown
