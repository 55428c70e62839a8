"""Credentials inside URLs (`https://user:token@host/...`) are never shown: not in text, JSON, errors or journals."""

from __future__ import annotations

import re

# scheme://userinfo@ — the userinfo part (a user, a password or a token) is what must never be shown
_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)(?P<userinfo>[^/@\s'\"]+)@")
REDACTED = "***"


def redact_url(text: str) -> str:
    """`text` with the userinfo of every URL in it replaced by ***, wherever the URL stands (a git error quotes
    the URL it could not reach)."""
    return _USERINFO.sub(_redact, text)


def _redact(m: re.Match[str]) -> str:
    scheme, userinfo = m.group("scheme"), m.group("userinfo")
    if scheme.lower().startswith(("ssh", "git+ssh")) and ":" not in userinfo:
        return m.group(0)  # ssh://git@host: a login name, not a secret
    return f"{scheme}{REDACTED}@"  # https://TOKEN@host is how tokens are often put in URLs: the user part too
