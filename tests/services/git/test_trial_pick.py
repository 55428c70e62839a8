"""The trial of a backport series on a private index, checked against what `git cherry-pick` itself does: the same
series is then picked for real, each stop resolved in the pick's favour, and the stops must be the trial's."""

from __future__ import annotations

import pytest

from cockpit.services.git import GitService
from cockpit.services.git.trial_pick import trial_series

from builders import RepoBuilder

LINES = "".join(f"line {n}\n" for n in range(1, 21))
PAGED = "first\n\fpage two\nlast\n"  # a form feed, as C and GNU sources have
BRANCH = "release/0.1.x"


def real_series(repo: RepoBuilder, commits: list[str]) -> dict[str, tuple[str, ...]]:
    """Pick the series onto the release branch with git; at each stop take the pick's side and go on."""
    repo.checkout(BRANCH)
    start = repo.head()
    stops: dict[str, tuple[str, ...]] = {}
    for sha in commits:
        repo.git("cherry-pick", "--allow-empty", "--keep-redundant-commits", sha, check=False)
        unmerged = tuple(dict.fromkeys(repo.git("diff", "--name-only", "--diff-filter=U").split()))
        if unmerged:
            stops[sha] = unmerged
            for path in unmerged:
                if repo.git("ls-tree", sha, "--", path):
                    repo.git("checkout", sha, "--", path)
                else:
                    repo.git("rm", "-q", "--", path)
            repo.git("-c", "core.editor=true", "cherry-pick", "--continue")
    repo.git("reset", "-q", "--hard", start)
    repo.checkout("master")
    return stops


@pytest.fixture
def cases(repo: RepoBuilder) -> dict[str, str]:
    """A release branch and one master commit per case, each named for what it does."""
    shas = {"root": repo.commit("chore: import", {
        "a.c": LINES, "gone.c": "old\n", "kept.c": "k\n", "paged.c": PAGED, "blob.bin": "\x00v1",
        "old_name.c": LINES, "moved.c": LINES, "both_gone.c": "x\n", "a": "a\n"})}
    repo.push("master")
    repo.checkout(BRANCH, create=True)
    repo.commit("fix: release-only edits", {"a.c": LINES.replace("line 2\n", "line 2 on the branch\n"),
                                              "add.c": "the branch's\n", "paged.c": PAGED.replace("two", "2 (b)"),
                                              "blob.bin": "\x00branch", "moved.c": LINES.replace("line 3\n", "3\n"),
                                              "same.c": "same\n"})
    repo.git("rm", "-q", "gone.c", "both_gone.c")
    repo.git("mv", "old_name.c", "new_name.c")
    repo.commit("chore: drop gone.c, rename old_name.c")
    repo.push(BRANCH)
    repo.checkout("master")
    edits = {
        "same_file_far": {"a.c": LINES.replace("line 19\n", "line 19!\n")},
        "same_hunk": {"a.c": LINES.replace("line 19\n", "line 19!\n").replace("line 2\n", "line 2 on master\n")},
        "changed_deleted": {"gone.c": "new\n"},
        "added_both": {"add.c": "master's\n", "a": "a2\n"},
        "added_the_same": {"same.c": "same\n", "kept.c": "k2\n"},
        "form_feed": {"paged.c": PAGED.replace("two", "2 (m)")},
        "binary": {"blob.bin": "\x00master"},
        "renamed_there": {"old_name.c": LINES.replace("line 20\n", "line 20!\n")},
        "follow_up_of_a_conflict": {"add.c": "master's, again\n"},
    }
    for name, files in edits.items():
        shas[name] = repo.commit(f"fix: {name}", files)
    repo.git("mv", "moved.c", "moved_here.c")
    shas["renamed_here"] = repo.commit("chore: move moved.c")
    repo.git("rm", "-q", "both_gone.c")
    shas["deleted_both"] = repo.commit("chore: drop both_gone.c")
    return shas


EXPECTED_ALONE = {"same_hunk": ("a.c",), "changed_deleted": ("gone.c",), "added_both": ("add.c",),
                  "form_feed": ("paged.c",), "binary": ("blob.bin",), "follow_up_of_a_conflict": ("add.c",)}


def test_each_pick_alone_stops_where_git_stops(repo: RepoBuilder, cases: dict[str, str]) -> None:
    git = GitService(repo.clone)
    before = repo.git("for-each-ref"), repo.git("status", "--porcelain"), repo.head()
    alone = {name: trial_series(git, BRANCH, [sha]).get(sha, ()) for name, sha in cases.items()}
    assert {name: files for name, files in alone.items() if files} == EXPECTED_ALONE
    assert (repo.git("for-each-ref"), repo.git("status", "--porcelain"), repo.head()) == before  # nothing written
    for name, sha in cases.items():
        if name != "root":  # git would re-add what the branch has; the trial skips a root, never a backport
            assert real_series(repo, [sha]).get(sha, ()) == alone[name], name


def test_a_series_stops_where_git_stops(repo: RepoBuilder, cases: dict[str, str]) -> None:
    """In one series, the follow-up of a conflicted pick is judged on the tree a resolution in the pick's favour
    leaves: no stop of its own."""
    git = GitService(repo.clone)
    series = [sha for name, sha in cases.items() if name != "root"]
    trial = trial_series(git, BRANCH, series)
    assert trial == real_series(repo, series)
    assert cases["follow_up_of_a_conflict"] not in trial and cases["added_both"] in trial


def test_the_users_settings_and_hooks_change_nothing(repo: RepoBuilder, cases: dict[str, str]) -> None:
    """Diff settings that would change a porcelain patch, a split index that would leave shared files in .git,
    and an index hook that would run for the private index."""
    for key, value in (("diff.noprefix", "true"), ("color.ui", "always"), ("diff.external", "false"),
                       ("diff.mnemonicPrefix", "true"), ("diff.renames", "false"), ("core.splitIndex", "true")):
        repo.git("config", key, value)
    hook = repo.clone / ".git" / "hooks" / "post-index-change"
    hook.write_text(f"#!/bin/sh\ntouch {repo.clone.parent / 'hook-ran'}\n")
    hook.chmod(0o755)
    shared_before = sorted((repo.clone / ".git").glob("sharedindex.*"))
    git = GitService(repo.clone)
    alone = {name: trial_series(git, BRANCH, [sha]).get(sha, ()) for name, sha in cases.items()}
    assert {name: files for name, files in alone.items() if files} == EXPECTED_ALONE
    assert not (repo.clone.parent / "hook-ran").exists()
    assert sorted((repo.clone / ".git").glob("sharedindex.*")) == shared_before


def test_a_follow_up_is_judged_with_its_fix(repo: RepoBuilder) -> None:
    """Alone, a follow-up conflicts (its file is missing on the branch); picked after its fix, it does not."""
    repo.commit("chore: import", {"a.c": "a\n"})
    repo.push("master")
    repo.checkout(BRANCH, create=True)
    repo.push(BRANCH)
    repo.checkout("master")
    fix = repo.commit("fix: add n.c", {"n.c": "v1\n"})
    follow_up = repo.commit("fix: n.c again", {"n.c": "v2\n"})
    git = GitService(repo.clone)
    assert trial_series(git, BRANCH, [follow_up]) == {follow_up: ("n.c",)}
    assert trial_series(git, BRANCH, [fix, follow_up]) == {}


def test_a_file_left_out_by_name_leaves_out_no_other(repo: RepoBuilder) -> None:
    """`apply --exclude` takes a glob: the branch already has `same[1].c`, which must not also leave out
    `same1.c`, whose change conflicts."""
    repo.commit("chore: import", {"same1.c": "v1\n"})
    repo.push("master")
    repo.checkout(BRANCH, create=True)
    repo.commit("fix: the branch's", {"same[1].c": "same\n", "same1.c": "branch\n"})
    repo.push(BRANCH)
    repo.checkout("master")
    pick = repo.commit("fix: both", {"same[1].c": "same\n", "same1.c": "master\n"})
    assert trial_series(GitService(repo.clone), BRANCH, [pick]) == {pick: ("same1.c",)}
    assert real_series(repo, [pick]) == {pick: ("same1.c",)}


def test_a_trial_writes_nothing_to_the_object_store(repo: RepoBuilder, cases: dict[str, str]) -> None:
    """Merged blobs go to a private object directory thrown away afterwards: a dry run leaves the store as it was."""
    git = GitService(repo.clone)
    objects = repo.clone / ".git" / "objects"
    before = sorted(p.relative_to(objects) for p in objects.rglob("*") if p.is_file())
    trial = trial_series(git, BRANCH, list(cases.values()))
    assert trial  # some picks conflict: three-way merges ran and wrote blobs somewhere
    assert sorted(p.relative_to(objects) for p in objects.rglob("*") if p.is_file()) == before
