"""Credentials inside URLs are never shown: not in text, JSON, errors or journals. They hide in the userinfo
(`https://user:token@host/...`, where a password may itself hold `@`) and in the query (`?access_token=...`)."""

from __future__ import annotations

import re

# scheme://userinfo@host: the userinfo runs to the last `@` before the path (a password may hold `@`)
_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)(?P<userinfo>[^/\s'\"]+)@(?=[^@/\s'\"]+)")
# ?query or &rest of a URL: any value may be a token (access_token=, private_token=, key=...)
_QUERY = re.compile(r"(?P<url>\b[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"?#]*)\?[^\s'\"#]*")
REDACTED = "***"


def redact_url(text: str) -> str:
    """`text` with the userinfo and the query of every URL in it replaced by ***, wherever the URL stands (a git
    error quotes the URL it could not reach)."""
    return _QUERY.sub(lambda m: f"{m.group('url')}?{REDACTED}", _USERINFO.sub(_redact, text))


def _redact(m: re.Match[str]) -> str:
    scheme, userinfo = m.group("scheme"), m.group("userinfo")
    if scheme.lower().startswith(("ssh", "git+ssh")) and ":" not in userinfo:
        return m.group(0)  # ssh://git@host: a login name, not a secret
    return f"{scheme}{REDACTED}@"  # https://TOKEN@host is how tokens are often put in URLs: the user part too
