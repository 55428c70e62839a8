"""`cockpit backport` end to end through the installed command, on real repositories: a series of five fixes whose
third conflicts with the release branch; continue after resolving, skip, abort; a process killed mid-series and
started again; a cherry-pick the cockpit did not start; the PR as the GitHub emulator received it; the demo sandbox.

After every stop the repository is one plain git understands (clean, or a normal cherry-pick in progress), and no
commit is lost: every commit reachable before stays reachable from a ref or a reflog, and fsck finds none dangling."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from cockpit.demo import CLEAN_FIXES, CONFLICTING_FIX, NEWEST_RELEASE_BRANCH, build_sandbox
from cockpit.services.git import GitService
from cockpit.services.git.trial_pick import trial_series

from builders import RepoBuilder
from cli_helpers import cockpit
from ui_helpers import TODAY

BRANCH = "release/0.1.x"
CANARY = "ghp_BACKPORT_CANARY_0123456789abcdef"


@dataclass
class Series:
    """master: five fixes (#1..#5) after the fork; the third changes c.txt, which the release branch changed too."""

    b: RepoBuilder
    fixes: list[str]
    release_head: str

    @property
    def clone(self) -> Path:
        return self.b.clone

    @property
    def origin(self) -> Path:
        return self.b.origin


def build_series(root: Path, forge: bool = True) -> Series:
    b = RepoBuilder.create(root)
    b.commit("chore: initial import", {f"{n}.txt": f"{n} v1\n" for n in "abcdef"})
    b.push("master")
    b.checkout(BRANCH, create=True)
    b.tag("0.1.0", annotated=True)
    b.commit("fix: release-only tweak of c", {"c.txt": "c on the release branch\n"})
    b.push(BRANCH, "0.1.0")
    b.checkout("master")
    fixes = [b.commit(f"fix: {n} (#{i})", {f"{n}.txt": f"{n} fixed\n" if n != "c" else "c on master\n"}, "bob")
             for i, n in enumerate("abcde", 1)]
    b.push("master")
    if forge:
        write_forge(root / "forge.json", [(i, f"fix: {n}", f"fix({n}): {n} works again") for i, n in
                                          enumerate("abcde", 1)])
        b.git("config", "cockpit.localForge", str(root / "forge.json"))
    return Series(b, fixes, b.head(f"origin/{BRANCH}"))


def write_forge(path: Path, prs: list[tuple[int, str, str]]) -> None:
    items = [{"number": n, "kind": "pr", "title": title, "state": "closed", "merged": True,
              "merged_at": "2026-11-01T00:00:00Z", "milestone": "0.2.0", "labels": ["kind/bug"], "author": "bob",
              "body": f"Fixes it.\n\n```release-note\n{note}\n```\n"} for n, title, note in prs]
    path.write_text(json.dumps({
        "schema": 1, "repository": {"owner": "falcosecurity", "name": "libs", "default_branch": "master",
                                    "html_url": "https://github.com/falcosecurity/libs"},
        "milestones": [{"number": 1, "title": "0.2.0", "state": "open", "description": "", "due_on": None}],
        "items": items}))


@pytest.fixture
def series(tmp_path: Path) -> Series:
    return build_series(tmp_path)


def git(repo: Path, *args: str, check: bool = True) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    if check:
        assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout.strip()


def refs(repo: Path) -> str:
    return git(repo, "for-each-ref", "--format=%(refname) %(objectname)")


def picking(repo: Path) -> str | None:
    return git(repo, "rev-parse", "-q", "--verify", "CHERRY_PICK_HEAD", check=False) or None


def reachable(repo: Path) -> set[str]:
    return set(git(repo, "rev-list", "--all", "--reflog").split())


def assert_consistent(repo: Path, before: set[str]) -> None:
    """Plain git's view: clean, or a normal cherry-pick in progress; fsck happy; no commit lost.

    Every commit of `before` is still reachable (from a ref or a reflog). `fsck --lost-found` ignores reflogs: the
    only dangling commits it may find are this backport's own `-x` copies whose branch an abort removed, and the
    commit each one copies is still on a branch."""
    status = git(repo, "status", "--porcelain", "--untracked-files=no")
    if picking(repo):
        assert "You are currently cherry-picking" in git(repo, "status")
    else:
        assert status == "", status
    fsck = subprocess.run(["git", "-C", str(repo), "fsck", "--no-progress", "--lost-found"], capture_output=True,
                          text=True)
    assert fsck.returncode == 0, fsck.stderr
    on_refs = set(git(repo, "rev-list", "--all").split())
    for line in fsck.stdout.splitlines():
        if line.startswith("dangling commit "):
            copied = trailers(repo, f"-1 {line.split()[-1]}")
            assert copied and set(copied) <= on_refs, f"{line}: not a backport copy of a commit on a branch"
    assert before <= reachable(repo)


def trailers(repo: Path, rev_range: str) -> list[str]:
    """The origins named by `(cherry picked from commit X)` lines in the range, oldest first."""
    out = git(repo, "log", "--reverse", "--format=%B", *rev_range.split())
    return [line.split()[-1].rstrip(")") for line in out.splitlines() if line.startswith("(cherry picked from")]


def journal(repo: Path) -> list[dict]:
    done = cockpit(repo, "journal", "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def conflict(series: Series, *extra: str) -> subprocess.CompletedProcess[str]:
    """Backport all five: fixes 1 and 2 picked, then the stop at fix 3 (c.txt)."""
    done = cockpit(series.clone, "backport", "--branch", BRANCH, *reversed(series.fixes), *extra, "--yes")
    assert done.returncode == 1, done.stdout + done.stderr
    assert picking(series.clone) == series.fixes[2]
    last = done.stderr.strip().splitlines()
    assert len(last) == 1 and "conflict picking" in last[0] and "c.txt" in last[0] and "--continue" in last[0]
    return done


def resolve(series: Series) -> None:
    (series.clone / "c.txt").write_text("c on master, adjusted for the release branch\n")
    git(series.clone, "add", "c.txt")


# --- conflicts: continue, skip, abort --------------------------------------------------------------------------------

def test_conflict_then_continue_direct(series: Series) -> None:
    before = reachable(series.clone)
    conflict(series, "--direct")
    assert git(series.clone, "symbolic-ref", "--short", "HEAD") == BRANCH
    assert trailers(series.clone, f"{series.release_head}..HEAD") == series.fixes[:2]
    assert_consistent(series.clone, before)
    assert git(series.origin, "rev-parse", BRANCH) == series.release_head  # nothing pushed mid-series
    assert journal(series.clone)[0]["state"] == "failed"
    # continuing without resolving stops again, naming the file
    again = cockpit(series.clone, "backport", "--continue", "--yes")
    assert again.returncode == 1 and "c.txt" in again.stderr and picking(series.clone) == series.fixes[2]
    resolve(series)
    done = cockpit(series.clone, "backport", "--continue", "--yes")
    assert done.returncode == 0, done.stderr
    assert trailers(series.origin, f"{series.release_head}..{BRANCH}") == series.fixes
    assert git(series.origin, "show", f"{BRANCH}:c.txt") == "c on master, adjusted for the release branch"
    assert git(series.clone, "symbolic-ref", "--short", "HEAD") == "master"
    assert journal(series.clone)[0]["state"] == "finished"
    assert_consistent(series.clone, before)
    # the candidates now see all five as applied by their -x trailer
    cands = json.loads(cockpit(series.clone, "candidates", "--branch", BRANCH, "--json").stdout)["commits"]
    assert {c["sha"]: c["evidence"] for c in cands} == dict.fromkeys(series.fixes, "trailer")


def test_pick_finished_with_plain_git_then_continue(series: Series) -> None:
    """The user concludes the stopped pick with plain git: the cockpit sees the -x commit and does not pick again."""
    before = reachable(series.clone)
    conflict(series, "--direct")
    resolve(series)
    done = subprocess.run(["git", "-C", str(series.clone), "cherry-pick", "--continue"], capture_output=True,
                          text=True, env={**os.environ, "GIT_EDITOR": "true"})
    assert done.returncode == 0, done.stderr
    done = cockpit(series.clone, "backport", "--continue", "--yes")
    assert done.returncode == 0, done.stderr
    assert trailers(series.origin, f"{series.release_head}..{BRANCH}") == series.fixes
    assert_consistent(series.clone, before)


def test_conflict_then_skip_pr(series: Series) -> None:
    before = reachable(series.clone)
    conflict(series)
    work = f"backport/{BRANCH}/{series.fixes[0][:8]}"
    assert git(series.clone, "symbolic-ref", "--short", "HEAD") == work
    done = cockpit(series.clone, "backport", "--skip", "--yes")
    assert done.returncode == 0, done.stderr
    assert "(skipped)" in done.stdout
    assert trailers(series.origin, f"{series.release_head}..{work}") == [series.fixes[i] for i in (0, 1, 3, 4)]
    assert git(series.origin, "rev-parse", BRANCH) == series.release_head  # the bot merges the PR, not us
    pulls = [i for i in json.loads((series.clone.parent / "forge.json").read_text())["items"] if i["number"] > 5]
    assert [(p["title"], p["head"], p["base"]) for p in pulls] == [(f"[{BRANCH}] Backport 4 fixes", work, BRANCH)]
    assert series.fixes[2] not in pulls[0]["body"] and "#3 " not in pulls[0]["body"]
    steps = {s["id"]: s for s in journal(series.clone)[0]["steps"]}
    assert steps["pick-3"]["changes"] == {"picked": series.fixes[2], "skipped": True}
    assert_consistent(series.clone, before)


@pytest.mark.parametrize("mode", ["--pr", "--direct"])
def test_conflict_then_abort_restores_everything(series: Series, mode: str) -> None:
    before, clone_refs, origin_refs = reachable(series.clone), refs(series.clone), refs(series.origin)
    conflict(series, mode)
    stopped = (refs(series.clone), git(series.clone, "status", "--porcelain"))
    for action in ("--abort", "--skip", "--continue"):
        preview = cockpit(series.clone, "backport", action, "--dry-run")
        assert preview.returncode == 0 and "stopped at Pick" in preview.stdout and "conflicted: c.txt" in preview.stdout
    assert (refs(series.clone), git(series.clone, "status", "--porcelain")) == stopped
    assert picking(series.clone) == series.fixes[2]
    done = cockpit(series.clone, "backport", "--abort", "--yes")
    assert done.returncode == 0, done.stderr
    assert picking(series.clone) is None
    assert git(series.clone, "symbolic-ref", "--short", "HEAD") == "master"
    assert refs(series.clone) == clone_refs  # the local backport / release branch gone, every other head unchanged
    assert refs(series.origin) == origin_refs  # nothing pushed
    assert journal(series.clone)[0]["state"] == "aborted"
    assert_consistent(series.clone, before)
    again = cockpit(series.clone, "backport", "--abort", "--yes")
    assert again.returncode == 2 and "no unfinished backport" in again.stderr


def test_abort_removes_the_release_branch_it_created(series: Series, tmp_path: Path) -> None:
    """A fresh clone has no local release branch: --direct creates it, abort removes it again."""
    clone = tmp_path / "second"
    git(tmp_path, "clone", "-q", str(series.origin), str(clone))
    before, clone_refs = reachable(clone), refs(clone)
    config = git(clone, "config", "--get-regexp", "^branch[.]", check=False)
    done = cockpit(clone, "backport", "--branch", BRANCH, "--direct", series.fixes[2], "--yes")
    assert done.returncode == 1 and picking(clone) == series.fixes[2]
    assert git(clone, "rev-parse", "--abbrev-ref", f"{BRANCH}@{{upstream}}") == f"origin/{BRANCH}"
    assert cockpit(clone, "backport", "--abort", "--yes").returncode == 0
    assert refs(clone) == clone_refs  # the release branch it created is gone, with its upstream setting
    assert git(clone, "config", "--get-regexp", "^branch[.]", check=False) == config
    assert_consistent(clone, before)


def test_abort_on_the_release_branch_resets_it(series: Series) -> None:
    """The user was on the (local) release branch: abort puts it back where it was, picks and all."""
    git(series.clone, "checkout", "-q", BRANCH)
    before, clone_refs = reachable(series.clone), refs(series.clone)
    conflict(series, "--direct")
    assert cockpit(series.clone, "backport", "--abort", "--yes").returncode == 0
    assert git(series.clone, "symbolic-ref", "--short", "HEAD") == BRANCH
    assert refs(series.clone) == clone_refs
    assert_consistent(series.clone, before)


def test_generic_resume_and_abort_route_to_the_backport(series: Series) -> None:
    before = reachable(series.clone)
    conflict(series, "--direct")
    resolve(series)
    done = cockpit(series.clone, "resume", "--yes")
    assert done.returncode == 0, done.stderr
    assert trailers(series.origin, f"{series.release_head}..{BRANCH}") == series.fixes
    # a second backport of a commit already applied: an empty pick is dropped, then `cockpit abort` undoes it
    clone_refs = refs(series.clone)
    preview = cockpit(series.clone, "backport", "--branch", BRANCH, "--direct", series.fixes[0], "--dry-run")
    assert "already on release/0.1.x" in preview.stdout and "(trailer)" in preview.stdout
    crashed = cockpit(series.clone, "backport", "--branch", BRANCH, "--direct", series.fixes[0], "--yes",
                      crash="pick-1:started")
    assert crashed.returncode == 75
    assert "abort the cherry-pick in progress" in cockpit(series.clone, "abort", "--dry-run").stdout
    assert cockpit(series.clone, "abort", "--yes").returncode == 0
    assert refs(series.clone) == clone_refs and git(series.clone, "symbolic-ref", "--short", "HEAD") == "master"
    assert_consistent(series.clone, before)


# --- killed mid-series --------------------------------------------------------------------------------------------

@pytest.mark.fault
@pytest.mark.parametrize(("crash", "then"), [
    ("start:started", "continue"), ("start:done", "abort"), ("pick-2:started", "continue"),
    ("pick-2:done", "abort"), ("push:started", "continue"), ("pull:started", "continue"), ("pull:done", "abort"),
])
def test_killed_mid_series(series: Series, crash: str, then: str) -> None:
    """Fixes 1, 2, 4, 5 (no conflict), killed at a step boundary, then started again with --continue or --abort."""
    picks = [series.fixes[i] for i in (0, 1, 3, 4)]
    before, clone_refs, origin_refs = reachable(series.clone), refs(series.clone), refs(series.origin)
    done = cockpit(series.clone, "backport", "--branch", BRANCH, *picks, "--yes", crash=crash)
    assert done.returncode == 75, done.stdout + done.stderr
    assert_consistent(series.clone, before)
    work = f"backport/{BRANCH}/{picks[0][:8]}"
    done = cockpit(series.clone, "backport", f"--{then}", "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    assert git(series.clone, "symbolic-ref", "--short", "HEAD") == "master"
    assert_consistent(series.clone, before)
    forge = json.loads((series.clone.parent / "forge.json").read_text())["items"]
    pulls = [p for p in forge if p["number"] > 5]
    if then == "continue":
        assert trailers(series.origin, f"{series.release_head}..{work}") == picks  # each picked exactly once
        assert len(pulls) == 1 and pulls[0]["head"] == work
    else:
        pushed = crash.startswith("pull")
        assert refs(series.origin) == origin_refs if not pushed else work in refs(series.origin)
        assert refs(series.clone) == clone_refs if not pushed else work in refs(series.clone)
        assert len(pulls) == (1 if crash == "pull:done" else 0)


@pytest.mark.fault
def test_killed_while_stopped_on_the_conflict_then_abort(series: Series) -> None:
    """Killed right as the conflicting pick starts; started again it stops on the conflict; abort then works."""
    before, clone_refs = reachable(series.clone), refs(series.clone)
    done = cockpit(series.clone, "backport", "--branch", BRANCH, *series.fixes, "--direct", "--yes",
                   crash="pick-3:started")
    assert done.returncode == 75 and picking(series.clone) is None
    again = cockpit(series.clone, "backport", "--continue", "--yes")
    assert again.returncode == 1 and "c.txt" in again.stderr and picking(series.clone) == series.fixes[2]
    assert_consistent(series.clone, before)
    assert cockpit(series.clone, "backport", "--abort", "--yes").returncode == 0
    assert refs(series.clone) == clone_refs
    assert_consistent(series.clone, before)


# --- somebody else's cherry-pick ----------------------------------------------------------------------------------

def test_a_foreign_cherry_pick_is_left_alone(series: Series) -> None:
    git(series.clone, "checkout", "-q", BRANCH)
    assert subprocess.run(["git", "-C", str(series.clone), "cherry-pick", series.fixes[2]],
                          capture_output=True).returncode != 0
    state = (git(series.clone, "status", "--porcelain"), refs(series.clone), (series.clone / "c.txt").read_text())
    for action in ("--continue", "--skip", "--abort"):
        done = cockpit(series.clone, "backport", action, "--yes")
        assert done.returncode == 2, done.stderr
        assert "did not start" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    started = cockpit(series.clone, "backport", "--branch", BRANCH, "--direct", series.fixes[0], "--yes")
    assert started.returncode == 1 and "a cherry-pick is in progress" in started.stdout
    assert picking(series.clone) == series.fixes[2]
    assert (git(series.clone, "status", "--porcelain"), refs(series.clone),
            (series.clone / "c.txt").read_text()) == state


def test_a_foreign_cherry_pick_during_a_stopped_backport(series: Series) -> None:
    """The backport stopped; the user aborted git's pick by hand and started another one: that one is not ours."""
    series.b.checkout("side", create=True)
    other = series.b.commit("fix: yet another c", {"c.txt": "yet another c\n"})
    series.b.checkout("master")
    conflict(series, "--direct")
    git(series.clone, "cherry-pick", "--abort")
    assert subprocess.run(["git", "-C", str(series.clone), "cherry-pick", other], capture_output=True).returncode
    assert picking(series.clone) == other
    for action in ("--continue", "--skip", "--abort"):
        done = cockpit(series.clone, "backport", action, "--yes")
        assert done.returncode == 2 and "did not start" in done.stderr, done.stderr
    done = cockpit(series.clone, "abort", "--yes")  # the generic abort leaves it alone too
    assert done.returncode == 2 and "did not start" in done.stderr, done.stderr
    assert picking(series.clone) == other and journal(series.clone)[0]["state"] == "failed"


# --- plan, checks, dry run -----------------------------------------------------------------------------------------

def test_dry_run_changes_nothing(series: Series) -> None:
    world = (refs(series.clone), refs(series.origin), git(series.clone, "status", "--porcelain"))
    forge = (series.clone.parent / "forge.json").read_text()
    for mode in ("--pr", "--direct"):
        done = cockpit(series.clone, "backport", "--branch", BRANCH, *series.fixes, mode, "--dry-run")
        assert done.returncode == 0, done.stderr
        assert "dry run: nothing was changed" in done.stdout
    assert (refs(series.clone), refs(series.origin), git(series.clone, "status", "--porcelain")) == world
    assert (series.clone.parent / "forge.json").read_text() == forge
    assert list(Path(os.environ["XDG_STATE_HOME"]).rglob("*.jsonl")) == []


def test_conflict_warnings_come_from_a_trial_of_the_series_not_from_shared_files(tmp_path: Path) -> None:
    """An unported commit and a pick change the same file far apart: git picks it cleanly, so no warning; a pick
    whose lines the release branch changed too is warned about, naming the file."""
    b = RepoBuilder.create(tmp_path)
    lines = "".join(f"line {n}\n" for n in range(1, 31))
    b.commit("chore: initial import", {"wide.c": lines})
    b.push("master")
    b.checkout(BRANCH, create=True)
    b.commit("fix: the branch's own line 29", {"wide.c": lines.replace("line 29\n", "line 29 (branch)\n")})
    b.push(BRANCH)
    b.checkout("master")
    unported = b.commit("fix: line 2 (#1)", {"wide.c": lines.replace("line 2\n", "line 2!\n")})
    far = b.commit("fix: line 15 (#2)", {"wide.c": lines.replace("line 2\n", "line 2!\n")
                                         .replace("line 15\n", "line 15!\n")})
    near = b.commit("fix: line 29 (#3)", {"wide.c": lines.replace("line 2\n", "line 2!\n")
                                          .replace("line 15\n", "line 15!\n").replace("line 29\n", "line 29!\n")})
    b.push("master")
    done = cockpit(b.clone, "backport", "--branch", BRANCH, far, near, "--direct", "--dry-run", "--json")
    assert done.returncode == 0, done.stderr
    warned = [c for c in json.loads(done.stdout)["checks"] if c["id"] == "backport.conflict" and not c["ok"]]
    assert len(warned) == 1 and warned[0]["message"].startswith(near[:10]), warned
    assert f"it conflicts in wide.c; unported {unported[:10]} (#1) changed those files first" in warned[0]["message"]
    # a fix picked with its follow-up: the follow-up alone would conflict (its file is missing), the series does not
    added = b.commit("fix: add n.c (#4)", {"n.c": "v1\n"})
    follow_up = b.commit("fix: n.c again (#5)", {"n.c": "v2\n"})
    b.push("master")
    done = cockpit(b.clone, "backport", "--branch", BRANCH, added, follow_up, "--direct", "--dry-run", "--json")
    assert [c for c in json.loads(done.stdout)["checks"] if c["id"] == "backport.conflict" and not c["ok"]] == []
    assert trial_series(GitService(b.clone), f"origin/{BRANCH}", [follow_up]) == {follow_up: ("n.c",)}  # alone
    assert cockpit(b.clone, "backport", "--branch", BRANCH, added, follow_up, "--direct", "--yes").returncode == 0


def test_a_git_too_old_for_the_trial_says_so(series: Series, tmp_path: Path) -> None:
    """git before 2.32 cannot apply to a private index with --3way: one warning says the series was not tried."""
    shim = tmp_path / "bin" / "git"
    shim.parent.mkdir()
    real = shutil.which("git")
    shim.write_text(f'#!/bin/sh\n[ "$1" = version ] && {{ echo "git version 2.30.9"; exit 0; }}\nexec {real} "$@"\n')
    shim.chmod(0o755)
    done = cockpit(series.clone, "backport", "--branch", BRANCH, series.fixes[0], "--dry-run", "--json",
                   env={"PATH": f"{shim.parent}:{os.environ['PATH']}"})
    assert done.returncode == 0, done.stderr
    warned = [c for c in json.loads(done.stdout)["checks"] if c["id"] == "backport.conflict" and not c["ok"]]
    assert [c["message"] for c in warned] == [
        f"the series could not be tried on {BRANCH}: git version 2.30.9 cannot try a series (git 2.32 or newer can)"]


def test_checks_and_plan(series: Series) -> None:
    b = series.b
    feature = b.commit("update(c): a shiny change (#6)", {"c.txt": "c with a feature\n"}, "carol")
    b.push("master")
    write_forge(series.clone.parent / "forge.json", [(n, "fix", "fix: ok") for n in range(1, 6)]
                + [(6, "c: more", "new(c): shiny")])
    done = cockpit(series.clone, "backport", "--branch", BRANCH, feature, series.fixes[3], series.fixes[0],
                   "--dry-run", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    failed = {c["id"]: c for c in report["checks"] if not c["ok"]}
    assert set(failed) == {"backport.conflict", "backport.fixes-only", "backport.milestone"}
    # no open 0.1.* milestone: the plan says so and creates the next patch release's, then puts the PR in it
    assert failed["backport.milestone"]["message"] == (f"no open milestone 0.1.* exists: the plan creates 0.1.1, "
                                                       f"the next release of {BRANCH}, for the PR")
    steps = {s["id"]: (s["kind"], s["title"], s["commands"]) for s in report["steps"]}
    assert steps["milestone"][:2] == ("milestone.create", "Create milestone 0.1.1")
    assert steps["pull-details"] == ("forge.pull-details", "Give the pull request milestone 0.1.1 and labels kind/bug",
                                     [f"gh pr edit backport/{BRANCH}/{series.fixes[0][:8]} --milestone 0.1.1 "
                                      "--add-label kind/bug"])
    assert "0.1.0 is released" in failed["backport.fixes-only"]["message"]
    assert "release note is `new(c): shiny`" in failed["backport.fixes-only"]["message"]
    assert failed["backport.conflict"]["message"].startswith(feature[:10])
    assert f"unported {series.fixes[2][:10]} (#3)" in failed["backport.conflict"]["message"]
    assert failed["backport.conflict"]["evidence"] == [f"{series.fixes[2][:10]} fix: c (#3): c.txt"]
    # ordered oldest first whatever the command line's order
    plan = done.stderr[done.stderr.index("Plan:"):]
    assert plan.index(series.fixes[0][:10]) < plan.index(series.fixes[3][:10]) < plan.index(feature[:10])
    # commits that are not default-branch commits since the fork point are refused (exit 1)
    done = cockpit(series.clone, "backport", "--branch", BRANCH, series.release_head, "--direct", "--yes")
    assert done.returncode == 1 and "already in release/0.1.x's history" in done.stdout
    assert cockpit(series.clone, "backport", "--branch", BRANCH, "nope", "--yes").returncode == 2
    assert cockpit(series.clone, "backport", "--branch", "main", series.fixes[0], "--yes").returncode == 2
    assert cockpit(series.clone, "backport", "--continue", series.fixes[0]).returncode == 2
    assert cockpit(series.clone, "backport", "--continue", "--yes").returncode == 2  # nothing to continue


def test_no_forge_refuses_pr_mode_but_direct_works(tmp_path: Path) -> None:
    series = build_series(tmp_path, forge=False)
    done = cockpit(series.clone, "backport", "--branch", BRANCH, series.fixes[0], "--yes")
    assert done.returncode == 1 and "no forge to open the pull request" in done.stdout
    done = cockpit(series.clone, "backport", "--branch", BRANCH, series.fixes[0], "--direct", "--yes")
    assert done.returncode == 0, done.stderr
    assert trailers(series.origin, f"{series.release_head}..{BRANCH}") == [series.fixes[0]]


def test_merge_commits_are_picked_with_their_mainline(series: Series) -> None:
    b = series.b
    b.checkout("topic", create=True)
    b.commit("fix: f part one", {"f.txt": "f fixed\n"})
    b.commit("fix: f part two", {"f.txt": "f fixed twice\n"})
    b.checkout("master")
    b.git("merge", "-q", "--no-ff", "topic", "-m", "Merge pull request #7 from bob/topic")
    merge = b.head()
    b.push("master")
    done = cockpit(series.clone, "backport", "--branch", BRANCH, merge, "--direct", "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "cherry-pick -x -m 1" in done.stdout
    assert trailers(series.origin, f"{series.release_head}..{BRANCH}") == [merge]
    assert git(series.origin, "show", f"{BRANCH}:f.txt") == "f fixed twice"


# --- the PR as GitHub receives it --------------------------------------------------------------------------------

def test_pr_body_and_head_as_the_github_emulator_received_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from github_emulator import serve_validated

    series = build_series(tmp_path, forge=False)
    picks = [series.fixes[1], series.fixes[0]]
    work = f"backport/{BRANCH}/{series.fixes[0][:8]}"
    for emu in serve_validated(token=CANARY):
        emu.add_milestone("0.2.0")
        emu.add_milestone("0.1.2")  # the lowest open milestone of the branch's line is the one the PR goes in
        emu.add_milestone("0.1.1")
        emu.add_milestone("0.1.0", state="closed")
        for n in "abcde":
            emu.add_pull(f"fix({n}): {n} works again", milestone="0.2.0", user="bob", labels=["kind/bug"],
                         body=f"Fixes {n}.\n\n```release-note\nfix({n}): {n} works again\n```\n")
        emu.add_commit("chore: initial import")
        emu.add_branch(BRANCH)
        emu.add_commit("the pushed picks", branch=work, parents=[emu.ref(BRANCH)])  # what our push gives GitHub
        (series.clone / ".cockpit.toml").write_text('[forge]\nrepository = "falcosecurity/libs"\n')
        monkeypatch.setenv("COCKPIT_GITHUB_API_URL", emu.base_url)  # the user's choice: .cockpit.toml cannot name it
        done = cockpit(series.clone, "backport", "--branch", BRANCH, *picks, "--yes", token=CANARY)
        assert done.returncode == 0, done.stdout + done.stderr
        created = emu.find_requests("POST", "/repos/falcosecurity/libs/pulls")
        assert len(created) == 1 and created[0].status == 201
        sent = created[0].body
        assert (sent["head"], sent["base"], sent["title"]) == (work, BRANCH, f"[{BRANCH}] Backport 2 fixes")
        body = sent["body"]
        assert "- #1 fix(a): a works again (milestone 0.2.0)\n- #2 fix(b): b works again (milestone 0.2.0)" in body
        assert f"- {series.fixes[0]} fix: a (#1)\n- {series.fixes[1]} fix: b (#2)" in body
        assert body.endswith("```release-note\nfix(a): a works again\nfix(b): b works again\n```\n")
        assert "#3 " not in body
        assert "pull/6" in done.stdout  # the new PR's link
        milestone = emu.find_requests("PATCH", "/repos/falcosecurity/libs/issues/6")
        assert [r.body for r in milestone] == [{"milestone": emu.milestone("0.1.1").number}]
        labelled = emu.find_requests("POST", "/repos/falcosecurity/libs/issues/6/labels")
        assert [r.body for r in labelled] == [{"labels": ["kind/bug"]}]
        pr = emu.issue(6)
        assert (pr.milestone, pr.labels) == (emu.milestone("0.1.1").number, ["kind/bug"])
        assert CANARY not in done.stdout + done.stderr + json.dumps(journal(series.clone))
    assert trailers(series.origin, f"{series.release_head}..{work}") == series.fixes[:2]
    assert git(series.origin, "rev-parse", BRANCH) == series.release_head


# --- the demo sandbox -----------------------------------------------------------------------------------------------

def test_direct_backport_on_the_demo_sandbox(tmp_path: Path) -> None:
    sb = build_sandbox(tmp_path / "sandbox", TODAY)
    cands = json.loads(cockpit(sb.clone, "candidates", "--branch", NEWEST_RELEASE_BRANCH, "--json").stdout)
    wanted = {c["sha"]: c["subject"] for c in cands["commits"]
              if any(c["subject"].startswith(s) for s in (*CLEAN_FIXES, CONFLICTING_FIX))}
    assert len(wanted) == 5
    base = git(sb.origin, "rev-parse", NEWEST_RELEASE_BRANCH)
    before = reachable(sb.clone)
    done = cockpit(sb.clone, "backport", "--branch", NEWEST_RELEASE_BRANCH, "--direct", *wanted, "--yes")
    assert done.returncode == 1 and "conflict picking" in done.stderr
    stopped = picking(sb.clone)
    assert stopped is not None and wanted[stopped].startswith(CONFLICTING_FIX)
    assert_consistent(sb.clone, before)
    for path in git(sb.clone, "diff", "--name-only", "--diff-filter=U").splitlines():
        git(sb.clone, "checkout", "--theirs", "--", path)
        git(sb.clone, "add", "--", path)
    done = cockpit(sb.clone, "backport", "--continue", "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    assert set(trailers(sb.origin, f"{base}..{NEWEST_RELEASE_BRANCH}")) == set(wanted)
    git(sb.origin, "merge-base", "--is-ancestor", base, NEWEST_RELEASE_BRANCH)
    after = json.loads(cockpit(sb.clone, "candidates", "--branch", NEWEST_RELEASE_BRANCH, "--json").stdout)
    assert {c["sha"]: c["evidence"] for c in after["commits"] if c["sha"] in wanted} == dict.fromkeys(wanted,
                                                                                                      "trailer")
    assert_consistent(sb.clone, before)
