"""The demo sandbox keeps its promises, checked with git itself on a real build (one per module: it is shared)."""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import semver

from cockpit.core.config import DEFAULT_API_TRIGGERS, DEFAULT_SCHEMA_TRIGGERS
from cockpit.core.lines import classify
from cockpit.core.version_files import matches_any
from cockpit.demo import (
    CLEAN_FIXES,
    CONFLICTING_FIX,
    MARKER,
    NEWEST_RELEASE_BRANCH,
    Sandbox,
    SandboxError,
    build_sandbox,
)

TODAY = date(2024, 6, 14)
_PR = re.compile(r" \(#(\d+)\)$")
_CONVENTIONAL = re.compile(r"^[a-z]+(\([^)]+\))?!?: \S.*$")
_NOTE_LINE = re.compile(r"^(NONE|[a-z]+(\([^)]+\))?!?: \S.*)$")
_HERMETIC = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_AUTHOR_NAME": "Test",
             "GIT_AUTHOR_EMAIL": "test@example.com", "GIT_COMMITTER_NAME": "Test",
             "GIT_COMMITTER_EMAIL": "test@example.com"}


def git(repo: Path, *args: str, check: bool = True) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | _HERMETIC
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {done.stderr}")
    return done.stdout.strip()


def log(repo: Path, rev: str) -> list[tuple[str, str, str, str]]:
    """(sha, author email, subject, body) of `rev`'s commits, oldest first."""
    out = git(repo, "log", "--reverse", "--format=%H%x1f%ae%x1f%s%x1f%B%x1e", rev)
    return [tuple(r.strip("\n").split("\x1f")) for r in out.split("\x1e") if r.strip()]  # type: ignore[misc]


def is_ancestor(repo: Path, commit: str, ref: str) -> bool:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | _HERMETIC
    return subprocess.run(["git", "merge-base", "--is-ancestor", commit, ref], cwd=repo, env=env).returncode == 0


def landed_by(forge: dict) -> dict[str, int]:
    """commit -> the merged PR whose `"commits"` name it (what GitHub's association answers after a rebase merge)."""
    return {sha: i["number"] for i in forge["items"] if i["kind"] == "pr" and i["merged"] for sha in i["commits"]}


def version_file(repo: Path, ref: str, name: str) -> semver.Version:
    return semver.Version.parse(git(repo, "show", f"{ref}:driver/{name}").splitlines()[0])


@pytest.fixture(scope="module")
def box(tmp_path_factory: pytest.TempPathFactory) -> Sandbox:
    return build_sandbox(tmp_path_factory.mktemp("sandbox") / "sb", TODAY)


@pytest.fixture(scope="module")
def forge(box: Sandbox) -> dict:
    return json.loads(box.forge_file.read_text())


# --- layout --------------------------------------------------------------------------------------------------------

def test_layout_bare_origin_and_a_pushed_clone_on_master(box: Sandbox) -> None:
    assert git(box.origin, "rev-parse", "--is-bare-repository") == "true"
    assert git(box.origin, "symbolic-ref", "HEAD") == "refs/heads/master"
    assert git(box.clone, "rev-parse", "--abbrev-ref", "HEAD") == "master"
    assert Path(git(box.clone, "remote", "get-url", "origin")) == box.origin
    assert git(box.clone, "status", "--porcelain") == ""
    local = git(box.clone, "for-each-ref", "--format=%(refname) %(objectname)", "refs/heads", "refs/tags")
    remote = git(box.origin, "for-each-ref", "--format=%(refname) %(objectname)", "refs/heads", "refs/tags")
    assert set(local.splitlines()) <= set(remote.splitlines())  # nothing unpushed
    assert git(box.clone, "config", "cockpit.localForge") == str(box.forge_file)
    assert box.forge_file.is_absolute() and box.forge_file.is_file()
    assert (box.root / MARKER).is_file()


def test_the_demo_loads_no_ui() -> None:
    """A user of the layers below the front ends (services, workflows, core): building it never loads Textual."""
    code = ("import sys, cockpit.demo; bad = [m for m in sys.modules if m.split('.')[0] == 'textual' "
            "or m.startswith(('cockpit.ui', 'cockpit.cli'))]; assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


# --- master ----------------------------------------------------------------------------------------------------

def test_master_is_a_busy_conventional_history(box: Sandbox, forge: dict) -> None:
    """Merged by rebase, as libs is: no merge commit, no "(#N)" in a subject; forge.json's "commits" name each
    commit's PR, numbered in merge order, several PRs with more than one commit."""
    commits = log(box.clone, "origin/master")
    assert 150 <= len(commits) <= 250
    assert len({email for _, email, _, _ in commits}) >= 10
    assert git(box.clone, "rev-list", "--merges", "origin/master") == ""
    landed = landed_by(forge)
    numbers = []
    for sha, _, subject, _ in commits:
        assert not _PR.search(subject) and _CONVENTIONAL.match(subject), subject
        numbers.append(landed[sha])
    assert numbers == sorted(numbers)
    per_pr = {n: numbers.count(n) for n in numbers}
    assert sum(count >= 2 for count in per_pr.values()) >= 3 and max(per_pr.values()) <= 4
    assert any(s.startswith("chore(deps): ") for _, _, s, _ in commits)
    first = datetime.fromtimestamp(int(git(box.clone, "log", "--reverse", "--format=%ct", "origin/master")
                                       .splitlines()[0]), UTC).date()
    assert 240 <= (TODAY - first).days <= 300  # about nine months


def test_falco_paths_and_version_files(box: Sandbox) -> None:
    files = set(git(box.clone, "ls-files").splitlines())
    for path in ("driver/API_VERSION", "driver/SCHEMA_VERSION", "userspace/plugin/plugin_api.h",
                 "userspace/libscap/scap.h", "driver/ppm_fillers.c", "driver/event_table.c", "driver/bpf/fillers.h",
                 "userspace/libscap/engine/kmod/scap_kmod.c", ".github/workflows/ci.yml", "README.md",
                 "CMakeLists.txt"):
        assert path in files, path
    assert any(re.match(r"userspace/libsinsp/\w+\.cpp$", f) for f in files)
    assert any(re.match(r"userspace/libsinsp/\w+\.h$", f) for f in files)
    assert any(f.startswith("test/") for f in files)
    for name in ("API_VERSION", "SCHEMA_VERSION"):
        lines = (box.clone / "driver" / name).read_text().splitlines()
        assert re.fullmatch(r"\d+\.\d+\.\d+", lines[0]) and lines[1].startswith("#") and len(lines) == 2
    header = (box.clone / "userspace/plugin/plugin_api.h").read_text()
    assert "#define PLUGIN_API_VERSION_MAJOR 3\n" in header
    assert re.search(r"^#define PLUGIN_API_VERSION_MINOR \d+$", header, re.M)
    assert re.search(r"^#define PLUGIN_API_VERSION_PATCH \d+$", header, re.M)
    scap = (box.clone / "userspace/libscap/scap.h").read_text()
    assert "#define SCAP_MINIMUM_DRIVER_API_VERSION PPM_API_VERSION(9, 0, 0)\n" in scap
    assert "#define SCAP_MINIMUM_DRIVER_SCHEMA_VERSION PPM_API_VERSION(2, 0, 0)\n" in scap


# --- tags and branches -------------------------------------------------------------------------------------------

EXPECTED_TAGS = {
    "0.23.0-rc1", "0.23.0-rc2", "0.23.0", "0.23.1", "8.0.0-rc1+driver", "8.0.0-rc2+driver", "8.0.0+driver",
    "0.24.0-rc1", "0.24.0-rc2", "0.24.0", "0.24.1", "8.1.0-rc1+driver", "8.1.0-rc2+driver", "8.1.0+driver",
    "8.1.0+driver-rc1",
    "0.25.0-rc1", "0.25.0-rc2", "0.25.0-rc3", "0.25.0", "0.25.1", "9.0.0-rc1+driver", "9.0.0-rc2+driver",
    "9.0.0-rc3+driver", "9.0.0+driver", "9.0.1+driver",
}


def test_both_lines_have_rcs_and_finals_mostly_lightweight(box: Sandbox) -> None:
    kinds = dict(line.split() for line in git(box.origin, "for-each-ref", "--format=%(refname:lstrip=2) "
                                              "%(objecttype)", "refs/tags").splitlines())
    assert set(kinds) == EXPECTED_TAGS
    infos = [classify(name) for name in kinds]
    for line in ("libs", "driver"):
        assert any(t.line == line and t.regular and t.rc for t in infos)
        assert any(t.line == line and t.is_release for t in infos)
    annotated = [name for name, kind in kinds.items() if kind == "tag"]
    assert 0 < len(annotated) < len(kinds) / 2


def test_the_irregular_tag_parses_but_breaks_the_driver_rule(box: Sandbox) -> None:
    version = semver.Version.parse("8.1.0+driver-rc1")
    assert version.build == "driver-rc1" and version.prerelease is None
    assert classify("8.1.0+driver-rc1").irregular
    fork = git(box.origin, "merge-base", "master", "release/0.24.x")
    assert git(box.origin, "rev-parse", "8.1.0+driver-rc1^{commit}") == fork


def test_release_branches_rc1_on_the_fork_point_finals_on_the_branch(box: Sandbox) -> None:
    branches = git(box.clone, "for-each-ref", "--format=%(refname:lstrip=3)", "refs/remotes/origin/release/")
    assert branches.splitlines() == ["release/0.23.x", "release/0.24.x", "release/0.25.x"]
    for series, driver, patches in (("0.23", "8.0.0", ["0.23.1"]), ("0.24", "8.1.0", ["0.24.1"]),
                                    ("0.25", "9.0.0", ["0.25.1", "9.0.1+driver"])):
        branch = f"origin/release/{series}.x"
        fork = git(box.clone, "merge-base", "origin/master", branch)
        for rc1 in (f"{series}.0-rc1", f"{driver}-rc1+driver"):
            assert git(box.clone, "rev-parse", f"{rc1}^{{commit}}") == fork
        for tag in (f"{series}.0-rc2", f"{series}.0", f"{driver}+driver", *patches):
            target = git(box.clone, "rev-parse", f"{tag}^{{commit}}")
            assert is_ancestor(box.clone, target, branch) and not is_ancestor(box.clone, target, "origin/master"), tag
        final = git(box.clone, "rev-parse", f"{series}.0^{{commit}}")
        assert git(box.clone, "rev-parse", f"{driver}+driver^{{commit}}") == final
        backports_before_final = git(box.clone, "rev-list", "--count", f"{fork}..{final}")
        assert 2 <= int(backports_before_final) <= 5


def test_the_driver_rule_holds_for_every_driver_release(box: Sandbox) -> None:
    finals = sorted(semver.Version.parse(t) for t in EXPECTED_TAGS
                    if classify(t).line == "driver" and classify(t).is_release)
    assert len(finals) >= 4
    for previous, current in itertools.pairwise(finals):
        old = [version_file(box.clone, str(previous), n) for n in ("API_VERSION", "SCHEMA_VERSION")]
        new = [version_file(box.clone, str(current), n) for n in ("API_VERSION", "SCHEMA_VERSION")]
        if any(n.major > o.major for o, n in zip(old, new, strict=True)):
            expected = previous.bump_major()
        elif any((n.major, n.minor) > (o.major, o.minor) for o, n in zip(old, new, strict=True)):
            expected = previous.bump_minor()
        else:
            expected = previous.bump_patch()
        assert expected.replace(build="driver") == current, (previous, current, old, new)


def test_trigger_changes_come_with_version_bumps(box: Sandbox) -> None:
    """Between consecutive driver releases, and up to master: a changed trigger path means a changed version file."""
    refs = ["8.0.0+driver", "8.1.0+driver", "9.0.0+driver", "9.0.1+driver", "origin/master"]
    for old, new in itertools.pairwise(refs):
        changed = git(box.clone, "diff", "--name-only", old, new).splitlines()
        for name, triggers in (("API_VERSION", DEFAULT_API_TRIGGERS), ("SCHEMA_VERSION", DEFAULT_SCHEMA_TRIGGERS)):
            if any(matches_any(p, triggers) for p in changed):
                assert f"driver/{name}" in changed, (old, new, name)


def test_upcoming_release_is_in_code_freeze(box: Sandbox) -> None:
    refs = git(box.origin, "for-each-ref", "--format=%(refname)").splitlines()
    assert not any("0.26" in r or "9.1.0" in r for r in refs)
    # since 9.0.1+driver: SCHEMA minor up (so the next driver is 9.1.0), plugin API bumped with a changed header
    assert version_file(box.clone, "origin/master", "SCHEMA_VERSION") == semver.Version(2, 13, 0)
    assert version_file(box.clone, "9.0.1+driver", "SCHEMA_VERSION") == semver.Version(2, 12, 0)
    assert version_file(box.clone, "origin/master", "API_VERSION") == semver.Version(9, 0, 1)
    assert "userspace/plugin/plugin_api.h" in git(box.clone, "diff", "--name-only", "0.25.1", "origin/master")
    old = git(box.clone, "show", "0.25.1:userspace/plugin/plugin_api.h")
    assert "#define PLUGIN_API_VERSION_MINOR 2" in old
    assert "#define PLUGIN_API_VERSION_MINOR 3" in (box.clone / "userspace/plugin/plugin_api.h").read_text()


# --- backports ---------------------------------------------------------------------------------------------------

def test_backports_are_rebase_style_some_identical_some_adjusted(box: Sandbox) -> None:
    master = {(subject, email): sha for sha, email, subject, _ in log(box.clone, "origin/master")}
    identical = adjusted = trailers = 0
    for series in ("0.23", "0.24", "0.25"):
        branch = f"origin/release/{series}.x"
        marks = dict(reversed(line.split()) for line in git(box.clone, "cherry", "origin/master", branch).splitlines())
        for sha, email, subject, body in log(box.clone, f"origin/master..{branch}"):
            assert (subject, email) in master, subject  # every backport: same subject and author as on master
            if "(cherry picked from commit" in body:
                trailers += 1
                origin = re.search(r"\(cherry picked from commit ([0-9a-f]{40})\)", body).group(1)
                assert origin == master[(subject, email)]
            elif marks[sha] == "-":
                identical += 1
            else:
                adjusted += 1
    assert identical >= 10 and adjusted >= 3 and identical > adjusted
    assert trailers >= 1
    newest = log(box.clone, f"origin/master..origin/{NEWEST_RELEASE_BRANCH}")
    assert any("(cherry picked from commit" in body for *_, body in newest)


def test_newest_branch_has_unapplied_master_fixes(box: Sandbox) -> None:
    branch = f"origin/{NEWEST_RELEASE_BRANCH}"
    on_branch = {subject for _, _, subject, _ in log(box.clone, f"origin/master..{branch}")}
    pending = [_PR.sub("", s) for _, _, s, _ in log(box.clone, f"{branch}..origin/master")
               if s.startswith("fix") and s not in on_branch]
    assert set(pending) >= {CONFLICTING_FIX, *CLEAN_FIXES}


def test_the_planned_candidate_conflicts_and_the_others_apply(box: Sandbox, tmp_path: Path) -> None:
    scratch = tmp_path / "scratch"
    git(tmp_path, "clone", "-q", str(box.origin), str(scratch))
    git(scratch, "checkout", "-q", "-b", "try", f"origin/{NEWEST_RELEASE_BRANCH}")
    by_subject = {_PR.sub("", s): sha for sha, _, s, _ in log(scratch, "origin/master")}
    for subject in CLEAN_FIXES:
        git(scratch, "cherry-pick", "-x", by_subject[subject])
    failed = subprocess.run(["git", "cherry-pick", "-x", by_subject[CONFLICTING_FIX]], cwd=scratch,
                            env={**os.environ, **_HERMETIC}, capture_output=True, text=True)
    assert failed.returncode != 0 and "CONFLICT" in failed.stdout + failed.stderr
    assert git(scratch, "diff", "--name-only", "--diff-filter=U") == "userspace/libsinsp/threadinfo.cpp"
    git(scratch, "cherry-pick", "--abort")


# --- forge ---------------------------------------------------------------------------------------------------------

def test_forge_merged_prs_are_master_commits(box: Sandbox, forge: dict) -> None:
    """Each merged PR lists the commits it landed on master, oldest first; its merge_commit_sha is the last one (as
    GitHub reports a rebase merge), and its title the subject of its first."""
    assert forge["schema"] == 1 and forge["repository"]["default_branch"] == "master"
    master = [sha for sha, _, _, _ in log(box.clone, "origin/master")]
    subjects = {sha: s for sha, _, s, _ in log(box.clone, "origin/master")}
    merged = {i["number"]: i for i in forge["items"] if i["kind"] == "pr" and i["merged"]}
    assert [sha for n in sorted(merged) for sha in merged[n]["commits"]] == master
    for item in merged.values():
        assert item["merge_commit_sha"] == item["commits"][-1]
        assert item["title"] == subjects[item["commits"][0]] or len(item["commits"]) > 1
        assert item["state"] == "closed" and item["merged_at"] and item["base"] == "master"
    numbers = [i["number"] for i in forge["items"]]
    assert len(numbers) == len(set(numbers))


def test_forge_prs_carry_release_notes_and_labels(forge: dict) -> None:
    notes = []
    for item in (i for i in forge["items"] if i["kind"] == "pr"):
        block = re.search(r"```release-note\n(.*?)\n```", item["body"], re.S)
        assert block, item["number"]
        assert all(_NOTE_LINE.match(line) for line in block.group(1).splitlines()), block.group(1)
        notes.append(block.group(1))
        assert any(label.startswith("kind/") for label in item["labels"])
        assert {"release-note", "release-note-none"} & set(item["labels"])
    assert "NONE" in notes
    assert any(n.startswith("new(driver): add support for the clone3 syscall") for n in notes)
    assert any(re.match(r"^[a-z]+(\([^)]+\))?!: ", n) for n in notes)
    for kind in ("fix", "perf", "rule"):
        assert any(re.match(rf"^{kind}(\(|:)", n) for n in notes), kind


def test_forge_milestones_follow_the_releases(box: Sandbox, forge: dict) -> None:
    milestones = {m["title"]: m for m in forge["milestones"]}
    for title in ("0.23.0", "0.23.1", "0.24.0", "0.24.1", "0.25.0", "0.25.1", "8.0.0+driver", "8.1.0+driver",
                  "9.0.0+driver", "9.0.1+driver"):
        m = milestones[title]
        assert m["state"] == "closed" and m["closed_at"]
        due = date.fromisoformat(m["due_on"][:10])
        tagger = git(box.clone, "for-each-ref", "--format=%(taggerdate:unix)", f"refs/tags/{title}")
        if tagger:  # annotated: the tag's own date
            assert due == datetime.fromtimestamp(int(tagger), UTC).date(), title
        else:  # lightweight: on (or a few days after) its commit
            committed = datetime.fromtimestamp(int(git(box.clone, "log", "-1", "--format=%ct", title)), UTC).date()
            assert 0 <= (due - committed).days <= 7, title
    assert milestones["0.26.0"]["state"] == "open"
    assert milestones["0.26.0"]["due_on"] == f"{TODAY + timedelta(days=5)}T00:00:00Z"
    assert milestones["0.27.0"]["state"] == "open" and milestones["0.27.0"]["due_on"] > milestones["0.26.0"]["due_on"]
    assert milestones["next-driver"]["state"] == "open" and milestones["next-driver"]["due_on"] is None
    assert sorted(m["number"] for m in forge["milestones"]) == list(range(1, len(forge["milestones"]) + 1))


def test_forge_upcoming_milestone_has_work_to_triage(box: Sandbox, forge: dict) -> None:
    items = [i for i in forge["items"] if i["milestone"] == "0.26.0"]
    assert len(items) >= 40
    open_prs = [i for i in items if i["kind"] == "pr" and i["state"] == "open"]
    assert len(open_prs) >= 10
    assert any(i["title"].startswith("new") for i in open_prs) and any(i["title"].startswith("fix") for i in open_prs)
    assert any(i["kind"] == "issue" for i in forge["items"])
    no_milestone = [i for i in forge["items"] if i["merged"] and i["milestone"] is None]
    assert 1 <= len(no_milestone) <= 2
    fork = git(box.clone, "merge-base", "origin/master", f"origin/{NEWEST_RELEASE_BRANCH}")
    landed = landed_by(forge)
    after_fork = {landed[sha] for sha, _, _, _ in log(box.clone, f"{fork}..origin/master")}
    by_number = {i["number"]: i for i in forge["items"]}
    # merged after the fork: in 0.26.0, unless backported for 0.25.0 / 0.25.1, or a PR that missed its milestone
    assert {by_number[n]["milestone"] for n in after_fork} == {"0.26.0", "0.25.0", "0.25.1", None}
    pending_fixes = {s for _, _, s, _ in log(box.clone, f"{fork}..origin/master")}
    assert {i["title"] for i in items} >= {CONFLICTING_FIX, *CLEAN_FIXES} & pending_fixes


# --- determinism, reuse and safety ---------------------------------------------------------------------------------

def test_same_today_gives_identical_refs_and_forge(box: Sandbox, tmp_path: Path) -> None:
    again = build_sandbox(tmp_path / "again", TODAY)
    for repo, twin in ((box.origin, again.origin), (box.clone, again.clone)):
        fmt = "--format=%(refname) %(objectname) %(*objectname)"
        assert git(repo, "for-each-ref", fmt) == git(twin, "for-each-ref", fmt)
    assert again.forge_file.read_bytes() == box.forge_file.read_bytes()
    other = build_sandbox(tmp_path / "other", TODAY + timedelta(days=1))
    assert git(other.origin, "rev-parse", "master") != git(box.origin, "rev-parse", "master")


def test_reuse_keeps_the_sandbox_and_fresh_rebuilds_it(tmp_path: Path) -> None:
    first = build_sandbox(tmp_path / "sb", TODAY)
    marker = first.root / MARKER
    stamp = marker.stat().st_mtime_ns
    (first.clone / "my-notes.txt").write_text("work in progress\n")
    (first.root / "beside.txt").write_text("mine\n")
    assert build_sandbox(first.root, TODAY + timedelta(days=3)) == first
    assert marker.stat().st_mtime_ns == stamp and (first.clone / "my-notes.txt").exists()
    build_sandbox(first.root, TODAY, fresh=True)
    assert not (first.clone / "my-notes.txt").exists()
    assert (first.root / "beside.txt").read_text() == "mine\n"  # not the sandbox's: left alone
    assert git(first.clone, "status", "--porcelain") == ""


def test_a_half_built_sandbox_is_rebuilt(tmp_path: Path) -> None:
    root = tmp_path / "sb"
    root.mkdir()
    (root / ".sandbox-building").write_text("cockpit-sandbox 1 building\n")
    (root / "origin.git").mkdir()
    box = build_sandbox(root, TODAY)
    assert git(box.origin, "rev-parse", "--verify", "refs/heads/master")
    assert not (root / ".sandbox-building").exists()


@pytest.mark.parametrize("fresh", [False, True])
def test_a_directory_that_is_not_a_sandbox_is_never_touched(tmp_path: Path, fresh: bool) -> None:
    (tmp_path / "thesis.tex").write_text("precious\n")
    with pytest.raises(SandboxError, match="not a cockpit sandbox"):
        build_sandbox(tmp_path, TODAY, fresh=fresh)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thesis.tex"]
    a_file = tmp_path / "thesis.tex"
    with pytest.raises(SandboxError):
        build_sandbox(a_file, TODAY, fresh=fresh)
    assert a_file.read_text() == "precious\n"
