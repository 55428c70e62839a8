"""The one error the sandbox raises."""

from __future__ import annotations


class SandboxError(Exception):
    """The sandbox cannot be built or reused; the message says why and what to do."""
