"""cockpit.core.candidates: which default-branch commits already reached the release branch, and PR numbers."""

from __future__ import annotations

import pytest

from cockpit.core.candidates import (
    EVIDENCE_ORDER,
    Candidate,
    cherry_picked_from,
    link_forge,
    match_candidates,
    pr_number,
    prs_from_merges,
)
from cockpit.core.facts import CommitFact
from cockpit.core.forge_models import CommitPull, landing_pull


def sha(name: str) -> str:
    return (name.encode().hex() + "0" * 40)[:40]


def commit(name: str, subject: str, *parents: str, email: str = "dev@example.com", body: str = "") -> CommitFact:
    return CommitFact(sha(name), subject, "Dev", email, 0, tuple(sha(p) for p in parents), body)


@pytest.mark.parametrize(
    ("subject", "number"),
    [
        ("fix(libsinsp): handle empty container id (#2345)", 2345),
        ("new(driver): add pidfd_getfd support (#123)  ", 123),
        ("Merge pull request #45 from someone/fix-branch", 45),
        ("Merge pull request #45", 45),
        ("fix: see (#12) for context", None),  # only a trailing (#N)
        ("Merge branch 'master' into feature", None),
        ("chore: bump API_VERSION", None),
        ("Merge pull request from #45", None),
    ],
)
def test_pr_number(subject, number):
    assert pr_number(subject) == number


def test_cherry_picked_from():
    a, b = "1" * 40, "abcdef0123" * 4
    body = f"fix thing\n\n(cherry picked from commit {a})\nSigned-off-by: x\n(cherry picked from commit {b})\n"
    assert cherry_picked_from(body) == [a, b]
    assert cherry_picked_from("(cherry picked from commit 1234567)") == []  # abbreviated: not a trailer
    assert cherry_picked_from("") == []


def test_evidence_order():
    assert EVIDENCE_ORDER == ("trailer", "patch-id", "subject+author")


def test_trailer_beats_patch_id_beats_subject_author():
    up = [commit("u1", "fix: a (#1)", "base")]
    release = [
        commit("r-subject", "fix: a (#1)", "rbase"),
        commit("r-trailer", "fix: a, adjusted", "rbase", body=f"(cherry picked from commit {sha('u1')})"),
    ]
    patch_equal = {sha("u1"): sha("r-patch")}
    [c] = match_candidates(up, release, patch_equal)
    assert (c.applied_as, c.evidence, c.applied) == (sha("r-trailer"), "trailer", True)
    [c] = match_candidates(up, release[:1], patch_equal)
    assert (c.applied_as, c.evidence) == (sha("r-patch"), "patch-id")
    [c] = match_candidates(up, release[:1], {})
    assert (c.applied_as, c.evidence) == (sha("r-subject"), "subject+author")
    [c] = match_candidates(up, [], {})
    assert (c.applied_as, c.evidence, c.applied) == (None, None, False)
    assert c.pr == 1


def test_subject_match_needs_the_same_author_email_case_insensitively():
    up = [commit("u1", "fix: a", "base", email="Dev@Example.com"), commit("u2", "fix: b", "u1")]
    release = [commit("r1", "fix: a", "rbase", email="dev@example.COM"),
               commit("r2", "fix: b", "r1", email="someone-else@example.com")]
    a, b = match_candidates(up, release, {})
    assert (a.applied_as, a.evidence) == (sha("r1"), "subject+author")
    assert not b.applied


def test_real_shape_of_a_rebased_release_branch():
    """20 backports, 13 patch-identical, all 20 with the same subject and author, none with a -x trailer."""
    up = [commit(f"u{i}", f"fix(scap): issue {i} (#{100 + i})", f"u{i - 1}" if i else "base") for i in range(25)]
    release = [commit(f"r{i}", f"fix(scap): issue {i} (#{100 + i})", f"r{i - 1}" if i else "rb") for i in range(20)]
    patch_equal = {sha(f"u{i}"): sha(f"r{i}") for i in range(13)}
    result = match_candidates(up, release, patch_equal)
    assert [c.evidence for c in result] == ["patch-id"] * 13 + ["subject+author"] * 7 + [None] * 5
    assert [c.pr for c in result] == list(range(100, 125))
    assert all(c.applied_as == sha(f"r{i}") for i, c in enumerate(result[:20]))


def test_merge_commit_brings_its_pr_number_and_is_no_candidate():
    # master: base - x(#10) - merge(#45, second parent f2) - y(#11); feature: base - f1 - f2
    up = [
        commit("f1", "add field", "base"),
        commit("x", "fix: thing (#10)", "base"),
        commit("f2", "add test", "f1"),
        commit("mg", "Merge pull request #45 from someone/feature", "x", "f2"),
        commit("y", "chore: other (#11)", "mg"),
    ]
    result = match_candidates(up, [], {})
    assert [(c.commit.sha, c.pr) for c in result] == [
        (sha("f1"), 45), (sha("x"), 10), (sha("f2"), 45), (sha("y"), 11),
    ]
    assert all(isinstance(c, Candidate) and not c.commit.is_merge for c in result)


def test_own_subject_number_wins_over_the_merge():
    up = [commit("f1", "fix: squash-titled (#44)", "base"),
          commit("mg", "Merge pull request #45 from a/b", "base", "f1")]
    [c] = match_candidates(up, [], {})
    assert c.pr == 44


def test_merges_without_pr_number_bring_nothing():
    up = [commit("f1", "work", "base"), commit("mg", "Merge branch 'topic'", "base", "f1")]
    [c] = match_candidates(up, [], {})
    assert c.pr is None


def test_stacked_prs_are_attributed_to_the_merge_that_brought_each_commit():
    # PR #46 was branched from PR #45's branch; #45 is merged first, then #46 (its branch still contains f1, f2)
    up = [
        commit("f1", "feat a", "base"),
        commit("f2", "feat b", "f1"),
        commit("mg45", "Merge pull request #45 from x/a", "base", "f2"),
        commit("g1", "feat c", "f2"),
        commit("mg46", "Merge pull request #46 from x/c", "mg45", "g1"),
    ]
    assert prs_from_merges(reversed(up)) == {sha("f1"): 45, sha("f2"): 45, sha("g1"): 46}
    assert [c.pr for c in match_candidates(up, [], {})] == [45, 45, 46]


def test_prs_from_merges_empty_and_linear():
    assert prs_from_merges([]) == {}
    linear = [commit("b", "b (#2)", "a"), commit("a", "a (#1)", "base")]
    assert prs_from_merges(linear) == {}


def test_each_link_says_its_source_and_the_forge_only_fills_what_git_left_open():
    """Rebase merges (libs): no "(#N)", no merge commit; the forge's association links those, never overrides git."""
    upstream = [commit("base", "chore: base"), commit("sq", "fix: squashed (#5)", "base"),
                commit("side", "fix: on a branch", "base"), commit("m", "Merge pull request #6 from x/y", "sq", "side"),
                commit("rb1", "fix: rebased, part one", "m"), commit("rb2", "fix: rebased, part two", "rb1")]
    found = match_candidates(upstream[1:], [], {})
    assert [(c.pr, c.pr_source) for c in found] == [(5, "subject"), (6, "merge"), (None, None), (None, None)]
    linked = link_forge(found, {sha("rb1"): 7, sha("rb2"): 7, sha("sq"): 99})
    assert [(c.pr, c.pr_source) for c in linked] == [(5, "subject"), (6, "merge"), (7, "forge"), (7, "forge")]


def test_the_landing_pull_is_the_merged_one_into_the_default_branch():
    into_release = CommitPull(3, "backport", "a", merged=True, base="release/0.25.x")
    open_one = CommitPull(1, "draft", "b", merged=False, base="master", state="open")
    landed = CommitPull(2, "the fix", "c", merged=True, base="master")
    assert landing_pull([into_release, open_one, landed], "master") == landed
    assert landing_pull([into_release, open_one], "master") == into_release
    assert landing_pull([open_one], "master") is None and landing_pull([], "master") is None
