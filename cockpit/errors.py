"""The error types every layer raises for what the user (or the repository) must fix, as opposed to a bug.

It sits beside `cockpit.core` and imports nothing of ours, so any layer may raise these; the CLI maps each to its
exit code and error kind in one place (cockpit/cli/output.py). Errors that belong to one adapter stay with it and
are mapped there too: GitError (services/git), ForgeError (services/forge), JournalError (services/journal),
SettingsError (services/settings), VersionError (core/versions)."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input to a report or an operation (an unknown tag, a tag of the wrong line): exit 2 in the CLI."""
