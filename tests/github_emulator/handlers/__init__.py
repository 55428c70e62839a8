"""Endpoint handlers, one module per resource; importing the package registers every route on `ROUTER`."""

from . import contents, git, issues, milestones, misc, pulls, releases

__all__ = ["contents", "git", "issues", "milestones", "misc", "pulls", "releases"]
