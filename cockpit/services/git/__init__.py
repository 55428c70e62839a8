"""The git service: the one place that starts git, with named operations instead of argument lists.

Reads are bulk (one `for-each-ref` for all refs, one `rev-list` for the graph, one `cat-file --batch` for all
version files at a ref); every value from a repository, its config, the forge or the user is validated and put
after `--end-of-options` or `--`."""

from cockpit.services.git.errors import GitCommandFailed, GitError, NotARepository, RemoteUnavailable, UnknownRef
from cockpit.services.git.service import CandidateReport, GitService, RefSnapshot

__all__ = [
    "CandidateReport",
    "GitCommandFailed",
    "GitError",
    "GitService",
    "NotARepository",
    "RefSnapshot",
    "RemoteUnavailable",
    "UnknownRef",
]
