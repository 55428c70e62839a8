"""Credentials in URLs are replaced wherever the URL stands."""

from __future__ import annotations

import pytest

from cockpit.core.redact import redact_url


@pytest.mark.security
@pytest.mark.parametrize(("text", "shown"), [
    ("https://user:s3cret@example.com/o/r.git", "https://***@example.com/o/r.git"),
    ("https://ghp_token@github.com/o/r", "https://***@github.com/o/r"),  # a token as the user part
    ("fatal: unable to access 'https://u:p@h/o/r/': 403", "fatal: unable to access 'https://***@h/o/r/': 403"),
    ("ssh://u:pw@host/o/r", "ssh://***@host/o/r"),
    ("https://u:p@s3cret@example.invalid/o/r", "https://***@example.invalid/o/r"),  # a password holding @
    ("https://example.invalid/o/r.git?access_token=s3cret", "https://example.invalid/o/r.git?***"),
    ("unable to access 'https://h/o/r.git?a=1&private_token=s3cret/': x",
     "unable to access 'https://h/o/r.git?***': x"),
])
def test_userinfo_is_redacted(text: str, shown: str) -> None:
    assert redact_url(text) == shown
    assert "s3cret" not in redact_url(text) and "ghp_token" not in redact_url(text)


@pytest.mark.parametrize("text", ["git@github.com:o/r.git", "ssh://git@github.com/o/r", "https://github.com/o/r",
                                  "/srv/git/origin.git", "no url at all"])
def test_what_holds_no_secret_is_kept(text: str) -> None:
    assert redact_url(text) == text
