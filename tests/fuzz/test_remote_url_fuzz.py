"""`origin` URLs: parse_remote_url on URLs built from the pieces of the https, ssh and scp-like forms (user info,
ports, `.git`, trailing slashes, Enterprise hosts) and on arbitrary text.

A URL of a GitHub repository gives exactly its host (lower case), owner and name; anything else gives None. A slug
is used in API requests and cache file names, so its parts are only ever what GitHub allows in them."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cockpit.services.auth import RepoSlug, parse_remote_url, parse_slug

from fuzzing import PUNCTUATION, fuzz, pieces

HOSTS = st.one_of(st.sampled_from(["github.com", "GitHub.com", "ghe.example.com", "localhost"]),
                  st.from_regex(r"\A[a-z0-9][a-z0-9.-]{0,12}\Z"))
NAMES = st.from_regex(r"\A[A-Za-z0-9_.-]{1,12}\Z").filter(lambda n: n not in (".", "..") and not n.endswith(".git"))
SCHEMES = st.sampled_from(["https://", "http://", "ssh://", "git://", "ssh://git@", "https://user:pw@", ""])
HOST_PART = r"[A-Za-z0-9.-]+"
NAME_PART = r"[A-Za-z0-9_.-]+"


@st.composite
def remote_url(draw: st.DrawFn) -> tuple[str, RepoSlug | None]:
    """A URL of a repository in one of git's forms, with the slug it names (None for a local path)."""
    host, owner, name = draw(HOSTS), draw(NAMES), draw(NAMES)
    suffix = draw(st.sampled_from(["", ".git", "/", ".git/"]))
    scheme = draw(SCHEMES)
    if scheme:
        port = draw(st.sampled_from(["", ":22", ":8443"]))
        url = f"{scheme}{host}{port}/{owner}/{name}{suffix}"
    else:  # scp-like: [user@]host:owner/name
        url = f"{draw(st.sampled_from(['git@', '']))}{host}:{owner}/{name}{suffix}"
    return url, RepoSlug(host.lower(), owner, name)


def assert_clean(slug: RepoSlug) -> None:
    assert re.fullmatch(HOST_PART, slug.host) and slug.host == slug.host.lower(), slug
    assert all(re.fullmatch(NAME_PART, part) and part not in (".", "..") for part in (slug.owner, slug.name)), slug
    assert slug.api_url.startswith("https://")


@fuzz(300)
@given(remote_url())
def test_repository_urls_give_their_slug(case: tuple[str, RepoSlug]) -> None:
    url, slug = case
    assert parse_remote_url(url) == slug
    assert parse_remote_url(f"  {url}\n") == slug  # as `git config` prints it


@fuzz(300)
@given(st.one_of(
    remote_url().map(lambda case: case[0]).flatmap(
        lambda url: st.builds(lambda cut, junk: url[:cut] + junk + url[cut:], st.integers(0, len(url)),
                              st.one_of(PUNCTUATION, st.text(max_size=2)))),
    pieces(SCHEMES, HOSTS, NAMES, PUNCTUATION, st.sampled_from(["/", ":", "@", ".git", "..", "file:"])),
    st.text(max_size=40),
))
def test_any_text_gives_a_clean_slug_or_none(url: str) -> None:
    slug = parse_remote_url(url)
    if slug is not None:
        assert_clean(slug)
    for text in (url, url.rsplit("/", 2)[-2] + "/" + url.rsplit("/", 1)[-1] if url.count("/") >= 2 else url):
        found = parse_slug(text)
        if found is not None:
            assert_clean(found)


@pytest.mark.parametrize("url", [
    "https://github.com/o/n\nx",  # found: a name with a line break
    "https://a@b@c/o/n",  # found: host 'b@c', which the API URL then carries as user info
    "git@github.com:o/n with space",  # found: a name with spaces, sent to the API as is
    "https://github.com/../..",  # found: owner '..', a path step up in every API URL
    "https://github.com/o/n?x=1",
])
def test_found(url: str) -> None:
    assert parse_remote_url(url) is None
