"""Stable pseudo-random numbers: the same inputs give the same number on every Python."""

from __future__ import annotations

import hashlib


def _h(*parts: object) -> int:
    """A stable pseudo-random number (no `random`: its streams are not promised across Python versions)."""
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:12], 16)
