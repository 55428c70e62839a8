"""Backport candidates as the CLI contract shapes them."""

from __future__ import annotations

from cockpit.services.git import GitService, UnknownRef


def candidates(git: GitService, branch: str, prs: set[int] | None = None) -> dict:
    """Backport candidates; `prs` keeps only the commits of those pull requests (a milestone's)."""
    snap = git.refs(tags=False)
    if not snap.branch_head(branch):
        raise UnknownRef(f"unknown branch {branch!r} (neither local nor on {git.config.remote})")
    report = git.candidates(branch, snap=snap)
    return {
        "branch": report.branch,
        "upstream": report.upstream,
        "fork_point": report.fork_point,
        "commits": [{"sha": c.commit.sha, "subject": c.commit.subject, "author": c.commit.author,
                     "email": c.commit.email, "date": c.commit.date, "pr": c.pr, "applied": c.applied,
                     "evidence": c.evidence, "applied_as": c.applied_as}
                    for c in report.candidates if prs is None or c.pr in prs],
    }
