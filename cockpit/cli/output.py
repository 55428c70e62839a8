"""How a command answers (the headless CLI contract, DESIGN.md).

Human text on stdout by default. With --json, exactly one JSON document on stdout whatever happens: the command's
own document, or `{"error": {"kind", "message"}}` with the same exit code as without --json; the human text of that
run (a plan, its progress, warnings) goes to stderr, so a script can parse stdout and a person can still follow.
The document is kept until the command ends, so a failure after it replaces it rather than adding a second one.
Every failure is one line on stderr, never a traceback."""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
from collections.abc import Callable
from contextlib import redirect_stdout, suppress
from contextvars import ContextVar
from enum import IntEnum
from typing import Any, TextIO

from cockpit.cli.args import UsageError
from cockpit.errors import InputError


class Exit(IntEnum):
    """The exit code of every command (DESIGN.md, "Headless CLI contract")."""

    OK = 0
    CHECK_FAILED = 1  # a check failed, a plan was refused or stopped
    BAD_INPUT = 2  # the user's (or the repository's) to fix: one line on stderr
    INTERRUPTED = 130  # Ctrl-C


def error_kinds() -> tuple[tuple[type[Exception], str], ...]:
    """The one mapping of errors to answers: the error document's "kind" for each failure that is the user's (or
    the repository's) to fix, all Exit.BAD_INPUT (guarded below); anything else is an internal error, also exit 2.
    Imported when a command has run, never on the way to `--help` (the service modules bring GitPython along)."""
    from cockpit.core.versions import VersionError
    from cockpit.services.forge.base import ForgeError
    from cockpit.services.git.errors import GitError
    from cockpit.services.journal import JournalError
    from cockpit.services.settings import SettingsError

    return ((UsageError, "usage"), (InputError, "input"), (VersionError, "version"), (GitError, "git"),
            (SettingsError, "settings"), (ForgeError, "forge"), (JournalError, "journal"))


class Reply:
    """The one document of a --json run, printed when the command ends (a plain class: every command line defines
    it, and a dataclass costs ten times more to define)."""

    __slots__ = ("document", "given")

    def __init__(self) -> None:
        self.document: Any = None
        self.given = False


_REPLY: ContextVar[Reply | None] = ContextVar("cockpit_reply", default=None)


def json_mode() -> bool:
    """This run answers with a JSON document (its prints go to stderr)."""
    return _REPLY.get() is not None


def answer(data: Any) -> None:
    """Make `data` the document of this --json run (replacing an earlier one); outside --json, nothing: the
    command's human text is its answer."""
    reply = _REPLY.get()
    if reply is not None:
        reply.document, reply.given = data, True


def amend(**fields: Any) -> None:
    """Add fields to the document already given (e.g. the PR a plan opened); nothing when there is none."""
    reply = _REPLY.get()
    if reply is not None and isinstance(reply.document, dict):
        reply.document.update(fields)


def error_document(kind: str, message: str) -> dict[str, Any]:
    return {"error": {"kind": kind, "message": message}}


def dumps(data: Any, stream: TextIO | None = None) -> str:
    """Indented for a person at a terminal, compact for a pipe (json's indenting encoder is pure Python and slow on
    large documents such as 5k backport candidates). ASCII only: no output encoding can refuse it."""
    stream = stream or sys.stdout
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):  # a closed stream
        tty = False
    return json.dumps(data, indent=2 if tty else None)


def one_line(exc: BaseException | str) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 300 else text[:297] + "..."


def failed(kind: str, message: str, code: int) -> int:
    """Say why the command failed: one line on stderr, and the error document for --json; returns `code`."""
    message = one_line(message)
    with suppress(OSError, ValueError):  # stderr full or closed: the exit code and the document still tell
        print(f"cockpit: {message}", file=sys.stderr)
    answer(error_document(kind, message))
    return code


OUTPUT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}


def os_problem(exc: OSError) -> str:
    """An OSError in one line (a full disk, an unwritable output, a file that went away): the environment's to fix,
    not a bug of the cockpit's."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    return f"{reason}: {exc.filename}" if exc.filename else reason


def output_failed(exc: OSError) -> int:
    """stdout took no more (a full disk, /dev/full): said on stderr in one line, and stdout pointed at /dev/null so
    that Python's own flush at exit neither fails again nor prints a traceback."""
    with suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno() if sys.__stdout__ else 1)
        os.close(devnull)
    return failed("output", f"cannot write the output: {exc.strerror or exc}", Exit.BAD_INPUT)


def guarded(func: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run the command; whatever it raises becomes one line and an exit code, never a traceback."""
    try:
        return func(args)
    except KeyboardInterrupt:
        return failed("interrupted", "interrupted", Exit.INTERRUPTED)
    except BrokenPipeError:
        return Exit.OK
    except Exception as exc:
        kind = next((k for cls, k in error_kinds() if isinstance(exc, cls)), None)
        if kind is not None:
            return failed(kind, str(exc), Exit.BAD_INPUT)
        if isinstance(exc, OSError) and not os.environ.get("COCKPIT_DEBUG"):
            if exc.filename is None and exc.errno in OUTPUT_ERRNOS:  # a print that the disk took no more of
                return output_failed(exc)
            return failed("os", os_problem(exc), Exit.BAD_INPUT)
        if os.environ.get("COCKPIT_DEBUG"):
            raise
        # the last line of defence: a user never sees a traceback
        return failed("internal", f"internal error: {type(exc).__name__}: {one_line(exc)} (COCKPIT_DEBUG=1 shows "
                      "details)", Exit.BAD_INPUT)


def answered(func: Callable[[argparse.Namespace], int], args: argparse.Namespace, as_json: bool) -> int:
    """Run the command; with --json, what it prints goes to stderr and its one document to stdout."""
    if not as_json:
        code = guarded(func, args)
        try:
            sys.stdout.flush()  # what is still buffered goes out now, where a failure can be told in one line
        except OSError as exc:
            return output_failed(exc)
        except ValueError:  # stdout closed: nowhere to write
            pass
        return code
    reply, stdout = Reply(), sys.stdout
    token = _REPLY.set(reply)
    try:
        with redirect_stdout(sys.stderr):
            code = guarded(func, args)
    finally:
        _REPLY.reset(token)
    try:
        write_document(reply.document if reply.given else fallback_document(code), stdout)
    except OSError as exc:
        return output_failed(exc)
    return code


def fallback_document(code: int) -> dict[str, Any]:
    """For a command that gave no document of its own: whether it succeeded, as the exit code says."""
    if code == Exit.OK:
        return {"ok": True}
    return {"ok": False, **error_document("failed", f"exit {code}: see the messages on stderr")}


def write_document(data: Any, stdout: TextIO | None) -> None:
    if stdout is None:  # stdout closed: nowhere to answer
        return
    with suppress(BrokenPipeError, ValueError):  # the reader went away, or stdout was closed
        stdout.write(dumps(data, stdout) + "\n")
        stdout.flush()


def usage_failed(exc: UsageError, as_json: bool) -> int:
    """argparse's own answer to a bad command line (usage line and message on stderr), plus the error document on
    stdout for --json; exit 2."""
    message = one_line(exc)
    sys.stderr.write(exc.parser.format_usage() + f"{exc.parser.prog}: error: {message}\n")
    if as_json:
        write_document(error_document("usage", message), sys.stdout)
    return Exit.BAD_INPUT


def wants_json(argv: list[str]) -> bool:
    """--json is on the command line (argparse also takes an unambiguous prefix such as --js), read without a
    parse: for the answer to a command line that does not parse."""
    return any(a.startswith("--js") and "--json".startswith(a) for a in argv)
