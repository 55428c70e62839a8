"""Which names may reach git as a ref or a remote: git's own `check-ref-format` rules, and no leading `-`.

A repository's committed config, its refs and the forge's answers are data: a name that git would read as an
option (`--upload-pack=...`) or that it would refuse must be stopped before any argv is built.
"""

from __future__ import annotations

import re

# check-ref-format: no control characters, space, ~ ^ : ? * [ or backslash anywhere, no "..", no "@{"
_FORBIDDEN = re.compile(r"[\x00-\x20\x7f~^:?*\[\\]|\.\.|@\{")
MAX_NAME = 255


class RefNameError(ValueError):
    """A name that cannot be a git ref or remote, with the reason."""


def ref_name_problem(name: str) -> str | None:
    """Why `name` (a full or short ref name) is not one git accepts, or None when it is."""
    if not name:
        return "it is empty"
    if len(name) > MAX_NAME:
        return f"it is longer than {MAX_NAME} characters"
    if name.startswith("-"):
        return "it starts with '-' (git would read it as an option)"
    if _FORBIDDEN.search(name):
        return "it holds a space, a control character, '..', '@{' or one of ~ ^ : ? * [ \\"
    if name == "@" or name.startswith("/") or name.endswith(("/", ".")) or "//" in name:
        return "it is '@', starts or ends with '/', ends with '.' or holds '//'"
    for part in name.split("/"):
        if part.startswith(".") or part.endswith(".lock"):
            return "a part of it starts with '.' or ends with '.lock'"
    return None


def check_ref_name(name: str, what: str) -> str:
    """`name` itself when git accepts it as a ref name, else RefNameError naming `what` it is."""
    problem = ref_name_problem(name)
    if problem:
        raise RefNameError(f"{what} {name[:80]!r} is not a valid git name: {problem}")
    return name


def check_remote_name(name: str, what: str = "remote") -> str:
    """A remote name: git requires `refs/remotes/NAME/x` to be a valid ref; no leading '-' either."""
    problem = ref_name_problem(name) or ref_name_problem(f"refs/remotes/{name}/x")
    if problem:
        raise RefNameError(f"{what} {name[:80]!r} is not a valid remote name: {problem}")
    return name
