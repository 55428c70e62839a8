"""The CLI's output to a terminal with control characters made visible.

A commit subject or PR title can carry an escape sequence; printed raw it would clear the screen, retitle the
window or write to the clipboard. Pipes and files get the bytes unchanged (a script reading them wants the data);
`--json` escapes them itself."""

from __future__ import annotations

import codecs
import io
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import TextIO

from cockpit.core.display import escaped, one_line, printable

TOLERANT = "cockpit-tolerant"  # the output error handler registered below
# a stream's error handler -> the one used while a command runs: a strict stream escapes what it cannot encode (valid
# text for whoever reads it); a C locale's surrogateescape stream also passes git's undecoded bytes through as they came
TOLERATED = {"strict": "backslashreplace", "surrogateescape": TOLERANT}


# what str.splitlines() (and a terminal) takes for the end of a line
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_SHOWN_BREAKS = {ord(c): one_line(c) for c in LINE_BREAKS}


def single_line(text: str) -> str:
    """`text` as one line of a report: a line break inside a title, subject or name is shown (␤, ␍, \\u2028...),
    so git or forge text cannot add a line that looks like the cockpit's own, through a pipe too. Other controls are
    left for the terminal wrapper (a pipe gets them unchanged)."""
    return text.translate(_SHOWN_BREAKS)


class PrintableStream:
    """A text stream that writes `printable(text)` to the terminal it wraps; everything else is the stream's.
    A terminal whose encoding lacks the control pictures (␛) or any other character gets `\\x1b`-style escapes
    for them: output never fails for want of an encoding."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        shown = printable(text)
        try:
            self.stream.write(shown)
        except UnicodeEncodeError:
            encoding = self.stream.encoding or "ascii"
            self.stream.write(escaped(text).encode(encoding, "backslashreplace").decode(encoding))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> object:  # flush, isatty, fileno, encoding...: the wrapped stream's
        return getattr(self.stream, name)


def _on_terminal(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except ValueError:  # a closed stream
        return False


@contextmanager
def printable_output() -> Iterator[None]:
    """While the command runs, stdout and stderr that are terminals show control characters instead of obeying
    them. The TUI is unaffected: Textual writes to the process's own streams (sys.__stdout__, sys.__stderr__)."""
    saved = sys.stdout, sys.stderr
    if _on_terminal(sys.stdout):
        sys.stdout = PrintableStream(sys.stdout)  # type: ignore[assignment]
    if _on_terminal(sys.stderr):
        sys.stderr = PrintableStream(sys.stderr)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


@contextmanager
def raw_output() -> Iterator[None]:
    """The process's own streams again, for the TUI: Textual draws with escape sequences and shows forge and git
    text through its own escaping (cockpit/ui/format.py)."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = (s.stream if isinstance(s, PrintableStream) else s for s in saved)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def _escape_unencodable(exc: UnicodeError) -> tuple[str | bytes, int]:
    """The error handler of a surrogateescape stream while a command runs: bytes that came in undecodable (surrogate
    escapes, as a C locale reads argv and git's output) go out as they came; any other character the encoding lacks
    as `\\xf6`."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    chunk = exc.object[exc.start:exc.end]
    if all("\udc80" <= c <= "\udcff" for c in chunk):
        return bytes(ord(c) - 0xDC00 for c in chunk), exc.end
    return codecs.backslashreplace_errors(exc)


codecs.register_error(TOLERANT, _escape_unencodable)


@contextmanager
def tolerant_encoding() -> Iterator[None]:
    """Output never fails for want of an encoding: while the command runs, stdout and stderr write a character
    their encoding lacks (PYTHONIOENCODING=ascii, a C locale) as a backslash escape, not an error (TOLERATED)."""
    changed = []
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors in TOLERATED:
            errors = stream.errors
            try:
                stream.reconfigure(errors=TOLERATED[errors])
            except (ValueError, OSError):  # closed, or cannot flush
                continue
            changed.append((stream, errors))
    try:
        yield
    finally:
        for stream, errors in changed:
            with suppress(ValueError, OSError):
                stream.reconfigure(errors=errors)
