"""The stream wrapper behind the CLI's terminal output, on a real pseudo-terminal and a real pipe."""

from __future__ import annotations

import io
import os
import pty
import select
import sys
from collections.abc import Iterator

import pytest

from cockpit.cli.terminal import PrintableStream, printable_output, raw_output


@pytest.fixture
def terminal() -> Iterator[tuple[io.TextIOWrapper, int]]:
    """A text stream on a pseudo-terminal, and the other end to read what it received."""
    main, secondary = pty.openpty()
    stream = open(secondary, "w", encoding="utf-8", closefd=True)  # noqa: SIM115 - closed below
    yield stream, main
    stream.close()
    os.close(main)


def received(main: int) -> str:
    """What the terminal received: a pseudo-terminal can hand over a write in pieces (one read got only part of it on
    a busy machine), so read until it has been quiet for a moment."""
    chunks = []
    while select.select([main], [], [], 0.3)[0]:
        chunk = os.read(main, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_write_and_writelines_show_control_characters(terminal: tuple[io.TextIOWrapper, int]) -> None:
    stream, main = terminal
    wrapped = PrintableStream(stream)
    assert wrapped.write("a\x1b[2Jb\n") == len("a\x1b[2Jb\n")
    wrapped.writelines(["c\x07\n", "\x9b2Jd\n"])
    wrapped.flush()
    assert received(main) == "a␛[2Jb\nc␇\n\\x9b2Jd\n"
    assert wrapped.isatty() and wrapped.encoding == "utf-8" and wrapped.fileno() == stream.fileno()


def test_stderr_on_a_terminal_is_wrapped_too(terminal: tuple[io.TextIOWrapper, int],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    stream, main = terminal
    monkeypatch.setattr(sys, "stderr", stream)
    with printable_output():
        print("cockpit: unknown tag \x1b]0;x\x07", file=sys.stderr)
    stream.flush()
    assert received(main) == "cockpit: unknown tag ␛]0;x␇\n"


def test_only_terminals_are_wrapped(terminal: tuple[io.TextIOWrapper, int], monkeypatch: pytest.MonkeyPatch) -> None:
    stream, main = terminal
    read_end, write_end = os.pipe()
    pipe = open(write_end, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    monkeypatch.setattr(sys, "stdout", stream)
    monkeypatch.setattr(sys, "stderr", pipe)
    with printable_output():
        assert isinstance(sys.stdout, PrintableStream) and sys.stderr is pipe
        print("tty \x1b[31m")
        print("pipe \x1b[31m", file=sys.stderr)
    assert sys.stdout is stream and sys.stderr is pipe  # restored
    stream.flush()
    pipe.close()
    assert received(main) == "tty ␛[31m\n"
    assert os.read(read_end, 1024) == b"pipe \x1b[31m\n"
    os.close(read_end)


def test_a_terminal_without_the_pictures_gets_ascii_escapes() -> None:
    """A latin-1 (or ASCII) terminal cannot encode ␛: the output falls back to `\\x1b`, never fails."""
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii", write_through=True)
    wrapped = PrintableStream(stream)
    wrapped.write("Zoë \x1b[2J\n")
    assert raw.getvalue() == b"Zo\\xeb \\x1b[2J\n"


def test_the_tui_gets_the_raw_streams_back(terminal: tuple[io.TextIOWrapper, int],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    stream, _ = terminal
    monkeypatch.setattr(sys, "stdout", stream)
    with printable_output():
        assert isinstance(sys.stdout, PrintableStream)
        with raw_output():
            assert sys.stdout is stream
        assert isinstance(sys.stdout, PrintableStream)
