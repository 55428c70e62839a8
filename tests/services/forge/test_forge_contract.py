"""One contract, two forges: LocalForge on a JSON file and GitHubForge over real HTTP to the loopback GitHub
emulator (every response it sends validated against GitHub's schemas). Both must behave the same."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from cockpit.core.notes import build_notes
from cockpit.services.auth import RepoSlug, Token
from cockpit.services.cache import ForgeCache
from cockpit.services.forge.base import Conflict, Forge, NotFound
from cockpit.services.forge.github import GitHubForge
from cockpit.services.forge.local import LocalForge

from github_emulator import GitHubEmulator, serve_validated
from worlds import PR, World, local_file, seed_emulator


@pytest.fixture
def emulator() -> Iterator[GitHubEmulator]:
    yield from serve_validated()


def github_forge(emu: GitHubEmulator, tmp_path: Path, token: str | None = None, per_page: int = 100) -> GitHubForge:
    return GitHubForge(RepoSlug("github.com", "falcosecurity", "libs"), Token(token or emu.token, "GH_TOKEN"),
                       base_url=emu.base_url, cache=ForgeCache(tmp_path / "cache.sqlite3"), per_page=per_page,
                       timeout=5, retry=None, throttle=False)


@pytest.fixture(params=["local", "github"])
def forge(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Forge]:
    world = World()
    if request.param == "local":
        yield LocalForge(local_file(world, tmp_path / "forge.json"))
        return
    for emu in serve_validated():
        seed_emulator(world, emu)
        yield github_forge(emu, tmp_path, per_page=3)  # small pages: paging is exercised


def test_forge_repository(forge: Forge) -> None:
    repo = forge.repository()
    assert (repo.owner, repo.name, repo.default_branch, repo.slug) == ("falcosecurity", "libs", "master",
                                                                        "falcosecurity/libs")
    assert repo.can_push is True


def test_forge_open_milestones_soonest_first_with_counts(forge: Forge) -> None:
    milestones = forge.milestones("open")
    assert [m.title for m in milestones] == ["0.26.0", "0.27.0", "next-driver"]
    m = milestones[0]
    assert m.due_on == date(2026, 11, 30) and m.state == "open"
    assert (m.open_items, m.closed_items) == (3, 4)


def test_forge_unknown_milestone_names_the_open_ones(forge: Forge) -> None:
    with pytest.raises(NotFound, match=r"unknown milestone '9\.9\.9' \(known: 0\.26\.0, 0\.27\.0, next-driver\)"):
        forge.milestone_items("9.9.9")


def test_forge_milestone_items(forge: Forge) -> None:
    items = {i.title: i for i in forge.milestone_items("0.26.0")}
    assert len(items) == 7
    fix = items["fix(libsinsp): empty names"]
    assert fix.kind == "pr" and fix.merged and fix.author == "bob" and fix.labels == ("kind/bug",)
    assert "```release-note\nfix(libsinsp): handle empty names\n```" in fix.body and fix.milestone == "0.26.0"
    assert fix.url.endswith(f"/pull/{fix.number}") and fix.author_url.endswith("/bob")
    assert not items["new: an open feature"].merged and items["new: an open feature"].state == "open"
    issue = items["Crash on startup"]
    assert issue.kind == "issue" and not issue.merged and issue.url.endswith(f"/issues/{issue.number}")


def test_forge_release_notes_are_the_same(forge: Forge) -> None:
    notes = build_notes("0.26.0", forge.milestone_items("0.26.0"), date(2026, 11, 30))
    sections = {s: [n.text for n in ns] for s, ns in notes.by_section().items() if ns}
    assert sections == {"Major Changes": ["new(driver): add clone3", "update!: drop the old API"],
                        "Bug Fixes": ["fix(libsinsp): handle empty names"],
                        "Non user-facing changes": ["ci: bump actions"]}


def test_forge_create_milestone_and_refuse_a_duplicate(forge: Forge) -> None:
    created = forge.create_milestone("0.28.0", date(2027, 3, 1), "next minor")
    assert created.title == "0.28.0" and created.due_on == date(2027, 3, 1) and created.state == "open"
    assert "0.28.0" in [m.title for m in forge.milestones("open")]
    with pytest.raises(Conflict):
        forge.create_milestone("0.28.0")


def test_forge_rename_milestone_keeps_its_items(forge: Forge) -> None:
    renamed = forge.rename_milestone("next-driver", "9.1.0+driver")
    assert renamed.title == "9.1.0+driver"
    assert [i.title for i in forge.milestone_items("9.1.0+driver")] == ["new(driver): a driver feature"]
    with pytest.raises(NotFound):
        forge.milestone("next-driver")


def test_forge_close_milestone(forge: Forge) -> None:
    closed = forge.close_milestone("0.27.0")
    assert closed.state == "closed"
    assert "0.27.0" not in [m.title for m in forge.milestones("open")]
    assert "0.27.0" in [m.title for m in forge.milestones("all")]


def test_forge_move_items_and_back(forge: Forge) -> None:
    open_items = [i.number for i in forge.milestone_items("0.26.0") if i.state == "open"]
    outcomes = forge.move_items(open_items, "0.27.0")
    assert [(o.number, o.moved, o.milestone) for o in outcomes] == [(n, True, "0.27.0") for n in open_items]
    assert {i.number for i in forge.milestone_items("0.27.0")} >= set(open_items)
    assert all(i.state == "closed" for i in forge.milestone_items("0.26.0"))
    back = forge.move_items(open_items, "0.26.0")  # the undo
    assert all(o.moved for o in back)
    cleared = forge.move_items(open_items[:1], None)
    assert cleared[0].moved and forge.item(open_items[0]).milestone is None


def test_forge_move_to_unknown_milestone(forge: Forge) -> None:
    with pytest.raises(NotFound):
        forge.move_items([1], "9.9.9")


def test_forge_issue_comment_and_body(forge: Forge) -> None:
    issue = forge.create_issue("Release 0.26.0", "## Checklist\n- [ ] cut the branch", "0.26.0", ["release"])
    assert issue.kind == "issue" and issue.milestone == "0.26.0" and issue.labels == ("release",)
    url = forge.comment(issue.number, "Code freeze starts now.")
    assert f"/issues/{issue.number}" in url
    edited = forge.edit_body(issue.number, "## Checklist\n- [x] cut the branch")
    assert edited.body.endswith("- [x] cut the branch")
    assert forge.item(issue.number).body == edited.body


def test_forge_create_pull(forge: Forge) -> None:
    pr = forge.create_pull("[release/0.25.x] fix: a backport", "Backport of #2", "backport/0.25.x-1",
                           "release/0.25.x")
    assert pr.kind == "pr" and pr.state == "open" and not pr.merged
    assert pr.url.endswith(f"/pull/{pr.number}")


def test_forge_pull_found_again_by_its_head_then_labelled(forge: Forge) -> None:
    pr = forge.create_pull("[release/0.25.x] fix: a backport", "Backport of #2", "backport/0.25.x-1",
                           "release/0.25.x")
    assert [p.number for p in forge.pulls_from("falcosecurity/libs", "backport/0.25.x-1")] == [pr.number]
    assert forge.pulls_from("falcosecurity/libs", "backport/none") == []
    assert forge.add_labels(pr.number, ["kind/bug", "area/libsinsp"]) == ("kind/bug", "area/libsinsp")
    assert forge.add_labels(pr.number, ["kind/bug"]) == ("kind/bug", "area/libsinsp")  # none twice
    assert forge.item(pr.number).labels == ("kind/bug", "area/libsinsp")


def test_forge_pull_commits(forge: Forge) -> None:
    assert forge.pull_commits(2) == World().items[1].landed()  # what it landed, oldest first
    with pytest.raises(NotFound):
        forge.pull_commits(99)


def test_forge_releases(forge: Forge) -> None:
    assert forge.release("0.26.0-rc1") is None
    rc = forge.create_release("0.26.0-rc1", "0.26.0-rc1", "notes", draft=True, prerelease=True, make_latest=False)
    assert (rc.tag, rc.draft, rc.prerelease) == ("0.26.0-rc1", True, True)
    final = forge.create_release("0.26.0", "0.26.0", "## v0.26.0", draft=False, prerelease=False, make_latest=True)
    assert final.url.endswith("/releases/tag/0.26.0") or "/releases/" in final.url
    assert forge.release("0.26.0").body == "## v0.26.0"


def test_forge_branch_protection_and_status(forge: Forge) -> None:
    master = forge.branch_protection("master")
    assert master.protected and master.required_reviews == 2
    assert not forge.branch_protection("release/0.26.x").protected
    status = forge.combined_status("master")
    assert status.state == "success" and status.total == 3



@pytest.fixture(params=["local", "github"])
def orphan_forge(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Forge]:
    """The world plus items in no milestone: two merged PRs, an open PR, a PR closed unmerged, a closed issue."""
    world = World()
    world.items += [PR("ci: asan", "gina", None), PR("chore(deps): bump", "dependabot[bot]", None),
                    PR("wip: open", "hal", None, merged=False)]
    if request.param == "local":
        path = local_file(world, tmp_path / "forge.json")
        data = json.loads(path.read_text())
        n = len(data["items"])
        data["items"] += [{**data["items"][-1], "number": n + 1, "title": "rejected", "state": "closed"},
                          {**data["items"][-1], "number": n + 2, "title": "question", "kind": "issue",
                           "state": "closed"}]
        path.write_text(json.dumps(data))
        yield LocalForge(path)
        return
    for emu in serve_validated():
        seed_emulator(world, emu)
        emu.add_pull("rejected", merged=False, state="closed", user="hal")
        emu.add_issue("question", state="closed", user="hal")
        yield github_forge(emu, tmp_path, per_page=2)  # small pages: paging is exercised


def test_forge_merged_without_milestone(orphan_forge: Forge) -> None:
    found = orphan_forge.merged_without_milestone()
    assert [(i.title, i.author, i.kind, i.milestone) for i in found] == [
        ("chore(deps): bump", "dependabot[bot]", "pr", None), ("ci: asan", "gina", "pr", None)]  # newest first
    assert all(i.merged and i.url.endswith(f"/pull/{i.number}") for i in found)
    assert orphan_forge.merged_without_milestone(since=date(2026, 11, 1)) == found
    assert orphan_forge.merged_without_milestone(since=date(2026, 11, 2)) == []


@pytest.fixture(params=["local", "github"])
def ci_forge(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Forge]:
    """The world with check runs on master: a success, a failure, one still running, and a failure re-run green
    (only the newest run of a name counts, as GitHub's `filter=latest` answers). Only the local forge has the
    running one: a run's null conclusion fails the subset's schema check (its nullable enum lists no null)."""
    world = World()
    if request.param == "local":
        path = local_file(world, tmp_path / "forge.json")
        data = json.loads(path.read_text())
        data["statuses"]["master"]["runs"] = [
            {"name": "unit", "status": "completed", "conclusion": "success"},
            {"name": "build-modern-bpf", "status": "completed", "conclusion": "failure",
             "url": "https://github.com/falcosecurity/libs/runs/2"},
            {"name": "e2e", "status": "in_progress", "conclusion": None},
            {"name": "arm64", "status": "completed", "conclusion": "success"}]
        path.write_text(json.dumps(data))
        yield LocalForge(path)
        return
    for emu in serve_validated():
        seed_emulator(world, emu)
        emu.add_check_run("master", "unit")
        emu.add_check_run("master", "build-modern-bpf", conclusion="failure")
        emu.add_check_run("master", "arm64", conclusion="failure")
        emu.add_check_run("master", "arm64", conclusion="success")  # the re-run
        yield github_forge(emu, tmp_path)


def test_forge_check_runs(ci_forge: Forge) -> None:
    runs = ci_forge.check_runs("master")
    seen = [(r.name, r.status, r.conclusion, r.failed, r.pending) for r in runs]
    assert [s for s in seen if s[0] != "e2e"] == [
        ("arm64", "completed", "success", False, False),
        ("build-modern-bpf", "completed", "failure", True, False),
        ("unit", "completed", "success", False, False)]
    if isinstance(ci_forge, LocalForge):
        assert ("e2e", "in_progress", None, False, True) in seen
    assert "/runs/" in runs[1].url
    assert ci_forge.check_runs("backport/0.25.x-1") == []  # a commit of its own, with no runs


# --- commit -> PR association (rebase merges name their PR nowhere in git) ------------------------------------------

def test_forge_associates_each_commit_of_a_rebase_merge_with_its_pr(forge: Forge) -> None:
    world = World()
    fix = next(p for p in world.items if p.title == "fix(libsinsp): empty names")
    found = forge.commit_pulls(fix.landed())
    assert set(found) == set(fix.landed()) and len(fix.landed()) == 3
    for pulls in found.values():
        (pull,) = pulls
        assert (pull.title, pull.author, pull.labels, pull.milestone, pull.merged, pull.base, pull.state) == (
            "fix(libsinsp): empty names", "bob", ("kind/bug",), "0.26.0", True, "master", "closed")
        assert "fix(libsinsp): handle empty names" in pull.body
    assert pull.number == next(i.number for i in forge.milestone_items("0.26.0") if i.title == fix.title)


def test_forge_association_leaves_out_commits_no_pr_landed(forge: Forge) -> None:
    world = World()
    rule = next(p for p in world.items if p.title == "rule: new macro")
    unknown = "0" * 40
    found = forge.commit_pulls([unknown, *rule.landed(), "not a sha"])
    assert list(found) == rule.landed() and found[rule.landed()[0]][0].milestone == "0.27.0"
    assert forge.commit_pulls([]) == {}
