"""The trial of a backport series on a private index, checked against what `git cherry-pick` itself does."""

from __future__ import annotations

from cockpit.services.git import GitService
from cockpit.services.trial_pick import trial_series

from builders import RepoBuilder


def test_trial_pick_names_the_files_a_cherry_pick_would_leave_in_conflict(repo: RepoBuilder) -> None:
    """Each case is checked against git itself: the files a real `cherry-pick` stops on are the files named."""
    lines = "".join(f"line {n}\n" for n in range(1, 21))
    paged = "first\n\fpage two\nlast\n"  # a form feed, as C and GNU sources have
    root = repo.commit("chore: import", {"a.c": lines, "gone.c": "old\n", "kept.c": "k\n", "paged.c": paged,
                                         "blob.bin": "\x00v1", "old_name.c": lines, "moved.c": lines})
    repo.push("master")
    repo.checkout("release/0.1.x", create=True)
    repo.commit("fix: release-only edits", {"a.c": lines.replace("line 2\n", "line 2 on the branch\n"),
                                              "add.c": "the branch's\n", "paged.c": paged.replace("two", "2 (b)"),
                                              "blob.bin": "\x00branch", "moved.c": lines.replace("line 3\n", "3\n")})
    repo.git("rm", "-q", "gone.c")
    repo.git("mv", "old_name.c", "new_name.c")
    repo.commit("chore: drop gone.c, rename old_name.c")
    repo.push("release/0.1.x")
    repo.checkout("master")
    same_file_far = repo.commit("fix: far from the branch's edit", {"a.c": lines.replace("line 19\n", "line 19!\n")})
    same_hunk = repo.commit("fix: the branch's line", {"a.c": lines.replace("line 19\n", "line 19!\n")
                                                       .replace("line 2\n", "line 2 on master\n")})
    changed_deleted = repo.commit("fix: gone.c", {"gone.c": "new\n"})
    added_both = repo.commit("feat: add.c", {"add.c": "master's\n"})
    elsewhere = repo.commit("fix: kept.c", {"kept.c": "k2\n"})
    form_feed = repo.commit("fix: page two", {"paged.c": paged.replace("two", "2 (m)")})
    binary = repo.commit("fix: the blob", {"blob.bin": "\x00master"})
    renamed_there = repo.commit("fix: old_name.c", {"old_name.c": lines.replace("line 20\n", "line 20!\n")})
    repo.git("mv", "moved.c", "moved_here.c")
    renamed_here = repo.commit("chore: move moved.c")
    git = GitService(repo.clone)
    before = repo.git("for-each-ref"), repo.git("status", "--porcelain"), repo.head()
    expected = {same_file_far: (), same_hunk: ("a.c",), changed_deleted: ("gone.c",), added_both: ("add.c",),
                elsewhere: (), form_feed: ("paged.c",), binary: ("blob.bin",), renamed_there: (), renamed_here: (),
                root: ()}
    assert {sha: trial_series(git, "release/0.1.x", [sha]).get(sha, ()) for sha in expected} == expected
    series = trial_series(git, "release/0.1.x", list(expected))  # one series: each conflict left out, as skipped
    assert series == {sha: files for sha, files in expected.items() if files}
    assert (repo.git("for-each-ref"), repo.git("status", "--porcelain"), repo.head()) == before  # nothing written
    repo.checkout("release/0.1.x")
    for sha, files in expected.items():
        if sha == root:
            continue
        repo.git("cherry-pick", sha, check=False)
        stopped = tuple(repo.git("diff", "--name-only", "--diff-filter=U").split())
        assert stopped == files, sha
        if stopped:
            repo.git("cherry-pick", "--abort")
        else:
            repo.git("reset", "-q", "--hard", "HEAD^")


def test_a_follow_up_is_judged_with_its_fix(repo: RepoBuilder) -> None:
    """Alone, a follow-up conflicts (its file is missing on the branch); picked after its fix, it does not."""
    repo.commit("chore: import", {"a.c": "a\n"})
    repo.push("master")
    repo.checkout("release/0.1.x", create=True)
    repo.push("release/0.1.x")
    repo.checkout("master")
    fix = repo.commit("fix: add n.c", {"n.c": "v1\n"})
    follow_up = repo.commit("fix: n.c again", {"n.c": "v2\n"})
    git = GitService(repo.clone)
    assert trial_series(git, "release/0.1.x", [follow_up]) == {follow_up: ("n.c",)}
    assert trial_series(git, "release/0.1.x", [fix, follow_up]) == {}
