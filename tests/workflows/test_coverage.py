"""Coverage on a real repository merged by rebase (no `(#N)` in any subject), with the PRs' commits from the forge:
a LocalForge file that lists the landed commits, and GitHubForge over real HTTP to the emulator, which lists the
PRs' own commits (other ids than the landed ones: matched by patch-id). Both must give the same answer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cockpit.core.coverage import backport_command
from cockpit.errors import InputError
from cockpit.services.auth import RepoSlug, Token
from cockpit.services.forge.base import Forge
from cockpit.services.forge.github import GitHubForge
from cockpit.services.forge.local import LocalForge
from cockpit.services.git import GitService
from cockpit.workflows.reports.coverage import coverage
from cockpit.workflows.reports.serialise import coverage_json

from builders import RepoBuilder
from github_emulator import serve_validated

OLD, MID, NEW = "release/0.0.x", "release/0.1.x", "release/0.2.x"


@dataclass
class Repo:
    b: RepoBuilder
    own: dict[int, list[str]]  # PR -> its own commits (on its PR branch)
    landed: dict[int, list[str]]  # PR -> the commits the rebase merge put on master


def land(b: RepoBuilder, number: int, changes: list[tuple[str, dict[str, str]]]) -> tuple[list[str], list[str]]:
    """A PR branch from master with `changes`, then landed on master by rebase (new ids, same patches)."""
    b.checkout(f"pr-{number}", create=True, at="master")
    own = [b.commit(message, files, "bob") for message, files in changes]
    b.checkout("master")
    landed = [b.cherry_pick(sha) for sha in own]
    return own, landed


def build(root: Path) -> Repo:
    b = RepoBuilder.create(root)
    b.commit("chore: initial import", {f"{n}.txt": f"{n} v1\n" for n in "abcdefg"})
    b.checkout(OLD, create=True)
    b.tag("0.0.0")
    b.checkout("master")
    b.checkout(MID, create=True)
    b.tag("0.1.0")
    b.commit("fix: the release's own take on d", {"d.txt": "d as the release has it\n"})
    b.checkout("master")
    own, landed = {}, {}
    own[1], landed[1] = land(b, 1, [("fix: a part one", {"a.txt": "a fixed\n"}),
                                    ("fix: a part two", {"b.txt": "b fixed\n"})])
    own[2], landed[2] = land(b, 2, [("fix: c", {"c.txt": "c fixed\n"})])
    own[3], landed[3] = land(b, 3, [("feat: d", {"d.txt": "d on master\n"})])
    b.checkout(NEW, create=True)
    b.tag("0.2.0")
    b.checkout("master")
    own[4], landed[4] = land(b, 4, [("fix: e", {"e.txt": "e fixed\n"}), ("fix: f", {"f.txt": "f fixed\n"})])
    b.checkout(MID)
    b.cherry_pick(landed[1][0], trailer=True)  # one of #1's two commits: partial
    b.cherry_pick(landed[2][0])  # no trailer: found by patch-id
    b.checkout("master")
    b.push("master", OLD, MID, NEW, "--tags")
    return Repo(b, own, landed)


PRS = {1: ("fix: a", ["kind/bug"]), 2: ("fix: c", ["kind/bug"]), 3: ("feat: d", ["kind/feature"]),
       4: ("fix: e and f", ["kind/bug", "area/libsinsp"])}


def local_forge(repo: Repo, path: Path) -> LocalForge:
    items = [{"number": n, "kind": "pr", "title": title, "state": "closed", "merged": True,
              "merged_at": f"2026-11-0{n}T10:00:00Z", "milestone": "0.3.0", "labels": labels, "author": "bob",
              "body": "", "commits": repo.landed[n], "merge_commit_sha": repo.landed[n][-1]}
             for n, (title, labels) in PRS.items()]
    items.append({"number": 5, "kind": "pr", "title": "[release/0.1.x] a backport", "state": "closed",
                  "merged": True, "merged_at": "2026-11-06T10:00:00Z", "milestone": "0.3.0", "labels": [],
                  "author": "bob", "body": "", "commits": [repo.b.head(MID)], "base": MID})
    items.append({"number": 6, "kind": "pr", "title": "fix: g, still open", "state": "open", "merged": False,
                  "merged_at": None, "milestone": "0.3.0", "labels": [], "author": "bob", "body": ""})
    path.write_text(json.dumps({"schema": 1, "repository": {"owner": "falcosecurity", "name": "libs"},
                                "milestones": [{"number": 1, "title": "0.3.0", "state": "open"}], "items": items}))
    return LocalForge(path)


@pytest.fixture(params=["local", "github"])
def setup(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[GitService, Forge, Repo]]:
    repo = build(tmp_path)
    git = GitService(repo.b.clone)
    if request.param == "local":
        yield git, local_forge(repo, tmp_path / "forge.json"), repo
        return
    for emu in serve_validated():
        emu.add_milestone("0.3.0")
        for n, (title, labels) in PRS.items():  # GitHub lists the PR's own commits, not the landed ones
            emu.add_pull(title, milestone="0.3.0", labels=labels, user="bob", commits=repo.own[n])
        emu.add_pull("[release/0.1.x] a backport", milestone="0.3.0", base=MID, commits=[repo.b.head(MID)])
        emu.add_pull("fix: g, still open", milestone="0.3.0", merged=False)
        yield git, GitHubForge(RepoSlug("github.com", "falcosecurity", "libs"), Token(emu.token, "GH_TOKEN"),
                               base_url=emu.base_url, timeout=5, retry=None, throttle=False), repo


def test_each_pr_on_each_maintained_branch(setup: tuple[GitService, Forge, Repo]) -> None:
    git, forge, repo = setup
    report = coverage(git, forge, "0.3.0")
    assert report.branches == (NEW, MID)  # the two newest lines; 0.0.x is no longer maintained
    doc = coverage_json(report)
    assert doc == {"milestone": "0.3.0", "branches": [NEW, MID], "prs": [
        {"number": n, "title": PRS[n][0], "labels": PRS[n][1], "commits": repo.landed[n], "branches": statuses}
        for n, statuses in [(1, {NEW: "applied", MID: "partial"}), (2, {NEW: "applied", MID: "applied"}),
                            (3, {NEW: "applied", MID: "conflict"}), (4, {NEW: "missing", MID: "missing"})]]}
    source = "forge" if isinstance(forge, LocalForge) else "patch-id"
    assert [r.source for r in report.rows] == [source] * 4
    # #5 landed on a release branch only: left out, and said so; the open #6 is no merged PR
    assert report.problems == ("#5: none of its commits is on master in this clone (a PR to another branch, or "
                               "not fetched yet): left out",)
    # what a backport of the missing ones picks, oldest first on master
    assert report.to_backport(MID) == [repo.landed[1][1], repo.landed[3][0], *repo.landed[4]]
    assert report.to_backport(NEW, [4]) == repo.landed[4]
    assert backport_command(NEW, report.to_backport(NEW)) == (
        f"cockpit backport --branch {NEW} {' '.join(repo.landed[4])} --pr")


def test_named_branches_and_bad_names(setup: tuple[GitService, Forge, Repo]) -> None:
    git, forge, _ = setup
    report = coverage(git, forge, "0.3.0", [OLD])
    assert report.branches == (OLD,)
    assert [r.branches[OLD] for r in report.rows] == ["missing", "missing", "missing", "missing"]
    with pytest.raises(InputError, match="'master' is not a release branch"):
        coverage(git, forge, "0.3.0", ["master"])
    with pytest.raises(Exception, match=r"unknown branch 'release/9\.9\.x'"):
        coverage(git, forge, "0.3.0", ["release/9.9.x"])


def test_without_listed_commits_the_merge_commit_then_the_subject(tmp_path: Path) -> None:
    """A forge that lists no commits (an older forge file): a squash merge's merge_commit_sha, else `(#N)`."""
    b = RepoBuilder.create(tmp_path)
    b.commit("chore: initial import", {"a.txt": "a\n"})
    b.checkout(MID, create=True)
    b.checkout("master")
    squashed = b.commit("fix: a (#1)", {"a.txt": "a fixed\n"})
    subject = b.commit("fix: b (#2)", {"b.txt": "b fixed\n"})
    b.push("master", MID)
    items = [{"number": 1, "kind": "pr", "title": "fix: a", "state": "closed", "merged_at": "2026-11-01T10:00:00Z",
              "milestone": "0.3.0", "merge_commit_sha": squashed},
             {"number": 2, "kind": "pr", "title": "fix: b", "state": "closed", "merged_at": "2026-11-01T10:00:00Z",
              "milestone": "0.3.0"}]
    (tmp_path / "forge.json").write_text(json.dumps({
        "schema": 1, "repository": {"owner": "o", "name": "r"},
        "milestones": [{"number": 1, "title": "0.3.0", "state": "open"}], "items": items}))
    report = coverage(GitService(b.clone), LocalForge(tmp_path / "forge.json"), "0.3.0")
    assert [(r.number, r.commits, r.source, r.branches) for r in report.rows] == [
        (1, (squashed,), "merge-commit", {MID: "missing"}), (2, (subject,), "subject", {MID: "missing"})]
