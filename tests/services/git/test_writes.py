"""The named local writes: names validated, refs moved only from where the caller expects."""

from __future__ import annotations

import pytest

from cockpit.services.git import GitCommandFailed, GitError, GitService

from builders import RepoBuilder


def test_branches_and_tags_are_made_checked_out_and_deleted_by_name(repo: RepoBuilder) -> None:
    first = repo.commit("one", {"a": "1"})
    second = repo.commit("two", {"a": "2"})
    git = GitService(repo.clone)
    git.create_branch("release/0.1.x", first)
    git.create_tag("0.1.0", first, "--annotate is a message here, not an option")
    assert git.ref_commit("refs/heads/release/0.1.x") == git.ref_commit("refs/tags/0.1.0") == first
    assert repo.git("tag", "-l", "--format=%(contents:subject)", "0.1.0").strip().startswith("--annotate")
    git.checkout("release/0.1.x")
    assert git.symbolic_head() == "refs/heads/release/0.1.x"
    git.checkout_detached(second)
    assert git.symbolic_head() is None
    git.checkout_new("backport/x", first)
    assert git.symbolic_head() == "refs/heads/backport/x"
    git.checkout("master")
    git.delete_ref("refs/tags/0.1.0")
    git.delete_branch("backport/x")
    assert git.ref_commit("refs/tags/0.1.0") is None and git.ref_commit("refs/heads/backport/x") is None


@pytest.mark.security
@pytest.mark.parametrize("name", ["-f", "--force", "a..b", "x y"])
def test_a_name_git_would_read_as_an_option_is_refused(repo: RepoBuilder, name: str) -> None:
    head = repo.commit("one", {"a": "1"})
    git = GitService(repo.clone)
    for write in (lambda: git.create_branch(name, head), lambda: git.create_tag(name, head, "m"),
                  lambda: git.checkout(name), lambda: git.delete_branch(name)):
        with pytest.raises(GitError, match="not a valid git name"):
            write()
    with pytest.raises(GitError, match="not a commit id"):
        git.reset_keep(name)


def test_a_ref_moves_only_from_where_the_caller_saw_it(repo: RepoBuilder) -> None:
    first = repo.commit("one", {"a": "1"})
    second = repo.commit("two", {"a": "2"})
    git = GitService(repo.clone)
    git.create_branch("work", second)
    with pytest.raises(GitCommandFailed):
        git.move_ref("refs/heads/work", first, first, "not where it is")
    git.move_ref("refs/heads/work", first, second, "from where it is")
    assert git.ref_commit("refs/heads/work") == first
    assert git.parents_and_subject(second) == (first, "two")
