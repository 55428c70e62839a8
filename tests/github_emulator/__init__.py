"""A loopback emulator of GitHub's REST API for contract tests of the cockpit's GitHub forge.

    with GitHubEmulator() as emu:            # or, in a fixture: yield from serve_validated()
        emu.add_milestone("0.26.0")
        gh = github.Github(auth=github.Auth.Token(emu.token), base_url=emu.base_url,
                           seconds_between_requests=None, seconds_between_writes=None, retry=None)
        ...
        emu.assert_valid()
"""

from .emulator import GitHubEmulator, serve_validated
from .faults import Fault, FaultRule
from .records import RecordedRequest, Violation
from .schemas import SPEC_PATH, SchemaBook, schema_book

__all__ = [
    "SPEC_PATH",
    "Fault",
    "FaultRule",
    "GitHubEmulator",
    "RecordedRequest",
    "SchemaBook",
    "Violation",
    "schema_book",
    "serve_validated",
]
