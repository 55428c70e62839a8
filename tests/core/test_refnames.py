"""Names that reach git's argv: git's check-ref-format rules and no leading dash, checked against git itself."""

from __future__ import annotations

import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cockpit.core.refnames import RefNameError, check_ref_name, check_remote_name, ref_name_problem


@pytest.mark.security
@pytest.mark.parametrize("name", ["--upload-pack=touch /tmp/x;git-upload-pack", "-oops", "-"])
def test_a_leading_dash_is_never_a_name(name: str) -> None:
    assert "starts with '-'" in (ref_name_problem(name) or "")
    with pytest.raises(RefNameError, match="remote"):
        check_remote_name(name)


@pytest.mark.parametrize("name", ["a b", "a..b", "a~1", "a^", "a:b", "a?", "a*", "a[", "a\\b", "a@{1}", "@", "/a",
                                  "a/", "a//b", "a.", ".a", "a/.b", "a.lock", "a/b.lock/c", "a\nb", "a\x1bb", ""])
def test_what_check_ref_format_refuses_is_refused(name: str) -> None:
    assert ref_name_problem(name) is not None
    with pytest.raises(RefNameError):
        check_ref_name(name, "branch")


@pytest.mark.parametrize("name", ["origin", "upstream", "my-fork", "release/0.26.x", "refs/heads/release/0.26.x",
                                  "refs/tags/0.26.0-rc1", "refs/tags/9.0.0+driver", "a@b", "über"])
def test_ordinary_names_pass(name: str) -> None:
    assert check_ref_name(name, "ref") == name


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab-./@{}~^:?*[\\ \n.lock"), min_size=1, max_size=12))
def test_agrees_with_git_check_ref_format(name: str) -> None:
    """Every name accepted here git accepts too (never the other way round: ours adds the no-dash rule)."""
    full = f"refs/heads/{name}"
    if ref_name_problem(full) is None and ref_name_problem(name) is None:
        done = subprocess.run(["git", "check-ref-format", full], capture_output=True, check=False)
        assert done.returncode == 0, name
