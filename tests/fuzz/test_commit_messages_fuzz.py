"""Commit subjects and bodies, which anyone who lands a commit writes: the PR number of a subject, the `-x`
trailers of a body, and the matching of backport candidates on commits built from those pieces.

A PR number is a non-negative int or None, a trailer is a full sha, and the matching answers for every commit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cockpit.core.candidates import EVIDENCE_ORDER, cherry_picked_from, match_candidates, pr_number
from cockpit.core.facts import CommitFact

from fuzzing import NUMBERS, PUNCTUATION, fuzz, pieces

SHAS = st.integers(1, 8).map(lambda n: f"{n:040x}")
SUBJECT_PIECES = st.one_of(
    NUMBERS, PUNCTUATION, NUMBERS.map(lambda n: f"(#{n})"),
    st.sampled_from(["Merge pull request #", "fix(libsinsp): ", "(#", ")", " ", "new: x",
                     "(cherry picked from commit "]),
    st.text(max_size=6),
)
SUBJECTS = st.one_of(pieces(SUBJECT_PIECES), st.text(max_size=30))
BODIES = st.one_of(pieces(SUBJECT_PIECES, SHAS, st.just("\n")), st.text(max_size=30))


@st.composite
def history(draw: st.DrawFn, first: int) -> list[CommitFact]:
    """Commits newest first, as git lists a range: each one's parents are older (git's graph has no cycles)."""
    count = draw(st.integers(0, 5))
    shas = [f"{n:040x}" for n in range(first, first + count)]
    return [CommitFact(sha, draw(SUBJECTS), draw(st.text(max_size=4)), draw(st.sampled_from(["a@x", "A@X", "b@y"])),
                       draw(st.integers(0, 2**31)), tuple(draw(st.lists(st.sampled_from(shas[n + 1:] or ["f" * 40]),
                                                                        max_size=3))), draw(BODIES))
            for n, sha in enumerate(shas)]


@fuzz(300)
@given(SUBJECTS)
def test_pr_number(subject: str) -> None:
    number = pr_number(subject)
    assert number is None or (isinstance(number, int) and number >= 0 and str(number) in subject)


@fuzz(200)
@given(BODIES)
def test_cherry_picked_from(body: str) -> None:
    assert all(len(sha) == 40 and sha in body for sha in cherry_picked_from(body))


@fuzz(200)
@given(upstream=history(1), release_side=history(100), patch_equal=st.dictionaries(SHAS, SHAS, max_size=2))
def test_match_candidates(upstream: list[CommitFact], release_side: list[CommitFact],
                          patch_equal: dict[str, str]) -> None:
    found = match_candidates(upstream, release_side, patch_equal)
    assert [c.commit for c in found] == [c for c in upstream if not c.is_merge]
    assert all(c.evidence in (None, *EVIDENCE_ORDER) and (c.evidence is None) is (c.applied_as is None) for c in found)


@pytest.mark.parametrize("subject", [f"fix: x (#{'1' * 4400})", f"Merge pull request #{'9' * 4400} from a/b"])
def test_pr_number_found(subject: str) -> None:
    """Found: int()'s digit-limit ValueError escaped, and with it `cockpit candidates` on such a commit."""
    assert pr_number(subject) is None
