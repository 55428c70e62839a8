"""The pure parts of a backport: branch name, feature and conflict detection, the PR's title and body."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cockpit.core.backport import (
    Original,
    backport_branch_name,
    conventional_type,
    feature_reason,
    likely_conflicts,
    pull_body,
    pull_title,
)

A, B, C, D = ("a" * 40, "b" * 40, "c" * 40, "d" * 40)


def test_branch_name_and_titles() -> None:
    assert backport_branch_name("release/0.25.x", "0123456789" * 4) == "backport/release/0.25.x/01234567"
    one = [Original(A, "fix(libsinsp): a crash (#12)", 12)]
    assert pull_title("release/0.25.x", one) == "[release/0.25.x] fix(libsinsp): a crash (#12)"
    assert pull_title("release/0.25.x", one * 3) == "[release/0.25.x] Backport 3 fixes"


def test_body_lists_prs_commits_and_one_release_note_block() -> None:
    picks = [
        Original(A, "fix: a (#1)", 1, pr_title="fix(a): a", milestone="0.26.0", notes=("fix(a): a works",)),
        Original(B, "fix: a, part two (#1)", 1, pr_title="fix(a): a", milestone="0.26.0", notes=("fix(a): a works",)),
        Original(C, "chore: deps (#2)", 2, pr_title="chore: deps", notes=("NONE",)),
        Original(D, "fix: no PR"),
    ]
    body = pull_body("release/0.25.x", picks)
    assert body.startswith("Backport to `release/0.25.x` of:\n\n- #1 fix(a): a (milestone 0.26.0)\n"
                           "- #2 chore: deps\n- dddddddddd fix: no PR\n")
    assert f"- {A} fix: a (#1)\n- {B} fix: a, part two (#1)\n- {C} chore: deps (#2)\n- {D} fix: no PR\n" in body
    assert body.endswith("```release-note\nfix(a): a works\n```\n")  # once, NONE dropped
    only_none = pull_body("release/0.25.x", [picks[2]])
    assert only_none.endswith("```release-note\nNONE\n```\n")
    assert "release-note" not in pull_body("release/0.25.x", [picks[3]])  # nothing known: no invented notes


def test_feature_detection() -> None:
    assert conventional_type("new(driver)!: clone3") == ("new", True)
    assert conventional_type("Merge pull request #7 from x/y") == (None, False)
    assert feature_reason(Original(A, "feat: x")) == "its subject is a feat commit"
    assert feature_reason(Original(A, "update(libsinsp)!: drop an overload")) == "its subject is a update! commit"
    assert feature_reason(Original(A, "Merge pull request #7 from x/y", 7, True, "new(driver): clone3")) \
        == "PR #7 is titled new"
    assert feature_reason(Original(A, "update: x (#7)", 7, notes=("new(driver): clone3",))) \
        == "PR #7's release note is `new(driver): clone3`"
    assert feature_reason(Original(A, "fix: x (#7)", 7, notes=("fix: x",))) is None


def test_likely_conflicts_only_from_earlier_unported_commits() -> None:
    history = [(A, frozenset({"x.c"})), (B, frozenset({"x.c", "y.c"})), (C, frozenset({"x.c"})),
               (D, frozenset({"y.c"}))]
    # A is unported and earlier than the picks C and D; B is picked itself (no warning from it)
    assert likely_conflicts(history, [B, C, D], unported={A, B, C, D}) == {B: [(A, ["x.c"])], C: [(A, ["x.c"])]}
    assert likely_conflicts(history, [C], unported={B}) == {C: [(B, ["x.c"])]}
    assert likely_conflicts(history, [A], unported={B, C, D}) == {}


@given(st.text())
def test_any_subject_is_classified_without_error(text: str) -> None:
    kind, _ = conventional_type(text)
    assert kind is None or kind.isalpha()
    feature_reason(Original(A, text, notes=(text,)))


def test_params_round_trip() -> None:
    o = Original(A, "fix: a", 1, True, "fix(a): a", "0.26.0", ("kind/bug",), ("fix(a): a",))
    assert Original.from_params(o.as_params()) == o
    assert Original.from_params(Original(B, "x").as_params()) == Original(B, "x")


def test_line_milestone_is_the_lowest_plain_version_of_the_line() -> None:
    from cockpit.core.backport import line_milestone

    titles = ["0.26.0", "0.25.3", "0.25.2", "9.0.1+driver", "0.25.4-rc1", "next-driver", "0.25", "0.24.9"]
    assert line_milestone(titles, (0, 25)) == "0.25.2"
    assert line_milestone(titles, (0, 23)) is None
    assert line_milestone(["0.25.10", "0.25.9"], (0, 25)) == "0.25.9"  # by version, not by text


def test_next_patch_and_copied_labels() -> None:
    import semver

    from cockpit.core.backport import Original, copied_labels, next_patch

    released = [semver.Version.parse(v) for v in ("0.25.0", "0.25.1", "0.25.2-rc1", "0.26.0")]
    assert next_patch((0, 25), released) == "0.25.2"
    assert next_patch((0, 27), released) == "0.27.0"
    picks = [Original("a" * 40, "fix: a", 1, labels=("kind/bug", "area/libsinsp")),
             Original("b" * 40, "fix: b", 2, labels=("Kind/Bug", "area/driver"))]
    assert copied_labels(picks) == ("kind/bug", "area/libsinsp", "area/driver")
